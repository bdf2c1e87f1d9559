/**
 * Lint a design given as text: what the "lint a design" language model tool returns. Invalid
 * files give their problems (with line and column), never a throw.
 */
import { planAndLint, type Finding } from './lint';
import { formatProblems, loadDesign, type DesignProblem } from './validate';

export type DesignLintReport = { file: string; valid: true; findings: Finding[] } | { file: string; valid: false; problems: DesignProblem[] };

export function lintDesignText(file: string, text: string): { summary: string; report: DesignLintReport } {
  const loaded = loadDesign(text);
  if (!loaded.ok) {
    return { summary: `${file} is not a valid design:\n${formatProblems(file, loaded.problems)}`, report: { file, valid: false, problems: loaded.problems } };
  }
  const { findings } = planAndLint(loaded.design);
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const head = `${file}: ${findings.length ? `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info` : 'no findings'}`;
  const lines = findings.map((f) => `${f.severity} ${f.rule}${f.location.pointer ? ` at ${f.location.pointer}` : ''}: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}`);
  return { summary: [head, ...lines].join('\n'), report: { file, valid: true, findings } };
}

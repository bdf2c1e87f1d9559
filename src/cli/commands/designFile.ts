/**
 * What the design commands (plan, lint, apply, export) share: reading a `*.natsflow.json`
 * (a bad file fails with every problem, its JSON pointer and line, and nothing runs), the
 * --env and --replicas-cap flags, and the text form of findings.
 */
import { readFileSync } from 'node:fs';
import { ENVIRONMENTS, type Environment } from '../../core/decide';
import { loadDesign, formatProblems, parseReplicasCap, type Finding, type FlowDesign } from '../../core/design';
import { UsageError } from '../command';
import { CliFailure } from '../connectionFlags';

export function readDesign(file: string | undefined): FlowDesign {
  if (!file) throw new UsageError('give the design file (*.natsflow.json)');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliFailure(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const r = loadDesign(text);
  if (!r.ok) throw new CliFailure(`${file} is not a valid design (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}); nothing was done:\n${formatProblems(file, r.problems)}`);
  return r.design;
}

export function parseEnv(value: string | undefined): Environment | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (!(ENVIRONMENTS as readonly string[]).includes(v)) throw new UsageError(`--env must be one of ${ENVIRONMENTS.join('|')} (got "${value}")`);
  return v as Environment;
}

/** `--replicas-cap N` of plan, apply and scaffold: the cap, undefined when not given; a bad value is bad usage naming it. */
export function parseReplicasCapFlag(value: string | undefined): number | undefined {
  const { cap, error } = parseReplicasCap(value);
  if (error) throw new UsageError(`--replicas-cap: ${error}`);
  return cap;
}

export function formatFindings(file: string, findings: readonly Finding[]): string {
  if (!findings.length) return `${file}: no findings\n`;
  const lines = findings.map((f) => {
    const where = [f.location.path && `path ${f.location.path}`, f.location.component && `component ${f.location.component}`, f.location.object].filter(Boolean).join(', ');
    return `${file}${f.location.pointer !== undefined ? `#${f.location.pointer}` : ''}: ${f.severity} ${f.rule}${where ? ` (${where})` : ''}: ${f.message}\n  fix: ${f.fix}`;
  });
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return `${lines.join('\n')}\n${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${findings.length - errors - warnings} info\n`;
}

/** parseArgs with its TypeErrors (unknown option, missing value) turned into bad usage. */
export function usageErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * What the canvas draws, derived from the document: the parsed design, each path's
 * classification (seed 000, from its stored answers), the plan (seed 001) and the lint
 * findings mapped onto the nodes and edges they concern.
 */
import { loadDesign, type DesignProblem } from '../../src/core/design/validate';
import { classifyPaths, planDesign, type Plan, type PathClassification } from '../../src/core/design/plan';
import { lintDesign, type Finding, type Severity } from '../../src/core/design/lint';
import type { FlowDesign } from '../../src/core/design/model';

export type Verdict = 'kv' | 'stream' | 'core' | 'conflict' | 'undecided' | 'overridden';

export const VERDICT_LABELS: Record<Verdict, string> = {
  kv: 'KV Watch',
  stream: 'Stream',
  core: 'Core pub/sub',
  conflict: 'Conflict',
  undecided: 'Undecided',
  overridden: 'Overridden',
};

export function verdictOf(c: PathClassification | undefined): Verdict {
  if (!c) return 'undecided';
  if (c.overridden) return 'overridden';
  if (c.conflict) return 'conflict';
  return c.primitive;
}

export interface Marks {
  severity: Severity;
  findings: Finding[];
}

export interface Analysis {
  design: FlowDesign;
  plan: Plan;
  findings: Finding[];
  classes: Map<string, PathClassification>;
  componentMarks: Map<string, Marks>;
  pathMarks: Map<string, Marks>;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

function mark(map: Map<string, Marks>, id: string, f: Finding): void {
  const m = map.get(id);
  if (!m) map.set(id, { severity: f.severity, findings: [f] });
  else {
    m.findings.push(f);
    if (RANK[f.severity] > RANK[m.severity]) m.severity = f.severity;
  }
}

/** The paths and components a finding concerns (its location, or the paths of the object it names). */
export function findingTargets(f: Finding, design: FlowDesign, plan: Plan): { paths: string[]; components: string[] } {
  const paths = new Set<string>();
  const components = new Set<string>();
  const loc = f.location;
  if (loc.path) paths.add(loc.path);
  if (loc.component) components.add(loc.component);
  const ptr = /^\/(components|paths)\/(\d+)/.exec(loc.pointer ?? '');
  if (ptr) {
    const i = Number(ptr[2]);
    if (ptr[1] === 'components' && design.components[i]) components.add(design.components[i]!.id);
    if (ptr[1] === 'paths' && design.paths[i]) paths.add(design.paths[i]!.id);
  }
  if (!paths.size && !components.size && loc.object) {
    const [kind, name] = loc.object.split(' ');
    if (kind === 'stream') plan.streams.find((s) => s.config.name === name)?.paths.forEach((p) => paths.add(p));
    if (kind === 'bucket') plan.buckets.find((b) => b.config.bucket === name)?.paths.forEach((p) => paths.add(p));
    if (kind === 'consumer') {
      const c = plan.consumers.find((x) => `${x.stream}/${x.config.durable_name}` === name);
      if (c) paths.add(c.path);
    }
  }
  return { paths: [...paths], components: [...components] };
}

/**
 * The quick half, run on every text change before the canvas draws: load and classify (the
 * badges). Planning and linting (`analyseDesign`) follow a frame later, so a text edit reaches
 * the canvas without waiting for them.
 */
export type Loaded = { ok: true; design: FlowDesign; classes: Map<string, PathClassification> } | { ok: false; problems: DesignProblem[] };

export function load(text: string): Loaded {
  const loaded = loadDesign(text);
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  return { ok: true, design: loaded.design, classes: new Map(classifyPaths(loaded.design).map((c) => [c.path, c])) };
}

export function analyseDesign(design: FlowDesign): Analysis {
  const plan = planDesign(design);
  const findings = lintDesign(design, plan);
  const componentMarks = new Map<string, Marks>();
  const pathMarks = new Map<string, Marks>();
  for (const f of findings) {
    const t = findingTargets(f, design, plan);
    for (const p of t.paths) mark(pathMarks, p, f);
    for (const c of t.components) mark(componentMarks, c, f);
  }
  return { design, plan, findings, classes: new Map(plan.paths.map((c) => [c.path, c])), componentMarks, pathMarks };
}

/**
 * Design planner + linter benchmark: a generated design of 200 components and 400 paths
 * (40 bounded contexts, worker queues, listeners, KV facts, core pub/sub) planned and linted
 * as the CLI and the designer do on every change, and the lint alone. Target (issue 11): plan + lint within
 * 50 ms. Also times loading (parse + validate) and formatting the same design. Writes JSON
 * to bench/results/ (git-ignored).
 *
 *   node --import tsx bench/design.bench.ts [--components 200] [--paths 400] [--runs 20]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { formatDesign, lintDesign, loadDesign, planDesign, type FlowDesign, type FlowPath } from '../src/core/design';
import { median } from './stats';

const { values } = parseArgs({ options: { components: { type: 'string' }, paths: { type: 'string' }, runs: { type: 'string' } } });
const N_COMPONENTS = Number(values.components ?? 200);
const N_PATHS = Number(values.paths ?? 400);
const RUNS = Number(values.runs ?? 20);
const TARGET_MS = 50;

/** A deterministic design: every fifth path a worker queue, every seventh a KV fact, every eleventh core pub/sub. */
export function generateDesign(components: number, paths: number): FlowDesign {
  const kinds = ['service', 'workerPool', 'client', 'external', 'store'] as const;
  const d: FlowDesign = {
    version: 1,
    name: 'generated',
    environment: 'production',
    components: Array.from({ length: components }, (_, i) => ({ id: `c${i}`, kind: kinds[i % kinds.length]!, name: `Component ${i}`, position: { x: (i % 20) * 200, y: Math.floor(i / 20) * 120 } })),
    paths: [],
  };
  for (let i = 0; i < paths; i++) {
    const ctx = `ctx${i % 40}`;
    const from = `c${i % components}`;
    const to = [`c${(i * 7 + 1) % components}`, ...(i % 3 === 0 ? [`c${(i * 11 + 3) % components}`] : [])].filter((t) => t !== from);
    const p: FlowPath = { id: `p${i}`, from, to, description: `path ${i}`, subject: `${ctx}.entity${i}.event`, answers: { restart: 'no', fanout: 'all', processing: 'fast', nature: 'fact' }, override: { primitive: 'stream', reason: 'event log' }, processingTime: '200ms' };
    if (i % 5 === 0) Object.assign(p, { answers: { restart: 'no', fanout: 'one', processing: 'slow', nature: 'request' }, override: undefined, to: to.slice(0, 1), processingTime: '30s' });
    if (i % 7 === 0) Object.assign(p, { subject: `kv${i % 10}.key${i}.>`, answers: { restart: 'yes', fanout: 'all', processing: 'fast', nature: 'fact' }, override: undefined });
    if (i % 11 === 0) Object.assign(p, { override: { primitive: 'core', reason: 'live only' } });
    if (!p.override) delete p.override;
    d.paths.push(p);
  }
  return d;
}


/** The first call (cold: what one CLI run pays) and then RUNS warm calls (what the designer pays on each edit). */
function time(fn: () => void): { cold: number; warm: number[]; coldCpu: number; warmCpu: number[] } {
  // CPU time beside wall time: on a shared 2-core machine the wall clock also counts other processes
  const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  fn();
  const coldCpu = cpuMs(process.cpuUsage(c0));
  const cold = performance.now() - t0;
  for (let i = 0; i < 5; i++) fn();
  const out: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    fn();
    cpu.push(cpuMs(process.cpuUsage(c)));
    out.push(performance.now() - t);
  }
  return { cold, warm: out, coldCpu, warmCpu: cpu };
}

const design = generateDesign(N_COMPONENTS, N_PATHS);
const text = formatDesign(design);
let counts = { streams: 0, consumers: 0, buckets: 0, findings: 0 };
const planLint = time(() => {
  const plan = planDesign(design);
  const findings = lintDesign(design, plan);
  counts = { streams: plan.streams.length, consumers: plan.consumers.length, buckets: plan.buckets.length, findings: findings.length };
});
const planOnly = time(() => void planDesign(design));
const planned = planDesign(design);
const lintOnly = time(() => void lintDesign(design, planned));
const load = time(() => {
  if (!loadDesign(text).ok) throw new Error('generated design does not load');
});
const format = time(() => void formatDesign(design));

const result = {
  when: new Date().toISOString(),
  design: { components: N_COMPONENTS, paths: N_PATHS, bytes: text.length, ...counts },
  runs: RUNS,
  coldMs: { planAndLint: planLint.cold, planOnly: planOnly.cold, lintOnly: lintOnly.cold, load: load.cold, format: format.cold },
  medianMs: { planAndLint: median(planLint.warm), planOnly: median(planOnly.warm), lintOnly: median(lintOnly.warm), load: median(load.warm), format: median(format.warm) },
  maxMs: { planAndLint: Math.max(...planLint.warm) },
  cpuMs: { planAndLintFirstRun: planLint.coldCpu, planAndLintWarmMedian: median(planLint.warmCpu), lintOnlyWarmMedian: median(lintOnly.warmCpu) },
  loadAverage: loadavg()[0],
  targetMs: TARGET_MS,
};
console.log(`design: ${N_COMPONENTS} components, ${N_PATHS} paths (${(text.length / 1024).toFixed(0)} KiB) → ${counts.streams} streams, ${counts.consumers} consumers, ${counts.buckets} buckets, ${counts.findings} findings`);
const verdict = (ms: number) => `${ms <= TARGET_MS ? 'met' : 'MISSED'}, ${(ms / TARGET_MS).toFixed(2)}× the ${TARGET_MS} ms budget`;
console.log(`plan + lint  first run ${result.coldMs.planAndLint.toFixed(1)} ms (${verdict(result.coldMs.planAndLint)}); warm median ${result.medianMs.planAndLint.toFixed(1)} ms (${verdict(result.medianMs.planAndLint)}), max ${result.maxMs.planAndLint.toFixed(1)} ms`);
console.log(`             CPU time: first run ${result.cpuMs.planAndLintFirstRun.toFixed(1)} ms, warm median ${result.cpuMs.planAndLintWarmMedian.toFixed(1)} ms (load average ${result.loadAverage.toFixed(1)} on ${cpus().length} cores)`);
console.log(`plan only    first run ${result.coldMs.planOnly.toFixed(1)} ms; warm median ${result.medianMs.planOnly.toFixed(1)} ms`);
console.log(`lint only    first run ${result.coldMs.lintOnly.toFixed(1)} ms; warm median ${result.medianMs.lintOnly.toFixed(1)} ms (CPU ${result.cpuMs.lintOnlyWarmMedian.toFixed(1)} ms): what the designer pays per edit beyond the plan`);
console.log(`load         first run ${result.coldMs.load.toFixed(1)} ms; warm median ${result.medianMs.load.toFixed(1)} ms (parse + validate)`);
console.log(`format       first run ${result.coldMs.format.toFixed(1)} ms; warm median ${result.medianMs.format.toFixed(1)} ms`);
const dir = join(__dirname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `design-${result.when.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2) + '\n');
if (result.coldMs.planAndLint > TARGET_MS || result.medianMs.planAndLint > TARGET_MS) process.exitCode = 1;

/**
 * What the Decide pre-classifier's model (src/core/decide/weights.json and clusters.json,
 * about 690 KB together) costs the code that carries it: loading a bundle that contains it,
 * the first classify() and decide() (which load the model and build the cluster map), and
 * warm calls. The extension host, the CLI and the designer webview all carry it.
 *
 * Builds with scripts/build.mjs's production options into bench/results/decide-load/: the
 * decide module alone (src/core/decide/index.ts) and the CLI (src/cli/main.ts). Every figure
 * comes from a fresh `node` process, the kinds run interleaved `--runs` times, and each line
 * gives the median and the spread (min–max), wall and CPU time beside each other (the machine
 * is shared: wall time counts waiting for a core too).
 *
 *   raw        `node -e 0` (what any process pays) and V8 alone: JSON.parse of the two
 *              files' text plus the cluster map, the least loading the model can cost
 *   module     require() of the decide bundle, then the first classify(), the first decide()
 *              of another description, and warm medians over the descriptions below
 *   cli        `nats-flow --version` and `nats-flow decide "<description>" --json`, spawn to exit,
 *              and the process's own CPU time (a preloaded line prints it at exit)
 *
 * `--against REV` also builds both bundles from REV's src/ (git archive) and runs them
 * interleaved with ours, so before/after ratios share the machine's load; `--without-plugin`
 * adds ours built without scripts/lib/decideModelPlugin.mjs (the model as object literals in
 * lazily initialised modules), to see what the plugin itself is worth.
 *
 * `--activation-runs N` also runs the activation suite N times in code-server on a production
 * build of ours (scripts/vscode-test.mjs) and reports VS Code's own "Load Code" time for the
 * extension (Developer: Startup Performance), the extension host's share of the model's cost.
 *
 *   node --import tsx bench/decideLoad.bench.ts [--runs 15] [--against main] [--without-plugin] [--activation-runs 3]
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { pathToFileURL } from 'node:url';
import { median } from './stats';

const { values } = parseArgs({ options: { runs: { type: 'string' }, against: { type: 'string' }, 'without-plugin': { type: 'boolean' }, 'activation-runs': { type: 'string' } } });
const ACTIVATION_RUNS = Number(values['activation-runs'] ?? 0);
const RUNS = Number(values.runs ?? 15);
const root = join(__dirname, '..');
const outDir = join(__dirname, 'results', 'decide-load');

/** Descriptions in the issue's and the seeds' wording (none from the corpus's frozen split). */
const DESCRIPTIONS = [
  'Upload progress of a video shown as a bar in the web app',
  'Whether a feature flag is on for a tenant',
  'Moderator flips the approved flag on a forum post',
  'Websocket gateway pushes each chat message to all connected clients',
  'Audit log of every admin action, kept for compliance for 7 years',
  'Payment service charges the customer card once per order',
  'Current price of each product, shown on every storefront page',
  'Transcode each uploaded video into three resolutions, one worker per job',
  'Order placed events consumed by billing, shipping and analytics',
  'Live dashboard of the number of connected devices per region',
  'An LLM agent asks a tool to summarise a document and waits for the answer',
  'Sensor readings from 10,000 thermostats every second',
  'User session data read by every API node',
  'Send a welcome email when a user signs up',
  'Index update',
  'Config of the rate limiter, changed by operators now and then',
  'Game lobby state: who is in which room',
  'Deploy request for a service to the staging cluster',
  'Stock level per warehouse and SKU',
  'Fraud check on every card transaction before it is approved',
];

interface Variant {
  name: string;
  decideBundle: string;
  cliBundle: string;
}

/** Builds with `srcRoot`'s own model plugin (scripts/lib/decideModelPlugin.mjs) when it has one and `withPlugin`. */
async function buildVariant(name: string, srcRoot: string, withPlugin = true): Promise<Variant> {
  const dir = join(outDir, name.replace(/[^\w.-]+/g, '_'));
  const pluginFile = join(srcRoot, 'scripts/lib/decideModelPlugin.mjs');
  const plugins = withPlugin && existsSync(pluginFile) ? [(await import(pathToFileURL(pluginFile).href)).decideModelPlugin as esbuild.Plugin] : [];
  const options: esbuild.BuildOptions = {
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // an extracted revision has no node_modules of its own
    nodePaths: [join(root, 'node_modules')],
    plugins,
  };
  const decideBundle = join(dir, 'decide.js');
  const cliBundle = join(dir, 'cli.js');
  await esbuild.build({ ...options, entryPoints: [join(srcRoot, 'src/core/decide/index.ts')], outfile: decideBundle });
  await esbuild.build({ ...options, entryPoints: [join(srcRoot, 'src/cli/main.ts')], outfile: cliBundle });
  console.log(`built ${name} ${plugins.length ? 'with' : 'without'} the model plugin`);
  return { name, decideBundle, cliBundle };
}

/** Runs in a fresh node: loads the decide bundle and times the calls (CommonJS, no tsx). */
const MODULE_CHILD = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const [bundle, descriptionsJson] = process.argv.slice(1);
const descriptions = JSON.parse(descriptionsJson);
let t = performance.now(), c = cpu();
const m = require(bundle);
const loadMs = performance.now() - t, loadCpu = cpu() - c;
t = performance.now(); c = cpu();
const first = m.classify(descriptions[0]);
const classifyMs = performance.now() - t, classifyCpu = cpu() - c;
t = performance.now();
m.decide({ description: descriptions[1] });
const decideMs = performance.now() - t;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const warmClassify = [], warmDecide = [];
for (let round = 0; round < 3; round++) for (const d of descriptions) {
  t = performance.now(); m.classify(d); warmClassify.push(performance.now() - t);
  t = performance.now(); m.decide({ description: d }); warmDecide.push(performance.now() - t);
}
const model = typeof m.modelLoadTimes === 'function' ? m.modelLoadTimes() : undefined;
console.log(JSON.stringify({ loadMs, loadCpu, classifyMs, classifyCpu, decideMs, warmClassifyMs: median(warmClassify), warmDecideMs: median(warmDecide), model, restart: first.restart && first.restart.answer }));
`;

/** V8 alone: parse the two files' text and build the word → cluster map, as features.ts does. */
const RAW_CHILD = `
const { readFileSync } = require('node:fs');
const [weightsPath, clustersPath] = process.argv.slice(1);
const texts = [readFileSync(weightsPath, 'utf8'), readFileSync(clustersPath, 'utf8')];
const t = performance.now();
JSON.parse(texts[0]);
const clusters = JSON.parse(texts[1]).clusters;
const map = new Map();
clusters.forEach((c, i) => { for (const w of c.split(' ')) map.set(w, i); });
console.log(JSON.stringify({ parseMs: performance.now() - t }));
`;

/** Preloaded into the CLI processes: their own CPU time (user + system) on stderr at exit. */
const CPU_AT_EXIT = `process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('CPU_MS ' + (u.user + u.system) / 1000 + '\\n'); });`;

function node(args: string[]): { wallMs: number; stdout: string; cpuMs?: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${args.slice(0, 2).join(' ')} failed (${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  const cpu = /^CPU_MS ([\d.]+)$/m.exec(r.stderr);
  return { wallMs, stdout: r.stdout, cpuMs: cpu ? Number(cpu[1]) : undefined };
}

type Series = Record<string, number[]>;
const series: Series = {};
const add = (key: string, v: number | undefined) => {
  if (v !== undefined && Number.isFinite(v)) (series[key] ??= []).push(v);
};

async function main() {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const variants: Variant[] = [await buildVariant('ours', root)];
  if (values['without-plugin']) variants.push(await buildVariant('ours without plugin', root, false));
  if (values.against) {
    const rev = execFileSync('git', ['rev-parse', '--short', values.against], { cwd: root, encoding: 'utf8' }).trim();
    const src = join(outDir, `src-${rev}`);
    mkdirSync(src, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${rev} src scripts/lib | tar -x -C "${src}"`], { cwd: root });
    variants.push(await buildVariant(`${values.against} (${rev})`, src));
  }
  const weights = join(root, 'src/core/decide/weights.json');
  const clusters = join(root, 'src/core/decide/clusters.json');
  const descriptions = JSON.stringify(DESCRIPTIONS);
  const cpuAtExit = join(outDir, 'cpu-at-exit.cjs');
  writeFileSync(cpuAtExit, CPU_AT_EXIT);
  const cli = (v: Variant, ...args: string[]) => node(['--require', cpuAtExit, v.cliBundle, ...args]);
  const answers = new Map<string, string>();
  for (let run = 0; run < RUNS; run++) {
    const floor = node(['--require', cpuAtExit, '-e', '0']);
    add('node -e 0', floor.wallMs);
    add('node -e 0 CPU', floor.cpuMs);
    add('raw JSON.parse + cluster map', JSON.parse(node(['-e', RAW_CHILD, weights, clusters]).stdout).parseMs);
    // alternate the order so neither variant always runs right after the other
    for (const v of run % 2 ? [...variants].reverse() : variants) {
      const m = JSON.parse(node(['-e', MODULE_CHILD, v.decideBundle, descriptions]).stdout);
      add(`${v.name}: require(decide bundle)`, m.loadMs);
      add(`${v.name}: require(decide bundle) CPU`, m.loadCpu);
      add(`${v.name}: first classify()`, m.classifyMs);
      add(`${v.name}: first classify() CPU`, m.classifyCpu);
      add(`${v.name}: first decide() after it`, m.decideMs);
      add(`${v.name}: warm classify()`, m.warmClassifyMs);
      add(`${v.name}: warm decide()`, m.warmDecideMs);
      add(`${v.name}: model load within the first classify(): weights.json`, m.model?.weights);
      add(`${v.name}: model load within the first classify(): clusters.json`, m.model?.clusters);
      answers.set(v.name, m.restart);
      const version = cli(v, '--version');
      add(`${v.name}: nats-flow --version`, version.wallMs);
      add(`${v.name}: nats-flow --version CPU`, version.cpuMs);
      const d = cli(v, 'decide', DESCRIPTIONS[0]!, '--json');
      add(`${v.name}: nats-flow decide --json`, d.wallMs);
      add(`${v.name}: nats-flow decide --json CPU`, d.cpuMs);
      answers.set(`${v.name} cli`, JSON.parse(d.stdout).primitive);
    }
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const fmt = (xs: number[]) => `${median(xs).toFixed(1).padStart(6)} ms  (${sorted(xs)[0]!.toFixed(1)}–${sorted(xs).at(-1)!.toFixed(1)})`;
  const width = Math.max(...Object.keys(series).map((k) => k.length));
  console.log(`decide model load: ${RUNS} runs, load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; median (min–max)`);
  for (const [k, xs] of Object.entries(series)) console.log(`  ${k.padEnd(width)}  ${fmt(xs)}`);
  const m = (k: string) => (series[k] ? median(series[k]!) : NaN);
  const floor = m('node -e 0');
  const floorCpu = m('node -e 0 CPU');
  const raw = m('raw JSON.parse + cluster map');
  console.log('ratios (of medians):');
  for (const v of variants) {
    const vs = (k: string) => `${(m(`${v.name}: ${k}`) / floor).toFixed(2)}× (CPU ${(m(`${v.name}: ${k} CPU`) / floorCpu).toFixed(2)}×)`;
    console.log(`  ${v.name}: nats-flow --version ${vs('nats-flow --version')} node -e 0; decide --json ${vs('nats-flow decide --json')}; first classify() ${(m(`${v.name}: first classify()`) / raw).toFixed(2)}× raw JSON.parse + cluster map`);
  }
  const [a, ...others] = variants as [Variant, ...Variant[]];
  for (const b of others) {
    for (const k of ['require(decide bundle)', 'require(decide bundle) CPU', 'first classify()', 'first classify() CPU', 'first decide() after it', 'warm classify()', 'nats-flow --version', 'nats-flow --version CPU', 'nats-flow decide --json', 'nats-flow decide --json CPU']) {
      console.log(`  ${k}: ${a.name} / ${b.name} = ${(m(`${a.name}: ${k}`) / m(`${b.name}: ${k}`)).toFixed(2)}`);
    }
  }
  if (ACTIVATION_RUNS > 0) {
    const a = activationInVsCode(ACTIVATION_RUNS);
    if (typeof a === 'string') console.log(`activation in a real VS Code: ${a}`);
    else {
      for (const [k, xs] of Object.entries(a)) series[`ours: ${k}`] = xs;
      console.log(`activation in a real VS Code (code-server, production build, ${ACTIVATION_RUNS} runs): VS Code's load code ${fmt(a.loadCodeMs)}, activate() ${fmt(a.activateMs)}`);
    }
  }
  const distinct = new Set([...answers.entries()].filter(([k]) => !k.endsWith(' cli')).map(([, a]) => a));
  if (distinct.size > 1) console.log(`  the variants answered differently: ${JSON.stringify(Object.fromEntries(answers))}`);
  const when = new Date().toISOString();
  writeFileSync(join(__dirname, 'results', `decide-load-${when.replace(/[:.]/g, '-')}.json`), JSON.stringify({ when, runs: RUNS, loadAverage: loadavg()[0], variants: variants.map((v) => v.name), series }, null, 2) + '\n');
}

/**
 * The activation suite in code-server on a production build: VS Code's own "Load Code" time
 * for the extension and activate(). A string when it cannot run here (no code-server).
 * Puts the development build back afterwards, as `npm test`'s vsix stage does.
 */
function activationInVsCode(runs: number): { loadCodeMs: number[]; activateMs: number[] } | string {
  const build = (...args: string[]) => spawnSync(process.execPath, ['scripts/build.mjs', ...args], { cwd: root, encoding: 'utf8' });
  // the development build first: it writes the suite bundles the production build leaves out
  for (const args of [[], ['--production']]) {
    const b = build(...args);
    if (b.status !== 0) return `skipped: the build failed (${b.stderr.trim().split('\n').pop()})`;
  }
  const out = { loadCodeMs: [] as number[], activateMs: [] as number[] };
  try {
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, ['scripts/vscode-test.mjs', '--files', 'activation'], { cwd: root, encoding: 'utf8' });
      const load = /activation: VS Code load code (\d+) ms/.exec(r.stdout);
      const activate = /activation: activate\(\) ([\d.]+) ms/.exec(r.stdout);
      if (!load || !activate) return `skipped: the activation suite did not report (${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' / ')})`;
      out.loadCodeMs.push(Number(load[1]));
      out.activateMs.push(Number(activate[1]));
    }
  } finally {
    build();
  }
  return out;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

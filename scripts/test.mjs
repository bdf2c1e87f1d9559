// `npm test`: type check, build, then the unit, integration (real nats-server) and VS Code
// (real code-server) suites, and a last line `N passed, N failed` over all of them.
// `node scripts/test.mjs unit|integration|vscode` runs one stage. It starts with the set-up
// step (scripts/lib/setup.mjs, plain Node): npm ci, the NATS tools, Chromium and code-server,
// each only when missing or stale, so a fresh clone needs nothing but Node and npm.
// NATS_FLOW_SKIP_VSCODE=1 runs everything but the stages that need a real VS Code, and says so.
import { spawn } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runSetup } from './lib/setup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const VSCODE_STAGES = ['vscode', 'ui', 'vsix', 'sandbox'];
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, cmd, args, { parse } = {}) {
  return new Promise((resolve) => {
    console.log(`\n=== ${label} ===`);
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code) => {
      const counts = parse ? parse(out) : null;
      if (counts) {
        totals.passed += counts.passed;
        totals.failed += counts.failed;
        totals.skipped += counts.skipped ?? 0;
      }
      if (code !== 0) failures.push(`${label} (exit ${code})`);
      console.log(`=== ${label}: ${code === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
      resolve(code);
    });
  });
}

/** node:test's spec reporter ends with `ℹ pass N`, `ℹ fail N`, `ℹ skipped N`. */
function parseNodeTest(out) {
  const num = (k) => Number(new RegExp(`^\\S*\\s*${k} (\\d+)$`, 'm').exec(out)?.[1] ?? 0);
  // a test cancelled because its suite's setup failed did not pass: count it as failed
  return { passed: num('pass'), failed: num('fail') + num('cancelled'), skipped: num('skipped') };
}
/** scripts/vscode-test.mjs ends with `N passed, N failed`. */
function parseSummary(out) {
  const m = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/m.exec(out);
  return m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) } : null;
}

const testFiles = (dir) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir)).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `${dir}/${f}`)
    : [];

const nodeTest = (files, concurrency) => ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files];

const stages = {
  async typecheck() {
    await run('type check (host + webview)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
    await run('type check (webview)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.webview.json']);
  },
  async build() {
    await run('build', 'node', ['scripts/build.mjs']);
  },
  async unit() {
    const files = testFiles('test/unit');
    if (!files.length) return failures.push('unit: no test files in test/unit');
    await run('unit tests', process.execPath, nodeTest(files, 2), { parse: parseNodeTest });
  },
  async integration() {
    const files = testFiles('test/integration');
    if (!files.length) return failures.push('integration: no test files in test/integration');
    // each file starts its own servers; one at a time keeps a 2-core machine honest
    await run('integration tests (real nats-server)', process.execPath, nodeTest(files, 1), { parse: parseNodeTest });
  },
  async webview() {
    // the built webview bundles in real Chromium, hostile payloads included
    const files = testFiles('test/e2e');
    if (!files.length) return;
    if (!existsSync(join(root, 'dist/webview'))) await stages.build();
    await run('webview tests (Chromium)', process.execPath, nodeTest(files, 1), { parse: parseNodeTest });
  },
  async ui() {
    // the interactive paths (palette, QuickPicks, modals, context menus, trust) in a real
    // VS Code (code-server) driven by Chromium; each file starts its own servers, one at a time
    const files = testFiles('test/ui');
    if (!files.length) return;
    if (!existsSync(join(root, 'dist/extension.js')) || !existsSync(join(root, 'dist/webview'))) await stages.build();
    await run('UI tests (code-server + Chromium)', process.execPath, nodeTest(files, 1), { parse: parseNodeTest });
  },
  async vscode() {
    if (!existsSync(join(root, 'dist/extension.js'))) await stages.build();
    await run('VS Code extension-host tests (code-server)', 'node', ['scripts/vscode-test.mjs'], { parse: parseSummary });
  },
  async vsix() {
    // the packaged extension, not the dev folder: production build, vsce, install into
    // code-server, run the activation suite against the installed copy
    const vsix = join(root, 'out', 'nats-flow-test.vsix');
    if ((await run('package .vsix (production build)', 'node', ['scripts/package.mjs', vsix])) !== 0) return;
    await run('VS Code tests against the installed .vsix', 'node', ['scripts/vscode-test.mjs', '--vsix', vsix, '--files', 'activation'], { parse: parseSummary });
    // put the development build back for whatever runs next
    await run('build (development)', 'node', ['scripts/build.mjs']);
  },
  async sandbox() {
    // the README's other command: a real server with demo data, VS Code connected to it
    const code = await run('sandbox smoke (npm run sandbox -- --check)', process.execPath, ['--import', 'tsx', 'scripts/sandbox.ts', '--check'], {
      parse: (out) => (/check: status bar shows/.test(out) ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }),
    });
    return code;
  },
};

const order = only ? [only] : ['typecheck', 'build', 'unit', 'integration', 'webview', 'vscode', 'ui', 'vsix', 'sandbox'];
for (const s of order) {
  if (!stages[s]) {
    console.error(`unknown stage "${s}"; stages: ${Object.keys(stages).join(', ')}`);
    process.exit(2);
  }
}
const { skipped } = await runSetup(only ?? 'test');
const skippedStages = skipped.includes('vscode') ? order.filter((s) => VSCODE_STAGES.includes(s)) : [];
const skipBanner = () =>
  console.log(
    `\n!!! NATS_FLOW_SKIP_VSCODE=1: SKIPPED ${skippedStages.join(', ')} — nothing ran inside a real VS Code.\n` +
      '!!! Unset it to install code-server (about 3 minutes) and run them.\n',
  );
if (skippedStages.length) skipBanner();
for (const s of order) {
  if (skippedStages.includes(s)) continue;
  await stages[s]();
}
if (skippedStages.length) skipBanner();
console.log('');
if (failures.length) console.log(`FAILED: ${failures.join('; ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(failures.length || totals.failed ? 1 : 0);

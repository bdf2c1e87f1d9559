#!/usr/bin/env node
// Runs the extension-host test suite (out/test/suite/*.test.js, through
// out/test/suite/index.js) inside a real VS Code: code-server 4.139.1 driven by Chromium. Run
// `node scripts/build.mjs` first; this script builds nothing.
//
//   node scripts/vscode-test.mjs                       # the development folder (repo root)
//   node scripts/vscode-test.mjs --vsix nats-flow.vsix # install the package, test that instead
//   node scripts/vscode-test.mjs --files activation --grep "status bar"
//
// Options: --vsix <file>, --files <a,b> (test file names), --grep <pattern>,
// --timeout <seconds> (default 360), --keep (keep the run folder), --verbose (every workbench
// log line and browser console message).
// Environment: NATS_FLOW_CODE_SERVER_DIR / NATS_FLOW_CACHE (where code-server is),
// NATS_FLOW_CHROMIUM (default /usr/bin/chromium), NATS_FLOW_KEEP_RUN=1 (= --keep).
//
// The last line of output is `N passed, N failed`; the exit code is non-zero when any test
// failed, none ran, the run timed out or VS Code reported a non-zero exit.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installExtension, launchChromium, makeRunDir, natsFlowCacheDir, startCodeServer, tail } from './lib/codeServer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'string' },
    files: { type: 'string' },
    grep: { type: 'string' },
    timeout: { type: 'string', default: '360' },
    keep: { type: 'boolean', default: process.env.NATS_FLOW_KEEP_RUN === '1' },
    verbose: { type: 'boolean', default: false },
  },
});

const t0 = Date.now();
let suiteStarted = false; // see isTestOutput()
const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (msg) => console.log(`[vscode-test ${since()}] ${msg}`);

function fail(msg) {
  console.error(`[vscode-test] ${msg}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const testsIndex = join(root, 'out/test/suite/index.js');
if (!existsSync(testsIndex)) fail(`${testsIndex} is missing: run \`node scripts/build.mjs\` first.`);
if (!opts.vsix && !existsSync(join(root, 'dist/extension.js'))) fail('dist/extension.js is missing: run `node scripts/build.mjs` first.');
const vsix = opts.vsix ? resolve(opts.vsix) : undefined;
if (vsix && !existsSync(vsix)) fail(`--vsix ${vsix} does not exist.`);

const runDir = makeRunDir('nats-flow-vscode-test-');
const resultsFile = join(runDir, 'results.json');
const timeoutMs = Number(opts.timeout) * 1000;

let server;
let browser;
let exitCode = 1;
let summary = { passed: 0, failed: 0 };

try {
  // code-server gets its own XDG dirs, so hand the tests the real tool cache explicitly:
  // without it the rig would miss the pinned nats-server 2.14 and natscli
  const env = { NATS_FLOW_TEST_RESULTS: resultsFile, NATS_FLOW_CACHE: natsFlowCacheDir(process.env) };
  for (const k of ['NATS_SERVER_BIN', 'NATS_SERVER_29_BIN', 'NATS_CLI_BIN']) if (process.env[k]) env[k] = process.env[k];
  if (opts.files) env.NATS_FLOW_TEST_FILES = opts.files;
  if (opts.grep) env.NATS_FLOW_TEST_GREP = opts.grep;
  if (vsix) {
    const inst = await installExtension({ runDir, vsix });
    say(`installed ${vsix} in ${inst.ms} ms: ${inst.output.split('\n').pop()}`);
    // the activation test then proves the extension came from the package, not the checkout
    env.NATS_FLOW_EXPECT_EXTENSION_DIR = inst.extensionsDir;
  }

  // test/fixtures/fake-lm: a test-only chat model (a vscode.lm provider) for the Decide
  // language-model option; this machine has no real one
  const extraExtensions = vsix ? [] : [join(root, 'test', 'fixtures', 'fake-lm')];
  server = await startCodeServer({ runDir, smokeTestDriver: true, env, keep: true, extraExtensions });
  say(`code-server ${server.url} ready in ${server.startupMs} ms (run folder ${runDir})`);

  browser = await launchChromium({ runDir, viewport: { width: 1280, height: 800 } });
  const { page } = browser;

  let settle;
  const exited = new Promise((r) => (settle = r));
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    const text = Array.isArray(args) ? args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : String(args);
    for (const line of text.split('\n')) {
      if (opts.verbose || isTestOutput(line)) console.log(`  ${level === 'error' || level === 'warn' ? `${level}: ` : ''}${line}`);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => settle({ code: Number(code) }));
  page.on('pageerror', (err) => opts.verbose && console.log(`[page error] ${err.message}`));
  if (opts.verbose) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));

  const url = server.workbenchUrl({
    // VS Code only runs extensionTestsPath in extension-development mode, so --vsix still
    // needs a development path: an empty folder (no package.json, so no extension in it), and
    // the installed extension is the one under test
    extensionDevelopmentPath: vsix ? emptyDevFolder(runDir) : root,
    extensionTestsPath: testsIndex,
  });
  say(`opening the workbench${vsix ? ' (installed .vsix)' : ''}`);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  page
    .waitForSelector('.monaco-workbench', { timeout: 60_000 })
    .then(() => say('workbench up, running tests'))
    .catch(() => undefined);

  const timer = new Promise((r) => setTimeout(() => r({ timeout: true }), timeoutMs).unref());
  const outcome = await Promise.race([exited, timer]);
  if (outcome.timeout) {
    console.error(`[vscode-test] TIMEOUT: the suite did not finish within ${opts.timeout} s (VS Code never called codeAutomationExit).`);
    console.error(`[vscode-test] code-server log tail:\n${tail(server.log(), 30)}`);
  } else {
    say(`VS Code reported exit code ${outcome.code}`);
  }

  const results = readResults();
  if (!results) {
    console.error(`[vscode-test] no results file at ${resultsFile}: the test index never ran (is the payload ignored? see the code-server log: ${server.logFile}).`);
    if (!opts.verbose) console.error(tail(server.log(), 30));
  } else {
    console.log('');
    for (const t of results.tests) {
      const mark = t.state === 'passed' ? 'pass' : t.state === 'failed' ? 'FAIL' : 'skip';
      console.log(`${mark}  ${t.fullTitle}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
      if (t.state === 'failed') console.log(`      ${(t.error ?? '').split('\n').join('\n      ')}`);
    }
    if (results.error) console.log(`run error: ${results.error}`);
    if (!results.finishedAt) console.log('(the run did not finish: results are partial)');
    summary = { passed: results.passed, failed: results.failed };
  }
  const ok = !outcome.timeout && outcome.code === 0 && results?.finishedAt && !results.error && results.failed === 0 && results.passed > 0;
  if (!ok && summary.failed === 0) summary.failed = 1; // a broken run is a failure even with no failed test
  if (results && results.passed === 0 && results.failed === 0) console.error('[vscode-test] zero tests ran.');
  exitCode = ok ? 0 : 1;
} catch (err) {
  console.error(`[vscode-test] ${err instanceof Error ? err.stack : String(err)}`);
  summary.failed = Math.max(summary.failed, 1);
  exitCode = 1;
} finally {
  await browser?.close();
  await server?.stop();
  if (opts.keep || exitCode !== 0) console.log(`[vscode-test] run folder kept: ${runDir}`);
  else rmSync(runDir, { recursive: true, force: true });
}
say(`total ${since()}`);
console.log(`${summary.passed} passed, ${summary.failed} failed`);
process.exit(exitCode);

function readResults() {
  try {
    return JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch {
    return undefined;
  }
}

// Lines worth showing without --verbose: everything the extension host logs once the test
// index has started (its own lines, console.log from tests), minus the workbench's noise:
// stack frames of workbench.js and the offline gallery/auth failures every run has here.
function isTestOutput(line) {
  if (line.includes('[nats-flow-test]')) {
    suiteStarted = true;
    return true;
  }
  if (!suiteStarted) return false;
  return !/\/static\/out\/vs\/|ENOTFOUND|authentication provider|\[AccountPolicyGate\]|^\s*$/.test(line);
}

function emptyDevFolder(dir) {
  const d = join(dir, 'no-development-extension');
  mkdirSync(d, { recursive: true });
  return d;
}

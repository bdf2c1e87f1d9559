// The set-up step's decisions (scripts/lib/setup.mjs): what is missing, what is stale, and the
// message for each failure. Pure: facts in, steps and failures out; nothing is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error plain ESM module without types, importable before dependencies exist
import { decide, probe, NEEDS, NATS_SERVER_VERSION, NATSCLI_VERSION } from '../../scripts/lib/setup.mjs';

type Facts = ReturnType<typeof probe>;
const t = (path: string, source: string, version: string) => ({ path, source, version });

/** A machine where everything is in place. */
function ready(over: Record<string, unknown> = {}): Facts {
  return {
    nodeVersion: '20.19.0',
    nodeModules: 2000,
    lockfile: 1000,
    cache: '/home/u/.cache/nats-flow',
    server: t('/home/u/.cache/nats-flow/bin/nats-server', 'cache', NATS_SERVER_VERSION),
    debianServer: t('/usr/sbin/nats-server', 'debian', '2.9.10'),
    server29: t('/usr/sbin/nats-server', 'debian', '2.9.10'),
    natscli: t('/home/u/.cache/nats-flow/bin/nats', 'cache', NATSCLI_VERSION),
    chromium: { path: '/usr/bin/chromium', ok: true, custom: false },
    fonts: true,
    codeServer: { dir: '/home/u/.cache/nats-flow/code-server-4.139.1', ok: true, custom: false },
    desktopCode: false,
    buildDeps: true,
    go: true,
    aptGet: true,
    root: true,
    skipVscode: false,
    ...over,
  } as Facts;
}
const ids = (plan: { steps: { id: string }[] }) => plan.steps.map((s) => s.id);

test('a machine with everything in place needs no step and reports nothing', () => {
  for (const target of Object.keys(NEEDS)) {
    const plan = decide(NEEDS[target], ready());
    assert.deepEqual(ids(plan), [], target);
    assert.deepEqual(plan.failures, [], target);
  }
});

test('a fresh clone installs npm deps, then the tools, then code-server, in that order', () => {
  const plan = decide(NEEDS.test, ready({ nodeModules: null, server: null, natscli: null, debianServer: null, server29: null, chromium: { path: '/usr/bin/chromium', ok: false, custom: false }, codeServer: { dir: '/x', ok: false, custom: false }, buildDeps: false }));
  assert.deepEqual(ids(plan), ['deps', 'tools', 'vscode']);
  assert.deepEqual(plan.failures, []);
  const tools = plan.steps[1];
  assert.deepEqual(tools.apt.sort(), ['chromium', 'fonts-dejavu-core', 'libkrb5-dev', 'nats-server', 'pkg-config']);
  assert.match(tools.say, new RegExp(`nats-server ${NATS_SERVER_VERSION}.*natscli ${NATSCLI_VERSION}.*with Go into ~?/home/u/.cache/nats-flow/bin`));
  assert.match(plan.steps[2].say, /code-server 4\.139\.1 and Node 24 .*first run only, about 3 minutes/);
});

test('node_modules older than package-lock.json is stale and gets npm ci; newer is not', () => {
  assert.deepEqual(ids(decide(NEEDS.unit, ready({ nodeModules: 500, lockfile: 1000 }))), ['deps']);
  assert.match(decide(NEEDS.unit, ready({ nodeModules: 500, lockfile: 1000 })).steps[0].say, /package-lock\.json changed/);
  assert.deepEqual(ids(decide(NEEDS.unit, ready({ nodeModules: 1500, lockfile: 1000 }))), []);
});

test('a cached nats-server of another version is stale and is rebuilt; one the user points at is taken as is', () => {
  const stale = decide(NEEDS.integration, ready({ server: t('/c/bin/nats-server', 'cache', '2.12.1') }));
  assert.deepEqual(ids(stale), ['tools']);
  assert.match(stale.steps[0].say, /the cached one is 2\.12\.1/);
  assert.deepEqual(ids(decide(NEEDS.integration, ready({ server: t('/opt/nats-server', 'env', '2.12.1') }))), []);
});

test('each target asks only for what it needs', () => {
  const bare = ready({ server: null, natscli: null, chromium: { path: '/usr/bin/chromium', ok: false, custom: false }, codeServer: { dir: '/x', ok: false, custom: false } });
  assert.deepEqual(ids(decide(NEEDS.unit, bare)), []);
  assert.deepEqual(ids(decide(NEEDS.integration, bare)), ['tools']);
  assert.deepEqual(decide(NEEDS.integration, bare).steps[0].apt, []);
  assert.deepEqual(decide(NEEDS.webview, bare).steps[0].apt, ['chromium', 'fonts-dejavu-core']);
  assert.deepEqual(ids(decide(NEEDS.vscode, bare)), ['tools', 'vscode']);
});

test('the sandbox needs no code-server when desktop VS Code is on PATH, but its --check does', () => {
  const noCs = { codeServer: { dir: '/x', ok: false, custom: false } };
  const desktop = decide(NEEDS['sandbox-open'], ready({ ...noCs, desktopCode: true }));
  assert.deepEqual(ids(desktop), []);
  assert.match(desktop.notes.join('\n'), /desktop VS Code/);
  assert.deepEqual(ids(decide(NEEDS['sandbox-open'], ready({ ...noCs, desktopCode: false }))), ['vscode']);
  assert.deepEqual(ids(decide(NEEDS['sandbox-check'], ready({ ...noCs, desktopCode: true }))), ['vscode']);
});

test('no Go and no apt: nats-server cannot be had, and the message says to set NATS_SERVER_BIN', () => {
  const plan = decide(NEEDS['sandbox-open'], ready({ server: null, debianServer: null, server29: null, go: false, aptGet: false, root: false }));
  assert.deepEqual(ids(plan), []);
  assert.equal(plan.failures.length, 1);
  assert.match(plan.failures[0].what, /no nats-server, and neither Go nor apt-get/);
  assert.match(plan.failures[0].how, /set NATS_SERVER_BIN/);
});

test('not root: the failure gives the apt-get line to run instead of trying', () => {
  const plan = decide(NEEDS.webview, ready({ root: false, chromium: { path: '/usr/bin/chromium', ok: false, custom: false } }));
  assert.deepEqual(ids(plan), []);
  assert.equal(plan.failures.length, 1);
  assert.match(plan.failures[0].how, /sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core/);
});

test('no Go: natscli is a failure naming Go and NATS_CLI_BIN; Debian 2.9 serves as the server with a note', () => {
  const plan = decide(NEEDS.integration, ready({ go: false, server: null, natscli: null }));
  assert.deepEqual(ids(plan), []);
  assert.match(plan.notes.join('\n'), /no Go: using Debian's nats-server 2\.9\.10/);
  assert.equal(plan.failures.length, 1);
  assert.match(plan.failures[0].what, /natscli/);
  assert.match(plan.failures[0].how, /install Go.*NATS_CLI_BIN/);
});

test('a variable pointing at nothing is named, not silently replaced', () => {
  const plan = decide(NEEDS.integration, ready({ server: { path: '/nope/nats-server', source: 'env', broken: true } }));
  assert.match(plan.failures[0].what, /NATS_SERVER_BIN=\/nope\/nats-server is not an executable file/);
  const cs = decide(NEEDS.vscode, ready({ codeServer: { dir: '/nope', ok: false, custom: true } }));
  assert.deepEqual(ids(cs), []);
  assert.match(cs.failures[0].what, /NATS_FLOW_CODE_SERVER_DIR=\/nope holds no complete code-server/);
});

test('code-server without its build headers and not root: the apt-get line for libkrb5-dev', () => {
  const plan = decide(NEEDS.vscode, ready({ root: false, buildDeps: false, codeServer: { dir: '/x', ok: false, custom: false } }));
  assert.match(plan.failures.map((f: { how: string }) => f.how).join('\n'), /apt-get install -y --no-install-recommends libkrb5-dev pkg-config/);
});

test('NATS_FLOW_SKIP_VSCODE=1 skips code-server and says so; the other needs stay', () => {
  const plan = decide(NEEDS.test, ready({ skipVscode: true, natscli: null, codeServer: { dir: '/x', ok: false, custom: false } }));
  assert.deepEqual(ids(plan), ['tools']);
  assert.deepEqual(plan.skipped, ['vscode']);
});

test('an old Node stops at once with what to install', () => {
  const plan = decide(NEEDS.test, ready({ nodeVersion: '18.19.0', nodeModules: null }));
  assert.deepEqual(ids(plan), []);
  assert.match(plan.failures[0].what, /Node 18\.19\.0 is too old/);
});

test('probe on this machine is quick and consistent with decide', () => {
  const started = Date.now();
  const facts = probe();
  assert.ok(Date.now() - started < 1000, `probe took ${Date.now() - started} ms`);
  const plan = decide(NEEDS.unit, facts);
  // the unit stage runs with dependencies installed
  assert.deepEqual(ids(plan), []);
});

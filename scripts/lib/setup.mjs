// The set-up step that `npm test` and `npm run sandbox` run first, on a fresh clone with
// nothing but Node and npm. Plain Node and nothing else: no dependency of ours may load before
// it, since installing them is its first job.
//
// Three parts, so the decisions can be tested without installing anything:
//   probe(env)          looks at the machine (files, PATH, versions): cheap, well under a second
//   decide(needs, f)    pure: from the facts, the install steps to run and the failures to report
//   runSetup(target)    probes, runs the steps with timings and progress, probes again, and
//                       either returns or prints what is missing and how to supply it
import { spawn, execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
// node builtins only, safe before `npm ci`; the same cache rule and version the harness uses
import { natsFlowCacheDir as cacheDir, CODE_SERVER_VERSION } from './codeServer.mjs';

export const NATS_SERVER_VERSION = '2.14.5';
export const NATSCLI_VERSION = '0.4.0';
export const MIN_NODE_MAJOR = 20;
const DEBIAN_NATS_SERVER = '/usr/sbin/nats-server';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What each target needs before it can run. */
export const NEEDS = {
  // `npm test` as a whole, and its stages one by one (`node scripts/test.mjs <stage>`)
  test: ['deps', 'natsTools', 'chromium', 'vscode'],
  typecheck: ['deps'],
  build: ['deps'],
  unit: ['deps'],
  integration: ['deps', 'natsTools'],
  webview: ['deps', 'chromium'],
  vscode: ['deps', 'natsTools', 'chromium', 'vscode'],
  ui: ['deps', 'natsTools', 'chromium', 'vscode'],
  vsix: ['deps', 'natsTools', 'chromium', 'vscode'],
  sandbox: ['deps', 'natsTools', 'chromium', 'vscode'],
  bench: ['deps', 'natsTools'],
  // `npm run sandbox`: desktop `code` when it is installed, else code-server (a browser opens it)
  'sandbox-open': ['deps', 'natsServer', 'editor'],
  // `npm run sandbox -- --check` drives code-server with headless Chromium
  'sandbox-check': ['deps', 'natsServer', 'chromium', 'vscode'],
};

/** `~` for the home folder in messages, so paths read as the README writes them. */
export function tilde(p) {
  const home = homedir();
  return p === home || p.startsWith(home + '/') ? '~' + p.slice(home.length) : p;
}

function executable(p) {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function onPath(name, env, { skip } = {}) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (!executable(p)) continue;
    if (skip) {
      try {
        if (realpathSync(p) === realpathSync(skip)) continue;
      } catch {
        /* compare failed: keep it */
      }
    }
    return p;
  }
  return null;
}

function versionOf(bin) {
  try {
    const out = execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });
    return /v?(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? 'unknown';
  } catch (err) {
    return /v?(\d+\.\d+\.\d+)/.exec(`${err.stdout ?? ''}${err.stderr ?? ''}`)?.[1] ?? 'unknown';
  }
}

function mtime(p) {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return null;
  }
}

/** A binary the user points at (an env variable) or one we find, with its version. */
function tool(path, source) {
  return path ? { path, source, version: versionOf(path) } : null;
}

/**
 * The facts `decide` needs, read from this machine. Looks the way the test rig looks
 * (test/helpers/binaries.ts, scripts/lib/codeServer.mjs), so what passes here is what the
 * suites then find.
 */
export function probe(env = process.env) {
  const cache = cacheDir(env);
  const bin = join(cache, 'bin');
  const envBin = (name) => (env[name] ? { path: env[name], ok: executable(env[name]) } : null);

  const serverEnv = envBin('NATS_SERVER_BIN');
  const serverPath = onPath('nats-server', env, { skip: DEBIAN_NATS_SERVER });
  const server =
    serverEnv ? (serverEnv.ok ? tool(serverEnv.path, 'env') : { path: serverEnv.path, source: 'env', broken: true })
    : serverPath ? tool(serverPath, 'path')
    : executable(join(bin, 'nats-server')) ? tool(join(bin, 'nats-server'), 'cache')
    : null;
  const server29Env = envBin('NATS_SERVER_29_BIN');
  const debian = executable(DEBIAN_NATS_SERVER) ? tool(DEBIAN_NATS_SERVER, 'debian') : null;
  const server29 =
    server29Env ? (server29Env.ok ? tool(server29Env.path, 'env') : { path: server29Env.path, source: 'env', broken: true })
    : debian?.version.startsWith('2.9.') ? debian
    : null;
  const cliEnv = envBin('NATS_CLI_BIN');
  const cliPath = onPath('nats', env);
  const natscli =
    cliEnv ? (cliEnv.ok ? tool(cliEnv.path, 'env') : { path: cliEnv.path, source: 'env', broken: true })
    : cliPath ? tool(cliPath, 'path')
    : executable(join(bin, 'nats')) ? tool(join(bin, 'nats'), 'cache')
    : null;

  const chromiumBin = env.NATS_FLOW_CHROMIUM || env.CHROMIUM_BIN || '/usr/bin/chromium';
  const csDir = env.NATS_FLOW_CODE_SERVER_DIR || join(cache, `code-server-${CODE_SERVER_VERSION}`);

  return {
    nodeVersion: process.versions.node,
    nodeModules: mtime(join(root, 'node_modules', '.package-lock.json')),
    lockfile: mtime(join(root, 'package-lock.json')),
    cache,
    server,
    debianServer: debian,
    server29,
    natscli,
    chromium: { path: chromiumBin, ok: executable(chromiumBin), custom: Boolean(env.NATS_FLOW_CHROMIUM || env.CHROMIUM_BIN) },
    fonts: existsSync('/usr/share/fonts/truetype/dejavu'),
    codeServer: { dir: csDir, ok: existsSync(join(csDir, '.complete')), custom: Boolean(env.NATS_FLOW_CODE_SERVER_DIR) },
    desktopCode: Boolean(onPath('code', env)),
    // code-server's native modules (kerberos) compile against these
    buildDeps: existsSync('/usr/include/krb5.h') || existsSync('/usr/include/krb5/krb5.h') ? Boolean(onPath('pkg-config', env)) : false,
    go: Boolean(onPath('go', env)),
    aptGet: Boolean(onPath('apt-get', env)) || existsSync('/usr/bin/apt-get'),
    root: typeof process.getuid === 'function' && process.getuid() === 0,
    skipVscode: env.NATS_FLOW_SKIP_VSCODE === '1',
  };
}

const aptLine = (pkgs) => `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;

/**
 * Pure: what to install and what cannot be had, for a list of needs and the probed facts.
 * Returns { steps, failures, skipped, notes }:
 *   steps     { id, say } in order — the installers to run (deps, tools, code-server)
 *   failures  { what, how } — a need that no step here can meet, with how to supply it
 *   skipped   names of needs the user opted out of (NATS_FLOW_SKIP_VSCODE=1)
 *   notes     facts worth one line (e.g. the fallback server in use)
 */
export function decide(needs, f) {
  const steps = [];
  const failures = [];
  const skipped = [];
  const notes = [];
  const want = new Set(needs);
  const cache = tilde(f.cache);

  const major = Number(f.nodeVersion.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    failures.push({ what: `Node ${f.nodeVersion} is too old`, how: `install Node ${MIN_NODE_MAJOR} or newer (nodejs.org, nvm, or your package manager) and run again` });
    return { steps, failures, skipped, notes };
  }

  if (want.has('deps')) {
    if (f.nodeModules === null) steps.push({ id: 'deps', say: 'installing npm dependencies (npm ci, first run only, about 30 seconds)' });
    else if (f.lockfile !== null && f.nodeModules < f.lockfile) steps.push({ id: 'deps', say: 'package-lock.json changed since the last install: npm ci (about 30 seconds)' });
  }

  // the editor for `npm run sandbox`: desktop VS Code when there is one, else code-server
  if (want.has('editor')) {
    if (f.desktopCode) notes.push('desktop VS Code (`code`) found: the sandbox opens it, no code-server needed');
    else want.add('vscode');
  }
  if (want.has('vscode') && f.skipVscode) {
    want.delete('vscode');
    skipped.push('vscode');
  }

  // Debian packages the tools need, and who can install them
  const apt = [];
  const toolsWork = [];
  const serverPinned = f.server && !f.server.broken && (f.server.source !== 'cache' || f.server.version === NATS_SERVER_VERSION);
  if (want.has('natsServer') || want.has('natsTools')) {
    if (f.server?.broken) {
      failures.push({ what: `NATS_SERVER_BIN=${f.server.path} is not an executable file`, how: 'point NATS_SERVER_BIN at a nats-server binary, or unset it to let set-up install one' });
    } else if (!serverPinned) {
      if (f.go) toolsWork.push(f.server ? `nats-server ${NATS_SERVER_VERSION} (the cached one is ${f.server.version})` : `nats-server ${NATS_SERVER_VERSION}`);
      else if (f.debianServer) notes.push(`no Go: using Debian's nats-server ${f.debianServer.version}; features of newer servers are tested only with nats-server ${NATS_SERVER_VERSION} (install Go, or set NATS_SERVER_BIN)`);
      else if (f.aptGet && f.root) apt.push('nats-server');
      else
        failures.push({
          what: 'no nats-server, and neither Go nor apt-get (as root) to install one',
          how: `set NATS_SERVER_BIN to a nats-server ${NATS_SERVER_VERSION} binary, or install Go (set-up then builds it into ${cache}/bin)${f.aptGet ? `, or run: ${aptLine(['nats-server'])}` : ''}`,
        });
    }
  }
  if (want.has('natsTools')) {
    if (f.natscli?.broken) failures.push({ what: `NATS_CLI_BIN=${f.natscli.path} is not an executable file`, how: 'point NATS_CLI_BIN at a natscli (`nats`) binary, or unset it' });
    else if (!f.natscli || (f.natscli.source === 'cache' && f.natscli.version !== NATSCLI_VERSION)) {
      if (f.go) toolsWork.push(`natscli ${NATSCLI_VERSION}`);
      else failures.push({ what: 'no natscli (`nats`), which the tests use as an independent client, and no Go to build it', how: `install Go (set-up then builds natscli ${NATSCLI_VERSION} into ${cache}/bin), or set NATS_CLI_BIN to a natscli ${NATSCLI_VERSION} binary` });
    }
    if (f.server29?.broken) failures.push({ what: `NATS_SERVER_29_BIN=${f.server29.path} is not an executable file`, how: 'point NATS_SERVER_29_BIN at a nats-server 2.9 binary, or unset it' });
    else if (!f.server29) {
      if (f.debianServer) failures.push({ what: `${DEBIAN_NATS_SERVER} is ${f.debianServer.version}, not the 2.9 the compatibility tests need`, how: 'set NATS_SERVER_29_BIN to a nats-server 2.9 binary' });
      else if (f.aptGet && f.root) apt.push('nats-server');
      else failures.push({ what: 'no nats-server 2.9 for the old-server compatibility tests', how: f.aptGet ? `run: ${aptLine(['nats-server'])}   (Debian bookworm ships 2.9.10), or set NATS_SERVER_29_BIN` : 'set NATS_SERVER_29_BIN to a nats-server 2.9 binary' });
    }
  }
  if (want.has('chromium')) {
    if (!f.chromium.ok) {
      if (f.chromium.custom) failures.push({ what: `Chromium not found at ${f.chromium.path}`, how: 'point NATS_FLOW_CHROMIUM (or CHROMIUM_BIN) at a Chromium binary, or unset it' });
      else if (f.aptGet && f.root) apt.push('chromium', 'fonts-dejavu-core');
      else failures.push({ what: 'no Chromium (webview tests, screenshots and driving VS Code use it)', how: f.aptGet ? `run: ${aptLine(['chromium', 'fonts-dejavu-core'])}, or set NATS_FLOW_CHROMIUM` : 'install Chromium and set NATS_FLOW_CHROMIUM to its binary' });
    } else if (!f.fonts && !f.chromium.custom && f.aptGet && f.root) apt.push('fonts-dejavu-core');
  }
  if (want.has('vscode') && !f.codeServer.ok) {
    if (f.codeServer.custom) {
      failures.push({ what: `NATS_FLOW_CODE_SERVER_DIR=${f.codeServer.dir} holds no complete code-server install`, how: 'unset NATS_FLOW_CODE_SERVER_DIR to let set-up install code-server, or point it at a folder that scripts/ensure-code-server.sh filled' });
    } else {
      if (!f.buildDeps) {
        if (f.aptGet && f.root) apt.push('libkrb5-dev', 'pkg-config');
        else failures.push({ what: 'code-server needs libkrb5-dev and pkg-config to compile its native modules', how: f.aptGet ? `run: ${aptLine(['libkrb5-dev', 'pkg-config'])}` : 'install the Kerberos development headers and pkg-config, or set NATS_FLOW_CODE_SERVER_DIR to an installed code-server' });
      }
      steps.push({ id: 'vscode', say: `installing code-server ${CODE_SERVER_VERSION} and Node 24 into ${tilde(f.codeServer.dir)} (a real VS Code for the tests; first run only, about 3 minutes, ~800 MB)` });
    }
  }
  if (apt.length || toolsWork.length) {
    const parts = [];
    if (apt.length) parts.push(`Debian packages ${[...new Set(apt)].join(', ')} (apt-get)`);
    if (toolsWork.length) parts.push(`${toolsWork.join(' and ')} with Go into ${cache}/bin`);
    // tools run before code-server: its native modules need a Debian package or two
    const at = steps.findIndex((s) => s.id === 'vscode');
    steps.splice(at === -1 ? steps.length : at, 0, {
      id: 'tools',
      apt: [...new Set(apt)],
      say: `installing ${parts.join(' and ')} (first run only, about ${toolsWork.length ? 2 : 1} min)`,
    });
  }
  return { steps, failures, skipped, notes };
}

// ----- running it -------------------------------------------------------------------------

const say = (m) => console.log(`[setup] ${m}`);
const seconds = (ms) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

const COMMANDS = {
  deps: ['npm', ['ci', '--no-audit', '--no-fund']],
  tools: ['bash', [join(root, 'scripts', 'ensure-tools.sh')]], // apt list in NATS_FLOW_APT_PACKAGES
  vscode: ['bash', [join(root, 'scripts', 'ensure-code-server.sh')]],
};

/**
 * Runs one installer with its output shown, prefixed, and a line every 20 s while it is
 * quiet, so a long step never looks like a hang.
 */
function runStep(step) {
  const [cmd, args] = COMMANDS[step.id];
  return new Promise((resolve) => {
    const started = Date.now();
    let last = step.say;
    let quietSince = Date.now();
    const env = step.apt ? { ...process.env, NATS_FLOW_APT_PACKAGES: step.apt.join(' ') } : process.env;
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
    const relay = (stream) => (d) => {
      for (const line of String(d).split('\n')) {
        // npm's engine warnings for dev-only packages are noise on every fresh install
        if (!line.trim() || /^npm warn EBADENGINE/.test(line)) continue;
        stream.write(`  ${line}\n`);
        if (!/^npm warn/i.test(line)) last = line.replace(/^\[[\w-]+\]\s*/, '');
      }
      quietSince = Date.now();
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    const ticker = setInterval(() => {
      if (Date.now() - quietSince >= 19_000) say(`… still working (${seconds(Date.now() - started)}): ${last}`);
    }, 20_000);
    child.on('error', (err) => {
      clearInterval(ticker);
      resolve({ code: 127, ms: Date.now() - started, error: err.message });
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      resolve({ code: code ?? 1, ms: Date.now() - started });
    });
  });
}

function reportFailures(failures) {
  console.error('');
  console.error('[setup] cannot go on:');
  for (const f of failures) {
    console.error(`  ✗ ${f.what}`);
    console.error(`    → ${f.how}`);
  }
  console.error('');
}

/**
 * Makes the machine ready for `target` (a key of NEEDS) or exits non-zero with what is
 * missing. Returns { skipped } so the caller can say loudly what it will not run.
 */
export async function runSetup(target, env = process.env) {
  const needs = NEEDS[target];
  if (!needs) throw new Error(`unknown set-up target ${target}`);
  const started = Date.now();
  let plan = decide(needs, probe(env));
  if (plan.failures.length && !plan.steps.length) {
    reportFailures(plan.failures);
    process.exit(1);
  }
  for (const step of plan.steps) {
    say(step.say);
    const res = await runStep(step);
    if (res.code !== 0) {
      console.error(`[setup] ${step.id === 'deps' ? 'npm ci' : COMMANDS[step.id][1][0].replace(root + '/', '')} failed (exit ${res.code}${res.error ? `: ${res.error}` : ''}) after ${seconds(res.ms)}; its output is above.`);
      if (step.id === 'deps') console.error('[setup] check that the npm registry is reachable (npm ping) and run again.');
      if (step.id === 'vscode')
        console.error(
          '[setup] no real VS Code for the extension-host and UI tests. Fix the error above, or set NATS_FLOW_CODE_SERVER_DIR to an installed code-server,\n' +
            '[setup] or run the other stages without them: NATS_FLOW_SKIP_VSCODE=1 npm test',
        );
      process.exit(1);
    }
    say(`done in ${seconds(res.ms)}`);
  }
  if (plan.steps.length) {
    // look again: an installer that exited 0 may still have left something out
    plan = decide(needs, probe(env));
    const left = plan.steps.filter((s) => s.id !== 'deps');
    for (const s of left) plan.failures.push({ what: `still missing after installing: ${s.say.replace(/^installing /, '').replace(/ \(.*$/, '')}`, how: 'see the installer output above' });
  }
  for (const n of plan.notes) say(n);
  if (plan.failures.length) {
    reportFailures(plan.failures);
    process.exit(1);
  }
  const ms = Date.now() - started;
  if (ms > 1000 || plan.steps.length) say(`ready in ${seconds(ms)}`);
  return { skipped: plan.skipped };
}

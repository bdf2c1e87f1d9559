// Runs a real VS Code here: code-server 4.139.1 (VS Code 1.139.1) on Node 24, installed into the
// user cache by scripts/ensure-code-server.sh, driven by Debian's Chromium through
// playwright-core. Used by scripts/vscode-test.mjs (extension-host tests) and
// scripts/screenshots.mjs (UI). Nothing here depends on the developer's own VS Code, settings,
// natscli contexts or NATS_URL: every run gets a fresh folder with its own user data,
// extensions, TMPDIR and XDG dirs.
import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, openSync, closeSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from './chromiumFlags.mjs';

export const CODE_SERVER_VERSION = '4.139.1';

/** `${NATS_FLOW_CACHE:-${XDG_CACHE_HOME:-~/.cache}/nats-flow}`, the rule ensure-code-server.sh uses. */
export function natsFlowCacheDir(env = process.env) {
  if (env.NATS_FLOW_CACHE) return env.NATS_FLOW_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nats-flow');
}

/**
 * Where code-server and its Node 24 live. Throws, naming the install script, when they are
 * missing or half-installed (ensure-code-server.sh touches `.complete` last).
 */
export function resolveCodeServer(env = process.env) {
  const dir = env.NATS_FLOW_CODE_SERVER_DIR || join(natsFlowCacheDir(env), `code-server-${CODE_SERVER_VERSION}`);
  const node = join(dir, 'node24/node_modules/node/bin/node');
  const entry = join(dir, 'cs/node_modules/code-server/out/node/entry.js');
  const missing = [join(dir, '.complete'), node, entry].filter((p) => !existsSync(p));
  if (missing.length) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not installed (missing ${missing.join(', ')}).\n` +
        `Install it with:  bash scripts/ensure-code-server.sh   (about 3 minutes, ~800 MB in ${dir}; ` +
        `set NATS_FLOW_CODE_SERVER_DIR or NATS_FLOW_CACHE to put it elsewhere)`,
    );
  }
  return { dir, node, entry };
}

/** A port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Settings that keep the window quiet and screenshots clean. */
export const DEFAULT_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

// process groups still alive: killed synchronously if this process exits early
const liveGroups = new Set();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
      liveGroups.clear();
      process.kill(process.pid, sig);
    });
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The run folder layout; `runDir` defaults to a fresh temp dir. */
export function makeRunDir(prefix = 'nats-flow-vscode-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

function runLayout(runDir) {
  const l = {
    runDir,
    userDataDir: join(runDir, 'user-data'),
    extensionsDir: join(runDir, 'extensions'),
    tmp: join(runDir, 'tmp'),
    xdgConfig: join(runDir, 'xdg/config'),
    xdgData: join(runDir, 'xdg/data'),
    xdgCache: join(runDir, 'xdg/cache'),
    xdgState: join(runDir, 'xdg/state'),
    xdgRuntime: join(runDir, 'xdg/runtime'),
    configFile: join(runDir, 'code-server.yaml'),
    logFile: join(runDir, 'code-server.log'),
  };
  for (const d of [l.userDataDir, join(l.userDataDir, 'User'), l.extensionsDir, l.tmp, l.xdgConfig, l.xdgData, l.xdgCache, l.xdgState]) mkdirSync(d, { recursive: true });
  mkdirSync(l.xdgRuntime, { recursive: true, mode: 0o700 });
  return l;
}

/**
 * The environment code-server (and so the extension host, which inherits it) runs with:
 * temp and XDG dirs inside the run folder, and no NATS_URL / NATS_CONTEXT from the caller
 * unless `env` sets them again, so the developer's own NATS setup never leaks into a run.
 */
function serverEnv(layout, extra) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'NATS_URL' || k === 'NATS_CONTEXT' || k === 'PASSWORD' || k === 'HASHED_PASSWORD' || k === 'PORT') delete env[k];
  Object.assign(env, {
    TMPDIR: layout.tmp,
    XDG_CONFIG_HOME: layout.xdgConfig,
    XDG_DATA_HOME: layout.xdgData,
    XDG_CACHE_HOME: layout.xdgCache,
    XDG_STATE_HOME: layout.xdgState,
    XDG_RUNTIME_DIR: layout.xdgRuntime,
    CS_DISABLE_GETTING_STARTED_OVERRIDE: '1',
    ...extra,
  });
  return env;
}

function commonArgs(layout) {
  return ['--config', layout.configFile, '--user-data-dir', layout.userDataDir, '--extensions-dir', layout.extensionsDir];
}

/**
 * `code-server --install-extension <vsix>` into the run's extensions dir (call before or after
 * startCodeServer with the same runDir; the window must be (re)loaded to pick it up).
 */
export async function installExtension({ runDir, vsix, env = {} }) {
  const cs = resolveCodeServer();
  const layout = runLayout(runDir);
  if (!existsSync(layout.configFile)) writeFileSync(layout.configFile, 'auth: none\n');
  const started = Date.now();
  const out = await new Promise((resolve, reject) => {
    execFile(cs.node, [cs.entry, ...commonArgs(layout), '--force', '--install-extension', vsix], { env: serverEnv(layout, env), timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`code-server --install-extension ${vsix} failed: ${stderr || stdout || err.message}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
  return { output: out.trim(), ms: Date.now() - started, extensionsDir: layout.extensionsDir };
}

/**
 * Starts code-server in its own process group and waits for /healthz.
 *
 *   const cs = await startCodeServer({ workspace, smokeTestDriver: true, env: { X: '1' } });
 *   ... cs.url, cs.workbenchUrl(payload) ...
 *   await cs.stop();
 *
 * options:
 *   runDir           folder for everything of this run (default: a new temp dir, removed by stop()
 *                    unless `keep` or NATS_FLOW_KEEP_RUN=1)
 *   workspace        folder to open (default: an empty `workspace/` in the run dir)
 *   settings         extra user settings merged over DEFAULT_USER_SETTINGS
 *   env              extra environment for code-server and its extension host
 *   smokeTestDriver  pass `--vscode-option enable-smoke-test-driver` (needed for the
 *                    extensionDevelopmentPath/extensionTestsPath payload to be honoured)
 *   workspaceTrust   keep Workspace Trust on (default off: its modal would block the window)
 *   extraExtensions  unpacked extension folders copied into the run's extensions dir before
 *                    start (VS Code adopts the folders it finds there on first start); the web
 *                    workbench keeps only one extensionDevelopmentPath, so a test-only helper
 *                    extension comes this way
 */
export async function startCodeServer(options = {}) {
  const cs = resolveCodeServer();
  const keep = options.keep ?? process.env.NATS_FLOW_KEEP_RUN === '1';
  const ownRunDir = !options.runDir;
  const runDir = options.runDir ?? makeRunDir();
  const layout = runLayout(runDir);
  const workspace = options.workspace ?? join(runDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  for (const dir of options.extraExtensions ?? []) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    cpSync(dir, join(layout.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), { recursive: true });
  }
  writeFileSync(join(layout.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...options.settings }, null, 2));
  // an explicit config file keeps code-server from writing ~/.config/code-server/config.yaml
  writeFileSync(layout.configFile, 'auth: none\n');

  const port = options.port ?? (await freePort());
  const args = [
    cs.entry,
    ...commonArgs(layout),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  const logFd = openSync(layout.logFile, 'a');
  // detached = setsid(): code-server, its extension host, file watcher and pty host share a
  // new process group that stop() ends as a whole
  const child = spawn(cs.node, args, { env: serverEnv(layout, options.env ?? {}), detached: true, stdio: ['ignore', logFd, logFd], cwd: runDir });
  closeSync(logFd);
  installExitHook();
  liveGroups.add(child.pid);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const readLog = () => {
    try {
      return readFileSync(layout.logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const url = `http://127.0.0.1:${port}`;

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (killGroup(child.pid, 'SIGTERM')) {
      for (let i = 0; i < 50 && groupAlive(child.pid); i++) await sleep(100);
      if (groupAlive(child.pid)) killGroup(child.pid, 'SIGKILL');
      for (let i = 0; i < 20 && groupAlive(child.pid); i++) await sleep(100);
    }
    liveGroups.delete(child.pid);
    if (ownRunDir && !keep) rmSync(runDir, { recursive: true, force: true });
  };

  const started = Date.now();
  const deadline = started + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`code-server exited during startup (${JSON.stringify(exited)}). Log:\n${tail(readLog())}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${url}/healthz within ${options.startTimeoutMs ?? 60_000} ms. Log:\n${tail(readLog())}`);
    }
    await sleep(100);
  }

  return {
    url,
    port,
    pid: child.pid,
    workspace,
    ...layout,
    startupMs: Date.now() - started,
    log: readLog,
    stop,
    /** The workbench URL with the workspace and, optionally, a test/development payload. */
    workbenchUrl(payload = {}) {
      const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
      const entries = [];
      if (payload.extensionDevelopmentPath) entries.push(['extensionDevelopmentPath', remote(payload.extensionDevelopmentPath)]);
      if (payload.extensionTestsPath) entries.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
      const q = new URLSearchParams({ folder: workspace });
      if (entries.length) q.set('payload', JSON.stringify(entries));
      return `${url}/?${q.toString()}`;
    },
  };
}

export function tail(text, lines = 40) {
  return text.split('\n').slice(-lines).join('\n');
}

// -----------------------------------------------------------------------------------------
// Chromium through playwright-core

export { CHROMIUM_ARGS, chromiumPath };

/**
 * Launches Chromium with a fresh profile in `runDir` and returns a persistent context with
 * one page. `viewport` defaults to 1400x900 (screenshots), `headless` to true
 * (NATS_FLOW_HEADED=1 shows the window when a display exists).
 */
export async function launchChromium({ runDir, viewport = { width: 1400, height: 900 }, headless = process.env.NATS_FLOW_HEADED !== '1' } = {}) {
  const { chromium } = await import('playwright-core');
  const dir = runDir ?? makeRunDir('nats-flow-chromium-');
  const profile = join(dir, 'chromium-profile');
  const home = join(dir, 'chromium-xdg');
  mkdirSync(profile, { recursive: true });
  mkdirSync(home, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless,
    args: CHROMIUM_ARGS,
    viewport,
    deviceScaleFactor: 1,
    colorScheme: 'dark',
    // crash reports and caches default to ~/.config/chromium and ~/.cache: keep them in the run
    env: { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), TMPDIR: process.env.TMPDIR ?? tmpdir() },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: () => context.close().catch(() => undefined) };
}

/**
 * `npm run sandbox`: build, start a local nats-server with JetStream (store in .sandbox/,
 * git-ignored), seed demo streams, consumers, KV buckets and an object store with live
 * traffic, and open VS Code with the extension and a "sandbox" profile already selected:
 * desktop `code` when installed, otherwise code-server (the URL is printed). Ctrl-C stops
 * everything it started.
 *
 *   --check       start everything, verify in headless Chromium that the extension connected
 *                 (status bar), print the result and stop (used by the test suite)
 *   --no-traffic  seed only, no live publishing
 *   --port N      nats-server client port (default 14222, or a free one when taken)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { resolveNatsServer } from '../test/helpers/binaries';
import { openConnection } from '../src/nats/connect';
import { seedDemo, startTraffic } from './sandbox/demo';
// @ts-expect-error plain ESM helper without types
import { startCodeServer, launchChromium, freePort, installExtension } from './lib/codeServer.mjs';
// @ts-expect-error plain ESM helper without types
import { openViewContainer, expandTreeItem, treeItem } from '../test/e2e/workbench.mjs';

const root = join(__dirname, '..');
const dir = join(root, '.sandbox');
const args = process.argv.slice(2);
const check = args.includes('--check');
const traffic = !args.includes('--no-traffic');
const portArg = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : 14222;

const cleanups: (() => unknown)[] = [];
const say = (m: string) => console.log(`[sandbox] ${m}`);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function startServer(): Promise<{ url: string; proc: ChildProcess }> {
  const bin = resolveNatsServer();
  const port = (await portFree(portArg)) ? portArg : await freePort();
  const monitor = await freePort();
  mkdirSync(join(dir, 'store'), { recursive: true });
  const conf = join(dir, 'nats-server.conf');
  writeFileSync(conf, `server_name: sandbox\nlisten: 127.0.0.1:${port}\nhttp: 127.0.0.1:${monitor}\njetstream { store_dir: "${join(dir, 'store')}" }\n`);
  say(`nats-server ${bin.version} (${bin.source}) on nats://127.0.0.1:${port}, store ${join(dir, 'store')}`);
  const proc = spawn(bin.path, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (d) => (log += d));
  cleanups.push(() => proc.kill('SIGTERM'));
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`nats-server exited:\n${log}`);
    try {
      const res = await fetch(`http://127.0.0.1:${monitor}/healthz?js-enabled-only=true`);
      if (res.ok) return { url: `nats://127.0.0.1:${port}`, proc };
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nats-server did not become healthy:\n${log}`);
}

function userSettings(url: string) {
  return {
    'workbench.colorTheme': 'Default Dark Modern',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'natsFlow.connections': [{ id: 'sandbox', name: 'sandbox', servers: [url], auth: 'none', description: 'local sandbox server (npm run sandbox)' }],
    'natsFlow.defaultConnection': 'sandbox',
  };
}

async function openDesktop(url: string): Promise<boolean> {
  if (check || spawnSync('code', ['--version'], { stdio: 'ignore' }).status !== 0) return false;
  const userDir = join(dir, 'vscode-user');
  mkdirSync(join(userDir, 'User'), { recursive: true });
  writeFileSync(join(userDir, 'User', 'settings.json'), JSON.stringify(userSettings(url), null, 2));
  const ws = join(dir, 'workspace');
  mkdirSync(ws, { recursive: true });
  say('opening desktop VS Code with the extension in development mode');
  const proc = spawn('code', ['--new-window', '--wait', `--extensionDevelopmentPath=${root}`, `--user-data-dir=${userDir}`, ws], { stdio: 'inherit' });
  cleanups.push(() => proc.kill('SIGTERM'));
  return true;
}

async function openCodeServer(url: string): Promise<void> {
  const runDir = join(dir, 'code-server');
  mkdirSync(runDir, { recursive: true });
  const ws = join(dir, 'workspace');
  mkdirSync(ws, { recursive: true });
  // the extension is installed from a freshly packaged .vsix rather than loaded as a
  // development folder: that route needs the smoke-test driver, which hides notification
  // toasts, and a sandbox user must see those
  const vsix = join(dir, 'nats-flow-sandbox.vsix');
  say('packaging the extension');
  const pack = spawnSync(process.execPath, [join(root, 'scripts/package.mjs'), vsix], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (pack.status !== 0) throw new Error('packaging the extension failed');
  // package.mjs left a production build in dist/: put the development build back
  spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--no-tests'], { stdio: 'ignore' });
  await installExtension({ runDir, vsix });
  const cs = await startCodeServer({ runDir, keep: true, workspace: ws, settings: userSettings(url), port: check ? undefined : (await portFree(13080)) ? 13080 : undefined });
  cleanups.push(() => cs.stop());
  const open = cs.workbenchUrl();
  if (!check) {
    say(`VS Code (code-server ${cs.port}) is ready. Open this URL in a browser:\n\n    ${open}\n`);
    return;
  }
  const browser = await launchChromium({ runDir });
  cleanups.unshift(() => browser.close());
  await browser.page.goto(open);
  const status = browser.page.locator('.statusbar-item', { hasText: 'NATS: sandbox' }).filter({ hasText: 'JS' });
  try {
    await status.first().waitFor({ timeout: 90_000 });
  } catch (err) {
    const shot = join(dir, 'check-failure.png');
    await browser.page.screenshot({ path: shot }).catch(() => undefined);
    const bar = await browser.page.locator('.statusbar').innerText().catch(() => '(no status bar)');
    throw new Error(`the status bar never showed the sandbox connection (status bar: ${JSON.stringify(bar)}; screenshot ${shot})`, { cause: err });
  }
  say(`check: status bar shows "${(await status.first().innerText()).trim()}"`);
  // and the explorer lists the demo streams
  await openViewContainer(browser.page, 'NATS');
  await expandTreeItem(browser.page, /^Streams/);
  await treeItem(browser.page, /^routing-decisions/).waitFor({ timeout: 30_000 });
  say('check: the explorer lists routing-decisions');
  await browser.page.screenshot({ path: join(dir, 'check.png') }).catch(() => undefined);
}

async function main() {
  say('building');
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--no-tests'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  mkdirSync(dir, { recursive: true });
  const { url } = await startServer();
  const nc = await openConnection({ id: 'sandbox', name: 'sandbox', servers: [url], auth: 'none' }, {}, { name: 'nats-flow sandbox' });
  cleanups.unshift(() => nc.close());
  await seedDemo(nc);
  say('seeded streams routing-decisions, memory-events, llm-requests, ORDERS; KV sessions, app-config, model-prices; object store artifacts');
  if (traffic) {
    cleanups.unshift(startTraffic(nc));
    say('publishing live traffic');
  }
  if (!(await openDesktop(url))) await openCodeServer(url);
  if (check) {
    await stop(0);
    return;
  }
  say('Ctrl-C stops the server, the traffic and VS Code.');
}

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const c of cleanups) {
    try {
      await c();
    } catch {
      /* best effort */
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((err) => {
  console.error(`[sandbox] ${err instanceof Error ? err.message : String(err)}`);
  void stop(1);
});


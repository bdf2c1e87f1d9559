#!/usr/bin/env node
// Takes the README screenshots in a real VS Code (code-server + Chromium, see
// scripts/lib/codeServer.mjs) against a real nats-server started here, and writes PNGs into
// docs/images/. Run `node scripts/build.mjs` first; this script builds nothing.
//
//   node scripts/screenshots.mjs [--out docs/images] [--setup ./my-setup.mjs] [--keep]
//
// It starts nats-server (NATS_SERVER_BIN, else $NATS_FLOW_CACHE/bin/nats-server, else PATH)
// with JetStream on a free port and a temp store, seeds a few streams/buckets with natscli
// when it is installed, writes a `sandbox` profile into the user settings, opens the NATS
// view, runs "NATS: Connect" through the palette and shoots:
//   docs/images/tail-kv.png         a KV watch: live marker, a transition in the detail pane
//   docs/images/tail-stream.png     a busy stream tail (nats-flow pub floods ORDERS)
//   docs/images/explorer-empty.png  the NATS view before connecting (profile listed)
//   docs/images/explorer.png        the NATS view connected, with the status bar
//   docs/images/statusbar.png       the status bar alone
//
// --setup <module> (or NATS_FLOW_SCREENSHOT_SETUP) is imported and its `default` (or `setup`)
// export called before VS Code starts with
//   { nats: { url, port, monitorUrl, storeDir }, settings, workspace, runDir, natsCli(args) }
// It may change `settings` (the user settings.json object) and write files into `workspace`,
// and may return { profile?: string  (the profile to connect to; default 'sandbox'),
//                  shots?: async (page, { outDir, shoot, helpers }) => void  (extra PNGs) }.
import { spawn, execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, launchChromium, makeRunDir, natsFlowCacheDir, startCodeServer, tail } from './lib/codeServer.mjs';
import * as wb from '../test/e2e/workbench.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'docs/images') },
    setup: { type: 'string', default: process.env.NATS_FLOW_SCREENSHOT_SETUP },
    keep: { type: 'boolean', default: process.env.NATS_FLOW_KEEP_RUN === '1' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '800' },
  },
});
const t0 = Date.now();
const say = (msg) => console.log(`[screenshots ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const outDir = resolve(opts.out);
mkdirSync(outDir, { recursive: true });

const runDir = makeRunDir('nats-flow-screenshots-');
let nats;
let server;
let browser;
let ok = false;
try {
  nats = await startNats(join(runDir, 'nats'));
  say(`nats-server ${nats.url} (JetStream, store ${nats.storeDir})`);
  await seed(nats);

  const workspace = join(runDir, 'orders-service');
  mkdirSync(workspace, { recursive: true });
  const settings = {
    'natsFlow.connections': [{ id: 'sandbox', name: 'sandbox', servers: [nats.url], description: 'local nats-server' }],
    'workbench.colorTheme': 'Default Dark Modern',
    // the empty secondary side bar (chat) would take a third of the picture
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.auxiliaryBar.visible': false,
    'window.zoomLevel': 0,
  };
  let hook = {};
  if (opts.setup) {
    const mod = await import(pathToFileURL(resolve(opts.setup)).href);
    const fn = mod.default ?? mod.setup;
    if (typeof fn !== 'function') throw new Error(`--setup ${opts.setup} exports no default or setup function`);
    hook = (await fn({ nats, settings, workspace, runDir, natsCli: (args) => natsCli(nats, args) })) ?? {};
    say(`setup ${opts.setup} done`);
  }
  const profile = hook.profile ?? 'sandbox';

  server = await startCodeServer({ runDir, workspace, settings, smokeTestDriver: true, keep: true });
  say(`code-server ${server.url} ready in ${server.startupMs} ms`);
  browser = await launchChromium({ runDir, viewport: { width: Number(opts.width), height: Number(opts.height) } });
  const { page } = browser;
  page.setDefaultTimeout(60_000);

  await wb.openWorkbench(page, server.workbenchUrl({ extensionDevelopmentPath: root }));
  say('workbench up');
  await wb.openViewContainer(page, 'NATS');
  const explorer = wb.viewPane(page, 'Explorer');
  await explorer.waitFor();
  await wb.resizeSideBar(page, 420); // room for server details next to the tree labels
  await wb.treeItem(page, new RegExp(profile)).waitFor();
  await wb.waitForStatusBar(page, /NATS/);
  await wb.clearNotifications(page);
  await wb.settle(page);
  const shoot = async (name, target = page) => {
    const file = join(outDir, name);
    await target.screenshot({ path: file });
    say(`wrote ${file}`);
    return file;
  };
  await shoot('explorer-empty.png');

  await wb.runCommand(page, 'NATS: Connect');
  await wb.pickQuickItem(page, profile);
  await wb.waitForStatusBar(page, new RegExp(`NATS: ${profile} ·`));
  say('connected');
  // the status bar and the tree hear about the connection separately: wait for the tree too
  await explorer.getByRole('treeitem').filter({ hasText: /connecting/i }).first().waitFor({ state: 'detached' });
  // show what is under the connection when the tree has anything there
  const row = wb.treeItem(page, new RegExp(profile));
  if ((await row.getAttribute('aria-expanded')) === 'false') await wb.expandTreeItem(page, new RegExp(profile));
  await explorer.getByRole('treeitem').filter({ hasText: /loading|connecting/i }).first().waitFor({ state: 'detached' });
  // open what a user opens first: streams with their consumers, buckets with their keys
  for (const label of [/^Streams/, /^ORDERS/, /^KV Buckets/, /^config/, /^Object Stores/]) {
    if (await wb.treeItem(page, label).count()) await wb.expandTreeItem(page, label).catch((err) => say(`could not expand ${label}: ${err.message}`));
  }
  await explorer.getByRole('treeitem').filter({ hasText: /loading/i }).first().waitFor({ state: 'detached' });
  await wb.clearNotifications(page);
  await wb.settle(page);
  await shoot('explorer.png');
  await shoot('statusbar.png', page.locator('.statusbar'));
  // the facts users check live in the tooltips
  const orders = wb.treeItem(page, /^ORDERS/);
  if (await orders.count()) {
    await orders.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /Subjects|subjects/ }).first();
    if (await hover.waitFor({ timeout: 10_000 }).then(() => true, () => false)) await shoot('stream-tooltip.png');
    else say('no tooltip appeared over ORDERS; stream-tooltip.png not written');
    await page.mouse.move(900, 600);
  }

  // the stream report: a webview two iframes deep
  await wb.runCommand(page, 'NATS: Stream Report');
  const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  if (await report.locator('table').first().waitFor({ timeout: 30_000 }).then(() => true, () => false)) {
    await wb.clearNotifications(page);
    await wb.settle(page);
    await shoot('report.png');
  } else say('the stream report did not render; report.png not written');

  await tailShots(page, nats, shoot);

  if (hook.shots) await hook.shots(page, { outDir, shoot, helpers: wb, nats, server });
  ok = true;
} catch (err) {
  console.error(`[screenshots] FAILED: ${err instanceof Error ? err.stack : String(err)}`);
  if (browser) {
    const file = join(runDir, 'failure.png');
    await browser.page.screenshot({ path: file }).then(() => console.error(`[screenshots] page at failure: ${file}`)).catch(() => undefined);
  }
  if (server) console.error(`[screenshots] code-server log tail:\n${tail(server.log(), 20)}`);
} finally {
  await browser?.close();
  await server?.stop();
  await nats?.stop();
  if (opts.keep || !ok) console.log(`[screenshots] run folder kept: ${runDir}`);
  else rmSync(runDir, { recursive: true, force: true });
}
say(ok ? 'done' : 'failed');
process.exit(ok ? 0 : 1);

// -----------------------------------------------------------------------------------------

/**
 * The tail panel twice: a KV watch of `config` with its live marker and a transition (the
 * detail pane open on it), and a busy stream tail of ORDERS while `nats-flow pub` floods it.
 *   docs/images/tail-kv.png, docs/images/tail-stream.png
 */
async function tailShots(page, nats, shoot) {
  const answer = async (text) => {
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
    await input.press('Enter');
  };
  const pick = async (label) => {
    const row = wb.quickPickRow(page, label);
    await row.waitFor();
    await row.click();
  };
  const panel = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  await wb.runCommand(page, 'View: Close All Editors');
  await natsCli(nats, ['kv', 'put', 'config', 'limits.orders', '{"maxPerMinute":100}']);
  await wb.runCommand(page, 'NATS: Open Tail…');
  await pick('KV bucket');
  await answer('config');
  await answer('');
  await panel().getByTestId('marker-live').waitFor({ timeout: 30_000 });
  await natsCli(nats, ['kv', 'put', 'config', 'feature.flags', '{"newCheckout":false,"rollout":0.25}']);
  await natsCli(nats, ['kv', 'del', 'config', 'limits.orders', '--force']);
  const liveRow = panel().locator('[data-testid=row]', { hasText: 'feature.flags' }).filter({ has: panel().locator('.tail-badge--live') }).first();
  await liveRow.waitFor({ timeout: 30_000 });
  await liveRow.click();
  await panel().getByTestId('detail-transition').waitFor();
  await wb.clearNotifications(page);
  await wb.settle(page);
  await shoot('tail-kv.png');

  await wb.runCommand(page, 'View: Close All Editors');
  await wb.runCommand(page, 'NATS: Open Tail…');
  await pick('Stream');
  await answer('ORDERS');
  await pick('New messages');
  await answer('');
  await panel().getByTestId('mode').filter({ hasText: /ordered consumer/ }).waitFor({ timeout: 30_000 });
  const pub = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'pub', '--server', nats.url, 'orders.created', '{"order":{{Count}},"total":42.5,"currency":"EUR"}', '--count', '400000', '-q'], { stdio: 'ignore' });
  try {
    await panel().locator('[data-testid=row][data-kind=msg]').first().waitFor({ timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 3000));
    await wb.clearNotifications(page);
    await wb.settle(page);
    await shoot('tail-stream.png');
  } finally {
    pub.kill();
  }
}

function executable(p) {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findBinary(envVar, name) {
  if (process.env[envVar]) {
    if (!executable(process.env[envVar])) throw new Error(`${envVar}=${process.env[envVar]} is not executable`);
    return process.env[envVar];
  }
  const cached = join(natsFlowCacheDir(), 'bin', name);
  if (executable(cached)) return cached;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && executable(join(dir, name))) return join(dir, name);
  return undefined;
}

async function startNats(dir) {
  const bin = findBinary('NATS_SERVER_BIN', 'nats-server');
  if (!bin) throw new Error('nats-server not found (NATS_SERVER_BIN, the cache, PATH): run `bash scripts/ensure-tools.sh`');
  const storeDir = join(dir, 'js');
  mkdirSync(storeDir, { recursive: true });
  const port = await freePort();
  const monitorPort = await freePort();
  const logFile = join(dir, 'nats-server.log');
  const child = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-js', '-sd', storeDir, '-n', 'nats-local', '-l', logFile], {
    detached: true,
    stdio: 'ignore',
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 50 && !exited; i++) await new Promise((r) => setTimeout(r, 100));
    if (!exited) process.kill(-child.pid, 'SIGKILL');
  };
  process.on('exit', () => {
    if (!exited) process.kill(-child.pid, 'SIGKILL');
  });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) throw new Error(`nats-server exited at startup: ${safeRead(logFile)}`);
    const res = await fetch(`${monitorUrl}/healthz?js-enabled-only=true`, { signal: AbortSignal.timeout(1000) }).catch(() => null);
    if (res?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nats-server not healthy after 15 s: ${tail(safeRead(logFile), 10)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `nats://127.0.0.1:${port}`, port, monitorUrl, storeDir, binary: bin, stop };
}

function safeRead(f) {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
}

function natsCli(nats, args) {
  const cli = findBinary('NATS_CLI_BIN', 'nats');
  if (!cli) return Promise.resolve({ code: 127, stdout: '', stderr: 'natscli not found' });
  return new Promise((res) => {
    execFile(
      cli,
      ['--server', nats.url, '--no-context', '--timeout', '5s', ...args],
      { timeout: 20_000, env: { ...process.env, XDG_CONFIG_HOME: join(runDir, 'xdg/config'), NATS_URL: '', NATS_CONTEXT: '' } },
      (err, stdout, stderr) => res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** A little realistic content, so the explorer has something to show once it lists streams. */
async function seed(nats) {
  const steps = [
    ['stream', 'add', 'ORDERS', '--subjects', 'orders.>', '--storage', 'file', '--defaults'],
    ['stream', 'add', 'EVENTS', '--subjects', 'events.>', '--storage', 'memory', '--max-age', '1h', '--defaults'],
    ['consumer', 'add', 'ORDERS', 'fulfilment', '--pull', '--ack', 'explicit', '--filter', 'orders.created', '--defaults'],
    ['kv', 'add', 'config'],
    ['kv', 'put', 'config', 'feature.flags', '{"newCheckout":true}'],
    ['object', 'add', 'assets'],
  ];
  for (let i = 0; i < 25; i++) steps.push(['pub', `orders.created`, `{"order":${i + 1}}`]);
  let failed = 0;
  for (const args of steps) {
    const r = await natsCli(nats, args);
    if (r.code === 127) {
      say('natscli not found: no seed data (the screenshots still work)');
      return;
    }
    if (r.code !== 0) {
      failed++;
      say(`seed: nats ${args.join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
    }
  }
  say(`seeded streams ORDERS, EVENTS, KV config, object store assets${failed ? ` (${failed} step(s) failed)` : ''}`);
}

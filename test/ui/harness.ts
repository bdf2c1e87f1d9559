/**
 * The real-UI rig shared by test/ui/*.test.ts: one code-server (VS Code 1.139.1, see
 * scripts/lib/codeServer.mjs) with this repository as the development extension, one Debian
 * Chromium page driving it like a user (palette, QuickPicks, InputBoxes, modals, context
 * menus), and helpers that wait on the workbench's own DOM, never on sleeps.
 *
 *   let ui: Ui | undefined;
 *   before(async () => { ui = await startUi({ settings: { ... } }); });
 *   uiTest(() => ui, 'does the thing', async (page) => { ... });   // screenshot + log tail on failure
 *   after(() => ui?.stop());
 *
 * Run after `node scripts/build.mjs`; the NATS servers are started by each test file in the
 * test process (test/helpers/natsServer.ts), never inside the extension host.
 */
import { test } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
// @ts-expect-error plain ESM helper without types
import { launchChromium, natsFlowCacheDir, startCodeServer, tail } from '../../scripts/lib/codeServer.mjs';
// @ts-expect-error plain ESM helper without types
import * as wb from '../e2e/workbench.mjs';

export { wb };
export const root = join(__dirname, '..', '..');

export interface UiOptions {
  /** Extra user settings (merged over the quiet defaults). */
  settings?: Record<string, unknown>;
  /** Folder to open; default an empty one in the run dir. */
  workspace?: string;
  /** Keep Workspace Trust on (its startup modal is the test's to answer). */
  workspaceTrust?: boolean;
}

export interface Ui {
  page: Page;
  /** The run folder (code-server data, Chromium profile, failure screenshots). */
  runDir: string;
  workspace: string;
  /** code-server's log so far. */
  log(): string;
  /** Set by uiTest when a test failed: stop() then keeps the run folder. */
  failed: boolean;
  /** Ends Chromium and code-server; removes the run folder unless a test failed or NATS_FLOW_KEEP_RUN=1. */
  stop(): Promise<void>;
}

const t0 = Date.now();
export const say = (msg: string) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

export async function startUi(options: UiOptions = {}): Promise<Ui> {
  const runDir = mkdtempSync(join(tmpdir(), 'nats-flow-ui-'));
  // the extension host inherits this; nothing in it starts servers, but keep it like vscode-test.mjs
  const env: Record<string, string> = { NATS_FLOW_CACHE: natsFlowCacheDir(process.env) };
  for (const k of ['NATS_SERVER_BIN', 'NATS_CLI_BIN']) if (process.env[k]) env[k] = process.env[k]!;
  const server = await startCodeServer({
    runDir,
    workspace: options.workspace,
    settings: {
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.auxiliaryBar.visible': false,
      // a modal answered by the test must not be skipped by a remembered choice
      'security.workspace.trust.startupPrompt': 'always',
      ...options.settings,
    },
    env,
    smokeTestDriver: true,
    workspaceTrust: options.workspaceTrust ?? false,
    keep: true,
  });
  let browser: { page: Page; close(): Promise<void> } | undefined;
  let ui: Ui | undefined;
  const stop = async () => {
    await browser?.close();
    await server.stop();
    if (ui && !ui.failed && process.env.NATS_FLOW_KEEP_RUN !== '1') rmSync(runDir, { recursive: true, force: true });
    else console.log(`[ui] run folder kept: ${runDir}`);
  };
  try {
    browser = (await launchChromium({ runDir, viewport: { width: 1400, height: 900 } })) as { page: Page; close(): Promise<void> };
    const page = browser.page;
    page.setDefaultTimeout(30_000);
    await wb.openWorkbench(page, server.workbenchUrl({ extensionDevelopmentPath: root }));
    say(`workbench up (${server.url}, run folder ${runDir})`);
    ui = { page, runDir, workspace: server.workspace, log: () => server.log(), failed: false, stop };
    return ui;
  } catch (err) {
    console.error(`[ui] startup failed; code-server log tail:\n${tail(server.log(), 30)}`);
    await stop();
    throw err;
  }
}

/**
 * A node:test test that, when it fails, saves a screenshot of the page and prints its path
 * and the tail of the code-server log before rethrowing.
 */
export function uiTest(getUi: () => Ui | undefined, name: string, fn: (page: Page) => Promise<void>, { timeout = 90_000 } = {}): void {
  test(name, { timeout }, async () => {
    const ui = getUi();
    if (!ui) throw new Error('the UI rig did not start (see before())');
    try {
      await fn(ui.page);
    } catch (err) {
      ui.failed = true;
      const dir = join(ui.runDir, 'failures');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${Date.now()}.png`);
      const shot = await ui.page.screenshot({ path: file, timeout: 10_000 }).then(
        () => file,
        (e: Error) => `(screenshot failed: ${e.message})`,
      );
      console.error(`[ui] FAILED "${name}": screenshot ${shot}\n[ui] code-server log tail:\n${tail(ui.log(), 25)}`);
      throw err;
    }
  });
}

// ---------------------------------------------------------------------------------------
// What the user sees

/** The open quick input (palette, QuickPick or InputBox). */
export const quickInput = (page: Page) => page.locator('.quick-input-widget');

const toRegExp = (p: string | RegExp) => (typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);

/**
 * Waits until the quick input is open and its title, prompt message, input placeholder or
 * aria-label matches `prompt` (a string matches as a substring), and returns it.
 */
export async function quickInputFor(page: Page, prompt: string | RegExp): Promise<Locator> {
  const re = toRegExp(prompt);
  // a string body: the host tsconfig has no DOM lib
  await page.waitForFunction(
    `(() => {
      const re = new RegExp(${JSON.stringify(re.source)}, ${JSON.stringify(re.flags)});
      const w = document.querySelector('.quick-input-widget');
      if (!w || w.style.display === 'none' || !w.offsetParent && getComputedStyle(w).position !== 'fixed') return false;
      const input = w.querySelector('input.input');
      const texts = [input?.placeholder ?? '', input?.getAttribute('aria-label') ?? '',
        ...[...w.querySelectorAll('.quick-input-title, .quick-input-message')].map((e) => e.innerText)];
      return texts.some((t) => re.test(t));
    })()`,
  );
  return quickInput(page);
}

/** Waits for an InputBox whose prompt, title or placeholder matches, types `text` and presses Enter. */
export async function answerInputBox(page: Page, prompt: string | RegExp, text: string, { clear = true } = {}): Promise<Locator> {
  const widget = await quickInputFor(page, prompt);
  const input = widget.locator('input.input').first();
  if (clear) await input.fill('');
  await input.pressSequentially(text, { delay: 5 });
  await page.keyboard.press('Enter');
  return input;
}

/** Waits for a QuickPick whose title, prompt or placeholder matches and clicks the row labelled `label`. */
export async function answerQuickPick(page: Page, prompt: string | RegExp, label: string | RegExp): Promise<void> {
  await quickInputFor(page, prompt);
  const row = wb.quickPickRow(page, label);
  await row.waitFor({ state: 'visible' });
  await row.click();
}

/** The modal dialog VS Code shows for `showWarningMessage(..., { modal: true })`. */
export const dialog = (page: Page) => page.locator('.monaco-dialog-box');

/** Waits for a modal whose text matches and returns it. */
export async function waitForDialog(page: Page, text: string | RegExp): Promise<Locator> {
  const box = dialog(page).filter({ hasText: text });
  await box.waitFor({ state: 'visible' });
  return box;
}

/** Clicks a modal's button by its exact label and waits for the modal to go. */
export async function clickDialogButton(page: Page, box: Locator, label: string): Promise<void> {
  await box.getByRole('button', { name: label, exact: true }).click();
  await box.waitFor({ state: 'detached' });
}

/** Right-clicks a tree row and picks `item` from its context menu. */
export async function contextMenu(page: Page, row: Locator, item: string): Promise<void> {
  await row.click({ button: 'right' });
  const entry = page.getByRole('menuitem', { name: item, exact: true });
  await entry.waitFor({ state: 'visible' });
  // a click right after the menu opens is sometimes swallowed (the menu guards against the
  // opening right-click's mouseup): hover until the entry is the focused one, then Enter
  await entry.hover();
  await page.locator('.monaco-menu .action-item.focused').filter({ has: entry }).waitFor();
  await page.keyboard.press('Enter');
  await entry.waitFor({ state: 'hidden' });
}

/**
 * Notifications. With the smoke-test driver on (which the development payload needs), VS Code
 * shows no toasts at all: notifications only reach the Notifications Center, so the tests
 * open it, as a user clicking the bell would.
 */
export const notificationsCenter = (page: Page) => page.locator('.notifications-center');

export async function showNotifications(page: Page): Promise<Locator> {
  const center = notificationsCenter(page);
  if (!(await center.and(page.locator('.visible')).count())) await page.locator('.statusbar [id="status.notifications"]').click();
  await center.and(page.locator('.visible')).waitFor();
  return center;
}

export async function hideNotifications(page: Page): Promise<void> {
  const visible = notificationsCenter(page).and(page.locator('.visible'));
  if (await visible.count()) await page.locator('.statusbar [id="status.notifications"]').click();
  await visible.waitFor({ state: 'detached' });
}

/** Opens the Notifications Center and waits for the notification whose text matches. */
export async function notification(page: Page, text: string | RegExp, { severity }: { severity?: 'info' | 'warning' | 'error' } = {}): Promise<Locator> {
  const center = await showNotifications(page);
  let item = center.locator('.notification-list-item').filter({ hasText: text });
  if (severity) item = item.filter({ has: page.locator(`.codicon-${severity === 'info' ? 'info' : severity === 'warning' ? 'warning' : 'error'}`) });
  await item.first().waitFor();
  return item.first();
}

/** Clears every notification (the Notifications Center's "Clear All") and closes the center. */
export async function clearNotifications(page: Page): Promise<void> {
  await wb.runCommand(page, 'Notifications: Clear All Notifications');
  await quickInput(page).waitFor({ state: 'hidden' });
  await hideNotifications(page);
}

/** The NATS Explorer's tree rows. */
export const explorerRows = (page: Page) => wb.viewPane(page, 'Explorer').getByRole('treeitem');

/** Every row of the NATS Explorer whose label (its first text) is exactly `label`. */
export function explorerRowsNamed(page: Page, label: string): Locator {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return explorerRows(page).filter({ has: page.locator('.label-name', { hasText: exact }) });
}

/** The row of the NATS Explorer labelled exactly `label`. */
export const explorerRow = (page: Page, label: string): Locator => explorerRowsNamed(page, label).first();

/** The NATS connection status bar item. */
export const natsStatus = (page: Page) => page.locator('.statusbar .statusbar-item').filter({ hasText: /NATS/ }).first();

/** A webview panel's content: two iframes deep. */
export const webview = (page: Page): FrameLocator => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

/** Waits until the explorer has no "connecting…"/"loading…" rows left. */
export async function explorerSettled(page: Page): Promise<void> {
  await explorerRows(page).filter({ hasText: /connecting…|loading/i }).first().waitFor({ state: 'detached' });
}

/** Expands a collapsed tree row (its twistie, like a user) and waits until it says so. */
export async function expandRow(row: Locator): Promise<void> {
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) === 'false') {
    await row.locator('.monaco-tl-twistie').click();
    await row.and(row.page().locator('[aria-expanded="true"]')).waitFor();
  }
}

/** The status bar saying the "local" connection is up on `nats`. */
export const localConnected = (page: Page, nats: { serverName: string }): Locator => natsStatus(page).filter({ hasText: `NATS: local · ${nats.serverName}` });

/** The rig with one connection, "local" to `nats`, as the default, started and connected. */
export async function startUiConnected(nats: { url: string; serverName: string }): Promise<Ui> {
  const ui = await startUi({
    settings: {
      'natsFlow.connections': [{ id: 'local', name: 'local', servers: [nats.url] }],
      'natsFlow.defaultConnection': 'local',
    },
  });
  await localConnected(ui.page, nats).waitFor();
  return ui;
}

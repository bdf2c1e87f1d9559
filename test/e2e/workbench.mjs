// Playwright helpers for driving the VS Code workbench that code-server serves (see
// scripts/lib/codeServer.mjs). They wait on the workbench's own selectors, never on sleeps,
// so they hold on a slow, shared 2-core machine. Used by scripts/screenshots.mjs; UI tests
// can use them too.
//
//   await openWorkbench(page, server.workbenchUrl({ extensionDevelopmentPath: root }));
//   await openViewContainer(page, 'NATS');
//   await runCommand(page, 'NATS: Connect');
//   await pickQuickItem(page, 'sandbox');
//   await waitForStatusBar(page, /NATS: sandbox ·/);

/** Loads the workbench and waits until it is laid out and its extensions are registered. */
export async function openWorkbench(page, url, { timeout = 90_000 } = {}) {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('.activitybar').waitFor({ timeout });
  await page.locator('.statusbar').waitFor({ timeout });
}

/** The activity-bar entry of a view container, by its title (package.json viewsContainers). */
export function activityBarItem(page, title) {
  return page.locator(`.activitybar [aria-label^="${title}"]`).first();
}

/** Clicks a view container's activity-bar icon unless its side bar is already showing. */
export async function openViewContainer(page, title, { timeout = 60_000 } = {}) {
  const item = activityBarItem(page, title);
  await item.waitFor({ timeout });
  const checked = await item.getAttribute('aria-checked').catch(() => null);
  const container = page.locator('.action-item.checked').filter({ has: page.locator(`[aria-label^="${title}"]`) });
  if (checked !== 'true' && (await container.count()) === 0) await item.click();
  await page.locator('.sidebar .composite.title').filter({ hasText: title }).first().waitFor({ timeout });
}

/** A view's pane (header + body) in the side bar, by its name. */
export function viewPane(page, name) {
  return page.locator('.sidebar .pane').filter({ has: page.locator(`.pane-header[aria-label^="${name}"]`) });
}

/** Runs a command through the palette (F1), picking the row whose label is exactly `label`. */
export async function runCommand(page, label, { timeout = 30_000 } = {}) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${label}`);
  const row = quickPickRow(page, label);
  await row.waitFor({ timeout });
  await row.click();
}

/** A row of the open quick pick whose label starts with `label` (string or RegExp). */
export function quickPickRow(page, label) {
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  if (label instanceof RegExp) return rows.filter({ has: page.locator('.label-name', { hasText: label }) }).first();
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return rows.filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
}

/** Picks an item in the quick pick that a command opened. */
export async function pickQuickItem(page, label, { timeout = 30_000 } = {}) {
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: label }).first();
  await row.waitFor({ timeout });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout });
}

/** The status bar entry whose text matches. */
export function statusBarItem(page, text) {
  return page.locator('.statusbar .statusbar-item').filter({ hasText: text }).first();
}

export async function waitForStatusBar(page, text, { timeout = 30_000 } = {}) {
  const item = statusBarItem(page, text);
  await item.waitFor({ timeout });
  return item;
}

/** A tree row by its label (tree views expose role=treeitem). */
export function treeItem(page, label) {
  return page.getByRole('treeitem', { name: label }).first();
}

/** Expands a collapsed tree row and waits until it says so. */
export async function expandTreeItem(page, label, { timeout = 30_000 } = {}) {
  const row = treeItem(page, label);
  await row.waitFor({ timeout });
  if ((await row.getAttribute('aria-expanded')) === 'false') {
    await row.locator('.monaco-tl-twistie').click();
    await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout });
  }
  return row;
}

/** Closes every notification toast (and the center), so screenshots show only the UI. */
export async function clearNotifications(page, { timeout = 10_000 } = {}) {
  const toasts = page.locator('.notifications-toasts .notification-toast');
  if ((await toasts.count()) === 0) return;
  await runCommand(page, 'Notifications: Clear All Notifications', { timeout });
  await toasts.first().waitFor({ state: 'detached', timeout }).catch(() => undefined);
}

/** Moves the mouse out of the way and waits for hovers and the quick input to go. */
export async function settle(page) {
  await page.mouse.move(1, 1);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  await page.locator('.monaco-hover').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  // let the last layout pass and any fade-out animation finish before a screenshot
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Drags the sash on the side bar's right edge until the side bar is `width` pixels wide. */
export async function resizeSideBar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || Math.abs(box.width - width) < 2) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
  await page.mouse.move(1, 1);
}

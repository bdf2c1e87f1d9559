/**
 * Connections through the real UI (code-server + Chromium): the add flow's prompts typed like a
 * user, the status bar and tree after connecting, the status bar's switch picker, a wrong
 * password, and removing a profile through the tree's context menu behind its modal.
 *
 *   node scripts/build.mjs && node --import tsx --test test/ui/connections.test.ts
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import {
  answerInputBox,
  answerQuickPick,
  clickDialogButton,
  contextMenu,
  explorerRow,
  explorerRows,
  explorerRowsNamed,
  explorerSettled,
  natsStatus,
  quickInput,
  quickInputFor,
  say,
  startUi,
  notification,
  hideNotifications,
  clearNotifications,
  uiTest,
  waitForDialog,
  wb,
  type Ui,
} from './harness';

const USER = 'orders-app';
const PASSWORD = 'pw-9f3K-right';

let nats: NatsServer;
let ui: Ui | undefined;

before(async () => {
  nats = await startNatsServer({ user: USER, password: PASSWORD });
  say(`nats-server ${nats.version} ${nats.url} (${nats.serverName}, user/password)`);
  ui = await startUi();
  await wb.openViewContainer(ui.page, 'NATS');
});

after(async () => {
  await ui?.stop();
  await nats?.stop();
});

/** F1 → "NATS: Add Connection" → every prompt answered by typing and clicking. */
async function addConnection(page: Page, name: string, password: string): Promise<void> {
  await wb.runCommand(page, 'NATS: Add Connection');
  await answerInputBox(page, 'A name for this connection', name);
  await answerInputBox(page, 'Server URL', nats.url);
  await answerQuickPick(page, 'Authentication', 'User and password');
  await answerInputBox(page, /^User\b(?! and)/, USER);
  // the password box masks what is typed
  const widget = await quickInputFor(page, `Password for ${USER}`);
  assert.equal(await widget.locator('input.input').first().getAttribute('type'), 'password', 'the password InputBox is masked');
  await answerInputBox(page, `Password for ${USER}`, password);
  await answerQuickPick(page, 'TLS', 'No custom TLS');
  // "Added connection …" offers to connect
  const added = await notification(page, `Added connection "${name}"`);
  await added.getByRole('button', { name: 'Connect', exact: true }).click();
  await hideNotifications(page);
}

uiTest(() => ui, 'add a user/password connection through the prompts: status bar, tree and switch picker show it', async (page) => {
  await addConnection(page, 'orders-dev', PASSWORD);

  const status = natsStatus(page);
  await status.filter({ hasText: new RegExp(`NATS: orders-dev · ${nats.serverName} v\\d+\\.\\d+`) }).waitFor();
  assert.match(await status.innerText(), new RegExp(`NATS: orders-dev · ${nats.serverName} v${nats.version.replace(/\./g, '\\.')} · JS`));

  // the tree: the profile, expanded, with the server and the JetStream containers under it
  const profile = explorerRow(page, 'orders-dev');
  await profile.waitFor();
  await explorerSettled(page);
  await explorerRow(page, `Server ${nats.serverName}`).waitFor();
  await explorerRow(page, 'Streams').waitFor();
  assert.equal(await profile.getAttribute('aria-expanded'), 'true');

  // a click on the status bar opens the switch picker, which lists the profile
  await status.click();
  await quickInputFor(page, 'Switch NATS connection');
  const row = wb.quickPickRow(page, /orders-dev/);
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(nats.url.replace(/[.]/g, '\\.')), 'the row shows the server URL');
  await wb.quickPickRow(page, /Add Connection/).waitFor();
  await page.keyboard.press('Escape');
  await quickInput(page).waitFor({ state: 'hidden' });
});

uiTest(() => ui, 'a wrong password typed in the add flow: an authorization error and the status bar in the error state', async (page) => {
  await clearNotifications(page);
  await addConnection(page, 'orders-bad', 'pw-wrong-0000');

  const error = await notification(page, /authorization/i, { severity: 'error' });
  const text = await error.innerText();
  assert.match(text, /orders-bad/, 'the error names the profile');
  assert.ok(!text.includes('pw-wrong-0000'), 'the password never appears in the message');
  await hideNotifications(page);

  const status = natsStatus(page);
  await status.filter({ hasText: 'NATS: orders-bad' }).waitFor();
  assert.ok(await status.locator('.codicon-error').count(), 'the status bar shows the error icon');
  assert.match((await status.getAttribute('class')) ?? '', /error-kind/, 'the status bar item has the error background');
  assert.doesNotMatch(await status.innerText(), / · /, 'no server details while failed');
});

uiTest(() => ui, 'remove a profile from the tree context menu: the modal names it, Cancel keeps it, Remove removes it', async (page) => {
  await clearNotifications(page);
  const bad = explorerRow(page, 'orders-bad');
  await bad.waitFor();

  await contextMenu(page, bad, 'Remove Connection');
  let modal = await waitForDialog(page, 'Remove connection profile "orders-bad"');
  assert.match(await modal.innerText(), new RegExp(nats.url.replace(/[.]/g, '\\.')), 'the modal names the servers');
  await clickDialogButton(page, modal, 'Cancel');

  // still there: remove it for real through the same menu (fails if Cancel had removed it)
  await bad.waitFor();
  assert.equal(await explorerRowsNamed(page, 'orders-bad').count(), 1);
  await contextMenu(page, bad, 'Remove Connection');
  modal = await waitForDialog(page, 'Remove connection profile "orders-bad"');
  await clickDialogButton(page, modal, 'Remove');

  await explorerRowsNamed(page, 'orders-bad').first().waitFor({ state: 'detached' });
  assert.equal(await explorerRows(page).filter({ hasText: 'orders-bad' }).count(), 0, 'nothing of the profile is left in the tree');
  await explorerRow(page, 'orders-dev').waitFor();
  // the removed profile was the active (failed) one: the status bar no longer names it
  await natsStatus(page).filter({ hasNotText: 'orders-bad' }).waitFor();
});

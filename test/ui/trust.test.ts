/**
 * Workspace Trust through the real UI (code-server with trust on, Chromium): a workspace's
 * `.vscode/settings.json` defines a connection profile. In Restricted Mode the NATS Explorer
 * lists only the user-level profile (a workspace could point the extension at any server);
 * once the user trusts the folder through the Workspace Trust editor, the workspace profile
 * appears, and connecting to it works.
 *
 *   node scripts/build.mjs && node --import tsx --test test/ui/trust.test.ts
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { explorerRow, explorerRowsNamed, explorerRows, natsStatus, say, startUi, uiTest, waitForDialog, wb, type Ui } from './harness';

let nats: NatsServer;
let ui: Ui | undefined;
let workspace = '';

before(async () => {
  nats = await startNatsServer();
  say(`nats-server ${nats.version} ${nats.url}`);
  workspace = mkdtempSync(join(tmpdir(), 'nats-flow-ui-untrusted-'));
  mkdirSync(join(workspace, '.vscode'));
  writeFileSync(
    join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'natsFlow.connections': [{ id: 'from-workspace', name: 'from-workspace', servers: [nats.url], description: 'defined by the workspace' }] }, null, 2),
  );
  ui = await startUi({
    workspace,
    workspaceTrust: true,
    settings: {
      'natsFlow.connections': [{ id: 'from-user', name: 'from-user', servers: [nats.url] }],
      'natsFlow.autoConnect': false,
    },
  });
});

after(async () => {
  await ui?.stop();
  await nats?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

uiTest(() => ui, 'Restricted Mode ignores the workspace profile; trusting the folder through the UI brings it in', async (page) => {
  // the startup trust modal: decline first
  const prompt = await waitForDialog(page, 'Do you trust the authors of the files in this folder?');
  await prompt.getByRole('button', { name: /No, I don't trust the authors/ }).click();
  await prompt.waitFor({ state: 'detached' });
  await page.locator('.statusbar .statusbar-item').filter({ hasText: 'Restricted Mode' }).waitFor();

  await wb.openViewContainer(page, 'NATS');
  await explorerRow(page, 'from-user').waitFor();
  // both profiles are read in one pass, so with from-user listed the answer is final
  assert.equal(await explorerRowsNamed(page, 'from-workspace').count(), 0, 'an untrusted workspace profile is not listed');
  assert.equal(await explorerRows(page).filter({ hasText: 'from-workspace' }).count(), 0);

  // ... nor offered by the connect picker
  await wb.runCommand(page, 'NATS: Connect');
  await wb.quickPickRow(page, /from-user/).waitFor();
  assert.equal(await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'from-workspace' }).count(), 0, 'the picker does not offer it');
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });

  // trust the folder: the Restricted Mode banner's "Manage" → Workspace Trust editor → Trust
  const banner = page.locator('.part.banner').filter({ hasText: 'Restricted Mode' });
  await banner.getByRole('button', { name: 'Manage' }).click();
  const editor = page.locator('.workspace-trust-editor');
  await editor.filter({ hasText: 'You are in Restricted Mode' }).waitFor();
  await editor.getByRole('button', { name: 'Trust', exact: true }).click();
  await page.locator('.statusbar .statusbar-item').filter({ hasText: 'Restricted Mode' }).waitFor({ state: 'detached' });

  const fromWorkspace = explorerRow(page, 'from-workspace');
  await fromWorkspace.waitFor();
  await explorerRow(page, 'from-user').waitFor();

  // close the trust editor (a modal editor) with its close button
  const modalEditor = page.locator('.monaco-modal-editor-block');
  await modalEditor.getByRole('button', { name: /^Close Modal Editor/ }).click();
  await modalEditor.waitFor({ state: 'detached' });

  // and it is usable: a click on the row connects to it
  await fromWorkspace.click();
  await natsStatus(page).filter({ hasText: `NATS: from-workspace · ${nats.serverName}` }).waitFor();
});

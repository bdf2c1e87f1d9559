/**
 * "NATS: Decide KV or Stream" through the real UI (code-server + Chromium): the description
 * typed into the InputBox, the test QuickPicks answered like a user (an explicit answer against
 * the inferred one, the inferred default accepted with Enter, then "Stop here"), and the result
 * panel's webview (two iframes deep) showing the verdict and the tests table.
 *
 *   node scripts/build.mjs && node --import tsx --test test/ui/decide.test.ts
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { answerInputBox, answerQuickPick, quickInput, quickInputFor, say, startUiConnected, uiTest, webview, wb, type Ui } from './harness';

const DESCRIPTION = 'Exactly one worker charges the card; charging twice would be wrong.';

let nats: NatsServer;
let ui: Ui | undefined;

before(async () => {
  nats = await startNatsServer();
  say(`nats-server ${nats.version} ${nats.url}`);
  ui = await startUiConnected(nats);
});

after(async () => {
  await ui?.stop();
  await nats?.stop();
});

const paletteRows = (page: import('playwright-core').Page, text: RegExp) => quickInput(page).locator('.monaco-list-row').filter({ hasText: text });

uiTest(() => ui, 'palette: "NATS: Decide" + Enter opens the advisor; nothing inferred preselects "Not sure"; create stays hidden until a decision exists', async (page) => {
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input');
  await input.waitFor();
  await input.fill('>NATS: Decide');
  await paletteRows(page, /NATS: Decide KV or Stream/).first().waitFor();
  // no decision yet: the command that needs one is not offered (it used to sort first and fail)
  assert.equal(await paletteRows(page, /Create Decided Configuration/).count(), 0);
  await page.keyboard.press('Enter');
  await answerInputBox(page, 'What are you designing?', '');
  await quickInputFor(page, /\(1\/4\): Restart Test/);
  const focused = quickInput(page).locator('.monaco-list-row.focused');
  await focused.filter({ hasText: /^\s*Not sure/ }).waitFor();
  await page.keyboard.press('Escape');
  await quickInput(page).waitFor({ state: 'hidden' });
});

uiTest(() => ui, 'decide through the QuickPicks: explicit answer, inferred default, Stop here → the panel shows the verdict and the tests', async (page) => {
  await wb.runCommand(page, 'NATS: Decide KV or Stream');
  await answerInputBox(page, 'What are you designing?', DESCRIPTION);

  // test 1: the description implies "No" (the default); answer "Yes" explicitly instead
  await quickInputFor(page, /\(1\/4\): Restart Test/);
  const focused1 = quickInput(page).locator('.monaco-list-row.focused');
  await focused1.filter({ hasText: /^\s*No/ }).waitFor();
  assert.match(await focused1.innerText(), /inferred from "charging twice would be wrong"/, 'the inferred answer is the default and says why');
  await answerQuickPick(page, /\(1\/4\): Restart Test/, 'Yes');

  // test 2: accept the inferred default ("Only one handles it") with Enter
  await quickInputFor(page, /\(2\/4\): Fan-out vs Queue/);
  const focused2 = quickInput(page).locator('.monaco-list-row.focused');
  await focused2.filter({ hasText: 'Only one handles it' }).waitFor();
  assert.match(await focused2.innerText(), /inferred from "exactly one worker"/);
  // test 1 already decided, so "Stop here" is offered from now on
  await wb.quickPickRow(page, /Stop here: it's clear \(→ KV Watch\)/).waitFor();
  await page.keyboard.press('Enter');

  // test 3: stop
  await answerQuickPick(page, /\(3\/4\): Processing Time/, /Stop here: it's clear \(→ KV Watch\)/);
  await quickInput(page).waitFor({ state: 'hidden' });

  // the result panel: verdict heading and tests table inside the webview
  await page.locator('.tab').filter({ hasText: /Decide/ }).first().waitFor();
  const view = webview(page);
  await view.getByTestId('verdict-label').waitFor({ timeout: 45_000 });
  assert.equal((await view.getByTestId('verdict-label').innerText()).trim(), 'KV Watch', 'the explicit "Yes" decides: KV Watch');
  assert.match(await view.getByRole('heading', { level: 1 }).innerText(), /Use\s+KV Watch/);
  assert.match(await view.getByTestId('decided-by').innerText(), /Decided by test 1, Restart Test/);
  assert.equal((await view.getByTestId('description').innerText()).trim(), DESCRIPTION);

  const row = (id: string) => view.locator(`[data-testid="tests"] tr[data-test="${id}"]`);
  const cell = async (id: string, col: string) => (await row(id).locator(`td[data-col="${col}"]`).innerText()).trim();
  assert.equal(await cell('restart', 'answer'), 'Yes');
  assert.match(await cell('restart', 'verdict'), /KV Watch\s*deciding/);
  assert.match(await cell('restart', 'source'), /given/);
  assert.equal(await cell('fanout', 'answer'), 'Only one handles it');
  assert.match(await cell('fanout', 'verdict'), /JetStream Stream\s*disagrees/);
  assert.match(await cell('fanout', 'source'), /inferred[\s\S]*exactly one worker/);
  // after "Stop here" the rest is read from the description
  assert.equal(await cell('processing', 'answer'), 'Slow or has side effects');
  assert.match(await cell('processing', 'source'), /inferred/);
  assert.equal(await cell('nature', 'answer'), 'Request');
  assert.match(await cell('nature', 'source'), /inferred/);
  assert.equal(await view.locator('[data-testid="tests"] tbody tr').count(), 4);

  // a decision exists now: "Create Decided Configuration on Server" shows in the palette
  await page.keyboard.press('F1');
  await quickInput(page).locator('input').fill('>NATS: Create Decided');
  await paletteRows(page, /NATS: Create Decided Configuration on Server/).first().waitFor();
  await page.keyboard.press('Escape');
});

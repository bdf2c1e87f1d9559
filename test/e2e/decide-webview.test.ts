/**
 * The BUILT decide webview (dist/webview/decide.js + .css) in real Chromium, under the exact
 * HTML and CSP the extension serves (renderWebviewHtml). The page gets a fake
 * `acquireVsCodeApi` — the VS Code boundary, recording what the webview posts — and the test
 * plays the host: it posts decisions computed by the real engine, answers the webview's
 * requests, and posts hostile payloads.
 *
 * Run after `node scripts/build.mjs`: node --import tsx --test test/e2e/decide-webview.test.ts
 * NATS_FLOW_SCREENSHOT=docs/images/decide.png also writes a screenshot of a conflict result.
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { decide, type DecideAnswers } from '../../src/core/decide';
import type { DecideViewState } from '../../src/shared/protocol';
import { buildViewState } from '../../src/vscode/decide/viewState';
import { PWN, PWN_SCRIPT, root, startWebviewHarness, type HarnessPage, type PageGlobals, type WebviewHarness } from './webviewHarness';

let harness: WebviewHarness;
let hp: HarnessPage;
let page: Page;

function state(description: string, answers: DecideAnswers = {}, environment: 'production' | 'development' = 'production'): DecideViewState {
  return buildViewState({ description, answers, environment }, decide({ description, answers, environment }));
}

const sent = () => hp.sent();
const post = (message: unknown) => hp.post(message);
const waitForRequest = (method: string) => hp.waitForRequest(method);
const text = (testid: string) => hp.text(testid);

async function showState(s: DecideViewState): Promise<void> {
  await post({ kind: 'notification', method: 'decide/state', params: s });
}

before(async () => {
  harness = await startWebviewHarness('decide', { title: 'Decide: KV or Stream', viewport: { width: 1100, height: 900 } });
});

after(async () => {
  await harness?.close();
});

beforeEach(async () => {
  hp = await harness.newPage();
  page = hp.page;
});

test('says webview/ready first and waits for a decision', async () => {
  const first = (await sent())[0];
  assert.deepEqual(first, { kind: 'notification', method: 'webview/ready', params: {} });
  assert.match(await text('waiting'), /Waiting for a decision/);
});

test('renders a real decision: verdict, the four tests with source and evidence, case, configuration', async () => {
  await showState(state('Order status changed. The storefront, the support dashboard and the analytics service all react and just overwrite their local copy.'));
  await page.getByTestId('verdict').waitFor();
  assert.equal(await text('verdict-label'), 'KV Watch');
  const rows = page.locator('[data-testid=tests] tbody tr');
  assert.equal(await rows.count(), 4);
  assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-test'))), ['restart', 'fanout', 'processing', 'nature']);
  const fanout = page.locator('tr[data-test=fanout]');
  assert.match(await fanout.locator('[data-col=answer]').innerText(), /All react/);
  assert.match(await fanout.locator('[data-col=verdict]').innerText(), /KV Watch/);
  assert.match(await fanout.locator('[data-col=source]').innerText(), /inferred/);
  assert.ok((await fanout.locator('[data-col=source] li').count()) > 0, 'inferred answer shows its evidence');
  assert.match(await text('case'), /Entity state changed/);
  assert.match(await text('config'), /KV bucket/);
  assert.equal(await page.getByTestId('conflict').count(), 0);
  const rendered = (await sent()).find((m) => m.method === 'decide/rendered');
  assert.deepEqual(rendered?.params, { primitive: 'kv', tests: 4 });
  assert.deepEqual(await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations), []);
});

test('conflict banner names the tests that disagree and gives the split advice', async () => {
  await showState(state('Entity state changed', { restart: 'yes', processing: 'slow', nature: 'request' }));
  const banner = page.getByTestId('conflict');
  await banner.waitFor();
  const items = await page.locator('[data-testid=disagree] li').evaluateAll((li) => li.map((l) => l.getAttribute('data-test')));
  // every clear test on each side: fanout is inferred "all" from the description (KV side)
  assert.deepEqual(items, ['restart', 'fanout', 'processing', 'nature']);
  assert.match(await banner.innerText(), /1\. Restart Test \(sharpest\) \(yes\) → KV/);
  assert.match(await banner.innerText(), /3\. Processing Time \(slow\) → Stream/);
  assert.match(await text('advice'), /split into separate concerns/);
  assert.match(await page.locator('tr[data-test=processing]').innerText(), /disagrees/);
  assert.match(await page.locator('tr[data-test=restart]').innerText(), /deciding/);
  if (process.env.NATS_FLOW_SCREENSHOT) {
    const out = join(root, process.env.NATS_FLOW_SCREENSHOT);
    mkdirSync(dirname(out), { recursive: true });
    await page.evaluate(() => (globalThis as unknown as PageGlobals).document.fonts.ready);
    await page.screenshot({ path: out, fullPage: true });
  }
});

test('a 2–2 split lists both tests on each side, including the one agreeing with the deciding test', async () => {
  await showState(state('', { restart: 'yes', fanout: 'one', processing: 'fast', nature: 'request' }));
  await page.getByTestId('conflict').waitFor();
  const side = (s: string) => page.locator(`[data-testid=side-${s}] li`).evaluateAll((li) => li.map((l) => l.getAttribute('data-test')));
  assert.deepEqual(await side('kv'), ['restart', 'processing']);
  assert.deepEqual(await side('stream'), ['fanout', 'nature']);
});

test('server notes (collisions on the connected server) are shown above the actions, as text', async () => {
  const s = state('Exactly one worker charges the card', { fanout: 'one' });
  s.serverNotes = ['Stream "BILLING" already takes payments.card.charge (subjects payments.>): reusing it, so only the consumer is created.', '<img src=x onerror=alert(1)>'];
  await showState(s);
  const notes = page.getByTestId('server-notes');
  await notes.waitFor();
  assert.match(await notes.innerText(), /On the connected server:[\s\S]*Stream "BILLING" already takes/);
  assert.match(await notes.innerText(), /<img src=x onerror=alert\(1\)>/);
  assert.equal(await notes.locator('img').count(), 0);
  await showState(state('Exactly one worker charges the card', { fanout: 'one' }));
  await page.getByTestId('server-notes').waitFor({ state: 'detached' });
});

test('language-model suggestions: the source says "suggested by the language model", the banner names the model and its notes as text, the form offers the suggestion', async () => {
  const description = 'Order status changed; all services react and just overwrite.';
  const suggested = { restart: { answer: 'no' as const, reason: 'handled orders must not repeat' } };
  const s = buildViewState({ description, answers: {}, environment: 'production' }, decide({ description, suggested }), undefined, {
    model: 'Test model',
    suggested,
    notes: ['fanout: the language model answered "<b>x</b>", not one of all|one|unsure: ignored; the offline classifier answers it.'],
  });
  await showState(s);
  const banner = page.getByTestId('language-model');
  await banner.waitFor();
  assert.match(await banner.innerText(), /Language model \(Test model\):[\s\S]*suggested by the language model[\s\S]*fanout: the language model answered "<b>x<\/b>"/);
  assert.equal(await banner.locator('b').count(), 0, 'notes are text');
  const restart = page.locator('tr[data-test=restart]');
  assert.match(await restart.locator('[data-col=source]').innerText(), /suggested by the language model/);
  assert.match(await restart.locator('[data-col=why]').innerText(), /^Suggested by the language model: handled orders must not repeat \(offline classifier: Yes/);
  assert.match(await page.locator('tr[data-test=fanout] [data-col=source]').innerText(), /inferred/);
  // React sets a custom element's label as a property
  const label = await page.locator('fieldset[data-test=restart] [data-answer]').first().evaluate((el) => (el as unknown as { label: string }).label);
  assert.equal(label, 'Suggested by the language model (now: No)');
  await showState(state(description));
  await page.getByTestId('language-model').waitFor({ state: 'detached' });
});

test('undecided: no configuration, no verdict, honest text', async () => {
  await showState(state(''));
  await page.getByTestId('verdict').waitFor();
  assert.equal(await text('verdict-label'), 'Undecided');
  assert.match(await text('config'), /No configuration is suggested/);
  assert.equal(await page.locator('[data-action=copyConfig] vscode-button').evaluate((b) => (b as unknown as { disabled: boolean }).disabled), true);
});

test('unbuilt and unavailable actions are disabled and say why; Copy configuration asks the host and reports', async () => {
  await showState(state('Exactly one worker charges the card; charging twice would be wrong.'));
  await page.getByTestId('actions').waitFor();
  for (const [id, why] of [
    ['createOnServer', /^Not connected: connect to a NATS server first/],
    ['addToDesign', /Coming with the Flow designer/],
  ] as const) {
    const wrapper = page.locator(`[data-action=${id}]`);
    assert.match((await wrapper.getAttribute('title')) ?? '', why);
    assert.equal(await wrapper.locator('vscode-button').evaluate((b) => (b as unknown as { disabled: boolean }).disabled), true, `${id} is disabled`);
  }
  await page.locator('[data-action=copyConfig] vscode-button').click();
  const req = await waitForRequest('decide/copyConfig');
  await post({ kind: 'response', id: req.id, method: 'decide/copyConfig', ok: true, result: { copied: true, chars: 1234 } });
  await page.getByText('Configuration copied as JSON (1234 characters).').waitFor();
});

test('Create on server: enabled when connected, asks the host, shows what was created, a cancel, and the server’s refusal with its hint', async () => {
  const description = 'Exactly one worker charges the card; charging twice would be wrong.';
  const s = buildViewState({ description, answers: {}, environment: 'development' }, decide({ description, answers: {}, environment: 'development' }), { connected: true, name: 'sandbox' });
  await showState(s);
  const wrapper = page.locator('[data-action=createOnServer]');
  await wrapper.waitFor();
  assert.match((await wrapper.getAttribute('title')) ?? '', /^Create stream \S+ and consumer \S+ .* on sandbox; you confirm first/);
  assert.equal(await wrapper.locator('vscode-button').evaluate((b) => (b as unknown as { disabled: boolean }).disabled), false);
  // design stays disabled with its honest tooltip
  assert.match((await page.locator('[data-action=addToDesign]').getAttribute('title')) ?? '', /Coming with the Flow designer/);

  await wrapper.locator('vscode-button').click();
  const req = await waitForRequest('decide/create');
  assert.deepEqual(req.params, {});
  assert.equal(await wrapper.locator('vscode-button').evaluate((b) => (b as unknown as { disabled: boolean }).disabled), true, 'disabled while the host asks');
  await post({ kind: 'response', id: req.id, method: 'decide/create', ok: true, result: { ok: true, cancelled: false, created: ['stream "CARDS"', 'consumer "card-worker" on stream CARDS'], message: 'Created stream "CARDS", consumer "card-worker" on stream CARDS.' } });
  await page.getByText('Created stream "CARDS", consumer "card-worker" on stream CARDS.').waitFor();

  await wrapper.locator('vscode-button').click();
  const cancel = await waitForRequest('decide/create');
  await post({ kind: 'response', id: cancel.id, method: 'decide/create', ok: true, result: { ok: false, cancelled: true, created: [], message: 'Nothing created.' } });
  await page.getByText('Nothing created.').waitFor();
  assert.equal(await page.getByTestId('error-banner').count(), 0);

  await wrapper.locator('vscode-button').click();
  const refused = await waitForRequest('decide/create');
  const message = `Creating stream "CARDS" failed: subjects overlap with an existing stream: stream "${PWN}" already captures some of ["cards.>"]. Another stream already captures some of these subjects.`;
  await post({ kind: 'response', id: refused.id, method: 'decide/create', ok: true, result: { ok: false, cancelled: false, created: [], message } });
  assert.match(await text('error-banner'), /Could not create on the server/);
  assert.ok((await text('error-banner')).includes(message), 'message and hint shown as text');
  assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned), undefined);
  // a malformed result is rejected, not shown
  await page.locator('[data-testid=error-banner] button').click();
  await wrapper.locator('vscode-button').click();
  const bad = await waitForRequest('decide/create');
  await post({ kind: 'response', id: bad.id, method: 'decide/create', ok: true, result: { ok: 'yes' } });
  assert.match(await text('error-banner'), /malformed result/);
});

test('Create on server is disabled with the reason when undecided, even when connected', async () => {
  const s = buildViewState({ description: '', answers: {}, environment: 'production' }, decide({ description: '', answers: {} }), { connected: true, name: 'sandbox' });
  await showState(s);
  const wrapper = page.locator('[data-action=createOnServer]');
  await wrapper.waitFor();
  assert.match((await wrapper.getAttribute('title')) ?? '', /^Undecided/);
  assert.equal(await wrapper.locator('vscode-button').evaluate((b) => (b as unknown as { disabled: boolean }).disabled), true);
});

test('Scaffold code: enabled once decided, asks the host, shows its answer as text; disabled while undecided', async () => {
  await showState(state('Exactly one worker charges the card; charging twice would be wrong.'));
  const wrapper = page.locator('[data-action=scaffold]');
  await wrapper.waitFor();
  assert.match((await wrapper.getAttribute('title')) ?? '', /^Generate code \(TypeScript, Go or Python\)/);
  await wrapper.locator('vscode-button').click();
  const req = await waitForRequest('decide/scaffold');
  assert.deepEqual(req.params, {});
  await post({ kind: 'response', id: req.id, method: 'decide/scaffold', ok: true, result: { done: true, message: `Wrote 11 files for the worker (go) to <b>${PWN}</b>.` } });
  await page.getByText(`Wrote 11 files for the worker (go) to <b>${PWN}</b>.`).waitFor();
  assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned), undefined);

  await showState(buildViewState({ description: '', answers: {}, environment: 'production' }, decide({ description: '', answers: {} }), { connected: true, name: 'sandbox' }));
  assert.match((await page.locator('[data-action=scaffold]').getAttribute('title')) ?? '', /^Undecided/);
  assert.equal(await page.locator('[data-action=scaffold] vscode-button').evaluate((b) => (b as unknown as { disabled: boolean }).disabled), true);
});

test('changing an answer re-runs the engine through decide/run and shows the new verdict', async () => {
  const description = 'Order status changed; all services react.';
  await showState(state(description));
  assert.equal(await text('verdict-label'), 'KV Watch');
  await page.locator('fieldset[data-test=restart] vscode-radio[data-answer=no]').click();
  await page.getByTestId('run').click();
  const req = await waitForRequest('decide/run');
  assert.deepEqual(req.params, { description, answers: { restart: 'no' }, environment: 'production' });
  const p = req.params as { description: string; answers: DecideAnswers };
  await post({ kind: 'response', id: req.id, method: 'decide/run', ok: true, result: state(p.description, p.answers) });
  await page.getByText('JetStream Stream', { exact: true }).first().waitFor();
  assert.equal(await text('verdict-label'), 'JetStream Stream');
  assert.match(await page.locator('tr[data-test=restart] [data-col=source]').innerText(), /given/);
  // an error answer is shown, not swallowed
  await page.getByTestId('run').click();
  const again = await waitForRequest('decide/run');
  await post({ kind: 'response', id: again.id, method: 'decide/run', ok: false, error: { code: 'handlerFailed', message: 'engine exploded' } });
  assert.match(await text('error-banner'), /engine exploded/);
});

test('hostile strings are shown as text and never run', async () => {
  const s = state(`${PWN} ${PWN_SCRIPT} entity state changed`);
  s.decision.tests[0]!.why = `${PWN} why`;
  s.decision.tests[1]!.evidence = [PWN, PWN_SCRIPT];
  s.decision.advice = PWN;
  s.decision.conflict = true;
  s.decision.disagree = ['restart', 'fanout'];
  if (s.decision.caseMatch) s.decision.caseMatch.reason = PWN_SCRIPT;
  s.configSections = [{ title: PWN, rows: [[PWN, PWN_SCRIPT]], notes: [PWN] }];
  s.tests[0]!.title = PWN_SCRIPT;
  await showState(s);
  await page.getByTestId('description').waitFor();
  await page.waitForTimeout(300); // time for any injected handler to fire
  assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned), undefined);
  assert.equal(await page.locator('#root img').count(), 0, 'no <img> was created from message text');
  assert.equal(await page.locator('#root script').count(), 0);
  assert.ok((await text('description')).includes(PWN), 'description shown literally');
  assert.ok((await page.locator('tr[data-test=restart] [data-col=why]').innerText()).includes(PWN));
  assert.ok((await text('evidence-fanout')).includes(PWN_SCRIPT));
  assert.ok((await text('advice')).includes(PWN));
  assert.ok((await text('config')).includes(PWN_SCRIPT));
});

test('a huge but allowed string renders wrapped; an oversized one gives the error state', async () => {
  const big = state('entity state changed');
  big.decision.tests[0]!.why = 'x'.repeat(90_000);
  await showState(big);
  await page.getByTestId('verdict').waitFor();
  const width = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth);
  assert.ok(width <= 1100, `page does not grow sideways (scrollWidth ${width})`);
  const tooBig = state('entity state changed');
  tooBig.description = 'y'.repeat(2_000_000);
  await showState(tooBig);
  assert.match(await text('error-banner'), /description: string of 2000000 chars exceeds/);
  assert.equal(await text('verdict-label'), 'KV Watch', 'the last good state stays on screen');
});

test('malformed messages show the error state, are reported to the host, and never crash the view', async () => {
  await showState(state('entity state changed'));
  await page.getByTestId('verdict').waitFor();
  const wrongType = state('entity state changed') as unknown as { decision: { tests: { verdict: unknown }[] } };
  wrongType.decision.tests[2]!.verdict = 42;
  const cases: [unknown, RegExp][] = [
    [wrongType, /decision\.tests\[2\]\.verdict: expected one of kv\|stream\|null, got number 42/],
    [{ ...state('x'), decision: undefined }, /decision: expected an object/],
    [{ ...state('x'), tests: 'not a list' }, /tests: expected an array/],
  ];
  for (const [params, why] of cases) {
    await showState(params as DecideViewState);
    assert.match(await text('error-banner'), why);
    await page.locator('[data-testid=error-banner] button').click();
  }
  for (const raw of ['<b>hi</b>', null, 42, [], { kind: 'notification' }, { kind: 'rpc', method: 'decide/state' }, { kind: 'notification', method: 'not namespaced' }]) {
    await post(raw);
    await page.getByTestId('error-banner').waitFor({ timeout: 5_000 }).catch(() => assert.fail(`no error state for ${JSON.stringify(raw)}`));
    await page.locator('[data-testid=error-banner] button').click();
  }
  // an unknown method is ignored (a newer host may say more), but reported
  await post({ kind: 'notification', method: 'decide/somethingNew', params: { a: 1 } });
  // a response nobody asked for is ignored
  await post({ kind: 'response', id: 999, method: 'decide/run', ok: true, result: {} });
  await page.waitForTimeout(100);
  assert.equal(await page.getByTestId('error-banner').count(), 0);
  assert.equal(await text('verdict-label'), 'KV Watch', 'still showing the last good decision');
  const errors = (await sent()).filter((m) => m.method === 'webview/error').map((m) => (m.params as { message: string }).message);
  assert.ok(errors.some((e) => e.includes('verdict')), errors.join('\n'));
  assert.ok(errors.some((e) => e.includes('unknown notification decide/somethingNew')), errors.join('\n'));
  assert.ok(errors.some((e) => e.includes('response 999')), errors.join('\n'));
  assert.deepEqual(await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations), []);
});

test('a malformed request result is rejected, not rendered', async () => {
  await showState(state('entity state changed'));
  await page.getByTestId('run').click();
  const req = await waitForRequest('decide/run');
  await post({ kind: 'response', id: req.id, method: 'decide/run', ok: true, result: { description: PWN } });
  assert.match(await text('error-banner'), /malformed result/);
  assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned), undefined);
});

test('a reloaded webview restores its last state from setState', async () => {
  await showState(state('Exactly one worker charges the card; charging twice would be wrong.'));
  await page.getByTestId('verdict').waitFor();
  const saved = await hp.state();
  assert.ok(saved, 'state saved with setState');
  await page.evaluate((s) => (globalThis as unknown as PageGlobals).sessionStorage.setItem('saved', JSON.stringify(s)), saved as never);
  await page.addInitScript(() => {
    const s = (globalThis as unknown as PageGlobals).sessionStorage.getItem('saved');
    if (s) (globalThis as unknown as PageGlobals).__state = JSON.parse(s);
  });
  await page.reload();
  await page.getByTestId('verdict').waitFor();
  assert.equal(await text('verdict-label'), 'JetStream Stream');
});

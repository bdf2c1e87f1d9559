/**
 * The BUILT report webview (dist/webview/report.js + .css) in real Chromium, under the exact
 * HTML and CSP the extension serves. The rows are real: streams and consumers made on a
 * real nats-server, read through the Catalog and turned into a ReportViewState by the same
 * code the commands use (reportView.ts). The test plays the host: it posts states, answers
 * `report/refresh`, and posts hostile and malformed payloads.
 *
 * Run after `node scripts/build.mjs`: node --import tsx --test test/e2e/report-webview.test.ts
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Catalog, type ConsumerSummary, type StreamSummary } from '../../src/nats/catalog';
import type { ReportViewState } from '../../src/shared/protocol';
import { consumerReport, streamReport } from '../../src/vscode/explorer/reportView';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { PWN, PWN_SCRIPT, startWebviewHarness, type HarnessPage, type PageGlobals, type WebviewHarness } from './webviewHarness';

let harness: WebviewHarness;
let hp: HarnessPage;
let page: Page;
let nats: NatsServer;
let nc: NatsConnection;
let streams: StreamSummary[] = [];
let consumers: ConsumerSummary[] = [];

const sent = () => hp.sent();
const post = (message: unknown) => hp.post(message);
const waitForRequest = (method: string) => hp.waitForRequest(method);
const text = (testid: string) => hp.text(testid);
const showState = (s: ReportViewState) => post({ kind: 'notification', method: 'report/state', params: s });
/** The row ids in the order the table shows them. */
const rowIds = () => page.locator('[data-testid=report-table] tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-row')));
const cellTexts = (col: string) => page.locator(`[data-testid=report-table] tbody td[data-col=${col}]`).evaluateAll((tds) => tds.map((t) => (t as unknown as { innerText: string }).innerText.trim()));

async function lastRendered(): Promise<{ rows: number; shown: number; sort: { column: string; descending: boolean }; filter: string } | undefined> {
  return (await sent()).filter((m) => m.method === 'report/rendered').at(-1)?.params as never;
}

before(async () => {
  harness = await startWebviewHarness('report', { title: 'Stream report' });

  // real summaries: three streams of different sizes, consumers with a backlog and a pause
  nats = await startNatsServer({ serverName: 'report-e2e' });
  nc = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], description: 'every order event', storage: 'file' as never });
  await jsm.streams.add({ name: 'AUDIT', subjects: ['audit.>'], storage: 'memory' as never });
  await jsm.streams.add({ name: 'SMALL_FULL', subjects: ['small.>'], max_msgs: 10, storage: 'memory' as never });
  for (let i = 0; i < 25; i++) await js.publish(`orders.eu.${i}`, new Uint8Array(2000));
  for (let i = 0; i < 120; i++) await js.publish('audit.x', new Uint8Array(10));
  for (let i = 0; i < 10; i++) await js.publish('small.x', new Uint8Array(10));
  await jsm.consumers.add('ORDERS', { durable_name: 'PROCESSOR', ack_policy: 'explicit' as never, filter_subject: 'orders.eu.>' });
  await jsm.consumers.add('ORDERS', { durable_name: 'BILLING', ack_policy: 'explicit' as never, filter_subject: 'orders.eu.1' });
  await jsm.consumers.add('ORDERS', { durable_name: 'IDLE', ack_policy: 'none' as never, deliver_policy: 'new' as never });
  await jsm.consumers.pause('ORDERS', 'IDLE', new Date(Date.now() + 3_600_000));
  const cat = new Catalog(nc);
  streams = await cat.allStreams();
  consumers = await cat.allConsumers('ORDERS');
});

after(async () => {
  await harness?.close();
  await nc?.close();
  await nats?.stop();
});

beforeEach(async () => {
  hp = await harness.newPage();
  page = hp.page;
});

test('says webview/ready and waits for rows', async () => {
  assert.deepEqual((await sent())[0], { kind: 'notification', method: 'webview/ready', params: {} });
  assert.match(await text('waiting'), /Reading the server/);
});

test('renders a real stream report: natscli columns, humanised sizes, near-limit flag, in the command’s order', async () => {
  await showState(streamReport(streams, { subtitle: 'e2e', sort: { by: 'messages' } }));
  await page.getByTestId('report-table').waitFor();
  const heads = await page.locator('[data-testid=report-table] thead th').evaluateAll((ths) => ths.map((t) => t.getAttribute('data-col')));
  // Health right after the name, so it never falls off a narrow window
  assert.deepEqual(heads, ['name', 'health', 'subjects', 'storage', 'replicas', 'consumers', 'messages', 'bytes', 'firstSeq', 'lastSeq', 'lastMessage', 'deleted', 'lost']);
  assert.deepEqual(await rowIds(), ['AUDIT', 'ORDERS', 'SMALL_FULL'], 'messages descending: 120, 25, 10');
  assert.equal(await page.locator('th[data-col=messages]').getAttribute('aria-sort'), 'descending');
  const orders = page.locator('tr[data-row=ORDERS]');
  assert.match(await orders.locator('td[data-col=bytes]').innerText(), /KiB$/);
  assert.equal(await orders.locator('td[data-col=subjects]').innerText(), 'orders.>');
  assert.equal(await orders.locator('td[data-col=consumers]').innerText(), '3');
  assert.match(await orders.locator('[data-testid=description]').innerText(), /every order event/);
  assert.equal(await page.locator('tr[data-row=SMALL_FULL] [data-flag=nearLimit]').count(), 1, 'a stream at max_msgs is flagged');
  assert.match((await page.locator('tr[data-row=SMALL_FULL] [data-flag=nearLimit]').getAttribute('title')) ?? '', /100% of max_msgs/);
  // the flag takes the theme's warning colour
  const color = await page.locator('tr[data-row=SMALL_FULL] [data-flag=nearLimit]').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color);
  assert.notEqual(color, 'rgb(204, 204, 204)', 'not the plain foreground');
  assert.equal(await page.locator('tr[data-row=AUDIT] [data-flag]').count(), 0);
  assert.match(await text('count'), /3 streams · sorted by Messages ↓/);
  assert.deepEqual((await lastRendered())?.sort, { column: 'messages', descending: true });
  assert.deepEqual(await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations), []);
});

test('clicking a header sorts (numbers numerically, bytes by raw size), again reverses; the keyboard sorts too', async () => {
  await showState(streamReport(streams, { subtitle: 'e2e' }));
  await page.getByTestId('report-table').waitFor();
  assert.deepEqual(await rowIds(), ['AUDIT', 'ORDERS', 'SMALL_FULL'], 'by name');
  await page.locator('th[data-col=bytes] button').click();
  assert.deepEqual(await rowIds(), ['ORDERS', 'AUDIT', 'SMALL_FULL'], 'bytes descending, by raw bytes');
  assert.equal(await page.locator('th[data-col=bytes]').getAttribute('aria-sort'), 'descending');
  assert.equal(await page.locator('th[data-col=bytes] .codicon-arrow-down').count(), 1);
  await page.locator('th[data-col=bytes] button').click();
  assert.deepEqual(await rowIds(), ['SMALL_FULL', 'AUDIT', 'ORDERS']);
  assert.equal(await page.locator('th[data-col=bytes]').getAttribute('aria-sort'), 'ascending');
  assert.equal(await page.locator('th[data-col=bytes] .codicon-arrow-up').count(), 1);
  assert.equal(await page.locator('th[data-col=name]').getAttribute('aria-sort'), 'none');
  // keyboard: focus the Messages header button and press Enter, then Space
  await page.locator('th[data-col=messages] button').focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await cellTexts('messages'), ['120', '25', '10']);
  await page.keyboard.press('Space');
  assert.deepEqual(await cellTexts('messages'), ['10', '25', '120']);
  assert.deepEqual((await lastRendered())?.sort, { column: 'messages', descending: false });
});

test('the filter box narrows rows by name, subject or any value, and says when nothing matches', async () => {
  await showState(streamReport(streams, { subtitle: 'e2e' }));
  await page.getByTestId('report-table').waitFor();
  const input = page.locator('vscode-textfield[data-testid=filter] input');
  await input.fill('audit');
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid=report-table] tbody tr').length === 1);
  assert.deepEqual(await rowIds(), ['AUDIT']);
  assert.match(await text('count'), /1 of 3 streams/);
  await input.fill('orders.>');
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('[data-testid=report-table] tbody tr')?.getAttribute('data-row') === 'ORDERS');
  assert.deepEqual(await rowIds(), ['ORDERS']);
  await input.fill('memory');
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid=report-table] tbody tr').length === 2);
  await input.fill('nothing-like-this');
  await page.getByTestId('no-match').waitFor();
  assert.match(await text('no-match'), /No streams match “nothing-like-this”/);
  assert.deepEqual(await lastRendered().then((r) => [r?.rows, r?.shown, r?.filter]), [3, 0, 'nothing-like-this']);
});

test('columns size to the content: names on one line, descriptions in full, Health on screen at 1600 px; columns can be hidden', async () => {
  await page.setViewportSize({ width: 1600, height: 900 });
  const long = 'this stream carries every request the LLM gateway receives, with the prompt, the model and the tenant, for replay and audit';
  const wide = streams.map((s, i) => ({ ...s, name: i === 0 ? 'llm-requests-processing-stream' : s.name, description: i === 0 ? long : s.description, subjects: i === 0 ? ['llm.requests.>', 'llm.responses.>', 'llm.audit.tenant.*.>'] : s.subjects }));
  await showState(streamReport(wide, { subtitle: 'e2e' }));
  await page.getByTestId('report-table').waitFor();
  const name = page.locator('tr[data-row=llm-requests-processing-stream] .report__name');
  const lines = await name.evaluate((el) => {
    const e = el as unknown as { getBoundingClientRect(): { height: number }; ownerDocument: { defaultView: { getComputedStyle(x: unknown): { lineHeight: string; fontSize: string } } } };
    const cs = e.ownerDocument.defaultView.getComputedStyle(el);
    const lh = Number.parseFloat(cs.lineHeight) || Number.parseFloat(cs.fontSize) * 1.4;
    return e.getBoundingClientRect().height / lh;
  });
  assert.ok(lines < 1.5, `the name wraps onto ${lines.toFixed(1)} lines`);
  const desc = page.locator('tr[data-row=llm-requests-processing-stream] [data-testid=description]');
  const box = await desc.evaluate((el) => {
    const e = el as unknown as { scrollHeight: number; clientHeight: number };
    return { scroll: e.scrollHeight, client: e.clientHeight };
  });
  assert.ok(box.scroll <= box.client + 1, `the description scrolls (${box.scroll} > ${box.client})`);
  assert.equal(await desc.innerText(), long, 'shown in full');
  const health = await page.locator('th[data-col=health]').boundingBox();
  assert.ok(health && health.x + health.width <= 1600, `Health is off-screen at x=${health?.x}`);

  // hide Subjects and Lost; they go, and stay gone after a refresh of the state
  await page.getByTestId('columns').locator('summary').click();
  await page.locator('[data-testid=columns] input[data-col=subjects]').uncheck();
  await page.locator('[data-testid=columns] input[data-col=lost]').uncheck();
  assert.equal(await page.locator('[data-testid=report-table] [data-col=subjects]').count(), 0);
  assert.equal(await page.locator('[data-testid=report-table] [data-col=lost]').count(), 0);
  assert.match(await page.getByTestId('columns').locator('summary').innerText(), /Columns \(10 of 12\)/);
  assert.equal(await page.locator('[data-testid=columns] input[data-col=name]').isDisabled(), true, 'the name stays');
  await showState(streamReport(wide, { subtitle: 'e2e again' }));
  await page.getByTestId('report-table').waitFor();
  assert.equal(await page.locator('[data-testid=report-table] [data-col=subjects]').count(), 0, 'still hidden after new rows');
  await page.getByTestId('columns').locator('summary').click();
  await page.locator('[data-testid=columns] input[data-col=subjects]').check();
  assert.ok((await page.locator('[data-testid=report-table] td[data-col=subjects]').count()) > 0);
});

test('a consumer report shows mode, type, ack policy, filter, pending and the paused flag; Refresh asks the host and keeps the sort', async () => {
  await showState(consumerReport('ORDERS', consumers, { subtitle: 'e2e · stream ORDERS' }));
  await page.getByTestId('report-table').waitFor();
  assert.equal(await text('title'), 'Consumer report: ORDERS');
  const heads = await page.locator('[data-testid=report-table] thead th').evaluateAll((ths) => ths.map((t) => t.getAttribute('data-col')));
  assert.deepEqual(heads, ['name', 'health', 'mode', 'type', 'ackPolicy', 'filter', 'pending', 'ackPending', 'redelivered', 'waiting', 'lastActive', 'paused']);
  const proc = page.locator('tr[data-row=PROCESSOR]');
  assert.equal(await proc.locator('td[data-col=mode]').innerText(), 'durable');
  assert.equal(await proc.locator('td[data-col=type]').innerText(), 'pull');
  assert.equal(await proc.locator('td[data-col=ackPolicy]').innerText(), 'explicit');
  assert.equal(await proc.locator('td[data-col=filter]').innerText(), 'orders.eu.>');
  assert.equal(await proc.locator('td[data-col=pending]').innerText(), '25');
  assert.equal(await page.locator('tr[data-row=BILLING] td[data-col=pending]').innerText(), '1');
  assert.equal(await page.locator('tr[data-row=IDLE] [data-flag=paused]').count(), 1);
  // relative in the cell, the exact local time in its tooltip (no raw ISO)
  assert.match(await page.locator('tr[data-row=IDLE] td[data-col=paused]').innerText(), /^for (59m|1h)/);
  const pausedTitle = (await page.locator('tr[data-row=IDLE] td[data-col=paused]').getAttribute('title')) ?? '';
  assert.match(pausedTitle, /^until /);
  assert.doesNotMatch(pausedTitle, /\d{4}-\d{2}-\d{2}T/);
  await page.locator('th[data-col=pending] button').click();
  assert.deepEqual(await rowIds(), ['PROCESSOR', 'BILLING', 'IDLE']);

  await page.getByTestId('refresh').click();
  const req = await waitForRequest('report/refresh');
  const grown = consumers.map((c) => (c.name === 'BILLING' ? { ...c, numPending: 500, health: 'behind' as const, healthReason: 'pending grew from 1 to 500 since the last refresh' } : c));
  await post({ kind: 'response', id: req.id, method: 'report/refresh', ok: true, result: consumerReport('ORDERS', grown, { subtitle: 'e2e · stream ORDERS' }) });
  await page.getByText('Refreshed: 3 consumers.').waitFor();
  assert.deepEqual(await rowIds(), ['BILLING', 'PROCESSOR', 'IDLE'], 'still sorted by pending after the refresh');
  assert.equal(await page.locator('tr[data-row=BILLING] [data-flag=behind]').count(), 1);
  // a failed refresh is shown, and the last rows stay
  await page.getByTestId('refresh').click();
  const again = await waitForRequest('report/refresh');
  await post({ kind: 'response', id: again.id, method: 'report/refresh', ok: false, error: { code: 'handlerFailed', message: 'JetStream did not answer in time. Is the server overloaded?' } });
  assert.match(await text('error-banner'), /did not answer in time/);
  assert.equal(await page.locator('[data-testid=report-table] tbody tr').count(), 3);
});

test('clustered rows get leader and lag columns and replica flags', async () => {
  const clustered = streams.map((s) =>
    s.name === 'ORDERS'
      ? { ...s, replicas: 3, cluster: { name: 'east', leader: 'n1', replicas: [{ name: 'n2', current: true, offline: false, lag: 0, activeMs: 10 }, { name: 'n3', current: false, offline: true, lag: 0, activeMs: 90_000 }] } }
      : s,
  );
  await showState(streamReport(clustered, { subtitle: 'e2e' }));
  await page.getByTestId('report-table').waitFor();
  assert.equal(await page.locator('th[data-col=leader]').count(), 1);
  assert.equal(await page.locator('tr[data-row=ORDERS] td[data-col=leader]').innerText(), 'n1');
  assert.equal(await page.locator('tr[data-row=ORDERS] td[data-col=lag]').innerText(), 'offline');
  assert.equal(await page.locator('tr[data-row=ORDERS] [data-flag=replicaOffline]').count(), 1);
});

test('hostile strings in stream, subject, consumer names and descriptions render as text and never run', async () => {
  const hostile = streamReport(
    streams.map((s, i) => ({ ...s, name: i === 0 ? PWN : s.name, description: PWN_SCRIPT, subjects: [PWN] })),
    { subtitle: PWN },
  );
  await showState(hostile);
  await page.getByTestId('report-table').waitFor();
  const c = consumerReport(PWN_SCRIPT, consumers.map((x) => ({ ...x, name: `${x.name}${PWN}`, description: PWN, filterSubjects: [PWN_SCRIPT] })), { subtitle: PWN_SCRIPT });
  await page.waitForTimeout(200);
  assert.ok((await page.locator('[data-testid=report-table] tbody').innerText()).includes(PWN));
  assert.ok((await text('subtitle')).includes(PWN));
  assert.ok((await page.locator('[data-testid=description]').first().innerText()).includes(PWN_SCRIPT));
  await showState(c);
  await page.getByText('Consumer report: <script>', { exact: false }).waitFor();
  await page.waitForTimeout(300); // time for any injected handler to fire
  assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned), undefined);
  assert.equal(await page.locator('#root img').count(), 0, 'no <img> was created from message text');
  assert.equal(await page.locator('#root script').count(), 0);
  assert.ok((await cellTexts('filter')).every((t) => t === PWN_SCRIPT));
  assert.ok((await cellTexts('name')).some((t) => t.includes(PWN)));
});

test('malformed payloads show the error state, are reported, and keep the last good rows', async () => {
  await showState(streamReport(streams, { subtitle: 'e2e' }));
  await page.getByTestId('report-table').waitFor();
  const good = streamReport(streams, { subtitle: 'e2e' });
  const cases: [unknown, RegExp][] = [
    [{ ...good, rows: 'nope' }, /rows: expected an array/],
    [{ ...good, rows: [{ ...good.rows[0], cells: good.rows[0]!.cells.slice(1) }] }, /rows\[0\]\.cells: expected 13 cells|rows\[0\]\.cells: expected 12 cells/],
    [{ ...good, rows: [{ ...good.rows[0], flags: [{ kind: 'onfire', label: 'x' }] }] }, /flags\[0\]\.kind: expected one of/],
    [{ ...good, columns: [{ id: 'x" onclick="', title: 'x', numeric: false }] }, /columns\[0\]\.id: not a column id/],
    [{ ...good, kind: 'buckets' }, /kind: expected one of streams\|consumers/],
  ];
  for (const [params, why] of cases) {
    await post({ kind: 'notification', method: 'report/state', params });
    assert.match(await text('error-banner'), why);
    await page.locator('[data-testid=error-banner] button').click();
  }
  for (const raw of ['<b>hi</b>', null, 42, { kind: 'notification', method: 'not namespaced' }]) {
    await post(raw);
    await page.getByTestId('error-banner').waitFor({ timeout: 5_000 });
    await page.locator('[data-testid=error-banner] button').click();
  }
  assert.deepEqual(await rowIds(), ['AUDIT', 'ORDERS', 'SMALL_FULL'], 'the last good rows stay');
  const errors = (await sent()).filter((m) => m.method === 'webview/error').map((m) => (m.params as { message: string }).message);
  assert.ok(errors.some((e) => e.includes('rows: expected an array')), errors.join('\n'));
});

test('a reloaded webview restores rows, sort and filter from setState', async () => {
  await showState(streamReport(streams, { subtitle: 'e2e' }));
  await page.getByTestId('report-table').waitFor();
  await page.locator('th[data-col=messages] button').click();
  await page.locator('vscode-textfield[data-testid=filter] input').fill('memory');
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid=report-table] tbody tr').length === 2);
  const saved = await hp.state();
  await page.addInitScript((s) => {
    (globalThis as unknown as PageGlobals).__state = s;
  }, saved as never);
  await page.reload();
  await page.getByTestId('report-table').waitFor();
  assert.deepEqual(await rowIds(), ['AUDIT', 'SMALL_FULL'], 'filter "memory" and messages descending survive');
  assert.equal(await page.locator('vscode-textfield[data-testid=filter]').evaluate((el) => (el as unknown as { value: string }).value), 'memory');
  assert.equal(await page.locator('th[data-col=messages]').getAttribute('aria-sort'), 'descending');
});

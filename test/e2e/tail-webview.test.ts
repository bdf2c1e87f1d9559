/**
 * The BUILT tail webview (dist/webview/tail.js) in real Chromium under the extension's HTML
 * and CSP, fed the way the host feeds it: a hostile corpus published to a real nats-server,
 * read back by a real stream tail and turned into rows by the host's own `toRow`. Nothing in
 * a message may become markup, run, or load anything; invalid UTF-8 and control/bidi
 * characters stay visible; the panel stays responsive at volume (frame times measured);
 * pausing holds rows without losing any.
 *
 * Run after `node scripts/build.mjs`: node --import tsx --test test/e2e/tail-webview.test.ts
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { encode as msgpack } from '@msgpack/msgpack';
import type { TailRowView, TailStateView } from '../../src/shared/protocol';
import { toRow } from '../../src/vscode/tail/rows';
import { formatClockTime, formatTimestamp, setDisplayLocale } from '../../src/core/time';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { TailProbe } from '../helpers/tailProbe';
import { feedTailPanel } from './tailFeed';
import { PWN, PWN_SCRIPT, startWebviewHarness, type HarnessPage, type PageGlobals, type WebviewHarness } from './webviewHarness';

let harness: WebviewHarness;
let hp: HarnessPage;
let page: Page;
let server: NatsServer;
let nc: NatsConnection;
let corpus: TailRowView[] = [];

const enc = new TextEncoder();
const state: TailStateView = { title: 'Tail: stream HOSTILE', source: 'stream HOSTILE (all)', kind: 'stream', mode: 'ordered consumer', bufferSize: 100_000, defaultSubject: 'hostile.x', specJson: '{"kind":"stream","stream":"HOSTILE"}' };

const HOSTILE: [string, Uint8Array, [string, string][]][] = [
  ['hostile.script', enc.encode(PWN_SCRIPT), [['X-Evil', PWN]]],
  ['hostile.img', enc.encode(PWN), [['X-Script', PWN_SCRIPT]]],
  ['hostile.jsurl', enc.encode('<a href="javascript:window.__pwned=3">click</a>'), [['Link', 'javascript:window.__pwned=4']]],
  ['hostile.svg', enc.encode('<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=5"><script>window.__pwned=6</script></svg>'), []],
  ['hostile.bidi', enc.encode('user\u202Egnp.exe\u200B\u2066zero\u200Dwidth\uFEFF'), [['X-Bidi', '\u202Eevil']]],
  ['hostile.json', enc.encode(JSON.stringify({ html: PWN, nested: { script: PWN_SCRIPT, list: [1, 2, { svg: '<svg onload=alert(1)>' }] } })), []],
  ['hostile.utf8', new Uint8Array([0x6f, 0x6b, 0x20, 0xc3, 0x28, 0xff, 0xfe, 0x20, 0xe2, 0x82, 0x20, 0x41]), []],
  ['hostile.ctrl', enc.encode('bell\u0007 esc\u001b[31mred\u001b[0m nul\u0000 del\u007f'), []],
  ['hostile.msgpack', msgpack({ kind: 'order', html: PWN, n: 42 }), []],
  ['hostile.longline', enc.encode('L'.repeat(1_000_000)), []],
  ['hostile.binary', new Uint8Array(1_000_000).map((_, i) => (i * 7919) & 0xff), []],
];

before(async () => {
  harness = await startWebviewHarness('tail', { title: state.title });
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'HOSTILE', subjects: ['hostile.>'] });
  const js = jetstream(nc);
  for (const [subject, data, hs] of HOSTILE) {
    const h = headers();
    for (const [k, v] of hs) h.append(k, v);
    await js.publish(subject, data, hs.length ? { headers: h } : {});
  }
  const probe = await TailProbe.open(nc, { kind: 'stream', stream: 'HOSTILE', from: 'all' });
  await probe.untilMessages(HOSTILE.length);
  await probe.session.close();
  corpus = probe.events.map((e, i) => toRow(i + 1, e));
  hp = await harness.newPage();
  page = hp.page;
  await hp.post({ kind: 'notification', method: 'tail/state', params: state });
});

after(async () => {
  await harness?.close();
  await nc?.close();
  await server?.stop();
});

async function pwned(): Promise<unknown> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned);
}

async function foreignElements(): Promise<number> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as PageGlobals).document;
    return d.querySelectorAll('main img, main iframe, main object, main embed, main script, main a[href], main [onload], main [onerror], main [onclick], main svg:not(.tail-spark)').length;
  });
}

test('the hostile corpus renders as text: nothing runs, nothing loads, no markup appears', async () => {
  await hp.post({ kind: 'notification', method: 'tail/append', params: { rows: corpus, received: corpus.length, skipped: 0 } });
  await page.getByTestId('row').first().waitFor();
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid=row]').length >= 5);
  assert.equal(await pwned(), undefined);
  assert.equal(await foreignElements(), 0);
  assert.ok((await hp.text('list')).includes('<img src=x onerror'), 'the markup shows as text');
  // open every row in every payload view
  const rows = page.getByTestId('row');
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    await rows.nth(i).click();
    for (const v of ['auto', 'json', 'text', 'hex', 'base64', 'msgpack']) await page.getByTestId(`view-${v}`).click();
  }
  assert.equal(await pwned(), undefined);
  assert.equal(await foreignElements(), 0);
  assert.deepEqual(await hp.cspViolations(), []);
});

test('invalid UTF-8 bytes and control/bidi characters stay visible in the detail pane', async () => {
  const firstMessage = () => page.locator('[data-testid=row][data-kind=msg]').first().click();
  await page.getByTestId('subject-filter').fill('hostile.utf8');
  await firstMessage();
  await page.getByTestId('view-text').click();
  const t = await hp.text('payload-text');
  assert.match(t, /ok \\xc3\(\\xff\\xfe \\xe2\\x82 A/);
  await page.getByTestId('subject-filter').fill('hostile.bidi');
  await firstMessage();
  await page.getByTestId('view-text').click();
  const b = await hp.text('payload-text');
  assert.ok(b.includes('\\u{202e}') && b.includes('\\u{200b}'), b);
  assert.ok(!b.includes('\u202E'), 'no raw bidi override reaches the page text');
  await page.getByTestId('subject-filter').fill('hostile.msgpack');
  await firstMessage();
  await page.getByTestId('view-auto').click();
  assert.match(await hp.text('payload-msgpack'), /order/);
  await page.getByTestId('subject-filter').fill('');
});

test('text filter searches headers as well as payloads', async () => {
  await page.getByTestId('text-filter').fill('evil');
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid=row][data-kind=msg]').length === 2);
  await page.getByTestId('text-filter').fill('');
});

test('at 50,000 msg/s the panel stays responsive: p95 frame time measured in Chromium', async () => {
  // the host's pace: a batch every 100 ms; 5,000 rows a batch = 50,000 rows/s for 4 s, made in
  // a worker (a harness of its own: the hostile-corpus pages keep the panel's CSP, no workers)
  const loadHarness = await startWebviewHarness('tail', { title: state.title, workers: true });
  try {
    const loaded = await loadHarness.newPage();
    const lp = loaded.page;
    await loaded.post({ kind: 'notification', method: 'tail/state', params: state });
    const result = await feedTailPanel(lp, 5000);
    const frames = result.frames.sort((a, b) => a - b);
    const p95 = frames[Math.floor(frames.length * 0.95)] ?? 0;
    const p50 = frames[Math.floor(frames.length * 0.5)] ?? 0;
    console.log(`tail panel at ${Math.round(200_000 / result.seconds).toLocaleString()} rows/s: ${frames.length} frames, p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${frames.at(-1)?.toFixed(1)} ms`);
    assert.ok(frames.length > 20, 'frames kept coming while rows arrived');
    // the goal is p95 under 50 ms (issue 9), measured on the production build by
    // bench/tailPanel.bench.ts; here, on whatever build is in dist/, the check is that no
    // stretch of frames freezes
    assert.ok(p95 < 750, `p95 frame time ${p95.toFixed(1)} ms`);
    // the buffer (100,000 in this state) keeps the newest rows and counts the rest as dropped
    await lp.waitForFunction(() => /100,000 shown/.test((globalThis as unknown as PageGlobals).document.querySelector('[data-testid=counts]')?.textContent ?? ''));
    assert.match(await loaded.text('counts'), /100,000 dropped/);
    await lp.getByTestId('text-filter').fill('load.3');
    await lp.waitForFunction(() => /10,000 of 100,000 shown/.test((globalThis as unknown as PageGlobals).document.querySelector('[data-testid=counts]')?.textContent ?? ''));
  } finally {
    await loadHarness.close();
  }
});

test('pause holds what arrives (and counts it) without losing any; resume shows all', async () => {
  hp = await harness.newPage();
  page = hp.page;
  await hp.post({ kind: 'notification', method: 'tail/state', params: state });
  const mk = (from: number, n: number): TailRowView[] =>
    Array.from({ length: n }, (_, i) => ({ id: 2_000_000 + from + i, kind: 'msg' as const, time: new Date().toISOString(), subject: 'p.x', seq: from + i, size: 1, headers: [], data: 'QQ==', stream: 'P' }));
  await hp.post({ kind: 'notification', method: 'tail/append', params: { rows: mk(1, 10), received: 10, skipped: 0 } });
  await page.getByTestId('pause').click();
  await hp.post({ kind: 'notification', method: 'tail/append', params: { rows: mk(11, 25), received: 35, skipped: 0 } });
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('[data-testid=held]')?.textContent?.includes('25 waiting'));
  assert.match(await hp.text('counts'), /^10 shown/);
  const whilePaused = (await hp.state()) as { lastSeq?: number; lastTime?: string; paused?: boolean };
  assert.equal(whilePaused.lastSeq, 10, 'held rows are not saved as shown: a reload while paused reads them again');
  assert.equal(whilePaused.paused, true);
  assert.ok(whilePaused.lastTime && !Number.isNaN(Date.parse(whilePaused.lastTime)), 'the time of the last shown row is saved (a restored subject tail says since when it missed messages)');
  await page.getByTestId('pause').click();
  await page.waitForFunction(() => /^35 shown/.test((globalThis as unknown as PageGlobals).document.querySelector('[data-testid=counts]')?.textContent ?? ''));
  const seqs = await page.evaluate(() => ((globalThis as unknown as PageGlobals).__state as { lastSeq?: number }).lastSeq);
  assert.equal(seqs, 35, 'the saved state knows where the tail was (for resuming after a reload)');
});

test('times read as the explorer shows them: the detail pane in the one time format, the list column whole; JSON folds say "1 key" and "1 item"', async () => {
  const hp2 = await harness.newPage();
  const page2 = hp2.page;
  await hp2.post({ kind: 'notification', method: 'tail/state', params: { ...state, locale: 'en-US' } });
  const time = '2026-11-30T22:58:58.123456789Z';
  const data = Buffer.from(JSON.stringify({ one: { only: 1 }, list: ['x'], many: { a: 1, b: 2 } })).toString('base64');
  const row: TailRowView = { id: 1, kind: 'kv', time, subject: 'cfg.mode', seq: 7, size: 40, headers: [], data, op: 'put', phase: 'live', prev: null, stream: 'cfg' };
  await hp2.post({ kind: 'notification', method: 'tail/append', params: { rows: [row], received: 1, skipped: 0 } });
  await page2.getByTestId('row').first().click();
  setDisplayLocale('en-US');
  const detailTime = (await page2.getByTestId('detail-time').textContent()) ?? '';
  assert.equal(detailTime, formatTimestamp(time), 'the explorer\'s format (same function, same locale)');
  assert.ok(!(await page2.getByTestId('detail').textContent())?.includes('2026-11-30T'), 'no raw ISO time in the detail pane');
  // the list shows the clock time whole: nothing cut off by the column
  const cell = await page2.evaluate(() => {
    const el = (globalThis as unknown as PageGlobals).document.querySelector('[data-testid=row] .tail-col--time') as unknown as { textContent: string; scrollWidth: number; clientWidth: number };
    return { text: el.textContent, scroll: el.scrollWidth, client: el.clientWidth };
  });
  assert.equal(cell.text, formatClockTime(time));
  assert.match(cell.text, /:58:58\.123/);
  assert.ok(cell.scroll <= cell.client, `the time column shows "${cell.text}" whole (${cell.scroll} px of text in ${cell.client} px)`);
  const summaries = await page2.locator('[data-testid=payload-json] summary').allTextContents();
  assert.ok(summaries.some((t) => t.includes('{ 1 key }')), summaries.join(' | '));
  assert.ok(summaries.some((t) => t.includes('[ 1 item ]')), summaries.join(' | '));
  assert.ok(summaries.some((t) => t.includes('{ 2 keys }')), summaries.join(' | '));
  assert.ok(summaries.some((t) => t.includes('{ 3 keys }')), summaries.join(' | '));
});

/**
 * A stream tailed from "Last per subject" with no filter shows the newest message of each
 * subject (nats-server refuses that start without a filter unless the tail gives one), and
 * closing its panel leaves no consumer. A KV watch survives a real window reload (code-server + Chromium): opened from the palette,
 * it shows the live marker and a change; after "Developer: Reload Window" VS Code hands the panel back
 * through the serializer with what the webview saved, and the watch resumes from the last
 * revision it showed (a "resumed" marker, no replay of the current values) and the next change
 * is still a transition from the value before the reload (re-read from the bucket). When the
 * server goes away and comes back, a stream tail's markers on screen name the server it lost
 * and the one it is back on.
 *
 *   node scripts/build.mjs && node --import tsx --test test/ui/tail.test.ts
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { consumerNames } from '../helpers/tailProbe';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { answerInputBox, answerQuickPick, localConnected, quickInput, say, startUiConnected, uiTest, webview, wb, type Ui } from './harness';
import type { Page } from 'playwright-core';

let nats: NatsServer;
let nc: NatsConnection;
let kv: KV;
let ui: Ui | undefined;

before(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  kv = await new Kvm(nc).create('uiflags', { history: 5 });
  await kv.put('color', 'red');
  await (await jetstreamManager(nc)).streams.add({ name: 'LPSUI', subjects: ['lpsui.a.*', 'lpsui.b'] });
  const js = jetstream(nc);
  for (const [s, d] of [['a.1', 'a1'], ['b', 'b1'], ['a.2', 'a2'], ['a.1', 'a1 again'], ['b', 'b2']]) await js.publish(`lpsui.${s}`, d!);
  say(`nats-server ${nats.version} ${nats.url}`);
  ui = await startUiConnected(nats);
});

/** "NATS: Open Tail…" → Stream, the way a person answers its prompts (no filter). */
async function openStreamTail(page: Page, stream: string, start: string): Promise<void> {
  await wb.runCommand(page, 'NATS: Open Tail…');
  await answerQuickPick(page, 'NATS: Open Tail', 'Stream');
  await answerInputBox(page, 'Tail stream', stream);
  await answerQuickPick(page, 'Tail: where to start', start);
  await answerInputBox(page, /Filter subjects/, '');
  await quickInput(page).waitFor({ state: 'hidden' });
}

after(async () => {
  await ui?.stop();
  await nc?.close();
  await nats?.stop();
});

uiTest(
  () => ui,
  'a stream tail from "Last per subject" with no filter shows the newest message of each subject, and closing it leaves no consumer',
  async (page) => {
    await openStreamTail(page, 'LPSUI', 'Last per subject');
    const view = webview(page);
    const rows = view.locator('[data-testid=row][data-kind=msg]');
    await rows.nth(2).waitFor({ timeout: 45_000 });
    const jsm = await jetstreamManager(nc);
    assert.equal((await consumerNames(jsm, 'LPSUI')).length, 1, 'one consumer while the panel is open');
    const texts = await rows.allInnerTexts();
    assert.equal(texts.length, 3, texts.join(' | '));
    for (const [i, want] of [/lpsui\.a\.2[\s\S]*\ba2\b/, /lpsui\.a\.1[\s\S]*a1 again/, /lpsui\.b[\s\S]*\bb2\b/].entries()) assert.match(texts[i]!, want);
    await wb.runCommand(page, 'View: Close All Editors');
    for (let i = 0; i < 100 && (await consumerNames(jsm, 'LPSUI')).length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await consumerNames(jsm, 'LPSUI'), [], 'no consumer once the panel is closed');
  },
  { timeout: 120_000 },
);

uiTest(
  () => ui,
  'a KV watch comes back after a window reload where it was: resumed marker, no replayed values, and the next change shows the value from before the reload',
  async (page) => {
    await wb.runCommand(page, 'NATS: Open Tail…');
    await answerQuickPick(page, 'NATS: Open Tail', 'KV bucket');
    await answerInputBox(page, 'Watch KV bucket', 'uiflags');
    await answerInputBox(page, 'Keys to watch', '');
    await quickInput(page).waitFor({ state: 'hidden' });
    const view = webview(page);
    await view.getByTestId('marker-live').waitFor({ timeout: 45_000 });
    const green = await kv.put('color', 'green');
    await view.locator('[data-testid=row][data-kind=kv]').filter({ hasText: 'green' }).filter({ hasText: 'live' }).waitFor({ timeout: 30_000 });

    say('reloading the window');
    // the workbench's own reload: it saves the open editors (and webview state) first
    await wb.runCommand(page, 'Developer: Reload Window');
    await localConnected(page, nats).waitFor({ timeout: 60_000 });
    const restored = webview(page);
    const resumed = restored.getByTestId('marker-resumed');
    await resumed.waitFor({ timeout: 60_000 });
    assert.match(await resumed.innerText(), new RegExp(`from revision ${green + 1}`));
    await restored.getByTestId('marker-live').waitFor({ timeout: 30_000 });
    assert.equal(await restored.locator('[data-testid=row][data-kind=kv]').count(), 0, 'nothing the panel showed before the reload is replayed');

    const blue = await kv.put('color', 'blue');
    const row = restored.locator('[data-testid=row][data-kind=kv]').filter({ hasText: 'blue' });
    await row.waitFor({ timeout: 30_000 });
    const text = await row.innerText();
    assert.match(text, new RegExp(`@${green} green → blue`), `a transition from the value before the reload: ${text}`);
    assert.match(text, /live/);
    assert.match(text, new RegExp(`\\b${blue}\\b`));
  },
  { timeout: 180_000 },
);

uiTest(
  () => ui,
  'a stream tail whose server restarts shows, on screen, which server it lost and which one it is back on',
  async (page) => {
    await wb.runCommand(page, 'View: Close All Editors');
    await openStreamTail(page, 'LPSUI', 'All messages');
    const view = webview(page);
    await view.locator('[data-testid=row][data-kind=msg]').nth(4).waitFor({ timeout: 45_000 });
    const at = `127.0.0.1:${nats.port} (${nats.serverName})`;
    say(`killing ${at}`);
    await nats.kill();
    try {
      const lost = view.getByTestId('marker-reconnecting').first();
      await lost.waitFor({ timeout: 30_000 });
      assert.match(await lost.innerText(), new RegExp(`disconnected from ${escape(at)}; reconnecting \\(last sequence 5\\)`));
    } finally {
      await nats.start();
    }
    const back = view.getByTestId('marker-resumed').first();
    await back.waitFor({ timeout: 30_000 });
    assert.match(await back.innerText(), new RegExp(`resumed at stream sequence 6 on ${escape(at)}(?!;)`));
    await wb.runCommand(page, 'View: Close All Editors');
    // a connection of our own: the file's may still be waiting to reconnect
    const fresh = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(fresh);
      for (let i = 0; i < 100 && (await consumerNames(jsm, 'LPSUI')).length; i++) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(await consumerNames(jsm, 'LPSUI'), [], 'no consumer once the panel is closed');
    } finally {
      await fresh.close();
    }
  },
  { timeout: 180_000 },
);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Tails in a real VS Code: a stream tail opened the way the explorer's "Tail…" opens it shows
 * messages as they arrive (the webview says what it rendered), a KV key "Watch" shows the live
 * marker and then a transition, and closing the panels leaves no consumer on the server.
 * Pausing holds rows in the webview while the tail keeps reading, and resuming shows them all;
 * after a reload a KV watch resumes from the last revision it showed (changes made meanwhile
 * come as replayed transitions, never as live) and a subject tail listens again and says
 * what it missed. (test/e2e/tail-webview.test.ts clicks the pause button itself.)
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { api, extension, waitFor } from '../helpers/vscodeSuite';
import { TAIL_VIEW_TYPE, TailPanel } from '../../src/vscode/tail';
import type { TailDeps } from '../../src/vscode/tail/tailPanel';
import { jetStreamOptions } from '../../src/nats/profile';
import type { KvChange, TailEvent } from '../../src/core/tail/events';

suite('Tail panels', function () {
  this.timeout(120_000);
  let server: NatsServer;
  let nc: NatsConnection;

  suiteSetup(async () => {
    server = await startNatsServer({ serverName: 'vscode-tail' });
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
    const js = jetstream(nc);
    for (let i = 1; i <= 20; i++) await js.publish(`orders.${i}`, `order ${i}`);
    const kv = await new Kvm(nc).create('cfg');
    await kv.put('mode', 'blue');
    const a = await api();
    await vscode.commands.executeCommand('natsFlow.connection.add', { name: 'tail', servers: server.url });
    assert.equal(a.connections.current.state, 'connected');
  });

  suiteTeardown(async () => {
    for (const p of (await api()).tail?.panels() ?? []) p.dispose();
    await (await api()).connections.disconnect();
    await vscode.commands.executeCommand('natsFlow.connection.remove', 'user:tail', { confirmed: true });
    await nc?.close();
    await server?.stop();
  });

  test('a stream tail from the explorer shows stored and new messages, and closing it removes its consumer', async () => {
    const a = await api();
    const node = { kind: 'stream', profileId: 'user:tail', stream: { name: 'ORDERS' } };
    const panel = await vscode.commands.executeCommand<TailPanel>('natsFlow.tail.stream', node, { from: 'all', filters: [] });
    assert.ok(panel, 'the command opened a panel');
    assert.ok(a.tail?.panels().includes(panel));
    await waitFor('the webview to render the 20 stored messages', () => (panel.lastRendered?.rows ?? 0) >= 21 && panel.lastRendered, 60_000);
    const js = jetstream(nc);
    for (let i = 21; i <= 70; i++) await js.publish(`orders.${i}`, `order ${i}`);
    const r = await waitFor('the 50 new messages', () => (panel.lastRendered?.rows ?? 0) >= 71 && panel.lastRendered, 30_000);
    assert.equal(r.paused, false);
    const seqs = panel.session!.ring.toArray().flatMap((e) => (e.kind === 'msg' ? [e.seq] : []));
    assert.deepEqual(seqs, Array.from({ length: 70 }, (_, i) => i + 1), 'every message once, in order');
    const jsm = await jetstreamManager(nc);
    const consumers = async () => {
      const out: string[] = [];
      for await (const c of jsm.consumers.list('ORDERS')) out.push(c.name);
      return out;
    };
    assert.equal((await consumers()).length, 1);
    panel.dispose();
    await panel.closed();
    assert.deepEqual(await consumers(), []);
  });

  test('watching a KV key shows the live marker and then a transition with both revisions', async () => {
    const node = { kind: 'kvKey', profileId: 'user:tail', bucket: 'cfg', key: 'mode' };
    const panel = await vscode.commands.executeCommand<TailPanel>('natsFlow.tail.watch', node);
    assert.ok(panel);
    await waitFor('the live marker to render', () => panel.lastRendered?.live, 60_000);
    await (await new Kvm(nc).open('cfg')).put('mode', 'green');
    const change = await waitFor('the live change', () => panel.session!.ring.toArray().find((e) => e.kind === 'kv' && e.phase === 'live'), 30_000);
    assert.ok(change.kind === 'kv');
    assert.equal(change.revision, 2);
    assert.equal(change.prev?.revision, 1);
    assert.equal(new TextDecoder().decode(change.prev!.value!), 'blue');
    assert.equal(new TextDecoder().decode(change.value!), 'green');
    await waitFor('the webview to render it', () => (panel.lastRendered?.rows ?? 0) >= 4, 30_000);
    panel.dispose();
    await panel.closed();
  });

  const text = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : null);
  const deps = async (): Promise<TailDeps> => {
    const a = await api();
    return { connection: () => a.connections.connection(), jetStreamOptions: () => jetStreamOptions(a.connections.current.profile) };
  };
  /** What the webview saves for a restore (app.tsx's setState), from what it last reported. */
  const savedOf = (p: TailPanel) => ({ view: p.viewState, lastSeq: p.lastRendered?.lastSeq, lastTime: p.lastRendered?.lastTime, paused: p.lastRendered?.paused });
  const restoreInto = async (saved: unknown) => {
    const panel = vscode.window.createWebviewPanel(TAIL_VIEW_TYPE, 'restored', vscode.ViewColumn.One, {});
    const p = await TailPanel.restore(panel, extension().extensionUri, saved, await deps());
    assert.ok(p, 'the saved state named a tail');
    return p;
  };

  test('pause holds new messages in the panel (counted, the list does not move) while the tail keeps reading; resume shows every one in order', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'PAUSE', subjects: ['pause.>'] });
    const js = jetstream(nc);
    const panel = await vscode.commands.executeCommand<TailPanel>('natsFlow.tail.stream', { stream: { name: 'PAUSE' } }, { from: 'all', filters: [] });
    for (let i = 1; i <= 5; i++) await js.publish(`pause.${i}`, `before ${i}`);
    const before = await waitFor('5 messages shown', () => panel.lastRendered?.lastSeq === 5 && panel.lastRendered, 60_000);
    panel.setPaused(true);
    await waitFor('the panel to pause', () => panel.lastRendered?.paused, 30_000);
    const N = 40;
    for (let i = 6; i < 6 + N; i++) await js.publish(`pause.${i}`, `while paused ${i}`);
    const held = await waitFor(`${N} held`, () => panel.lastRendered?.held === N && panel.lastRendered, 30_000);
    assert.equal(held.rows, before.rows, 'the list did not move while paused');
    assert.equal(held.lastSeq, 5, 'held rows are not counted as shown (a reload while paused would read them again)');
    assert.equal(panel.session!.isClosed, false);
    panel.setPaused(false);
    const after = await waitFor('the held rows shown', () => panel.lastRendered?.paused === false && panel.lastRendered, 30_000);
    assert.equal(after.held, 0);
    assert.equal(after.rows, before.rows + N, 'every held message reached the list');
    assert.equal(after.lastSeq, 5 + N);
    const seqs = panel.session!.ring.toArray().flatMap((e) => (e.kind === 'msg' ? [e.seq] : []));
    assert.deepEqual(seqs, Array.from({ length: 5 + N }, (_, i) => i + 1), 'nothing lost, nothing twice, in order');
    panel.dispose();
    await panel.closed();
  });

  test('a KV watch restored after a reload resumes from the last revision it showed: changes made meanwhile come replayed (not live) as transitions from the values before', async () => {
    const kv = await new Kvm(nc).create('flags', { history: 5 });
    await kv.put('a', 'a1');
    await kv.put('b', 'b1');
    const first = await vscode.commands.executeCommand<TailPanel>('natsFlow.tail.watch', { bucket: 'flags' });
    await waitFor('the live marker', () => first.lastRendered?.live, 60_000);
    const a2 = await kv.put('a', 'a2');
    await waitFor('a=a2 shown', () => first.lastRendered?.lastSeq === a2 && first.lastRendered, 30_000);
    const saved = savedOf(first);
    first.dispose();
    await first.closed();
    // while the window is closed
    const a3 = await kv.put('a', 'a3');
    const bDel = await (async () => (await kv.delete('b'), (await kv.status()).streamInfo.state.last_seq))();
    const c1 = await kv.put('c', 'c1');

    const panel = await restoreInto(saved);
    assert.equal(panel.viewState.source, 'kv flags', 'the same tail as before, by name');
    await waitFor('the live marker after the catch-up', () => panel.session!.ring.toArray().some((e) => e.kind === 'marker' && e.marker === 'live'), 30_000);
    const a4 = await kv.put('a', 'a4');
    const events = await waitFor('the live change', () => {
      const all = panel.session!.ring.toArray();
      return all.some((e) => e.kind === 'kv' && e.revision === a4) && all;
    }, 30_000);
    const changes = events.filter((e): e is KvChange => e.kind === 'kv');
    assert.deepEqual(changes.map((c) => c.revision), [a3, bDel, c1, a4], 'nothing from before the reload is shown again, nothing missed');
    assert.deepEqual(changes.map((c) => c.phase), ['bootstrap', 'bootstrap', 'bootstrap', 'live'], 'what happened while closed is replayed, not live');
    const [ca3, cb, cc, ca4] = changes as [KvChange, KvChange, KvChange, KvChange];
    assert.deepEqual([ca3.prev?.revision, text(ca3.prev?.value), text(ca3.value)], [a2, 'a2', 'a3'], 'the first change of a key after the reload is a transition from what the panel showed');
    assert.deepEqual([cb.op, cb.prev?.revision, text(cb.prev?.value)], ['delete', 2, 'b1']);
    assert.equal(cc.prev, null, 'a key new since the reload has no previous value');
    assert.deepEqual([ca4.prev?.revision, text(ca4.prev?.value)], [a3, 'a3']);
    const kinds = (es: TailEvent[]) => es.filter((e) => e.kind === 'marker').map((e) => (e as { marker: string }).marker);
    assert.deepEqual(kinds(events), ['resumed', 'mode', 'live'], 'the list starts with where it picked up, then how it reads; each marker once');
    await waitFor('the webview to render the restored rows', () => panel.lastRendered?.lastSeq === a4, 30_000);
    panel.dispose();
    await panel.closed();
  });

  test('a subject tail restored after a reload listens again and says that messages published while the window was closed were not seen', async () => {
    const first = await vscode.commands.executeCommand<TailPanel>('natsFlow.tail.open', { source: 'subject', subject: 'chat.>' });
    await waitFor('the subscription', () => first.session!.ring.toArray().some((e) => e.kind === 'marker' && e.marker === 'note'), 30_000);
    nc.publish('chat.1', 'hello');
    await waitFor('the message shown', () => first.lastRendered?.lastTime, 30_000);
    const saved = savedOf(first);
    first.dispose();
    await first.closed();
    nc.publish('chat.2', 'sent while closed');
    await nc.flush();
    const panel = await restoreInto(saved);
    const gap = await waitFor('the gap marker', () => panel.session?.ring.toArray().find((e) => e.kind === 'marker' && e.marker === 'gap'), 30_000);
    assert.ok(gap.kind === 'marker');
    assert.match(gap.text, /published on chat\.> while the window was closed were not seen/);
    assert.deepEqual(
      panel.session!.ring.toArray().map((e) => (e.kind === 'marker' ? e.marker : e.kind)),
      ['gap', 'note'],
      'the restored tail starts with what it missed, then says it listens; each once',
    );
    nc.publish('chat.3', 'after');
    await waitFor('a new message after the restore', () => panel.session!.ring.toArray().some((e) => e.kind === 'msg' && e.subject === 'chat.3'), 30_000);
    assert.ok(!panel.session!.ring.toArray().some((e) => e.kind === 'msg' && e.subject === 'chat.2'));
    panel.dispose();
    await panel.closed();
  });
});

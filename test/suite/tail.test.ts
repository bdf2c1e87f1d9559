/**
 * Tails in a real VS Code: a stream tail opened the way the explorer's "Tail…" opens it shows
 * messages as they arrive (the webview says what it rendered), a KV key "Watch" shows the live
 * marker and then a transition, and closing the panels leaves no consumer on the server.
 * (Pause/resume is the webview holding rows back; test/e2e/tail-webview.test.ts clicks it.)
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { api, waitFor } from '../helpers/vscodeSuite';
import type { TailPanel } from '../../src/vscode/tail';

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
});

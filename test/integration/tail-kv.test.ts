/**
 * KV watch tails against a real nats-server: the bootstrap/live marker computed by us (empty
 * bucket, trailing delete, history, updates only, resume from a revision), every change a
 * transition with both revisions, tombstones labelled (delete, purge, MaxAge expiry with
 * 2.11+ markers), and a server restart mid-bootstrap that never reports replayed values as live.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { consumerNames, TailProbe, texts } from '../helpers/tailProbe';
import { openTail, type TailSession } from '../../src/nats/tail';
import type { TailEvent } from '../../src/core/tail/events';

/** Index of the live marker in the event list (-1 when absent). */
function liveAt(events: TailEvent[]): number {
  return events.findIndex((e) => e.kind === 'marker' && e.marker === 'live');
}

describe('KV watch tail', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let kvm: Kvm;
  let jsm: JetStreamManager;
  const open: TailSession[] = [];

  async function watch(spec: Omit<Extract<Parameters<typeof openTail>[1], { kind: 'kv' }>, 'kind'>, pullBatch?: number): Promise<TailProbe> {
    const p = await TailProbe.open(nc, { kind: 'kv', ...spec }, pullBatch ? { pullBatch } : {});
    open.push(p.session);
    return p;
  }

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    kvm = new Kvm(nc);
    jsm = await jetstreamManager(nc);
  });

  after(async () => {
    for (const s of open) await s.close();
    await nc?.close();
    await server?.stop();
  });

  test('an empty bucket is live at once, and the first put is a transition from nothing', async () => {
    const kv = await kvm.create('empty');
    const p = await watch({ bucket: 'empty' });
    await p.untilMarker('live', 2000);
    await kv.put('a', 'one');
    await p.until(() => p.changes.length === 1);
    const c = p.changes[0]!;
    assert.equal(c.phase, 'live');
    assert.equal(c.prev, null);
    assert.deepEqual(texts([c.value]), ['one']);
    assert.equal(c.revision, 1);
    assert.ok(liveAt(p.events) < p.events.indexOf(c));
  });

  test('current values replay as bootstrap, then live changes show prev → value with both revisions', async () => {
    const kv = await kvm.create('cfg');
    await kv.put('a', '1'); // rev 1
    await kv.put('b', '1'); // rev 2
    await kv.put('a', '2'); // rev 3
    const p = await watch({ bucket: 'cfg' });
    await p.untilMarker('live');
    assert.deepEqual(p.changes.map((c) => [c.key, c.revision, c.phase]), [['b', 2, 'bootstrap'], ['a', 3, 'bootstrap']]);
    await kv.put('a', '3'); // rev 4
    await p.until(() => p.changes.length === 3);
    const live = p.changes[2]!;
    assert.equal(live.phase, 'live');
    assert.equal(live.revision, 4);
    assert.deepEqual(live.prev && { revision: live.prev.revision, value: texts([live.prev.value])[0] }, { revision: 3, value: '2' });
    assert.deepEqual(texts([live.value]), ['3']);
  });

  test('a trailing delete does not hide the switch to live', async () => {
    const kv = await kvm.create('trail');
    await kv.put('a', 'x');
    await kv.put('b', 'y');
    await kv.delete('b');
    const t0 = Date.now();
    const p = await watch({ bucket: 'trail' });
    await p.untilMarker('live', 2000);
    assert.ok(Date.now() - t0 < 2000, 'the marker came from the data, not a timeout');
    assert.deepEqual(p.changes.map((c) => [c.key, c.op, c.phase]), [['a', 'put', 'bootstrap'], ['b', 'delete', 'bootstrap']]);
    assert.equal(liveAt(p.events), p.events.length - 1);
    await kv.put('b', 'z');
    await p.until(() => p.changes.length === 3);
    assert.equal(p.changes[2]!.phase, 'live');
    assert.equal(p.changes[2]!.prev?.value, null, 'the previous entry was the delete tombstone');
    assert.equal(p.changes[2]!.prev?.revision, 3);
  });

  test('history replays every kept revision as a chain of transitions, then goes live', async () => {
    const kv = await kvm.create('hist', { history: 5 });
    for (const v of ['v1', 'v2', 'v3']) await kv.put('k', v);
    const p = await watch({ bucket: 'hist', include: 'history' });
    await p.untilMarker('live');
    assert.deepEqual(p.changes.map((c) => [c.revision, c.prev?.revision ?? null, c.phase]), [[1, null, 'bootstrap'], [2, 1, 'bootstrap'], [3, 2, 'bootstrap']]);
    assert.deepEqual(texts(p.changes.map((c) => c.prev?.value ?? null)), [null, 'v1', 'v2']);
  });

  test('updates only shows no replay, but knows the previous value of the first update', async () => {
    const kv = await kvm.create('upd');
    await kv.put('k', 'before');
    const p = await watch({ bucket: 'upd', include: 'updates' });
    await p.untilMarker('live');
    assert.equal(p.changes.length, 0);
    await kv.put('k', 'after');
    await p.until(() => p.changes.length === 1);
    assert.deepEqual(texts([p.changes[0]!.prev!.value, p.changes[0]!.value]), ['before', 'after']);
  });

  test('resume from a revision replays from there, then goes live; a key pattern narrows it', async () => {
    const kv = await kvm.create('res', { history: 10 });
    for (let i = 1; i <= 5; i++) await kv.put(i % 2 ? 'odd.k' : 'even.k', `r${i}`);
    const p = await watch({ bucket: 'res', fromRevision: 3 });
    await p.untilMarker('live');
    assert.deepEqual(p.changes.map((c) => c.revision), [3, 4, 5]);
    const q = await watch({ bucket: 'res', key: 'even.*', include: 'history' });
    await q.untilMarker('live');
    assert.deepEqual(q.changes.map((c) => c.revision), [2, 4]);
  });

  test('delete and purge are tombstones with their own labels; bad names are refused', async () => {
    const kv = await kvm.create('tomb');
    await kv.put('d', '1');
    await kv.put('p', '1');
    const p = await watch({ bucket: 'tomb' });
    await p.untilMarker('live');
    await kv.delete('d');
    await kv.purge('p');
    await p.until(() => p.changes.filter((c) => c.phase === 'live').length === 2);
    const live = p.changes.filter((c) => c.phase === 'live');
    assert.deepEqual(live.map((c) => [c.key, c.op, c.value]), [['d', 'delete', null], ['p', 'purge', null]]);
    assert.deepEqual(texts(live.map((c) => c.prev?.value)), ['1', '1']);
    await assert.rejects(openTail(nc, { kind: 'kv', bucket: 'nope' }), /KV bucket "nope" does not exist/);
    await assert.rejects(openTail(nc, { kind: 'kv', bucket: 'a.b' }), /is not a KV bucket name/);
  });

  test('a key removed by MaxAge shows as an expiry (2.11+ marker reason), apart from deletes', async () => {
    const kv: KV = await kvm.create('ttl', { ttl: 1000, markerTTL: 5000 });
    await kv.put('gone', 'soon');
    const p = await watch({ bucket: 'ttl' });
    await p.untilMarker('live');
    await p.until(() => p.changes.some((c) => c.op === 'expired'), 8000, 'an expiry');
    const e = p.changes.find((c) => c.op === 'expired')!;
    assert.equal(e.key, 'gone');
    assert.equal(e.phase, 'live');
    assert.match(e.reason ?? '', /MaxAge/i);
    assert.deepEqual(texts([e.prev?.value]), ['soon']);
  });

  test('a server restart mid-bootstrap never reports replayed values as live, and nothing repeats', async () => {
    const kv = await kvm.create('big');
    const N = 20_000;
    const payload = 'x'.repeat(64);
    const puts: Promise<number>[] = [];
    for (let i = 0; i < N; i++) {
      puts.push(kv.put(`k${i}`, payload));
      if (puts.length >= 500) await Promise.all(puts.splice(0));
    }
    await Promise.all(puts);
    const p = await watch({ bucket: 'big' }, 50);
    await p.until(() => p.changes.length >= 200);
    assert.equal(liveAt(p.events), -1, 'still bootstrapping when the server goes away');
    await server.kill();
    await server.start();
    await p.untilMarker('resumed', 10_000);
    await kv.put('k0', 'after restart');
    await p.untilMarker('live', 30_000);
    await p.until(() => p.changes.some((c) => c.key === 'k0' && c.phase === 'live'), 10_000, 'the update after the restart');
    const at = liveAt(p.events);
    const bootstrap = p.events.slice(0, at).filter((e) => e.kind === 'kv');
    assert.equal(bootstrap.length, N, 'every key replayed exactly once');
    assert.equal(new Set(bootstrap.map((c) => (c.kind === 'kv' ? c.key : ''))).size, N);
    assert.ok(p.changes.slice(0, N).every((c) => c.phase === 'bootstrap'));
    const live = p.changes.filter((c) => c.phase === 'live');
    assert.deepEqual(live.map((c) => [c.key, texts([c.value])[0]]), [['k0', 'after restart']]);
    assert.ok(p.markerKinds().includes('reconnecting'));
    const revs = p.changes.map((c) => c.revision);
    assert.equal(new Set(revs).size, revs.length, 'no revision delivered twice');
  });

  test('closing every watch leaves no consumer on the bucket streams', async () => {
    for (const s of open) await s.close();
    for (const b of ['empty', 'cfg', 'trail', 'hist', 'upd', 'res', 'tomb', 'ttl', 'big']) assert.deepEqual(await consumerNames(jsm, `KV_${b}`), [], b);
  });
});

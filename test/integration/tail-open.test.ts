/**
 * What a tail says while it opens reaches the listener given to `openTail`: first, exactly
 * once, already when `openTail` resolves, whatever the flush delay. Before, listeners were
 * attached after `await openTail()` and these markers reached them only because the 20 ms
 * flush timer had not fired yet (with no delay, a KV watch's mode and live markers were lost).
 * Also: a tail that fails to open hands its listener nothing and leaves nothing on the server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { consumerNames, serverSubscriptions, TailProbe } from '../helpers/tailProbe';
import { openTail } from '../../src/nats/tail';
import type { TailEvent } from '../../src/core/tail/events';

const NAME = 'tail-open-test';

function kinds(events: TailEvent[]): string[] {
  return events.map((e) => (e.kind === 'marker' ? `marker:${e.marker}` : e.kind));
}

describe('tail opening markers reach the listener given to openTail', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url, name: NAME });
    jsm = await jetstreamManager(nc);
  });

  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('a KV watch of an empty bucket delivers mode then live, first and once, before openTail resolves, with no flush delay', async () => {
    const kv = await new Kvm(nc).create('emptyzero');
    const p = await TailProbe.open(nc, { kind: 'kv', bucket: 'emptyzero' }, { flushMs: 0 });
    assert.deepEqual(kinds(p.events), ['marker:mode', 'marker:live'], 'both opening markers are there when openTail resolves');
    assert.equal(p.batches.length, 1, 'as one batch');
    const rev = await kv.put('k', 'v1');
    await p.until(() => p.changes.length === 1, 10_000, 'the live change');
    assert.deepEqual(kinds(p.events), ['marker:mode', 'marker:live', 'kv'], 'markers first, once each, then the change');
    assert.deepEqual([p.changes[0]!.revision, p.changes[0]!.phase, p.changes[0]!.prev], [rev, 'live', null]);
    await p.session.close();
    assert.deepEqual(await consumerNames(jsm, 'KV_emptyzero'), []);
  });

  test('a stream tail delivers its mode marker first and once, before openTail resolves, then every message in order, with no flush delay', async () => {
    await jsm.streams.add({ name: 'OPEN0', subjects: ['open0.>'] });
    const js = jetstream(nc);
    for (let i = 1; i <= 3; i++) await js.publish(`open0.${i}`, `m${i}`);
    const p = await TailProbe.open(nc, { kind: 'stream', stream: 'OPEN0', from: 'all' }, { flushMs: 0 });
    assert.equal(kinds(p.events)[0], 'marker:mode', 'the mode marker is there when openTail resolves');
    assert.match(p.markers[0]!.text, /reading OPEN0 with an ordered consumer from all/);
    await p.untilMessages(3);
    for (let i = 4; i <= 5; i++) await js.publish(`open0.${i}`, `m${i}`);
    await p.untilMessages(5);
    assert.deepEqual(kinds(p.events), ['marker:mode', 'msg', 'msg', 'msg', 'msg', 'msg']);
    assert.deepEqual(p.texts(), ['m1', 'm2', 'm3', 'm4', 'm5']);
    await p.session.close();
    assert.deepEqual(await consumerNames(jsm, 'OPEN0'), []);
  });

  test('what a tail says while opening does not wait for the flush delay: a view shows its mode and first messages, a KV watch its markers, at once with a 10-minute delay', async () => {
    await jsm.streams.add({ name: 'OPENWQ', subjects: ['openwq.>'], retention: 'workqueue' as never });
    const js = jetstream(nc);
    for (const s of ['a', 'b', 'c']) await js.publish(`openwq.${s}`, s);
    const view = await TailProbe.open(nc, { kind: 'stream', stream: 'OPENWQ', from: 'last-per-subject' }, { flushMs: 600_000 });
    assert.deepEqual(kinds(view.events), ['marker:mode', 'msg', 'msg', 'msg']);
    assert.match(view.markers[0]!.text, /viewing OPENWQ \(workqueue retention\)/);
    assert.deepEqual(view.texts(), ['a', 'b', 'c']);
    await view.session.close();
    // what was held while opening still comes in batches of at most maxBatch, in order
    const small = await TailProbe.open(nc, { kind: 'stream', stream: 'OPENWQ', from: 'last-per-subject' }, { flushMs: 600_000, maxBatch: 3 });
    assert.deepEqual(small.batches.map(kinds), [['marker:mode', 'msg', 'msg'], ['msg']]);
    assert.deepEqual(small.texts(), ['a', 'b', 'c']);
    await small.session.close();

    await new Kvm(nc).create('emptylate');
    const watch = await TailProbe.open(nc, { kind: 'kv', bucket: 'emptylate' }, { flushMs: 600_000 });
    assert.deepEqual(kinds(watch.events), ['marker:mode', 'marker:live']);
    await watch.session.close();
    assert.equal((await jsm.streams.info('OPENWQ')).state.messages, 3, 'viewing took nothing off the work queue');
  });

  test('a tail that fails to open hands its listener nothing and leaves no consumer or subscription', async () => {
    // a bucket stream that allows one consumer, already taken: the watch says its mode, then
    // cannot make its consumer
    await jsm.streams.add({ name: 'KV_full', subjects: ['$KV.full.>'], max_msgs_per_subject: 1, allow_rollup_hdrs: true, deny_delete: true, max_consumers: 1 });
    await jsm.consumers.add('KV_full', { durable_name: 'taken', ack_policy: 'explicit' as never });
    const before = (await serverSubscriptions(server.monitorUrl, NAME)).sort();
    const got: TailEvent[] = [];
    await assert.rejects(
      openTail(nc, { kind: 'kv', bucket: 'full' }, { flushMs: 0, onEvents: (b) => got.push(...b) }),
      /maximum consumers/i,
    );
    assert.deepEqual(got, [], 'not even the mode marker said before it failed');
    assert.deepEqual(await consumerNames(jsm, 'KV_full'), ['taken']);
    // the server lists subscriptions in no fixed order
    assert.deepEqual((await serverSubscriptions(server.monitorUrl, NAME)).sort(), before, 'the subscription for its pulls is gone');
  });
});

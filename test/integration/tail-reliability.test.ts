/**
 * Tails through failures, against real servers: a stream tail survives a server restart
 * (same store dir) and an R3 stream leader change without a gap or a duplicate, says it is
 * reconnecting and where it resumed, and comes back soon after the server accepts connections
 * again (the 2 s target itself is measured in bench/tailReconnect.bench.ts, not asserted here).
 * Also the core subject tail (wildcards, queue groups) and the advisories tail.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { retrySettling, startNatsCluster, startNatsServer, type NatsCluster, type NatsServer } from '../helpers/natsServer';
import { consumerNames, TailProbe } from '../helpers/tailProbe';
import { openTail } from '../../src/nats/tail';

function assertExactly(seqs: number[], n: number): void {
  assert.equal(new Set(seqs).size, seqs.length, 'no duplicate');
  assert.deepEqual(seqs, Array.from({ length: n }, (_, i) => i + 1), 'no gap, in order');
}

describe('tails through a server restart (same store dir)', () => {
  let server: NatsServer;
  let nc: NatsConnection;

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url, reconnectTimeWait: 100, maxReconnectAttempts: -1, name: 'tail-restart' });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'R', subjects: ['r.>'] });
  });

  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('a stream tail resumes after the restart without gap or duplicate, back within 10 s even with a slow idle check', { timeout: 120_000 }, async (t) => {
    const js = jetstream(nc);
    for (let i = 1; i <= 100; i++) await js.publish('r.a', `m${i}`);
    // the product's tail, and one whose idle check would first fire 25 s after the drop: only
    // the consumer check the tail makes on reconnect can bring that one back within the bound
    const p = await TailProbe.open(nc, { kind: 'stream', stream: 'R', from: 'all' });
    const slow = await TailProbe.open(nc, { kind: 'stream', stream: 'R', from: 'all' }, { heartbeatMs: 10_000 });
    const probes = [p, slow];
    for (const x of probes) await x.untilMessages(100);
    await server.kill();
    for (const x of probes) await x.untilMarker('reconnecting', 5000);
    await server.start();
    const accepting = Date.now();
    const back = probes.map((x) => x.untilMessages(101, 20_000).then(() => Date.now() - accepting));
    // publish as soon as the client is back
    const pub = await connect({ servers: server.url });
    const js2 = jetstream(pub);
    for (let i = 101; i <= 200; i++) await js2.publish('r.a', `m${i}`);
    // The product's target is 2 s from the server accepting; that figure is measured in
    // `npm run bench -- tailReconnect` (bench/tailReconnect.bench.ts), side by side with raw
    // nats.js and natscli, since a timed 2 s assertion flaked on this loaded 2-core machine.
    // 10 s still fails a tail that waits for missed heartbeats or inherits nats.js's own
    // recovery (30–60 s), or that never checks its consumer after a reconnect.
    const backAfter = await Promise.all(back);
    t.diagnostic(`back ${backAfter.join(' ms and ')} ms after the server accepted connections`);
    for (const x of probes) await x.untilMessages(200, 20_000);
    await pub.close();
    for (const [i, x] of probes.entries()) {
      const which = i === 0 ? 'tail' : 'tail with a 10 s heartbeat';
      assertExactly(x.messages.map((m) => m.seq!), 200);
      assert.ok(x.markerKinds().includes('resumed'), `${which} markers: ${x.markerKinds().join(', ')}`);
      assert.equal(x.markers.find((m) => m.marker === 'resumed')!.seq, 101, `${which} resumed at`);
      assert.ok(backAfter[i]! < 10_000, `${which} back ${backAfter[i]} ms after the server accepted connections`);
    }
    for (const x of probes) await x.session.close();
    assert.deepEqual(await consumerNames(await jetstreamManager(nc), 'R'), []);
  });

  test('core subject and advisory tails mark the disconnect and the reconnect, say what they missed, and listen again', { timeout: 60_000 }, async () => {
    const p = await TailProbe.open(nc, { kind: 'subject', subject: 'live.>' });
    const adv = await TailProbe.open(nc, { kind: 'advisories' });
    nc.publish('live.1', 'before');
    await p.untilMessages(1);
    await server.kill();
    await p.untilMarker('reconnecting', 5000);
    await server.start();
    await p.untilMarker('resumed', 5000);
    await nc.flush();
    const pub = await connect({ servers: server.url });
    pub.publish('live.2', 'after');
    await pub.flush();
    await pub.close();
    await p.untilMessages(2);
    assert.deepEqual(p.texts(), ['before', 'after']);
    const at = (what: (e: (typeof p.events)[number]) => boolean) => p.events.findIndex(what);
    const order = [
      at((e) => e.kind === 'msg' && e.subject === 'live.1'),
      at((e) => e.kind === 'marker' && e.marker === 'reconnecting'),
      at((e) => e.kind === 'marker' && e.marker === 'resumed'),
      at((e) => e.kind === 'msg' && e.subject === 'live.2'),
    ];
    assert.deepEqual([...order].sort((x, y) => x - y), order, `events in order: ${order.join(' < ')}`);
    assert.match(p.markers.find((m) => m.marker === 'reconnecting')!.text, /misses whatever is published on live\.> until it is back/);
    assert.match(p.markers.find((m) => m.marker === 'resumed')!.text, /listening on live\.> again; messages published while disconnected were not seen/);
    await adv.untilMarker('resumed', 5000);
    assert.deepEqual(adv.markerKinds().filter((k) => k !== 'note'), ['reconnecting', 'resumed']);
    for (const x of [p, adv]) await x.session.close();
  });

  test('a core subject tail sees wildcard subjects, replies and headers; a queue group shares messages', async () => {
    const p = await TailProbe.open(nc, { kind: 'subject', subject: 'chat.*.msg' });
    await p.untilMarker('note');
    assert.match(p.markers[0]?.text ?? '', /only sees messages published while it listens/);
    const q1 = await TailProbe.open(nc, { kind: 'subject', subject: 'work', queue: 'w' });
    const q2 = await TailProbe.open(nc, { kind: 'subject', subject: 'work', queue: 'w' });
    nc.publish('chat.room1.msg', 'hello', { reply: 'answers.1' });
    nc.publish('chat.room2.other', 'not for us');
    for (let i = 0; i < 20; i++) nc.publish('work', `job ${i}`);
    await p.untilMessages(1);
    // the last batch may reach either member of the group
    await TailProbe.until([q1, q2], () => q1.messages.length + q2.messages.length === 20, 10_000, 'the 20 jobs across the group');
    assert.deepEqual(p.texts(), ['hello']);
    assert.equal(p.messages[0]!.reply, 'answers.1');
    assert.ok(q1.messages.length < 20 && q2.messages.length < 20, 'the queue group split the work');
    for (const x of [p, q1, q2]) await x.session.close();
    await assert.rejects(openTail(nc, { kind: 'subject', subject: 'a.>.b' }), /">" can only be the last token/);
  });

  test('the advisories tail links max-deliveries advisories to the stream message', async () => {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const p = await TailProbe.open(nc, { kind: 'advisories' });
    await jsm.consumers.add('R', { durable_name: 'flaky', ack_policy: AckPolicy.Explicit, max_deliver: 1, ack_wait: 500_000_000, filter_subject: 'r.dlq' });
    const seq = (await js.publish('r.dlq', 'poison')).seq;
    const c = await js.consumers.get('R', 'flaky');
    await c.next(); // never acked: after ack_wait the server gives up and advises
    await p.until(() => p.messages.some((m) => m.advisory?.includes('max_deliver')), 10_000, 'a max_deliver advisory');
    const adv = p.messages.find((m) => m.advisory?.includes('max_deliver'))!;
    assert.deepEqual(adv.link, { stream: 'R', seq });
    assert.ok(p.messages.some((m) => m.advisory?.includes('consumer_action')), 'consumer created advisory');
    await p.session.close();
    await jsm.consumers.delete('R', 'flaky');
  });
});

describe('stream tail through an R3 leader change', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;

  before(async () => {
    cluster = await startNatsCluster(3);
    nc = await connect({ servers: cluster.urls, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    // right after the meta leader is elected a node may still answer "jetstream is not enabled"
    await retrySettling('creating stream R3', async () => (await jetstreamManager(nc)).streams.add({ name: 'R3', subjects: ['r3.>'], num_replicas: 3 }));
  });

  after(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  /** What the stream holds, read by nats.js's own ordered consumer: the oracle for the tail. */
  async function streamContent(upTo: number): Promise<string[]> {
    const c = await jetstream(nc).consumers.get('R3', { deliver_policy: DeliverPolicy.All });
    const out: string[] = [];
    const it = await c.consume();
    for await (const m of it) {
      out.push(`${m.seq}:${m.string()}`);
      if (m.seq >= upTo) break;
    }
    return out;
  }

  // bounded: a cluster that never recovers must fail this test, not hang the suite
  test('stepping the stream leader down and killing a node loses and repeats nothing', { timeout: 180_000 }, async () => {
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const timeline: string[] = [];
    const t0 = Date.now();
    const note = (s: string) => timeline.push(`${Date.now() - t0} ms ${s}`);
    // while a stream leader is being elected a publish gets no responder or no answer: retry
    // with the same message id, so the server's de-duplication keeps each message once
    const publish = (i: number) => retrySettling(`publish m${i}`, () => js.publish('r3.a', `m${i}`, { timeout: 2000, msgID: `m${i}` }), 30);
    const info = () => retrySettling('stream info', () => jsm.streams.info('R3'));
    const explain = () => `\ntimeline:\n  ${timeline.join('\n  ')}\ntail markers:\n  ${p.markers.map((m) => `${m.marker}: ${m.text}`).join('\n  ')}`;

    for (let i = 1; i <= 50; i++) await publish(i);
    const p = await TailProbe.open(nc, { kind: 'stream', stream: 'R3', from: 'all' });
    await p.untilMessages(50);

    // step the leader down: only once every replica is current can it hand over; a refused
    // step-down (an error reply) is tried again, never taken for a change
    const before = (await info()).cluster?.leader;
    note(`leader ${before}`);
    let after1: string | undefined;
    for (let attempt = 1; !after1; attempt++) {
      const si = await info();
      const current = (si.cluster?.replicas ?? []).every((r) => r.current);
      if (current && si.cluster?.leader === before) {
        const reply = await retrySettling('step-down request', () => nc.request('$JS.API.STREAM.LEADER.STEPDOWN.R3', undefined, { timeout: 5000 }));
        note(`step-down answered ${reply.string()}`);
      }
      await new Promise((r) => setTimeout(r, 250));
      const now = (await info()).cluster?.leader;
      if (now && now !== before) after1 = now;
      else if (attempt >= 40) assert.fail(`the stream leader did not change from ${before}${explain()}`);
    }
    note(`leader now ${after1}`);
    for (let i = 51; i <= 100; i++) await publish(i);
    await p.untilMessages(100, 15_000).catch((err) => assert.fail(`${(err as Error).message}${explain()}`));

    // now take away the node that holds the tail's consumer (an R1 memory consumer dies with
    // it, so the tail must make a new one): the hardest case for the tail, every run
    const [consumer] = await consumerNames(jsm, 'R3');
    const host = (await retrySettling('consumer info', () => jsm.consumers.info('R3', consumer!))).cluster?.leader;
    const node = cluster.servers.find((s) => s.serverName === host);
    assert.ok(node, `no node is named ${host}`);
    note(`the tail's consumer ${consumer} is on ${host}`);
    await node.kill();
    note(`killed ${host}`);
    try {
      for (let i = 101; i <= 150; i++) await publish(i);
      // the stream itself is the reference: whatever it stored, the tail shows once, in order
      const last = (await info()).state.last_seq;
      note(`published m101..m150; the stream's last sequence is ${last}`);
      await p.untilMessages(last, 30_000).catch((err) => assert.fail(`${(err as Error).message}${explain()}`));
      note('the tail has them');
      assertExactly(p.messages.map((m) => m.seq!), last);
      const texts = p.texts();
      const seen = p.messages.map((m, i) => `${m.seq}:${texts[i]}`);
      assert.deepEqual(seen, await streamContent(last), `the tail shows what the stream holds${explain()}`);
      const published = new Set(texts);
      for (let i = 1; i <= 150; i++) assert.ok(published.has(`m${i}`), `m${i} is in the tail${explain()}`);
      assert.ok(p.markerKinds().includes('recreated'), `the tail made a new consumer${explain()}`);
    } finally {
      await p.session.close();
      await node.start();
    }
  });
});

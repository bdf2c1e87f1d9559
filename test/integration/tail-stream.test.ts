/**
 * Stream tails against a real nats-server: each start point, one and several filters,
 * WorkQueue and Interest streams viewed without consuming (message count unchanged, no
 * consumer made), peeking a consumer's pending messages without acking, and nothing left on
 * the server afterwards (consumers listed by the API, subscriptions by /connz?subs=1).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { findNatsServer29, natsServer29SkipReason } from '../helpers/binaries';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { consumerNames, serverSubscriptions, TailProbe } from '../helpers/tailProbe';
import { openTail, type TailSession } from '../../src/nats/tail';

const NAME = 'tail-stream-test';

describe('stream tail on nats-server 2.14', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  const open: TailSession[] = [];

  async function tail(spec: Parameters<typeof openTail>[1]): Promise<TailProbe> {
    const s = await openTail(nc, spec);
    open.push(s);
    return new TailProbe(s);
  }

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url, name: NAME });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], allow_direct: true });
    for (let i = 1; i <= 10; i++) {
      const h = headers();
      h.set('Order', String(i));
      await js.publish(`orders.${i % 2 ? 'eu' : 'us'}.${i}`, `order ${i}`, { headers: h });
    }
  });

  after(async () => {
    for (const s of open) await s.close();
    await nc?.close();
    await server?.stop();
  });

  test('from all reads every stored message in order, then new ones, with headers and sequences', async () => {
    const p = await tail({ kind: 'stream', stream: 'ORDERS', from: 'all' });
    await p.untilMessages(10);
    await js.publish('orders.eu.11', 'order 11');
    await p.untilMessages(11);
    assert.deepEqual(p.messages.map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.equal(p.texts()[10], 'order 11');
    assert.deepEqual(p.messages[0]!.headers, [['Order', '1']]);
    assert.equal(p.messages[0]!.subject, 'orders.eu.1');
    assert.ok(p.markerKinds().includes('mode'));
    await p.session.close();
  });

  test('from new sees only what is published after it starts', async () => {
    const p = await tail({ kind: 'stream', stream: 'ORDERS', from: 'new' });
    await js.publish('orders.us.12', 'order 12');
    await p.untilMessages(1);
    assert.deepEqual(p.texts(), ['order 12']);
    await p.session.close();
  });

  test('from seq:N, last, and time start where they say', async () => {
    const bySeq = await tail({ kind: 'stream', stream: 'ORDERS', from: 'seq:9' });
    await bySeq.untilMessages(4);
    assert.deepEqual(bySeq.messages.map((m) => m.seq), [9, 10, 11, 12]);
    const last = await tail({ kind: 'stream', stream: 'ORDERS', from: 'last' });
    await last.untilMessages(1);
    assert.deepEqual(last.messages.map((m) => m.seq), [12]);
    const before13 = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await js.publish('orders.eu.13', 'order 13');
    const byTime = await tail({ kind: 'stream', stream: 'ORDERS', from: `time:${before13.toISOString()}` });
    await byTime.untilMessages(1);
    assert.deepEqual(byTime.messages.map((m) => m.seq), [13]);
    for (const p of [bySeq, last, byTime]) await p.session.close();
  });

  test('last-per-subject gives the newest message of each subject', async () => {
    await js.publish('orders.eu.1', 'order 1 again');
    const p = await tail({ kind: 'stream', stream: 'ORDERS', from: 'last-per-subject', filters: ['orders.eu.1', 'orders.us.2'] });
    await p.untilMessages(2);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(p.texts().sort(), ['order 1 again', 'order 2']);
    await p.session.close();
  });

  test('one filter and several filters select subjects', async () => {
    const one = await tail({ kind: 'stream', stream: 'ORDERS', from: 'all', filters: ['orders.us.>'] });
    await one.untilMessages(6);
    assert.ok(one.messages.every((m) => m.subject.startsWith('orders.us.')));
    const two = await tail({ kind: 'stream', stream: 'ORDERS', from: 'all', filters: ['orders.us.2', 'orders.eu.3'] });
    await two.untilMessages(2);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(two.messages.map((m) => m.subject), ['orders.us.2', 'orders.eu.3']);
    for (const p of [one, two]) await p.session.close();
  });

  test('a bad filter, an unknown stream and an unknown start are refused with a clear message', async () => {
    await assert.rejects(openTail(nc, { kind: 'stream', stream: 'NOPE' }), /stream "NOPE" does not exist/);
    await assert.rejects(openTail(nc, { kind: 'stream', stream: 'ORDERS', filters: ['orders..x'] }), /filter "orders..x" has an empty token/);
  });

  test('a WorkQueue stream is viewed without consuming: message count unchanged, no consumer made', async () => {
    await jsm.streams.add({ name: 'JOBS', subjects: ['jobs.>'], retention: 'workqueue' as never, allow_direct: true });
    for (let i = 1; i <= 5; i++) await js.publish(`jobs.${i}`, `job ${i}`);
    const p = await tail({ kind: 'stream', stream: 'JOBS', from: 'all' });
    await p.untilMessages(5);
    assert.match(p.session.mode, /direct get, batched/);
    assert.deepEqual(await consumerNames(jsm, 'JOBS'), []);
    await js.publish('jobs.6', 'job 6');
    await p.untilMessages(6);
    assert.equal((await jsm.streams.info('JOBS')).state.messages, 6);
    assert.deepEqual(await consumerNames(jsm, 'JOBS'), []);
    await p.session.close();
  });

  test('an Interest stream without direct get is viewed with message get and keeps its messages', async () => {
    await jsm.streams.add({ name: 'AUDIT', subjects: ['audit.>'], retention: 'interest' as never });
    await jsm.consumers.add('AUDIT', { durable_name: 'auditor', ack_policy: AckPolicy.Explicit });
    for (let i = 1; i <= 3; i++) await js.publish(`audit.${i}`, `audit ${i}`);
    const p = await tail({ kind: 'stream', stream: 'AUDIT', from: 'all' });
    await p.untilMessages(3);
    assert.match(p.session.mode, /message get/);
    assert.equal((await jsm.streams.info('AUDIT')).state.messages, 3);
    assert.deepEqual(await consumerNames(jsm, 'AUDIT'), ['auditor']);
    await p.session.close();
  });

  test('peek pending shows what a consumer has not had acknowledged, and acks nothing', async () => {
    await jsm.streams.add({ name: 'TASKS', subjects: ['tasks.>'], allow_direct: true });
    for (let i = 1; i <= 6; i++) await js.publish(`tasks.${i % 2 ? 'a' : 'b'}`, `task ${i}`);
    await jsm.consumers.add('TASKS', { durable_name: 'worker', ack_policy: AckPolicy.Explicit, filter_subject: 'tasks.a' });
    const c = await js.consumers.get('TASKS', 'worker');
    const first = await c.next();
    first!.ack();
    await new Promise((r) => setTimeout(r, 200));
    const p = await tail({ kind: 'stream', stream: 'TASKS', pendingOf: 'worker' });
    await p.untilMessages(2);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(p.texts(), ['task 3', 'task 5']);
    const ci = await jsm.consumers.info('TASKS', 'worker');
    assert.equal(ci.ack_floor.stream_seq, 1);
    assert.equal(ci.num_ack_pending + ci.num_pending, 2);
    await p.session.close();
  });

  test('closing tails leaves no consumer and no subscription of ours on the server', async () => {
    const a = await tail({ kind: 'stream', stream: 'ORDERS', from: 'all' });
    const b = await tail({ kind: 'subject', subject: 'orders.>' });
    await a.untilMessages(5);
    assert.equal((await consumerNames(jsm, 'ORDERS')).length, 1);
    assert.ok((await serverSubscriptions(server.monitorUrl, NAME)).includes('orders.>'));
    for (const s of open) await s.close();
    await nc.flush();
    assert.deepEqual(await consumerNames(jsm, 'ORDERS'), []);
    const subs = await serverSubscriptions(server.monitorUrl, NAME);
    // what is left is nats.js's own request inbox, never a tail's
    assert.deepEqual(subs.filter((s) => !/^_INBOX\.[A-Za-z0-9]+\.\*$/.test(s)), []);
  });
});

describe('stream tail on nats-server 2.9', { skip: natsServer29SkipReason() }, () => {
  let server: NatsServer;
  let nc: NatsConnection;

  before(async () => {
    server = await startNatsServer({ binary: findNatsServer29()!.path });
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'S', subjects: ['s.>'] });
    await jsm.streams.add({ name: 'WQ', subjects: ['wq.>'], retention: 'workqueue' as never, allow_direct: true });
    const js = jetstream(nc);
    for (let i = 1; i <= 4; i++) await js.publish(`s.${i}`, `m${i}`);
    for (let i = 1; i <= 3; i++) await js.publish(`wq.${i}`, `w${i}`);
  });

  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('several filters are refused naming the version needed', async () => {
    await assert.rejects(openTail(nc, { kind: 'stream', stream: 'S', filters: ['s.1', 's.2'] }), /needs nats-server 2\.10 or later; connected to 2\.9/);
  });

  test('one filter tails; a WorkQueue stream is viewed with message get (no batched direct get before 2.11)', async () => {
    const t = new TailProbe(await openTail(nc, { kind: 'stream', stream: 'S', from: 'all', filters: ['s.>'] }));
    await t.untilMessages(4);
    await t.session.close();
    const v = new TailProbe(await openTail(nc, { kind: 'stream', stream: 'WQ', from: 'all' }));
    await v.untilMessages(3);
    assert.match(v.session.mode, /message get.*needs nats-server 2\.11/);
    assert.deepEqual(v.texts(), ['w1', 'w2', 'w3']);
    await v.session.close();
  });
});

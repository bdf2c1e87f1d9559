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

/**
 * A WorkQueue (or Interest) stream viewed from "last per subject", "last" of a subject and a
 * time, on any server: the newest message per subject first (in stream order), a later message
 * live, the first message at or after a time (stepping over a deleted sequence), and afterwards
 * the stream still holds every message and has no consumer of ours.
 */
async function viewStartsWithoutConsuming(nc: NatsConnection, name: string, config: Record<string, unknown>, mode: { lastPerSubject: RegExp; time: RegExp }): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const p = name.toLowerCase();
  await jsm.streams.add({ name, subjects: [`${p}.>`], ...config });
  // an Interest stream keeps messages only while some consumer is interested
  if (config.retention === 'interest') await jsm.consumers.add(name, { durable_name: 'keeper', ack_policy: AckPolicy.Explicit });
  const consumersBefore = await consumerNames(jsm, name);
  for (const [subj, data] of [['a', 'a1'], ['b', 'b1'], ['a', 'a2'], ['c', 'c1'], ['b', 'b2'], ['x', 'gone']]) await js.publish(`${p}.${subj}`, data!);
  await jsm.streams.deleteMessage(name, 6, false);
  await new Promise((r) => setTimeout(r, 30));
  const at = new Date();
  await new Promise((r) => setTimeout(r, 30));
  await js.publish(`${p}.c`, 'c2');
  await js.publish(`${p}.d`, 'd1');

  const lps = await TailProbe.open(nc, { kind: 'stream', stream: name, from: 'last-per-subject' });
  await lps.untilMessages(4);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(lps.texts(), ['a2', 'b2', 'c2', 'd1']);
  assert.match(lps.markers.find((m) => m.marker === 'mode')!.text, mode.lastPerSubject);
  await js.publish(`${p}.a`, 'a3');
  await lps.until(() => lps.texts().includes('a3'), 10_000, 'a3 live');
  assert.deepEqual(lps.texts(), ['a2', 'b2', 'c2', 'd1', 'a3']);

  const filtered = await TailProbe.open(nc, { kind: 'stream', stream: name, from: 'last-per-subject', filters: [`${p}.b`] });
  await filtered.untilMessages(1);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(filtered.texts(), ['b2']);

  const lastOfB = await TailProbe.open(nc, { kind: 'stream', stream: name, from: 'last', filters: [`${p}.b`] });
  await lastOfB.untilMessages(1);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(lastOfB.texts(), ['b2']);

  const byTime = await TailProbe.open(nc, { kind: 'stream', stream: name, from: `time:${at.toISOString()}` });
  await byTime.untilMessages(3);
  assert.deepEqual(byTime.texts(), ['c2', 'd1', 'a3']);
  assert.match(byTime.markers.find((m) => m.marker === 'mode')!.text, mode.time);
  const early = await TailProbe.open(nc, { kind: 'stream', stream: name, from: 'time:2000-01-01T00:00:00Z' });
  await early.untilMessages(8);
  assert.deepEqual(early.texts(), ['a1', 'b1', 'a2', 'c1', 'b2', 'c2', 'd1', 'a3']);

  for (const t of [lps, filtered, lastOfB, byTime, early]) await t.session.close();
  // nothing was consumed or acknowledged: 9 published, 1 deleted by us
  assert.equal((await jsm.streams.info(name)).state.messages, 8);
  assert.deepEqual(await consumerNames(jsm, name), consumersBefore);
}

/**
 * A Limits stream tailed from "last per subject" with no filter (nats-server refuses that
 * start without a filter unless we give one): on a stream with one subject pattern and on one
 * with several, exactly the newest message of every subject, in stream order, then live ones;
 * one consumer while it runs and none once it is closed.
 */
async function lastPerSubjectWithoutFilter(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const one = `${prefix}ONE`;
  const multi = `${prefix}MULTI`;
  const p = prefix.toLowerCase();
  await jsm.streams.add({ name: one, subjects: [`${p}one.>`] });
  await jsm.streams.add({ name: multi, subjects: [`${p}a.*`, `${p}b.>`, `${p}c`] });
  for (const [subj, data] of [['one.x', 'x1'], ['one.y.z', 'yz1'], ['one.x', 'x2'], ['one.w', 'w1'], ['one.y.z', 'yz2']]) await js.publish(`${p}${subj}`, data!);
  for (const [subj, data] of [['a.1', 'a1-1'], ['b.q', 'bq-1'], ['c', 'c-1'], ['a.1', 'a1-2'], ['b.r.s', 'brs-1'], ['a.2', 'a2-1'], ['b.q', 'bq-2'], ['c', 'c-2']]) await js.publish(`${p}${subj}`, data!);

  const cases: [string, string[], [string, string], string[]][] = [
    // stream, the last per subject in stream order, a live message, what the tail shows after it
    [one, ['x2', 'w1', 'yz2'], ['one.x', 'x3'], ['one.x', 'one.w', 'one.y.z', 'one.x']],
    [multi, ['a1-2', 'brs-1', 'a2-1', 'bq-2', 'c-2'], ['b.q', 'bq-3'], ['a.1', 'b.r.s', 'a.2', 'b.q', 'c', 'b.q']],
  ];
  for (const [stream, lasts, [liveSubject, liveData], subjects] of cases) {
    const t = await TailProbe.open(nc, { kind: 'stream', stream, from: 'last-per-subject' });
    await t.untilMessages(lasts.length);
    // nothing more arrives from the stored messages
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(t.texts(), lasts, `${stream}: the newest message of each subject, in stream order`);
    const seqs = t.messages.map((m) => m.seq!);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.equal((await consumerNames(jsm, stream)).length, 1, `${stream}: one consumer while the tail runs`);
    await js.publish(`${p}${liveSubject}`, liveData);
    await t.until(() => t.texts().includes(liveData), 10_000, `${liveData} live`);
    assert.deepEqual(t.texts(), [...lasts, liveData]);
    assert.deepEqual(t.messages.map((m) => m.subject), subjects.map((s) => `${p}${s}`));
    await t.session.close();
    assert.deepEqual(await consumerNames(jsm, stream), [], `${stream}: no consumer left behind`);
    assert.equal((await jsm.streams.info(stream)).state.consumer_count, 0);
  }
}

describe('stream tail on nats-server 2.14', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  const open: TailSession[] = [];

  async function tail(spec: Parameters<typeof openTail>[1]): Promise<TailProbe> {
    const p = await TailProbe.open(nc, spec);
    open.push(p.session);
    return p;
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

  test('last-per-subject without a filter: the newest message of every subject (one subject pattern and several), then live ones', async () => {
    await lastPerSubjectWithoutFilter(nc, 'LPS');
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

  test('big messages: pulls are cut at max_bytes and the tail pulls on, every message once and in order', { timeout: 60_000 }, async () => {
    await jsm.streams.add({ name: 'BIG', subjects: ['big.>'] });
    const body = new Uint8Array(900_000).fill(0x62);
    // 24 × 900 kB is 2.6 × the 8 MiB a pull may have in flight
    for (let i = 1; i <= 24; i++) await js.publish(`big.${i}`, body);
    const p = await tail({ kind: 'stream', stream: 'BIG', from: 'all' });
    await p.untilMessages(24, 30_000);
    assert.deepEqual(p.messages.map((m) => m.seq), Array.from({ length: 24 }, (_, i) => i + 1));
    assert.ok(p.messages.every((m) => m.data.length === 900_000));
    assert.deepEqual(p.markerKinds().filter((k) => k !== 'mode'), [], 'no consumer recreated, no gap');
    await p.session.close();
    await jsm.streams.delete('BIG');
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

  test('a WorkQueue view starts at last-per-subject and at a time (batched direct get) and consumes nothing', async () => {
    await viewStartsWithoutConsuming(nc, 'WQLPS', { retention: 'workqueue', allow_direct: true }, { lastPerSubject: /multi_last direct get/, time: /direct get, batched/ });
  });

  test('an Interest view without direct get starts at last-per-subject (subject list) and at a time (binary search)', async () => {
    await viewStartsWithoutConsuming(nc, 'INTLPS', { retention: 'interest' }, { lastPerSubject: /subject list and 4 last-by-subject gets/, time: /binary search on the sequence/ });
  });

  test('last-per-subject over more subjects than multi_last answers (1,024) falls back to per-subject gets', async () => {
    await jsm.streams.add({ name: 'MANY', subjects: ['many.>'], retention: 'workqueue' as never, allow_direct: true });
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < 1100; i++) acks.push(js.publish(`many.${i}`, `m${i}`));
    await js.publish('many.0', 'm0 again');
    await Promise.all(acks);
    const p = await tail({ kind: 'stream', stream: 'MANY', from: 'last-per-subject' });
    await p.untilMessages(1100, 20_000);
    assert.match(p.markers.find((m) => m.marker === 'mode')!.text, /subject list and 1100 last-by-subject gets/);
    assert.equal(p.texts().filter((t) => t.startsWith('m0')).join(), 'm0 again');
    assert.deepEqual(p.messages.map((m) => m.seq), [...p.messages.map((m) => m.seq!)].sort((a, b) => a - b));
    await p.session.close();
    assert.equal((await jsm.streams.info('MANY')).state.messages, 1101);
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
    const t = await TailProbe.open(nc, { kind: 'stream', stream: 'S', from: 'all', filters: ['s.>'] });
    await t.untilMessages(4);
    await t.session.close();
    const v = await TailProbe.open(nc, { kind: 'stream', stream: 'WQ', from: 'all' });
    await v.untilMessages(3);
    assert.match(v.session.mode, /message get.*needs nats-server 2\.11/);
    assert.deepEqual(v.texts(), ['w1', 'w2', 'w3']);
    await v.session.close();
  });

  test('last-per-subject without a filter: the newest message of every subject (one subject pattern and several), then live ones', async () => {
    await lastPerSubjectWithoutFilter(nc, 'LPS');
  });

  test('a WorkQueue view starts at last-per-subject and at a time with message get, consuming nothing', async () => {
    await viewStartsWithoutConsuming(nc, 'WQ29', { retention: 'workqueue', allow_direct: true }, { lastPerSubject: /subject list and 4 last-by-subject gets/, time: /binary search on the sequence/ });
  });
});

/**
 * Why a stream view may find its time start by a binary search on the sequence (see
 * `seqAtTime` in src/nats/tail/viewStart.ts), checked against a real nats-server: a mirror
 * keeps the origin's timestamps (and its sequences), a stream that sources others stamps each
 * message anew when it stores it, so a sourced stream's timestamps grow with its sequence even
 * when it interleaves origins whose own timestamps are older and out of order. And the view's
 * start at a time is the server's own answer (message get with `start_time`, which the server
 * finds with `GetSeqFromTime`), for times at, between, before and after the stored messages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { findNatsServer29, natsServer29SkipReason } from '../helpers/binaries';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { consumerNames, TailProbe } from '../helpers/tailProbe';

/** An RFC 3339 timestamp with up to nanoseconds, as nanoseconds since the epoch. */
function nanos(ts: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  assert.ok(m, `timestamp ${ts}`);
  return BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9));
}

async function stored(jsm: JetStreamManager, stream: string): Promise<{ seq: number; data: string; ns: bigint }[]> {
  const st = (await jsm.streams.info(stream)).state;
  const out: { seq: number; data: string; ns: bigint }[] = [];
  for (let seq = st.first_seq; seq <= st.last_seq; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq });
    if (m) out.push({ seq: m.seq, data: m.string(), ns: nanos(m.timestamp) });
  }
  return out;
}

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 15_000;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Origins, a mirror and a sourced WorkQueue stream on one server; then the view's start at a
 * time. `serverStart` says the server answers message get with `start_time` (2.11+): then the
 * view is compared with the server's own answer too.
 */
async function timestampsAndTimeStart(nc: NatsConnection, serverStart: boolean): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await jsm.streams.add({ name: 'ORIG1', subjects: ['o1.>'] });
  await jsm.streams.add({ name: 'ORIG2', subjects: ['o2.>'] });
  // ORIG2's messages are older than ORIG1's, with gaps so times fall between them
  for (const d of ['o2-1', 'o2-2', 'o2-3']) {
    await js.publish('o2.x', d);
    await pause(15);
  }
  for (const d of ['o1-1', 'o1-2', 'o1-3']) {
    await js.publish('o1.x', d);
    await pause(15);
  }
  const orig1 = await stored(jsm, 'ORIG1');
  const orig2 = await stored(jsm, 'ORIG2');
  await pause(30);

  // a mirror made after the fact: the same sequences with the origin's timestamps
  const mirrorMade = BigInt(Date.now()) * 1_000_000n;
  await jsm.streams.add({ name: 'MIRROR1', mirror: { name: 'ORIG1' } });
  await until('the mirror to hold 3 messages', async () => (await jsm.streams.info('MIRROR1')).state.messages === 3);
  const mirror = await stored(jsm, 'MIRROR1');
  assert.deepEqual(mirror, orig1, 'mirror: same sequence, data and timestamp (to the nanosecond) as the origin');
  assert.ok(mirror.every((m) => m.ns < mirrorMade), 'mirror timestamps are older than the mirror');

  // a WorkQueue stream sourcing both (the newer origin first): stamped when stored
  const sourcedMade = BigInt(Date.now()) * 1_000_000n;
  await jsm.streams.add({ name: 'SOURCED', retention: 'workqueue' as never, subjects: ['own.>'], sources: [{ name: 'ORIG1' }, { name: 'ORIG2' }] });
  await until('the sourced stream to hold 6 messages', async () => (await jsm.streams.info('SOURCED')).state.messages === 6);
  // a few of its own, later, with gaps
  for (const d of ['own-1', 'own-2', 'own-3']) {
    await pause(15);
    await js.publish('own.x', d);
  }
  const sourced = await stored(jsm, 'SOURCED');
  assert.equal(sourced.length, 9);
  const origin = new Map([...orig1, ...orig2].map((m) => [m.data, m.ns]));
  for (const m of sourced.slice(0, 6)) {
    assert.ok(m.ns >= sourcedMade, `${m.data} is stamped when sourced, not with its origin time`);
    assert.ok(m.ns > origin.get(m.data)!, `${m.data}: newer than in its origin`);
  }
  for (let i = 1; i < sourced.length; i++) assert.ok(sourced[i]!.ns >= sourced[i - 1]!.ns, `timestamps grow with the sequence (seq ${sourced[i]!.seq})`);

  // the view (no allow_direct: message gets and the binary search) against the timestamps and,
  // where it has one, the server's own start-time lookup: times before, at, between and after
  const ms = (ns: bigint) => new Date(Number(ns / 1_000_000n));
  const times = [ms(sourced[0]!.ns), ...sourced.slice(6).flatMap((m) => [ms(m.ns), ms(m.ns - 5_000_000n), ms(m.ns + 1_000_000n)]), new Date(Date.parse('2000-01-01T00:00:00Z'))];
  for (const at of times) {
    // the first message stamped at or after the time
    const want = sourced.filter((m) => m.ns >= BigInt(at.getTime()) * 1_000_000n).map((m) => m.data);
    if (serverStart) {
      const r = await nc.request('$JS.API.STREAM.MSG.GET.SOURCED', JSON.stringify({ start_time: at.toISOString() }), { timeout: 5000 });
      const body = JSON.parse(new TextDecoder().decode(r.data)) as { message?: { seq: number } };
      assert.deepEqual(sourced.filter((m) => m.seq >= (body.message?.seq ?? Infinity)).map((m) => m.data), want, `the server's own start at ${at.toISOString()}`);
    }
    if (!want.length) continue;
    const view = await TailProbe.open(nc, { kind: 'stream', stream: 'SOURCED', from: `time:${at.toISOString()}` });
    await view.untilMessages(want.length);
    await pause(100);
    assert.deepEqual(view.texts(), want, `view from ${at.toISOString()}`);
    assert.match(view.markers.find((m) => m.marker === 'mode')!.text, /binary search on the sequence/);
    await view.session.close();
  }
  // nothing consumed, no consumer made
  assert.equal((await jsm.streams.info('SOURCED')).state.messages, 9);
  assert.deepEqual(await consumerNames(jsm, 'SOURCED'), []);
}

for (const [what, binary, skip] of [
  ['nats-server 2.14', undefined, undefined],
  ['nats-server 2.9', () => findNatsServer29()!.path, natsServer29SkipReason()],
] as const) {
  describe(`stream timestamps and the time start of a view on ${what}`, { skip }, () => {
    let server: NatsServer;
    let nc: NatsConnection;
    before(async () => {
      server = await startNatsServer(binary ? { binary: binary() } : {});
      nc = await connect({ servers: server.url });
    });
    after(async () => {
      await nc?.close();
      await server?.stop();
    });

    test('mirrors keep origin timestamps, sources stamp anew, and the view starts where the server does', () => timestampsAndTimeStart(nc, !binary));
  });
}

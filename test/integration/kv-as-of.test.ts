/**
 * readKvAsOf: what keys held as of a revision (what a restored KV watch needs for its first
 * transitions), read with one batched direct get and no consumer left behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { readKvAsOf } from '../../src/nats/kvAsOf';

const text = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : null);
// one server for the file, its connection closed with it
const rig: Promise<{ server: NatsServer; nc: NatsConnection }> = startNatsServer().then(async (server) => ({ server, nc: await connect({ servers: server.url }) }));
let nc: NatsConnection;
before(async () => ({ nc } = await rig));
after(async () => {
  const { server, nc: c } = await rig;
  await c.close();
  await server.stop();
});

test('values as of a revision: later writes ignored, deletes as null, unknown keys absent, no consumer made', async () => {
  const kv = await new Kvm(nc).create('asof', { history: 5 });
  const a1 = await kv.put('a', 'a1');
  await kv.put('b', 'b1');
  await kv.delete('b');
  const upTo = (await kv.status()).streamInfo.state.last_seq;
  await kv.put('a', 'a2');
  await kv.put('c', 'c1');
  const asOf = await readKvAsOf(nc, {}, 'asof', ['a', 'b', 'c', 'never'], upTo);
  assert.deepEqual([asOf.get('a')?.revision, text(asOf.get('a')?.value)], [a1, 'a1'], 'the value at the revision, not the newer a2');
  assert.equal(asOf.get('b')?.value, null, 'a delete is a tombstone');
  assert.equal(asOf.has('c'), false, 'written only after the revision');
  assert.equal(asOf.has('never'), false);
  const jsm = await jetstreamManager(nc);
  assert.equal((await jsm.consumers.list('KV_asof').next()).length, 0, 'no consumer left on the server');
});

test('more keys than one request takes (1,024) are read in several', async () => {
  const kv = await new Kvm(nc).create('asofmany');
  const keys = Array.from({ length: 1500 }, (_, i) => `k${i}`);
  for (const k of keys) await kv.put(k, `v-${k}`);
  const upTo = (await kv.status()).streamInfo.state.last_seq;
  const asOf = await readKvAsOf(nc, {}, 'asofmany', keys, upTo);
  assert.equal(asOf.size, 1500);
  assert.equal(text(asOf.get('k1499')?.value), 'v-k1499');
});

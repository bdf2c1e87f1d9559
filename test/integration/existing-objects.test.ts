/**
 * existingObjects / consumerNames list what a real server holds, for the Decide collision
 * check: streams with subjects and retention, KV buckets (KV_ streams), consumers per stream.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { Admin } from '../../src/nats/admin';
import { consumerNames, existingObjects } from '../../src/nats/existingObjects';
import { checkCollisions } from '../../src/core/decide/collisions';
import { decide, type StreamSuggestion } from '../../src/core/decide';

let server: NatsServer;
let nc: NatsConnection;
let admin: Admin;

before(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  admin = new Admin(nc);
  await admin.addStream({ name: 'BILLING', subjects: ['payments.>'], retention: 'workqueue' as never, storage: 'memory' as never, num_replicas: 1 });
  await admin.addConsumer('BILLING', { durable_name: 'card-worker', ack_policy: 'explicit' as never, filter_subject: 'payments.card.>' });
  await admin.createKv({ bucket: 'order-status', history: 1, storage: 'memory', replicas: 1 } as never);
});

after(async () => {
  await nc?.close();
  await server?.stop();
});

test('lists streams with subjects and retention, buckets, and the consumers asked for', async () => {
  const e = await existingObjects(admin, ['BILLING', 'MISSING']);
  const billing = e.streams.find((s) => s.name === 'BILLING');
  assert.deepEqual(billing, { name: 'BILLING', subjects: ['payments.>'], retention: 'workqueue' });
  assert.deepEqual(e.buckets, ['order-status']);
  assert.deepEqual(e.consumers, { BILLING: ['card-worker'] });
  assert.deepEqual(await consumerNames(admin, 'MISSING'), []);
});

test('against that server, the card-charge suggestion reuses BILLING and takes a free consumer name', async () => {
  const c = decide({ description: "payment service charges the customer's card", answers: { fanout: 'one' } }).config as StreamSuggestion;
  const e = await existingObjects(admin, ['BILLING']);
  const r = checkCollisions({ ...c, consumer: { ...c.consumer, durable_name: 'card-worker' } }, e);
  assert.equal(r.reuseStream, 'BILLING');
  assert.equal((r.config as StreamSuggestion).consumer.durable_name, 'card-worker-2');
});

test('a fan-out suggestion is accepted by the server as a durable push consumer with flow control', async () => {
  const c = decide({ description: 'Each goal of the match is pushed to every fan app', answers: { restart: 'no', fanout: 'all' }, environment: 'development' }).config as StreamSuggestion;
  const { replicas, ...stream } = c.stream;
  await admin.addStream({ ...stream, num_replicas: replicas, storage: 'memory' } as never);
  await admin.addConsumer(c.stream.name, c.consumer as never);
  const ci = await (await admin.jsm()).consumers.info(c.stream.name, c.consumer.durable_name);
  assert.equal(ci.config.deliver_subject, c.consumer.deliver_subject);
  assert.equal(ci.config.flow_control, true);
  assert.equal(ci.config.idle_heartbeat, c.consumer.idle_heartbeat);
  assert.equal(ci.config.ack_policy, 'explicit');
  assert.deepEqual(ci.config.backoff, c.consumer.backoff);
});

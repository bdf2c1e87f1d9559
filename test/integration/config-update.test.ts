/**
 * Edits do what they say (issue 8, item 2): removing a field in an edited stream, consumer,
 * KV or object store config removes it on the server (nats.js's update would merge it back
 * from the live config); what the server did not take is reported; and the diff shows no
 * noise from server defaults, `_nats.*` metadata or key order. natscli reads the result.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { findNatsServer29, natsCliSkipReason, natsServer29SkipReason } from '../helpers/binaries';
import { natsCliOn, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { Admin } from '../../src/nats/admin';
import { diffConfig } from '../../src/nats/configDiff';

const S = 1_000_000_000;

describe('edits send the full config and report what the server did not take', { skip: natsCliSkipReason() }, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let admin: Admin;
  const { cliJson } = natsCliOn(() => server);

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    admin = new Admin(nc);
    await admin.addStream({ name: 'SRC', subjects: ['src.>'] });
    await admin.addStream({ name: 'ORDERS', subjects: ['orders.>'], description: 'all orders', metadata: { owner: 'shop', team: 'core' } });
    await admin.addStream({ name: 'AGG', description: 'aggregate', sources: [{ name: 'SRC' }, { name: 'ORDERS' }] });
    await admin.addConsumer('ORDERS', {
      durable_name: 'SHIP',
      description: 'shipping',
      filter_subject: 'orders.shipped',
      max_deliver: 5,
      backoff: [1 * S, 2 * S],
      metadata: { owner: 'ship' },
    });
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  const streamConfig = async (name: string) => (await cliJson<{ config: Record<string, any> }>('stream', 'info', name)).config;

  test('removing description, a metadata key and a source removes them', async () => {
    const { description: _d, metadata, ...rest } = await streamConfig('ORDERS');
    const r = await admin.updateStream({ ...rest, name: 'ORDERS', metadata: { owner: metadata.owner } } as never);
    assert.deepEqual(r.notTaken, []);
    const after = await streamConfig('ORDERS');
    assert.equal(after.description, undefined, 'natscli still sees the description');
    assert.equal(after.metadata.team, undefined);
    assert.equal(after.metadata.owner, 'shop');

    const agg = await streamConfig('AGG');
    const r2 = await admin.updateStream({ ...agg, name: 'AGG', sources: [{ name: 'SRC' }] } as never);
    assert.deepEqual(r2.notTaken, []);
    assert.deepEqual((await streamConfig('AGG')).sources.map((s: { name: string }) => s.name), ['SRC']);
  });

  test('removing backoff, the filter and the description of a consumer removes them', async () => {
    const live = (await cliJson<{ config: Record<string, any> }>('consumer', 'info', 'ORDERS', 'SHIP')).config;
    const { backoff: _b, filter_subject: _f, description: _d, ...rest } = live;
    const r = await admin.updateConsumer('ORDERS', rest);
    assert.deepEqual(r.notTaken, []);
    const after = (await cliJson<{ config: Record<string, any> }>('consumer', 'info', 'ORDERS', 'SHIP')).config;
    assert.equal(after.backoff, undefined);
    assert.equal(after.filter_subject, undefined);
    assert.equal(after.description, undefined);
    assert.equal(after.max_deliver, 5);
  });

  test('KV and object store: a removed description is removed', async () => {
    await admin.createKv({ bucket: 'cfg', description: 'settings', history: 3 });
    const r = await admin.updateKv({ bucket: 'cfg', history: 3 });
    assert.deepEqual(r.notTaken, []);
    assert.equal((await streamConfig('KV_cfg')).description, undefined);
    await admin.createObjectStore({ bucket: 'blobs', description: 'files' });
    const o = await admin.updateObjectStore({ bucket: 'blobs' });
    assert.deepEqual(o.notTaken, []);
    assert.equal((await streamConfig('OBJ_blobs')).description, undefined);
  });

  test('the diff ignores server defaults, _nats metadata and key order', async () => {
    const live = await streamConfig('SRC');
    assert.ok(Object.keys(live.metadata ?? {}).some((k) => k.startsWith('_nats.')), 'the server adds _nats metadata');
    assert.deepEqual(diffConfig('stream', live, { subjects: ['src.>'], name: 'SRC' }), [], 'a config without defaults is the same stream');
    const reordered = Object.fromEntries(Object.entries(live).reverse());
    assert.deepEqual(diffConfig('stream', live, { ...reordered, metadata: {} }), []);
    const c = (await cliJson<{ config: Record<string, any> }>('consumer', 'info', 'ORDERS', 'SHIP')).config;
    assert.deepEqual(diffConfig('consumer', c, { durable_name: 'SHIP', name: 'SHIP', ack_policy: 'explicit', ack_wait: c.ack_wait, max_deliver: 5, metadata: { owner: 'ship' } }), []);
    const d = diffConfig('stream', live, { ...live, description: 'x' });
    assert.deepEqual(d.map((x) => x.field), ['description']);
  });
});

describe('an edit a 2.9 server ignores is reported, not claimed', { skip: natsCliSkipReason() || natsServer29SkipReason() }, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  before(async () => {
    server = await startNatsServer({ binary: findNatsServer29()!.path });
    nc = await connect({ servers: server.url });
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('compression (2.10+) asked of 2.9 comes back in notTaken', async () => {
    const admin = new Admin(nc);
    await admin.addStream({ name: 'OLD', subjects: ['old.>'] });
    const r = await admin.updateStream({ name: 'OLD', subjects: ['old.>'], compression: 's2' as never, max_msgs: 10 });
    assert.deepEqual(
      r.notTaken.map((c) => [c.field, c.before, c.after]),
      [['compression', 's2', 'none']],
    );
    assert.equal(r.info.config.max_msgs, 10);
  });
});

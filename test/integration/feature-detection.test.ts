/**
 * Features are judged by the JetStream server that answers, not the server we connect to
 * (issue 8, minor): a 2.14 leaf node without JetStream in front of a 2.9 hub (JetStream
 * domain "hub") reports 2.14 in INFO, but the JetStream API is the hub's. Pause (2.11+) must be refused before any request,
 * naming why, and describeServer must say which version the JetStream API stands for.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { findNatsServer29, natsServer29SkipReason } from '../helpers/binaries';
import { freePort, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { Admin, AdminError } from '../../src/nats/admin';
import { describeServer, jetStreamVersion } from '../../src/nats/serverInfo';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a 2.14 leaf node in front of a 2.9 JetStream hub (domain hub)', { skip: natsServer29SkipReason() }, () => {
  let hub: NatsServer;
  let leaf: NatsServer;
  let nc: NatsConnection;
  before(async () => {
    const leafPort = await freePort();
    hub = await startNatsServer({ binary: findNatsServer29()!.path, serverName: 'hub29', jsDomain: 'hub', extraConfig: `leafnodes { listen: "127.0.0.1:${leafPort}" }` });
    leaf = await startNatsServer({ jetstream: false, serverName: 'leaf214', extraConfig: `leafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${leafPort}" } ] }` });
    nc = await connect({ servers: leaf.url });
    // the leaf connection and its interest take a moment: wait until the hub's API answers
    for (let i = 0; i < 100; i++) {
      try {
        await nc.request('$JS.hub.API.INFO', undefined, { timeout: 500 });
        break;
      } catch {
        await sleep(100);
      }
    }
  });
  after(async () => {
    await nc?.close();
    await Promise.all([leaf?.stop(), hub?.stop()]);
  });

  test('the API answer wins over the connected version: pause is refused, naming why', async () => {
    assert.match(nc.info!.version, /^2\.1[4-9]/, 'connected to the new leaf');
    const admin = new Admin(nc, { domain: 'hub' });
    await admin.addStream({ name: 'ORDERS', subjects: ['orders.>'] });
    await admin.addConsumer('ORDERS', { durable_name: 'C', ack_policy: 'explicit' as never });
    assert.equal(admin.features.pause.supported, false);
    assert.match(admin.jetStreamVersion, /^2\.(9|10)\./);
    await assert.rejects(admin.pauseConsumer('ORDERS', 'C', new Date(Date.now() + 60_000)), (err: AdminError) => {
      assert.equal(err.code, 'unsupported');
      assert.match(err.message, /needs nats-server 2\.11 or later; the JetStream server answering is older than 2\.11 \(connected to 2\.1[4-9]/);
      return true;
    });
    const sv = await describeServer(nc, { domain: 'hub' });
    assert.equal(sv.jetstream, true);
    assert.match(sv.jetStreamVersion ?? '', /^2\.(9|10)\./);
  });

  test('jetStreamVersion keeps the exact version when the API level agrees', () => {
    assert.equal(jetStreamVersion('2.14.5', { api: { level: 4 } }), '2.14.5');
    assert.equal(jetStreamVersion('2.9.10', {}), '2.9.10');
    assert.equal(jetStreamVersion('2.14.5', { api: { level: 1 } }), '2.11.0');
    assert.equal(jetStreamVersion('2.9.10', { api: { level: 4 } }), '2.14.0');
    assert.equal(jetStreamVersion('2.14.5', {}), '2.9.0');
  });
});

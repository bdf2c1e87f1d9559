/**
 * The advisories tail under JetStream domains, against real servers: a hub (domain "hub") and
 * a leaf node with JetStream of its own (domain "leaf"), one account across both. Both publish
 * advisories on $JS.EVENT.ADVISORY.> (there is no per-domain advisory subject), so a client of
 * the hub hears both; a tail for a domain shows that domain's only, the CLI's --js-domain too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { freePort, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { TailProbe } from '../helpers/tailProbe';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

describe('advisories tail with JetStream domains (hub and leaf node)', () => {
  let hub: NatsServer;
  let leaf: NatsServer;
  let nc: NatsConnection;
  let hubJsm: JetStreamManager;
  let leafJsm: JetStreamManager;

  before(async () => {
    const leafPort = await freePort();
    hub = await startNatsServer({ serverName: 'adv-hub', jsDomain: 'hub', extraConfig: `leafnodes { listen: "127.0.0.1:${leafPort}" }` });
    leaf = await startNatsServer({ serverName: 'adv-leaf', jsDomain: 'leaf', extraConfig: `leafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${leafPort}" } ] }` });
    nc = await connect({ servers: hub.url });
    hubJsm = await jetstreamManager(nc, { domain: 'hub' });
    leafJsm = await jetstreamManager(nc, { domain: 'leaf' });
    // the leaf's JetStream answers through the hub once the leaf connection is up
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await leafJsm.streams.add({ name: 'LEAFS', subjects: ['leafs.>'] });
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await hubJsm.streams.add({ name: 'HUBS', subjects: ['hubs.>'] });
  });

  after(async () => {
    await nc?.close();
    await leaf?.stop();
    await hub?.stop();
  });

  test('a tail for a domain shows its advisories only; without a domain it shows both', async () => {
    const forLeaf = await TailProbe.open(nc, { kind: 'advisories' }, { domain: 'leaf' });
    const forHub = await TailProbe.open(nc, { kind: 'advisories' }, { apiPrefix: '$JS.hub.API' });
    const all = await TailProbe.open(nc, { kind: 'advisories' });
    assert.match(forLeaf.session.mode, /of domain leaf/);
    // interest has to reach the leaf over the leaf connection before it publishes
    await new Promise((r) => setTimeout(r, 500));
    await leafJsm.consumers.add('LEAFS', { durable_name: 'leafc', ack_policy: AckPolicy.Explicit });
    await hubJsm.consumers.add('HUBS', { durable_name: 'hubc', ack_policy: AckPolicy.Explicit });
    const created = (p: TailProbe) => p.messages.filter((m) => m.advisory === 'io.nats.jetstream.advisory.v1.consumer_action').map((m) => m.subject);
    await all.until(() => created(all).length >= 2, 10_000, 'both consumer-created advisories');
    await forLeaf.until(() => created(forLeaf).length >= 1);
    await forHub.until(() => created(forHub).length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(created(all).sort(), ['$JS.EVENT.ADVISORY.CONSUMER.CREATED.HUBS.hubc', '$JS.EVENT.ADVISORY.CONSUMER.CREATED.LEAFS.leafc']);
    assert.deepEqual(created(forLeaf), ['$JS.EVENT.ADVISORY.CONSUMER.CREATED.LEAFS.leafc']);
    assert.deepEqual(created(forHub), ['$JS.EVENT.ADVISORY.CONSUMER.CREATED.HUBS.hubc']);
    assert.ok(forLeaf.messages.every((m) => JSON.parse(new TextDecoder().decode(m.data)).domain === 'leaf'));
    assert.ok(forLeaf.markers.some((m) => /skipping advisories from other JetStream domains \(the first came from domain hub\)/.test(m.text)));
    for (const p of [forLeaf, forHub, all]) await p.session.close();
  });

  test('nats-flow tail --advisories --js-domain leaf prints the leaf domain’s advisories only', async () => {
    const child = spawn(process.execPath, [cli, 'tail', '--server', hub.url, '--advisories', '--js-domain', 'leaf', '--json'], { env: { ...process.env, HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent', NATS_URL: '' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const closed = new Promise((r) => child.on('close', r));
    while (!out.includes('listening on')) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    // the hub's first: were the domain ignored, it would be printed
    await hubJsm.consumers.add('HUBS', { durable_name: 'hubc2', ack_policy: AckPolicy.Explicit });
    await leafJsm.consumers.add('LEAFS', { durable_name: 'leafc2', ack_policy: AckPolicy.Explicit });
    const deadline = Date.now() + 10_000;
    while (!out.includes('CREATED.LEAFS.leafc2') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    assert.equal(await closed, 0);
    const msgs = out.trim().split('\n').map((l) => JSON.parse(l) as { subject?: string; marker?: string; data?: string }).filter((l) => !l.marker);
    const subjects = msgs.map((m) => m.subject);
    assert.ok(subjects.includes('$JS.EVENT.ADVISORY.CONSUMER.CREATED.LEAFS.leafc2'), subjects.join(', '));
    assert.ok(!subjects.includes('$JS.EVENT.ADVISORY.CONSUMER.CREATED.HUBS.hubc2'), subjects.join(', '));
    // API audits of both servers come too; only the leaf's are printed
    assert.deepEqual([...new Set(msgs.map((m) => (JSON.parse(m.data!) as { domain?: string }).domain))], ['leaf']);
  });
});

/**
 * Proves the test rig itself: real servers start, JetStream works on them, a cluster elects
 * a meta leader and takes an R3 stream, auth/TLS variants really enforce what they claim,
 * and natscli, as an independent client, sees what nats.js created.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { describeTools, findNatsServer29, natsCliSkipReason, natsServer29SkipReason, resolveNatsServer } from '../helpers/binaries';
import { clientAuthOptions, natsCliJson, natsCli, startNatsCluster, startNatsServer, type NatsServer } from '../helpers/natsServer';

test('tools resolve with versions', (t) => {
  t.diagnostic(describeTools());
  const server = resolveNatsServer();
  assert.match(server.version, /^\d+\.\d+\.\d+/);
});

async function roundTrip(nc: NatsConnection, stream: string): Promise<string> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: stream, subjects: [`${stream.toLowerCase()}.>`] });
  const ack = await jetstream(nc).publish(`${stream.toLowerCase()}.a`, 'hello');
  const msg = await jsm.streams.getMessage(stream, { seq: ack.seq });
  return msg!.string();
}

for (const variant of ['current', '2.9'] as const) {
  const binary = variant === '2.9' ? findNatsServer29() : resolveNatsServer();
  describe(`single nats-server (${variant}${binary ? ` ${binary.version}` : ''})`, { skip: variant === '2.9' ? natsServer29SkipReason() : false }, () => {
    let server: NatsServer;
    let nc: NatsConnection;
    before(async () => {
      server = await startNatsServer({ binary: binary!.path });
      nc = await connect({ servers: server.url });
    });
    after(async () => {
      await nc?.close();
      await server?.stop();
    });

    test('reports the binary version and answers /varz', async () => {
      assert.equal(server.version, binary!.version);
      const varz = (await (await fetch(`${server.monitorUrl}/varz`)).json()) as { version: string; server_name: string };
      assert.equal(varz.version, binary!.version);
      assert.equal(varz.server_name, server.serverName);
      assert.equal(nc.info?.version, binary!.version);
    });

    test('JetStream stores and returns a message', async () => {
      assert.equal(await roundTrip(nc, 'RIG'), 'hello');
    });

    test('restart keeps the store and the port', async () => {
      const pid = server.pid;
      await nc.close();
      await server.restart();
      assert.notEqual(server.pid, pid);
      nc = await connect({ servers: server.url });
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info('RIG');
      assert.equal(info.state.messages, 1);
    });
  });
}

test('stop() kills the process and removes its temp dir', async () => {
  const server = await startNatsServer({ jetstream: false });
  const pid = server.pid!;
  assert.ok(existsSync(server.storeDir));
  await server.stop();
  assert.equal(server.pid, undefined);
  assert.equal(existsSync(server.dir), false);
  assert.throws(() => process.kill(pid, 0), /ESRCH/);
});

describe('auth and TLS variants enforce what they claim', () => {
  const cases: Array<[string, Parameters<typeof startNatsServer>[0]]> = [
    ['token', { token: 's3cret-token' }],
    ['user/password', { user: 'alice', password: 'wonder land' }],
    ['nkey', { nkey: true }],
    ['mutual TLS', { tls: { verify: true } }],
  ];
  for (const [name, opts] of cases) {
    test(`${name}: rejects a bare client, accepts the rig's credentials`, async () => {
      const server = await startNatsServer(opts);
      try {
        // a bare client still needs the CA to get as far as the auth/cert check
        const bare = server.tls ? { tls: { caFile: server.tls.caFile } } : {};
        await assert.rejects(connect({ servers: server.url, reconnect: false, timeout: 3000, ...bare }));
        const nc = await connect({ servers: server.url, reconnect: false, ...clientAuthOptions(server) });
        assert.equal(await roundTrip(nc, 'AUTHED'), 'hello');
        await nc.close();
      } finally {
        await server.stop();
      }
    });
  }

  test('nkey variant returns a user seed and public key', async () => {
    const server = await startNatsServer({ nkey: true, jetstream: false });
    try {
      assert.match(server.nkey!.seed, /^SU[A-Z2-7]+$/);
      assert.match(server.nkey!.publicKey, /^U[A-Z2-7]+$/);
    } finally {
      await server.stop();
    }
  });
});

describe('three-node cluster', () => {
  let cluster: Awaited<ReturnType<typeof startNatsCluster>>;
  let nc: NatsConnection;
  before(async () => {
    const t0 = Date.now();
    cluster = await startNatsCluster(3);
    nc = await connect({ servers: cluster.urls });
    console.log(`# cluster ready in ${Date.now() - t0} ms`);
  });
  after(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  test('elects a JetStream meta leader that every node agrees on', async () => {
    const leader = await cluster.metaLeader();
    assert.ok(leader && cluster.servers.some((s) => s.serverName === leader), `leader ${leader}`);
  });

  test('creates an R3 stream with a leader and two replicas', async () => {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.add({ name: 'R3', subjects: ['r3.>'], num_replicas: 3 });
    assert.equal(info.config.num_replicas, 3);
    await jetstream(nc).publish('r3.x', 'replicated');
    const again = await jsm.streams.info('R3');
    assert.ok(again.cluster?.leader);
    assert.equal(again.cluster?.replicas?.length, 2);
    assert.equal(again.state.messages, 1);
  });
});

describe('natscli as an independent client', { skip: natsCliSkipReason() }, () => {
  let server: NatsServer;
  before(async () => {
    server = await startNatsServer({ user: 'cli', password: 'pw' });
  });
  after(async () => server?.stop());

  test('sees a stream created through nats.js', async () => {
    const nc = await connect({ servers: server.url, ...clientAuthOptions(server) });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.*'], max_msgs: 1000 });
    await jetstream(nc).publish('orders.new', '{"id":1}');
    await nc.close();

    const info = await natsCliJson<{ config: { name: string; subjects: string[]; max_msgs: number }; state: { messages: number } }>(
      ['stream', 'info', 'ORDERS'],
      { server },
    );
    assert.equal(info.config.name, 'ORDERS');
    assert.deepEqual(info.config.subjects, ['orders.*']);
    assert.equal(info.config.max_msgs, 1000);
    assert.equal(info.state.messages, 1);
    const names = await natsCliJson<string[]>(['stream', 'ls', '--names'], { server });
    assert.deepEqual(names, ['ORDERS']);
  });

  test('reports failure with a non-zero exit code and never echoes the password', async () => {
    const r = await natsCli(['stream', 'info', 'NOPE'], { server });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /stream/i);
    assert.doesNotMatch(r.command, /pw/);
  });
});

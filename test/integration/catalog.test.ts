/**
 * The Explorer's data layer against real servers: what natscli creates shows up in the
 * Catalog with the facts natscli reports; system streams hide like `nats stream ls`; paging
 * returns every stream exactly once; a cluster shows leader and replicas; 2.9 still lists.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { findNatsServer29, natsCliSkipReason, natsServer29SkipReason, resolveNatsServer } from '../helpers/binaries';
import { makeTempDir, natsCli, natsCliJson, startNatsCluster, startNatsServer, type NatsCluster, type NatsServer } from '../helpers/natsServer';
import { Catalog, PAGE_SIZE } from '../../src/nats/catalog';
import { runCli } from '../../src/cli/main';

interface CliStreamInfo {
  config: { name: string; subjects: string[]; retention: string; storage: string; num_replicas: number; max_msgs: number; max_bytes: number; max_age: number; description?: string };
  state: { messages: number; bytes: number; first_seq: number; last_seq: number; consumer_count: number };
  created: string;
}

const cliSkip = natsCliSkipReason();

describe(`catalog on nats-server ${resolveNatsServer().version}`, { skip: cliSkip }, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let catalog: Catalog;

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    catalog = new Catalog(nc);
    const dir = makeTempDir('nf-catalog-');
    const cfg = join(dir, 'orders.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        name: 'ORDERS',
        description: 'all orders',
        subjects: ['orders.>'],
        retention: 'limits',
        storage: 'file',
        num_replicas: 1,
        max_msgs: 100,
        max_bytes: -1,
        max_age: 3_600_000_000_000,
        max_msgs_per_subject: -1,
        max_msg_size: -1,
        max_consumers: -1,
        discard: 'old',
        duplicate_window: 120_000_000_000,
      }),
    );
    for (const args of [
      ['stream', 'add', 'ORDERS', '--config', cfg],
      ['stream', 'add', 'EVENTS', '--subjects', 'events.*', '--storage', 'memory', '--defaults'],
      ['kv', 'add', 'settings', '--history', '5'],
      ['object', 'add', 'files'],
      ['consumer', 'add', 'ORDERS', 'SHIP', '--pull', '--filter', 'orders.shipped', '--ack', 'explicit', '--max-pending', '10', '--defaults'],
      ['consumer', 'add', 'ORDERS', 'AUDIT', '--target', 'audit.deliver', '--deliver', 'all', '--ack', 'none', '--defaults'],
    ]) {
      const r = await natsCli(args, { server });
      assert.equal(r.code, 0, `${r.command}: ${r.stderr}`);
    }
    const js = jetstream(nc);
    for (let i = 0; i < 30; i++) await js.publish(`orders.new.${i}`, `order ${i}`);
    for (let i = 0; i < 10; i++) await js.publish('orders.shipped', `shipped ${i}`);
  });

  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('a stream made by natscli shows the facts natscli reports', async () => {
    const page = await catalog.streams();
    const s = page.items.find((x) => x.name === 'ORDERS');
    assert.ok(s, `ORDERS missing from ${page.items.map((x) => x.name)}`);
    const cli = await natsCliJson<CliStreamInfo>(['stream', 'info', 'ORDERS'], { server });
    assert.deepEqual(s.subjects, cli.config.subjects);
    assert.equal(s.retention, cli.config.retention);
    assert.equal(s.storage, cli.config.storage);
    assert.equal(s.replicas, cli.config.num_replicas);
    assert.equal(s.messages, cli.state.messages);
    assert.equal(s.messages, 40);
    assert.equal(s.bytes, cli.state.bytes);
    assert.equal(s.firstSeq, cli.state.first_seq);
    assert.equal(s.lastSeq, cli.state.last_seq);
    assert.equal(s.consumers, cli.state.consumer_count);
    assert.equal(s.consumers, 2);
    assert.equal(s.description, 'all orders');
    assert.equal(s.limits.maxMsgs, 100);
    assert.equal(s.limits.maxAgeMs, 3_600_000);
    assert.equal(s.nearLimit, 0.4, '40 of max_msgs 100');
    assert.ok(s.firstTime && s.lastTime && Date.parse(s.lastTime) >= Date.parse(s.firstTime));
    assert.equal(s.created, cli.created);
    assert.equal(s.system, false);
    const events = page.items.find((x) => x.name === 'EVENTS')!;
    assert.equal(events.storage, 'memory');
    assert.equal(events.firstTime, undefined, 'an empty stream has no first message time');
    // plain JSON: survives a round trip unchanged
    assert.deepEqual(JSON.parse(JSON.stringify(page)), page);
  });

  test('KV_ and OBJ_ backing streams are hidden unless includeSystem, as natscli does', async () => {
    const hidden = await catalog.streams();
    assert.deepEqual(hidden.items.map((s) => s.name).sort(), ['EVENTS', 'ORDERS']);
    assert.equal(hidden.total, 2);
    const all = await catalog.streams({ includeSystem: true });
    assert.deepEqual(all.items.map((s) => s.name).sort(), ['EVENTS', 'KV_settings', 'OBJ_files', 'ORDERS']);
    assert.equal(all.total, 4);
    // natscli's `stream ls --json` prints names and hides system streams (its --names mode does not hide them)
    const cliNames = (await natsCliJson<string[]>(['stream', 'ls'], { server })).sort();
    assert.deepEqual(hidden.items.map((s) => s.name).sort(), cliNames);
    const cliAll = (await natsCliJson<string[]>(['stream', 'ls', '--all'], { server })).sort();
    assert.deepEqual(all.items.map((s) => s.name).sort(), cliAll);
    assert.deepEqual((await catalog.streamNames()).sort(), ['EVENTS', 'ORDERS']);
  });

  test('a subject filter lists only the streams that capture it', async () => {
    const page = await catalog.streams({ filter: 'events.x' });
    assert.deepEqual(page.items.map((s) => s.name), ['EVENTS']);
  });

  test('consumers show kind, filters, pending and ack settings', async () => {
    const page = await catalog.consumers('ORDERS');
    assert.equal(page.total, 2);
    const ship = page.items.find((c) => c.name === 'SHIP')!;
    assert.equal(ship.kind, 'pull');
    assert.equal(ship.durable, true);
    assert.equal(ship.ackPolicy, 'explicit');
    assert.deepEqual(ship.filterSubjects, ['orders.shipped']);
    assert.equal(ship.numPending, 10);
    assert.equal(ship.maxAckPending, 10);
    assert.equal(ship.health, 'ok');
    const audit = page.items.find((c) => c.name === 'AUDIT')!;
    assert.equal(audit.kind, 'push');
    assert.equal(audit.deliverSubject, 'audit.deliver');
    assert.deepEqual(audit.filterSubjects, []);
    const cli = await natsCliJson<{ num_pending: number; config: { ack_policy: string } }>(['consumer', 'info', 'ORDERS', 'SHIP'], { server });
    assert.equal(ship.numPending, cli.num_pending);
  });

  test('a consumer whose backlog grew between refreshes is flagged behind; ack pending near the max is flagged', async () => {
    await catalog.consumers('ORDERS');
    await jetstream(nc).publish('orders.shipped', 'one more');
    const ship = (await catalog.consumers('ORDERS')).items.find((c) => c.name === 'SHIP')!;
    assert.equal(ship.health, 'behind');
    assert.match(ship.healthReason!, /grew from 10 to 11/);
    // take 9 of max_ack_pending 10 without acking
    const c = await jetstream(nc).consumers.get('ORDERS', 'SHIP');
    const batch = await c.fetch({ max_messages: 9, expires: 2000 });
    for await (const _m of batch) {
      /* leave unacked */
    }
    const again = await catalog.consumer('ORDERS', 'SHIP');
    assert.equal(again.numAckPending, 9);
    assert.equal(again.health, 'ackPendingNearMax');
  });

  test('KV buckets, keys with a filter and paging; object stores and objects', async () => {
    const kv = await new Kvm(nc).open('settings');
    for (let i = 0; i < 25; i++) await kv.put(`orders.${String(i).padStart(2, '0')}`, `v${i}`);
    await kv.put('users.alice', 'x');
    await kv.delete('orders.00');
    const buckets = await catalog.kvBuckets();
    assert.equal(buckets.length, 1);
    assert.equal(buckets[0].bucket, 'settings');
    assert.equal(buckets[0].history, 5);
    assert.equal(buckets[0].stream, 'KV_settings');
    const cliKv = await natsCliJson<Array<{ bucket?: string; Bucket?: string }>>(['kv', 'ls'], { server }).catch(() => undefined);
    if (cliKv) assert.ok(JSON.stringify(cliKv).includes('settings'));

    const seen: string[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const page: Awaited<ReturnType<Catalog['kvKeys']>> = await catalog.kvKeys('settings', { filter: 'orders.>', offset, limit: 10 });
      assert.ok(page.items.length <= 10);
      seen.push(...page.items);
      offset = page.next;
    }
    assert.equal(seen.length, 24, 'deleted key not listed, users.* filtered out');
    assert.equal(new Set(seen).size, 24);
    assert.ok(!seen.includes('orders.00'));

    const os = await new Objm(nc).open('files');
    await os.putBlob({ name: 'a.txt' }, new TextEncoder().encode('hello'));
    await os.putBlob({ name: 'b.bin' }, new Uint8Array(300_000));
    const stores = await catalog.objectStores();
    assert.deepEqual(stores.map((s) => s.bucket), ['files']);
    const objs = await catalog.objects('files');
    assert.deepEqual(objs.items.map((o) => [o.name, o.size]), [['a.txt', 5], ['b.bin', 300_000]]);
    assert.equal(objs.total, 2);
    const p2 = await catalog.objects('files', { offset: 1, limit: 1 });
    assert.deepEqual(p2.items.map((o) => o.name), ['b.bin']);
  });

  test('account usage against limits', async () => {
    const a = await catalog.accountInfo();
    assert.equal(a.streams, 4);
    assert.ok(a.storage > 0);
    assert.equal(a.limits.maxStreams, -1);
  });

  test('features follow the server version', () => {
    assert.equal(catalog.features.pause.supported, true);
    assert.equal(catalog.features.multiFilter.supported, true);
  });
});

describe('paging 600 streams', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    const names = Array.from({ length: 600 }, (_, i) => `S${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((n) => jsm.streams.add({ name: n, subjects: [`s.${n}`], storage: 'memory' as never })));
    }
    await new Kvm(nc).create('kvone');
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('returns every stream exactly once, page by page, with the total up front', async () => {
    const catalog = new Catalog(nc);
    const first = await catalog.streams({ limit: 100 });
    assert.equal(first.total, 600, 'KV_kvone not counted');
    assert.equal(first.items.length, 100);
    const seen: string[] = [...first.items.map((s) => s.name)];
    let offset = first.next;
    while (offset !== undefined) {
      const page = await catalog.streams({ offset, limit: 100 });
      seen.push(...page.items.map((s) => s.name));
      offset = page.next;
    }
    assert.equal(seen.length, 600);
    assert.equal(new Set(seen).size, 600);
    assert.ok(!seen.includes('KV_kvone'));
    assert.equal((await catalog.allStreams({ includeSystem: true })).length, 601);
    assert.equal((await catalog.streamNames()).length, 600);
    const maxPage = await catalog.streams({ limit: 1000 });
    assert.equal(maxPage.items.length, PAGE_SIZE, 'one page is at most the API page size');
  });
});

describe('cluster of 3', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;
  before(async () => {
    cluster = await startNatsCluster(3);
    nc = await connect({ servers: cluster.urls });
    // a fresh cluster on a loaded machine can take longer than the client's 5 s default to
    // elect the new stream's leader; the consumer is added once the stream has one
    const jsm = await jetstreamManager(nc, { timeout: 20_000 });
    await jsm.streams.add({ name: 'R3', subjects: ['r3.>'], num_replicas: 3 });
    for (let i = 0; i < 100 && !(await jsm.streams.info('R3')).cluster?.leader; i++) await new Promise((r) => setTimeout(r, 100));
    await jsm.consumers.add('R3', { durable_name: 'C', ack_policy: 'explicit' as never });
  });
  after(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  test('an R3 stream shows its leader and two current replicas', async () => {
    const catalog = new Catalog(nc);
    let s = (await catalog.streams()).items[0];
    // replicas report current once they caught up; give them a moment
    for (let i = 0; i < 50 && !(s.cluster?.replicas.length === 2 && s.cluster.replicas.every((r) => r.current)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await catalog.stream('R3');
    }
    assert.equal(s.replicas, 3);
    assert.ok(s.cluster?.leader, 'has a leader');
    assert.equal(s.cluster!.replicas.length, 2);
    assert.ok(!s.cluster!.replicas.some((r) => r.name === s.cluster!.leader));
    const names = new Set([s.cluster!.leader, ...s.cluster!.replicas.map((r) => r.name)]);
    assert.deepEqual(names, new Set(cluster.servers.map((x) => x.serverName)));
    assert.ok(s.cluster!.replicas.every((r) => r.current && !r.offline && r.lag === 0));
    const c = (await catalog.consumers('R3')).items[0];
    assert.ok(c.cluster?.leader);
  });

  test('nats-flow ls streams names the leader and an offline replica', { timeout: 60_000 }, async () => {
    const s = await new Catalog(nc).stream('R3');
    const follower = cluster.servers.find((x) => x.serverName !== s.cluster!.leader)!;
    const others = cluster.servers.filter((x) => x !== follower).map((x) => x.url).join(',');
    const run = async () => {
      let out = '';
      const code = await runCli(['ls', 'streams', '--server', others], { out: (t) => void (out += t), err: (t) => void (out += t), env: { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent' } });
      return { code, out };
    };
    const before = await run();
    assert.equal(before.code, 0, before.out);
    assert.match(before.out, /Leader/);
    await follower.kill();
    let r = await run();
    for (let i = 0; i < 40 && !r.out.includes(`offline: ${follower.serverName}`); i++) {
      await new Promise((res) => setTimeout(res, 500));
      r = await run();
    }
    assert.match(r.out, new RegExp(`R3 .*offline: ${follower.serverName}`), r.out);
  });
});

const v29 = findNatsServer29();
describe(`catalog on nats-server 2.9${v29 ? ` (${v29.version})` : ''}`, { skip: natsServer29SkipReason() }, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  before(async () => {
    server = await startNatsServer({ binary: v29!.path });
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'OLD', subjects: ['old.>'] });
    await jsm.consumers.add('OLD', { durable_name: 'W', ack_policy: 'explicit' as never, filter_subject: 'old.a' });
    await new Kvm(nc).create('oldkv');
    await jetstream(nc).publish('old.a', 'x');
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('lists streams, consumers and buckets, and says what the old server lacks', async () => {
    const catalog = new Catalog(nc);
    const page = await catalog.streams();
    assert.deepEqual(page.items.map((s) => s.name), ['OLD']);
    assert.equal(page.total, 1);
    assert.equal(page.items[0].messages, 1);
    const c = (await catalog.consumers('OLD')).items[0];
    assert.equal(c.numPending, 1);
    assert.equal(c.paused, undefined, '2.9 knows nothing of pause');
    assert.deepEqual((await catalog.kvBuckets()).map((b) => b.bucket), ['oldkv']);
    assert.equal(catalog.features.pause.supported, false);
    assert.equal(catalog.features.pause.reason, `needs nats-server 2.11 or later; connected to ${v29!.version}`);
    assert.equal(catalog.features.multiFilter.supported, false);
  });
});

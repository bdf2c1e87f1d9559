/**
 * Tails name the server, against real nats-server processes:
 * - the reconnecting / resumed markers (the panel's list and `nats-flow tail` output) say
 *   which server went away and which one the tail is back on, by address and server name,
 *   for every kind of tail;
 * - in a 3-node cluster the client comes back on another node: the markers and the CLI's
 *   stderr say which, and which one it was on;
 * - a tail whose server goes away while it is still opening fails with a message naming the
 *   server (the CLI exits 1 with one line, as its other commands do), not a bare "timeout".
 */
import { after, before, describe, test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, RetentionPolicy } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { retrySettling, startNatsCluster, startNatsServer, type NatsCluster, type NatsServer } from '../helpers/natsServer';
import { consumerNames, TailProbe } from '../helpers/tailProbe';
import { CliProcess, ensureBuiltCli } from '../helpers/cliProcess';
import { openTail, TailOpenInterrupted } from '../../src/nats/tail';
import type { TailMarker } from '../../src/core/tail/events';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const hostPort = (s: NatsServer) => `127.0.0.1:${s.port}`;

before(ensureBuiltCli);

describe('tail markers name the server they lost and the one they are back on', () => {
  let server: NatsServer;
  let nc: NatsConnection;

  before(async () => {
    server = await startNatsServer({ serverName: 'names-one' });
    nc = await connect({ servers: server.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'NS', subjects: ['ns.>'] });
    await jsm.streams.add({ name: 'NW', subjects: ['nw.>'], retention: RetentionPolicy.Workqueue });
    const js = jetstream(nc);
    await js.publish('ns.a', 'one');
    await js.publish('nw.a', 'job');
    const kv = await new Kvm(nc).create('names');
    await kv.put('k', 'v1');
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('stream tail, KV watch, stream view and subject tail: "disconnected from 127.0.0.1:P (names-one)" … "resumed … on 127.0.0.1:P (names-one)"', { timeout: 120_000 }, async () => {
    const probes = {
      stream: await TailProbe.open(nc, { kind: 'stream', stream: 'NS', from: 'all' }),
      kv: await TailProbe.open(nc, { kind: 'kv', bucket: 'names' }),
      view: await TailProbe.open(nc, { kind: 'stream', stream: 'NW', from: 'all' }),
      subject: await TailProbe.open(nc, { kind: 'subject', subject: 'ns.core' }),
    };
    await probes.stream.untilMessages(1);
    await probes.view.untilMessages(1);
    await probes.kv.untilMarker('live');
    await server.kill();
    // a view notices only when a read fails: its request waits out its 5 s timeout
    for (const [name, p] of Object.entries(probes)) await p.untilMarker('reconnecting', 15_000).catch((e) => assert.fail(`${name}: ${(e as Error).message}`));
    await server.start();
    for (const [name, p] of Object.entries(probes)) await p.untilMarker('resumed', 15_000).catch((e) => assert.fail(`${name}: ${(e as Error).message}`));

    const at = hostPort(server);
    const named = `${escape(at)} \\(names-one\\)`;
    const expected: Record<string, { lost: RegExp; back: RegExp }> = {
      stream: { lost: new RegExp(`^disconnected from ${named}; reconnecting \\(last sequence 1\\)$`), back: new RegExp(`^resumed at stream sequence 2 on ${named}$`) },
      kv: { lost: new RegExp(`^disconnected from ${named}; reconnecting`), back: new RegExp(`^resumed at stream sequence \\d+ on ${named}$`) },
      view: { lost: new RegExp(`^lost the connection to ${named}; cannot read NW \\(.+\\); retrying$`), back: new RegExp(`^resumed at stream sequence 2 on ${named}$`) },
      subject: { lost: new RegExp(`^disconnected from ${named}; reconnecting\\. A core subscription misses`), back: new RegExp(`^reconnected to ${named} after [\\d.]+ s, listening on ns\\.core again`) },
    };
    for (const [name, p] of Object.entries(probes)) {
      const lost = p.markers.find((m) => m.marker === 'reconnecting')!;
      const back = p.markers.find((m) => m.marker === 'resumed')!;
      assert.match(lost.text, expected[name]!.lost, name);
      assert.match(back.text, expected[name]!.back, name);
      // the same server, so no "it was on …"
      assert.doesNotMatch(back.text, /it was on/, name);
      assert.equal(lost.server, at, `${name}: the reconnecting marker's server`);
      assert.equal(back.server, at, `${name}: the resumed marker's server`);
    }
    for (const p of Object.values(probes)) await p.session.close();
    const jsm = await jetstreamManager(nc);
    assert.deepEqual(await consumerNames(jsm, 'NS'), []);
    assert.deepEqual(await consumerNames(jsm, 'KV_names'), []);
  });
});

describe('a tail whose server goes away while it is opening', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let observer: NatsConnection;
  /** JetStream API requests to a prefix nobody answers: the tail waits there, provably opening. */
  const STUCK = '$JS.stuck.API';
  let stuckRequests = 0;
  const running: CliProcess[] = [];

  before(async () => {
    server = await startNatsServer({ serverName: 'names-open' });
    nc = await connect({ servers: server.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    observer = await connect({ servers: server.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    observer.subscribe(`${STUCK}.>`, { callback: () => void stuckRequests++ });
    await observer.flush();
  });
  after(async () => {
    for (const p of running) p.kill();
    await nc?.close();
    await observer?.close();
    await server?.stop();
  });

  async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      assert.ok(Date.now() < deadline, `no ${what} within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  test('without the server going away, the same stuck opening fails with its own reason and names no lost connection', { timeout: 30_000 }, async () => {
    const err = await openTail(nc, { kind: 'stream', stream: 'S' }, { apiPrefix: STUCK }).then(
      () => assert.fail('opened'),
      (e: unknown) => e,
    );
    assert.ok(!(err instanceof TailOpenInterrupted), String(err));
    assert.match((err as Error).message, /^cannot read stream "S": timeout$/);
  });

  test('stream, KV and view tails (engine and CLI) fail naming the server and why; the CLI exits 1 with one line', { timeout: 60_000 }, async () => {
    const before = stuckRequests;
    const engine = openTail(nc, { kind: 'kv', bucket: 'cfg' }, { apiPrefix: STUCK }).then(
      () => assert.fail('the KV watch opened'),
      (e: unknown) => e,
    );
    const flags = ['--server', server.url, '--js-api-prefix', STUCK];
    const cli = [
      new CliProcess(['tail', '--stream', 'S', '--from', 'all', '--json', ...flags]),
      new CliProcess(['tail', '--kv', 'cfg', ...flags]),
      new CliProcess(['tail', '--stream', 'S', '--view', '--from', 'last-per-subject', ...flags]),
    ];
    running.push(...cli);
    // each is waiting on its first JetStream request when the server goes
    await until('request from every tail', () => stuckRequests - before >= 4);
    await server.kill('SIGKILL');
    try {
      await expectNamedFailures(engine, cli);
    } finally {
      await server.start();
    }
  });

  /** SIGSTOP, then waits until every thread of the process is stopped (a running one could still answer). */
  async function stopped(pid: number): Promise<void> {
    process.kill(pid, 'SIGSTOP');
    const state = (task: string) => readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    await until(`process ${pid} stopped`, () => readdirSync(`/proc/${pid}/task`).every((t) => state(t) === 'T' || state(t) === 't'), 10_000);
  }

  /** The test's connection is back on the server (after a test restarted it). */
  async function connected(c: NatsConnection): Promise<void> {
    await retrySettling('flushing the test connection', () => c.flush());
  }

  test('subject and advisory tails, whose opening waits on the server (a flush), fail naming the server', { timeout: 60_000 }, async () => {
    await connected(nc);
    // a stopped server keeps the socket open but answers nothing: the tails' flushes wait, provably
    // opening, until it goes away for good
    await stopped(server.pid!);
    // a PONG already on its way (answering an earlier PING) would let a tail's flush through:
    // a flush of our own, sent first, takes it
    const probe = nc.flush().catch(() => undefined);
    await Promise.race([probe, new Promise((r) => setTimeout(r, 100))]);
    let opening: Promise<unknown>[] = [];
    try {
      opening = [openTail(nc, { kind: 'subject', subject: 'names.>' }), openTail(nc, { kind: 'advisories' })].map((p) =>
        p.then(
          () => assert.fail('a tail opened'),
          (e: unknown) => e,
        ),
      );
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await server.kill('SIGKILL');
    }
    try {
      for (const err of await Promise.all(opening)) {
        assert.ok(err instanceof TailOpenInterrupted, String(err));
        assert.equal(err.server, hostPort(server));
        assert.match(err.message, new RegExp(`^lost the connection to ${escape(hostPort(server))} \\(names-open\\): the server went away or closed it while the tail was opening, so it did not start \\(.+\\)$`));
      }
    } finally {
      await server.start();
    }
  });

  test('a subject tail opened while the connection is down (reconnecting) fails naming the server', { timeout: 60_000 }, async () => {
    await connected(nc);
    // the server's name is learnt while connected: an earlier tail on the connection has it
    await (await openTail(nc, { kind: 'subject', subject: 'names.earlier' })).close();
    const attempts: string[] = [];
    const status = nc.status() as AsyncIterable<{ type: string }> & { stop(): void };
    void (async () => {
      for await (const s of status) if (s.type === 'reconnecting') attempts.push(s.type);
    })();
    await server.kill('SIGKILL');
    try {
      await until('a reconnect attempt', () => attempts.length > 0, 15_000);
      const err = await openTail(nc, { kind: 'subject', subject: 'names.>' }).then(
        () => assert.fail('the tail opened with the server down'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof TailOpenInterrupted, String(err));
      assert.equal(err.server, hostPort(server));
      assert.match(err.message, new RegExp(`^lost the connection to ${escape(hostPort(server))} \\(names-open\\): the server went away or closed it while the tail was opening, so it did not start \\(.+\\)$`));
    } finally {
      status.stop();
      await server.start();
    }
  });

  /** The engine's KV watch and the three CLI tails all failed, each naming the server and why. */
  async function expectNamedFailures(engine: Promise<unknown>, cli: CliProcess[]): Promise<void> {
    const err = await engine;
    assert.ok(err instanceof TailOpenInterrupted, String(err));
    assert.equal(err.server, hostPort(server));
    assert.equal(
      err.message,
      `lost the connection to ${hostPort(server)} (names-open): the server went away or closed it while the tail was opening, so it did not start (cannot read KV bucket "cfg": timeout)`,
    );
    const why = ['stream "S"', 'KV bucket "cfg"', 'stream "S"'];
    for (const [i, p] of cli.entries()) {
      assert.equal(await p.exit(20_000), 1, p.err);
      assert.equal(
        p.err,
        `nats-flow tail: lost the connection to ${server.url}: the server went away or closed it while the tail was opening, so it did not start (cannot read ${why[i]}: timeout)\n`,
        'one line on stderr, naming the server; no "reconnecting until it is back" for a tail that never started',
      );
      assert.equal(p.out, '');
    }
  }

  test('a view of a big WorkQueue stream, killed during its last-per-subject gets: exit 1 naming the server', { timeout: 120_000 }, async () => {
    // the observer reconnects to the restarted server on its own
    await connected(observer);
    const pub = await connect({ servers: server.url });
    const jsm = await jetstreamManager(pub);
    // no allow_direct: the view reads the subject list, then one last-by-subject get per subject
    await jsm.streams.add({ name: 'BIG', subjects: ['big.>'], retention: RetentionPolicy.Workqueue });
    const js = jetstream(pub);
    // a window of acks at a time: 20,000 at once time out on a loaded machine
    for (let i = 0; i < 20_000; i += 1000) await Promise.all(Array.from({ length: 1000 }, (_, j) => js.publish(`big.${i + j}`, 'x', { timeout: 20_000 })));
    let gets = 0;
    const killed = new Promise<void>((resolve) => {
      // the first get means the subject list is read and 20,000 gets are to go: go away now
      observer.subscribe('$JS.API.STREAM.MSG.GET.BIG', {
        max: 1,
        callback: () => {
          gets++;
          void server.kill('SIGKILL').then(resolve);
        },
      });
    });
    await observer.flush();
    await pub.close();
    const p = new CliProcess(['tail', '--stream', 'BIG', '--from', 'last-per-subject', '--json', '--server', server.url]);
    running.push(p);
    await killed;
    try {
      assert.equal(gets, 1);
      assert.equal(await p.exit(20_000), 1, p.err);
      assert.match(p.err, new RegExp(`^nats-flow tail: lost the connection to ${escape(server.url)}: the server went away or closed it while the tail was opening, so it did not start \\(.+\\)\\n$`));
      assert.equal(p.out, '', 'nothing shown: the tail never started');
    } finally {
      await server.start();
    }
  });
});

describe('a tail in a 3-node cluster that comes back on another node', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;
  const running: CliProcess[] = [];

  before(async () => {
    cluster = await startNatsCluster(3, { serverName: 'names' });
    // the first node is the one the tails are given and the one that goes away
    const others = cluster.urls.slice(1);
    nc = await connect({ servers: others, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    await retrySettling('creating stream C3', async () => (await jetstreamManager(nc)).streams.add({ name: 'C3', subjects: ['c3.>'], num_replicas: 3 }));
    const js = jetstream(nc);
    for (let i = 1; i <= 3; i++) await js.publish('c3.a', `m${i}`, { msgID: `m${i}`, timeout: 5000 });
  });
  after(async () => {
    for (const p of running) p.kill();
    await nc?.close();
    await cluster?.stop();
  });

  test('the markers and stderr name the node it lost and the node it is back on', { timeout: 180_000 }, async () => {
    const [first] = cluster.servers;
    const a = hostPort(first!);
    const stream = new CliProcess(['tail', '--stream', 'C3', '--from', 'all', '--json', '--server', first!.url]);
    const subject = new CliProcess(['tail', '--subject', 'plain.core', '--json', '--server', first!.url]);
    running.push(stream, subject);
    await stream.waitFor(/"seq":3,"subject":"c3\.a"/, 30_000);
    await subject.waitFor(/"marker":"note"/, 30_000);
    await first!.kill();

    const lostLine = new RegExp(`^nats-flow tail: lost the connection to ${escape(first!.url)}; reconnecting until it is back \\(Ctrl-C stops\\)$`, 'm');
    // nats.js learnt the other nodes from the cluster and reconnects to one of them
    const backLine = new RegExp(
      `^nats-flow tail: reconnected to (127\\.0\\.0\\.1:\\d+) \\(a server of the cluster behind ${escape(first!.url)}\\) after [\\d.]+ s; it was on ${escape(a)}$`,
      'm',
    );
    for (const p of [stream, subject]) {
      await p.waitFor(lostLine, 15_000, 'lost the connection …');
      await p.waitFor(backLine, 30_000, 'reconnected to another node …');
    }
    // publish through the nodes that are up (a stream leader election may refuse a moment)
    const js = jetstream(nc);
    await retrySettling('publishing m4', () => js.publish('c3.a', 'm4', { msgID: 'm4', timeout: 2000 }));
    await stream.waitFor(/"seq":4,"subject":"c3\.a"/, 30_000, 'message 4 (not the resumed marker, which also says seq 4)');
    await stream.waitFor(/"marker":"resumed"/, 30_000, 'the resumed marker');
    nc.publish('plain.core', 'after');
    await subject.waitFor(/"data":"after"/, 15_000, 'the core message after the reconnect');

    const markers = (out: string) =>
      out
        .split('\n')
        .filter((l) => l.includes('"marker"'))
        .map((l) => JSON.parse(l) as TailMarker & { marker: string });
    const nodes = new Map(cluster.servers.map((s) => [hostPort(s), s.serverName]));
    for (const [name, p] of Object.entries({ stream, subject })) {
      const b = backLine.exec(p.err)![1]!;
      assert.notEqual(b, a, `${name}: back on another node`);
      assert.ok(nodes.has(b), `${name}: ${b} is a node of the cluster`);
      const lost = markers(p.out).find((m) => m.marker === 'reconnecting')!;
      const back = markers(p.out).find((m) => m.marker === 'resumed')!;
      assert.equal(lost.server, a, `${name}: reconnecting names the node that went away`);
      assert.match(lost.text, new RegExp(`^disconnected from ${escape(a)} \\(names-n1\\); reconnecting`), name);
      assert.equal(back.server, b, `${name}: resumed names the node it is back on`);
      const on = `${escape(b)} \\(${escape(nodes.get(b)!)}\\)`;
      const was = `${escape(a)} \\(names-n1\\)`;
      assert.match(
        back.text,
        name === 'stream' ? new RegExp(`^resumed at stream sequence 4 on ${on}; it was on ${was} before the disconnect$`) : new RegExp(`^reconnected to ${on} after [\\d.]+ s, listening on plain\\.core again; it was on ${was} before the disconnect; messages published while disconnected were not seen$`),
        name,
      );
    }
    // nothing lost, nothing twice
    const seqs = stream.out.split('\n').filter((l) => l.includes('"seq"') && !l.includes('"marker"')).map((l) => (JSON.parse(l) as { seq: number }).seq);
    assert.deepEqual(seqs, [1, 2, 3, 4]);

    for (const p of [stream, subject]) p.interrupt();
    for (const p of [stream, subject]) assert.equal(await p.exit(20_000), 0, p.err);
    const jsm = await jetstreamManager(nc);
    assert.deepEqual(await consumerNames(jsm, 'C3'), []);
  });
});

/**
 * The built CLI (`node dist/cli.js`) against a real server: `tail` prints the NDJSON shapes of
 * the issue (stream, KV with phase/prev and the live marker), binary data as base64, human
 * output, exits 0 at --limit, and on Ctrl-C leaves no consumer; `pub` and `req` with
 * natscli's flags; bad usage exits 2 naming the problem.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { findNatsServer29, natsServer29SkipReason } from '../helpers/binaries';
import { consumerNames } from '../helpers/tailProbe';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const env = { ...process.env, HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent', NATS_URL: '' };

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function runCli(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.end(input ?? '');
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

function lines(out: string): Record<string, unknown>[] {
  return out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * `nats-flow tail --stream S --from last-per-subject` with no --filter on a Limits stream with
 * several subject patterns: the newest message of each subject in stream order, exit 0 at
 * --limit, and no consumer left on the server.
 */
async function cliLastPerSubject(nc: NatsConnection, url: string, stream: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const p = stream.toLowerCase();
  await jsm.streams.add({ name: stream, subjects: [`${p}.a.*`, `${p}.b`] });
  const js = jetstream(nc);
  for (const [s, d] of [['a.1', 'a1'], ['b', 'b1'], ['a.2', 'a2'], ['a.1', 'a1 again'], ['b', 'b2']]) await js.publish(`${p}.${s}`, d!);
  const r = await runCli(['tail', '--server', url, '--stream', stream, '--from', 'last-per-subject', '--limit', '3', '--json']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(
    lines(r.out).map((l) => l.marker ?? `${l.seq} ${l.subject} ${l.data}`),
    ['mode', `3 ${p}.a.2 a2`, `4 ${p}.a.1 a1 again`, `5 ${p}.b b2`],
  );
  assert.deepEqual(await consumerNames(jsm, stream), []);
}

describe('nats-flow tail, pub and req (built CLI)', () => {
  let server: NatsServer;
  let nc: NatsConnection;

  before(async () => {
    if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--no-tests'], { cwd: root, stdio: 'inherit' });
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
    const js = jetstream(nc);
    await js.publish('orders.1', 'first');
    await js.publish('orders.2', new Uint8Array([0xff, 0xfe, 0x00, 0x41]));
    await js.publish('orders.3', 'third');
    const kv = await new Kvm(nc).create('cfg');
    await kv.put('mode', 'a');
    await kv.put('mode', 'b');
  });

  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('tail --stream --from all --limit 3 --json prints the stream line shape and exits 0', async () => {
    const r = await runCli(['tail', '--server', server.url, '--stream', 'ORDERS', '--from', 'all', '--limit', '3', '--json']);
    assert.equal(r.code, 0, r.err);
    const ls = lines(r.out).filter((l) => !('marker' in l));
    assert.equal(ls.length, 3);
    assert.deepEqual(Object.keys(ls[0]!), ['stream', 'seq', 'subject', 'time', 'headers', 'data']);
    assert.deepEqual(ls[0], { stream: 'ORDERS', seq: 1, subject: 'orders.1', time: ls[0]!.time, headers: {}, data: 'first' });
    assert.deepEqual({ data: ls[1]!.data, encoding: ls[1]!.encoding }, { data: Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64'), encoding: 'base64' });
    assert.deepEqual(await consumerNames(await jetstreamManager(nc), 'ORDERS'), []);
  });

  test('tail --kv --json replays as bootstrap, prints {"marker":"live"}, then live transitions', async () => {
    const child = spawn(process.execPath, [cli, 'tail', '--server', server.url, '--kv', 'cfg', '--json', '--limit', '2'], { env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    while (!out.includes('"marker":"live"')) await new Promise((r) => setTimeout(r, 50));
    await (await new Kvm(nc).open('cfg')).put('mode', 'c');
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 0);
    const ls = lines(out).filter((l) => l.marker !== 'mode' && (!('marker' in l) || l.marker === 'live'));
    assert.deepEqual(ls[0], { bucket: 'cfg', key: 'mode', revision: 2, op: 'put', phase: 'bootstrap', prev: null, value: 'b', time: ls[0]!.time });
    assert.deepEqual(ls[1], { marker: 'live' });
    assert.deepEqual({ ...ls[2], time: 0 }, { bucket: 'cfg', key: 'mode', revision: 3, op: 'put', phase: 'live', prev: { revision: 2, value: 'b' }, value: 'c', time: 0 });
  });

  test('tail --kv --from-revision N: the first change of each key shows what it held at N-1, later ones the watch\'s own', async () => {
    const kv = await new Kvm(nc).create('fromrev', { history: 5 });
    await kv.put('a', 'a1'); // 1
    await kv.put('b', 'b1'); // 2
    await kv.put('a', 'a2'); // 3
    await kv.put('c', 'c1'); // 4
    const n = (await kv.put('a', 'a3')) as number; // 5: the watch starts here
    assert.equal(n, 5);
    await kv.delete('b'); // 6
    await kv.put('a', 'a4'); // 7
    await kv.put('d', 'd1'); // 8: a new key has no previous value
    await kv.put('c', 'c2'); // 9
    const r = await runCli(['tail', '--server', server.url, '--kv', 'fromrev', '--from-revision', String(n), '--json', '--limit', '5']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const got = lines(r.out)
      .filter((l) => !('marker' in l))
      .map((l) => ({ key: l.key, revision: l.revision, op: l.op, prev: l.prev, value: l.value }));
    assert.deepEqual(got, [
      { key: 'a', revision: 5, op: 'put', prev: { revision: 3, value: 'a2' }, value: 'a3' },
      { key: 'b', revision: 6, op: 'delete', prev: { revision: 2, value: 'b1' }, value: null },
      { key: 'a', revision: 7, op: 'put', prev: { revision: 5, value: 'a3' }, value: 'a4' },
      { key: 'd', revision: 8, op: 'put', prev: null, value: 'd1' },
      { key: 'c', revision: 9, op: 'put', prev: { revision: 4, value: 'c1' }, value: 'c2' },
    ]);
    const human = await runCli(['tail', '--server', server.url, '--kv', 'fromrev', '--from-revision', String(n), '--limit', '2']);
    assert.equal(human.code, 0, human.err);
    assert.match(human.out, /> a @5 [^\n]*\n {2}@3 a2 → a3\n/);
    assert.match(human.out, /> b @6 [^\n]*\n {2}@2 b1 → \(delete\)/);

    // history 1: the value a key held before N has been replaced since, so there is none to show
    const h1 = await new Kvm(nc).create('fromrev1', { history: 1 });
    await h1.put('x', 'x1'); // 1
    await h1.put('y', 'y1'); // 2
    await h1.put('x', 'x2'); // 3
    const one = await runCli(['tail', '--server', server.url, '--kv', 'fromrev1', '--from-revision', '3', '--json', '--limit', '1']);
    assert.equal(one.code, 0, one.err);
    assert.equal(one.err, '');
    const x = lines(one.out).find((l) => l.key === 'x');
    assert.deepEqual({ revision: x?.revision, prev: x?.prev, value: x?.value }, { revision: 3, prev: null, value: 'x2' });
  });

  test('Ctrl-C ends a tail cleanly and its consumer is gone from the server', async () => {
    const child = spawn(process.execPath, [cli, 'tail', '--server', server.url, '--stream', 'ORDERS', '--from', 'all'], { env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    while (!out.includes('third')) await new Promise((r) => setTimeout(r, 50));
    const jsm = await jetstreamManager(nc);
    assert.equal((await consumerNames(jsm, 'ORDERS')).length, 1);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 0);
    assert.deepEqual(await consumerNames(jsm, 'ORDERS'), []);
    assert.match(out, /\[#1\] Received on "orders\.1" \(stream ORDERS\)/, 'human output like natscli');
  });

  /** Starts `nats-flow tail ARGS`, waits for `ready` in its output, runs `act`, and returns how it ended. */
  async function tailUntilGone(args: string[], ready: string, act: () => Promise<unknown>): Promise<Run> {
    const child = spawn(process.execPath, [cli, 'tail', '--server', server.url, ...args], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    while (!out.includes(ready)) await new Promise((r) => setTimeout(r, 50));
    await act();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await closed;
    clearTimeout(timer);
    return { code, out, err };
  }

  test('a tail whose stream is deleted under it says so, naming the stream, and exits 1', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'DOOMED', subjects: ['doomed.>'] });
    await jetstream(nc).publish('doomed.1', 'still here');
    const r = await tailUntilGone(['--stream', 'DOOMED', '--from', 'all'], 'still here', () => jsm.streams.delete('DOOMED'));
    assert.equal(r.code, 1, `exit code; stderr: ${r.err}`);
    assert.match(r.err, /^nats-flow tail: stream "DOOMED" was deleted/m);
    assert.match(r.out, /--- end: stream "DOOMED" was deleted/);
  });

  test('a view of a WorkQueue stream deleted under it exits 1 naming the stream (direct get and message get)', async () => {
    const jsm = await jetstreamManager(nc);
    for (const direct of [true, false]) {
      await jsm.streams.add({ name: 'DOOMEDWQ', subjects: ['doomedwq.>'], retention: 'workqueue' as never, allow_direct: direct });
      await jetstream(nc).publish('doomedwq.1', 'job');
      const r = await tailUntilGone(['--stream', 'DOOMEDWQ', '--from', 'all', '--json'], '"data":"job"', () => jsm.streams.delete('DOOMEDWQ'));
      assert.equal(r.code, 1, `allow_direct ${direct}: exit code; stderr: ${r.err}`);
      assert.match(r.err, /stream "DOOMEDWQ" was deleted/);
      assert.ok(lines(r.out).some((l) => l.marker === 'end'), 'an end marker line in the NDJSON');
    }
  });

  test('tail --stream --from last-per-subject without --filter on a Limits stream gives the newest message of each subject', async () => {
    await cliLastPerSubject(nc, server.url, 'LPSCLI');
  });

  test('a --limit reached by the messages a view shows while it opens ends the tail: exit 0, the mode line and exactly N messages', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'LIMITWQ', subjects: ['limitwq.>'], retention: 'workqueue' as never });
    for (const s of ['a', 'b', 'c']) await jetstream(nc).publish(`limitwq.${s}`, s);
    // last per subject: the view reads these three while it opens, before openTail resolves
    const r = await runCli(['tail', '--server', server.url, '--stream', 'LIMITWQ', '--from', 'last-per-subject', '--limit', '2', '--json']);
    assert.equal(r.code, 0, r.err);
    const ls = lines(r.out);
    assert.deepEqual(
      ls.map((l) => l.marker ?? l.data),
      ['mode', 'a', 'b'],
    );
    assert.equal((await jsm.streams.info('LIMITWQ')).state.messages, 3, 'the view took nothing');
  });

  test('a KV watch whose bucket is deleted under it says so, naming the bucket, and exits 1', async () => {
    const kvm = new Kvm(nc);
    const kv = await kvm.create('doomedkv');
    await kv.put('k', 'v');
    const r = await tailUntilGone(['--kv', 'doomedkv', '--json'], '"marker":"live"', () => kv.destroy());
    assert.equal(r.code, 1, `exit code; stderr: ${r.err}`);
    assert.match(r.err, /^nats-flow tail: KV bucket "doomedkv" was deleted/m);
  });

  test('pub --count with headers and a template, pub --jetstream reports the sequence, req gets the reply', async () => {
    const sub = nc.subscribe('greet.>', { max: 3 });
    const got: string[] = [];
    const done = (async () => {
      for await (const m of sub) got.push(`${m.subject} ${m.headers?.get('X-Who')} ${m.string()}`);
    })();
    const r = await runCli(['pub', '--server', server.url, 'greet.x', 'hello {{Count}}', '--count', '3', '-H', 'X-Who:me']);
    assert.equal(r.code, 0, r.err);
    await done;
    assert.deepEqual(got, ['greet.x me hello 1', 'greet.x me hello 2', 'greet.x me hello 3']);

    const j = await runCli(['pub', '--server', server.url, 'orders.9', '-', '--jetstream'], 'from stdin');
    assert.equal(j.code, 0, j.err);
    assert.match(j.out, /stream ORDERS sequence 4/);
    const none = await runCli(['pub', '--server', server.url, 'nobody.home', 'x', '--jetstream']);
    assert.equal(none.code, 1);
    assert.match(none.err, /no stream captures "nobody\.home"/);

    const responder = nc.subscribe('svc.echo', { callback: (_e, m) => void m.respond(`echo: ${m.string()}`) });
    await nc.flush();
    const q = await runCli(['req', '--server', server.url, 'svc.echo', 'ping', '--timeout', '2s']);
    assert.equal(q.code, 0, q.err);
    assert.match(q.out, /Received with rtt/);
    assert.match(q.out, /echo: ping/);
    responder.unsubscribe();
    const raw = await runCli(['req', '--server', server.url, 'svc.none', 'ping', '--timeout', '1s']);
    assert.equal(raw.code, 1);
    assert.match(raw.err, /no responders on "svc\.none"/);
  });

  test('bad usage exits 2 and says what is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [['tail'], /say what to tail/],
      [['tail', '--stream', 'S', '--kv', 'B'], /one source at a time/],
      [['tail', '--stream', 'S', '--from', 'yesterday'], /--from "yesterday" is not one of/],
      [['tail', '--kv', 'B', '--filter', 'x'], /--filter goes with --stream/],
      [['tail', '--subject', 'x', '--limit', '0'], /--limit "0" is not a positive whole number/],
      [['pub', 'a.*', 'x'], /contains a wildcard/],
      [['pub', 'a', 'x', '-H', 'novalue'], /is not NAME:VALUE/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli([...args, '--server', server.url]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
    }
    const gone = await runCli(['tail', '--server', server.url, '--stream', 'NOPE']);
    assert.equal(gone.code, 1);
    assert.match(gone.err, /stream "NOPE" does not exist/);
  });
});

describe('nats-flow tail on nats-server 2.9', { skip: natsServer29SkipReason() }, () => {
  let server: NatsServer;
  let nc: NatsConnection;

  before(async () => {
    if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--no-tests'], { cwd: root, stdio: 'inherit' });
    server = await startNatsServer({ binary: findNatsServer29()!.path });
    nc = await connect({ servers: server.url });
  });

  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('tail --stream --from last-per-subject without --filter works on 2.9 too', async () => {
    await cliLastPerSubject(nc, server.url, 'LPSCLI29');
  });

  test('previous values from before N cannot be read there: one note on stderr, prev stays null', async () => {
    const kv = await new Kvm(nc).create('old', { history: 5 });
    await kv.put('a', 'a1'); // 1
    await kv.put('b', 'b1'); // 2
    await kv.put('a', 'a2'); // 3
    await kv.put('b', 'b2'); // 4
    await kv.put('a', 'a3'); // 5
    const r = await runCli(['tail', '--server', server.url, '--kv', 'old', '--from-revision', '3', '--json', '--limit', '3']);
    assert.equal(r.code, 0, r.err);
    const got = lines(r.out)
      .filter((l) => !('marker' in l))
      .map((l) => ({ key: l.key, revision: l.revision, prev: l.prev }));
    assert.deepEqual(got, [
      { key: 'a', revision: 3, prev: null },
      { key: 'b', revision: 4, prev: null },
      { key: 'a', revision: 5, prev: { revision: 3, value: 'a2' } },
    ]);
    assert.equal(r.err.match(/note:/g)?.length, 1, r.err);
    assert.match(r.err, /^note: previous values from before revision 3 cannot be read on this server \(.*needs nats-server 2\.11 or later; connected to 2\.9\.\d+\)/m);
  });
});

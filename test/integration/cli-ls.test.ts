/**
 * `nats-flow ls` in-process against a real server: its --json agrees with natscli's
 * `stream ls --json`, tables are aligned, bad usage exits 2 and an unreachable server 1.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { natsCliSkipReason } from '../helpers/binaries';
import { freePort, natsCli, natsCliJson, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { lsCommand } from '../../src/cli/commands/ls';
import { UsageError, type CliIO } from '../../src/cli/command';
import { CliFailure } from '../../src/cli/connectionFlags';

function captureIO(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    // an empty environment: no developer natscli context or NATS_URL leaks in
    env: { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent' },
    stdout: () => out,
    stderr: () => err,
  };
}

describe('nats-flow ls', { skip: natsCliSkipReason() }, () => {
  let server: NatsServer;
  before(async () => {
    server = await startNatsServer();
    for (const args of [
      ['stream', 'add', 'ORDERS', '--subjects', 'orders.>', '--defaults'],
      ['stream', 'add', 'EVENTS', '--subjects', 'events.>', '--defaults'],
      ['kv', 'add', 'settings'],
      ['kv', 'put', 'settings', 'orders.limit', '10'],
      ['kv', 'put', 'settings', 'users.max', '3'],
      ['object', 'add', 'files'],
      ['consumer', 'add', 'ORDERS', 'SHIP', '--pull', '--filter', 'orders.shipped', '--defaults'],
    ]) {
      const r = await natsCli(args, { server });
      assert.equal(r.code, 0, `${r.command}: ${r.stderr}`);
    }
  });
  after(async () => server?.stop());

  const run = async (...args: string[]) => {
    const io = captureIO();
    const code = await lsCommand.run([...args, '--server', server.url], io);
    return { code, out: io.stdout(), err: io.stderr() };
  };

  test('ls streams --json lists the names natscli lists, system streams hidden', async () => {
    const r = await run('streams', '--json');
    assert.equal(r.code, 0, r.err);
    const ours = (JSON.parse(r.out) as Array<{ name: string; messages: number }>).map((s) => s.name).sort();
    const theirs = (await natsCliJson<string[]>(['stream', 'ls'], { server })).sort();
    assert.deepEqual(ours, theirs);
    assert.deepEqual(ours, ['EVENTS', 'ORDERS']);
  });

  test('human output: TTL as a duration, a mirror says what it mirrors', async () => {
    const add = await natsCli(['kv', 'add', 'sessions', '--ttl', '1h'], { server });
    assert.equal(add.code, 0, add.stderr);
    const kv = await run('kv');
    await natsCli(['kv', 'del', 'sessions', '-f'], { server });
    assert.match(kv.out, /sessions\s+1\s+1h\s/);
    assert.doesNotMatch(kv.out, /3600s/);
    const m = await natsCli(['stream', 'add', 'ORDERS_COPY', '--mirror', 'ORDERS', '--defaults'], { server });
    assert.equal(m.code, 0, m.stderr);
    const streams = await run('streams');
    assert.match(streams.out, /ORDERS_COPY\s+mirror of ORDERS\s/);
    await natsCli(['stream', 'rm', 'ORDERS_COPY', '-f'], { server });
  });

  test('ls --all --json matches natscli stream ls --all', async () => {
    const r = await run('--all', '--json');
    const ours = (JSON.parse(r.out) as Array<{ name: string }>).map((s) => s.name).sort();
    assert.deepEqual(ours, (await natsCliJson<string[]>(['stream', 'ls', '--all'], { server })).sort());
    assert.ok(ours.includes('KV_settings') && ours.includes('OBJ_files'));
  });

  test('the table is aligned with a header', async () => {
    const r = await run('streams');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.match(lines[0], /^Name\s+Subjects\s+Storage/);
    assert.equal(lines.length, 4);
    const col = lines[0].indexOf('Subjects');
    assert.ok(lines.slice(2).every((l) => l.slice(col).startsWith('events.>') || l.slice(col).startsWith('orders.>')), r.out);
  });

  test('consumers, kv, keys with a filter and objects', async () => {
    const c = JSON.parse((await run('consumers', 'ORDERS', '--json')).out) as Array<{ name: string; kind: string; filterSubjects: string[] }>;
    assert.deepEqual(c.map((x) => [x.name, x.kind, x.filterSubjects]), [['SHIP', 'pull', ['orders.shipped']]]);
    const kv = JSON.parse((await run('kv', '--json')).out) as Array<{ bucket: string }>;
    assert.deepEqual(kv.map((b) => b.bucket), ['settings']);
    const keys = JSON.parse((await run('keys', 'settings', '--filter', 'orders.>', '--json')).out) as string[];
    assert.deepEqual(keys, ['orders.limit']);
    const stores = JSON.parse((await run('objects', '--json')).out) as Array<{ bucket: string }>;
    assert.deepEqual(stores.map((s) => s.bucket), ['files']);
    const acct = await run('account');
    assert.match(acct.out, /Streams\s+4\s+unlimited/);
  });

  test('bad usage is a UsageError (exit 2); a missing stream a CliFailure (exit 1)', async () => {
    await assert.rejects(run('consumers'), UsageError);
    await assert.rejects(run('bogus'), UsageError);
    await assert.rejects(run('kv', 'extra'), UsageError);
    await assert.rejects(run('streams', '--limit', '0'), UsageError);
    await assert.rejects(run('consumers', 'NOPE'), (err: Error) => err instanceof CliFailure && /stream NOPE does not exist/.test(err.message));
  });

  test('an unreachable server is a CliFailure', async () => {
    const port = await freePort();
    const io = captureIO();
    await assert.rejects(lsCommand.run(['--server', `nats://127.0.0.1:${port}`, '--timeout', '1s'], io), CliFailure);
  });
});

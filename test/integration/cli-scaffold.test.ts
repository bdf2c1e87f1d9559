/**
 * `nats-flow scaffold` in-process: writes a project and lists it, never overwrites without
 * --force, and with --live takes the settings of real objects on a real nats-server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AckPolicy, jetstreamManager, RetentionPolicy } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, nanos } from '@nats-io/transport-node';
import { scaffoldCommand } from '../../src/cli/commands/scaffold';
import { UsageError, type CliIO } from '../../src/cli/command';
import { CliFailure } from '../../src/cli/connectionFlags';
import { makeTempDir, removeTempDir, startNatsServer, type NatsServer } from '../helpers/natsServer';

function captureIO(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    env: { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent' },
    stdout: () => out,
    stderr: () => err,
  };
}

describe('nats-flow scaffold', () => {
  let server: NatsServer;
  let dir: string;
  before(async () => {
    server = await startNatsServer();
    dir = makeTempDir('nats-flow-cli-scaffold-');
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'TASKS', subjects: ['tasks.>'], retention: RetentionPolicy.Workqueue });
    await jsm.consumers.add('TASKS', { durable_name: 'runner', ack_policy: AckPolicy.Explicit, ack_wait: nanos(45_000), max_deliver: 7, filter_subject: 'tasks.>' });
    await new Kvm(nc).create('carts', { history: 9 });
    await nc.close();
  });
  after(async () => {
    await server?.stop();
    if (dir) removeTempDir(dir);
  });

  test('writes a buildable project and lists the files, marking the handler', async () => {
    const io = captureIO();
    const out = join(dir, 'w');
    assert.equal(await scaffoldCommand.run(['worker', '--lang', 'ts', '--stream', 'JOBS', '--subject', 'jobs.run', '--out', out], io), 0);
    assert.match(io.stdout(), /src\/handler\.ts   <- your code/);
    assert.ok(existsSync(join(out, 'package.json')));
    assert.match(readFileSync(join(out, 'src/topology.ts'), 'utf8'), /export const STREAM = "JOBS"/);
  });

  test('never overwrites without --force, and says which files are in the way', async () => {
    const out = join(dir, 'p');
    assert.equal(await scaffoldCommand.run(['publisher', '--lang', 'python', '--out', out], captureIO()), 0);
    writeFileSync(join(out, 'handler.py'), '# my code\n');
    const io = captureIO();
    assert.equal(await scaffoldCommand.run(['publisher', '--lang', 'python', '--out', out], io), 1);
    assert.match(io.stderr(), /already exist.*nothing written[\s\S]*handler\.py[\s\S]*--force/);
    assert.equal(readFileSync(join(out, 'handler.py'), 'utf8'), '# my code\n', 'the user\'s file is untouched');
    assert.equal(await scaffoldCommand.run(['publisher', '--lang', 'python', '--out', out, '--force'], captureIO()), 0);
    assert.notEqual(readFileSync(join(out, 'handler.py'), 'utf8'), '# my code\n');
  });

  test('--live takes the real consumer and bucket settings', async () => {
    const out = join(dir, 'live-go');
    const io = captureIO();
    assert.equal(await scaffoldCommand.run(['worker', '--lang', 'go', '--stream', 'TASKS', '--consumer', 'runner', '--live', '-s', server.url, '--out', out], io), 0, io.stderr());
    const topology = readFileSync(join(out, 'topology.go'), 'utf8');
    assert.match(topology, /maxDeliver += 7/);
    assert.match(topology, /ackWait = 45 \* time\.Second/);
    assert.match(topology, /Subjects: \[\]string\{"tasks\.>"\}/);
    assert.match(io.stdout(), /settings from the live stream TASKS, consumer runner/);

    const kvOut = join(dir, 'live-kv');
    assert.equal(await scaffoldCommand.run(['kv-watcher', '--lang', 'python', '--bucket', 'carts', '--live', '-s', server.url, '--out', kvOut], captureIO()), 0);
    assert.match(readFileSync(join(kvOut, 'kv_watcher.py'), 'utf8'), /history=9/);
  });

  test('a missing live object and bad usage are named', async () => {
    await assert.rejects(scaffoldCommand.run(['kv-watcher', '--lang', 'go', '--bucket', 'nope', '--live', '-s', server.url, '--out', join(dir, 'x')], captureIO()), (e: Error) => e instanceof CliFailure && /KV bucket nope not found/.test(e.message));
    await assert.rejects(scaffoldCommand.run(['sideways', '--lang', 'go', '--out', dir], captureIO()), (e: Error) => e instanceof UsageError && /unknown pattern "sideways"/.test(e.message));
    await assert.rejects(scaffoldCommand.run(['worker', '--lang', 'rust', '--out', dir], captureIO()), /--lang must be one of ts\|go\|python/);
    await assert.rejects(scaffoldCommand.run(['worker', '--lang', 'go', '--stream', 'A B', '--out', dir], captureIO()), /stream "A B" is not a valid name/);
    assert.equal(existsSync(join(dir, 'x')), false, 'nothing written on failure');
  });
});

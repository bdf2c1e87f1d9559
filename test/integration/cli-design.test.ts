/**
 * `nats-flow plan | lint | apply | import | export` in-process (through runCli, so exit codes
 * are the real ones) against a real server: lint fails CI on errors, a malformed design
 * applies nothing and names the line, apply previews, refuses without --yes when it cannot
 * ask, converges, and import gives back a design that lints clean.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { makeTempDir, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/command';

const examples = join(__dirname, '../../examples');
const codeforge = join(examples, 'codeforge.natsflow.json');

async function cli(args: string[], extra: Partial<CliIO> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), env: { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent' }, ...extra };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('nats-flow design commands', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  const tmp = makeTempDir('nats-flow-cli-design-');
  const streamCount = async () => {
    const jsm = await jetstreamManager(nc);
    let n = 0;
    for await (const _ of jsm.streams.names()) n++;
    return n;
  };
  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('lint: 0 on the examples, 1 with the rule, location and fix when a finding is an error', async () => {
    assert.equal((await cli(['lint', codeforge])).code, 0);
    const d = JSON.parse(readFileSync(codeforge, 'utf8'));
    d.overrides.consumers['agent-tasks/python-workers'].ack_wait = '10s';
    d.overrides.consumers['agent-tasks/python-workers'].backoff = ['10s'];
    d.paths[0].inProgressAcks = false;
    const bad = join(tmp, 'bad.natsflow.json');
    writeFileSync(bad, JSON.stringify(d, null, 2));
    const r = await cli(['lint', bad]);
    assert.equal(r.code, 1);
    assert.match(r.out, /error ack-wait-short \(path agent-tasks, component python-workers, consumer TASKS\/agent-workers\): .*waits 10s.*5m[\s\S]*fix: /);
    const j = await cli(['lint', bad, '--json']);
    assert.equal(j.code, 1);
    const parsed = JSON.parse(j.out);
    assert.equal(parsed.errors, 1);
    assert.equal(parsed.findings[0].rule, 'ack-wait-short');
  });

  test('plan --json prints streams, consumers with their stream, buckets and findings', async () => {
    const r = await cli(['plan', codeforge, '--json']);
    assert.equal(r.code, 0);
    const p = JSON.parse(r.out);
    assert.deepEqual(p.streams.map((s: { name: string }) => s.name), ['TASKS', 'RESULTS', 'TASKS_DLQ', 'RESULTS_DLQ']);
    assert.deepEqual(p.consumers.map((c: { stream: string; config: { durable_name: string } }) => `${c.stream}/${c.config.durable_name}`), ['TASKS/agent-workers', 'RESULTS/core-results']);
    assert.equal(p.buckets[0].bucket, 'agent-sessions');
    assert.deepEqual(p.findings, []);
    assert.ok(p.explain.length > 20);
    const prod = JSON.parse((await cli(['plan', codeforge, '--json', '--env', 'production'])).out);
    assert.ok(prod.streams.every((s: { num_replicas: number }) => s.num_replicas === 3));
    assert.equal((await cli(['plan', codeforge, '--env', 'staging'])).code, 2);
  });

  test('a malformed design is refused with its line, and nothing reaches the server', async () => {
    const bad = join(tmp, 'broken.natsflow.json');
    writeFileSync(bad, readFileSync(codeforge, 'utf8').replace('"retention"', '"retention"').replace('"subject": "tasks.agent.*"', '"subject": "tasks..agent"'));
    const r = await cli(['apply', bad, '--server', server.url, '--yes']);
    assert.equal(r.code, 1);
    assert.match(r.err, /broken\.natsflow\.json:\d+:\d+: \/paths\/0\/subject: subject "tasks\.\.agent" has an empty token/);
    assert.match(r.err, /nothing was done/);
    assert.equal(await streamCount(), 0);
    const syntax = join(tmp, 'syntax.natsflow.json');
    writeFileSync(syntax, '{\n  "version": 1,\n  "name": "x",,\n}\n');
    const s = await cli(['plan', syntax]);
    assert.equal(s.code, 1);
    assert.match(s.err, /syntax\.natsflow\.json:3:\d+: \(document\): JSON syntax/);
  });

  test('apply: --dry-run shows and stops; without a terminal it needs --yes; --yes applies; again: nothing to change', async () => {
    const dry = await cli(['apply', codeforge, '--server', server.url, '--dry-run']);
    assert.equal(dry.code, 0);
    assert.match(dry.out, /\+ create\s+stream TASKS/);
    assert.match(dry.out, /\+ create\s+consumer TASKS\/agent-workers/);
    assert.match(dry.out, /\+ create\s+bucket agent-sessions/);
    assert.equal(await streamCount(), 0);

    const noTty = await cli(['apply', codeforge, '--server', server.url]);
    assert.equal(noTty.code, 2);
    assert.match(noTty.err, /pass --yes/);
    assert.equal(await streamCount(), 0);

    const declined = await cli(['apply', codeforge, '--server', server.url], { confirm: async () => false });
    assert.equal(declined.code, 1);
    assert.equal(await streamCount(), 0);

    const asked: string[] = [];
    const yes = await cli(['apply', codeforge, '--server', server.url], { confirm: async (q) => (asked.push(q), true) });
    assert.equal(yes.code, 0, yes.err);
    assert.deepEqual(asked, ['Apply these changes?']);
    assert.match(yes.out, /\[1\/7\] done\s+create stream TASKS/);
    assert.match(yes.out, /7 done, 0 failed, 0 skipped/);
    assert.equal(await streamCount(), 5, '4 streams and the bucket\'s KV_ stream');

    const again = await cli(['apply', codeforge, '--server', server.url, '--yes']);
    assert.equal(again.code, 0);
    assert.match(again.out, /0 to create, 0 to update, 0 to delete, 7 unchanged/);
    assert.match(again.out, /Nothing to change\./);
  });

  test('import --server writes a design that lints without errors; export writes what each tool reads', async () => {
    const out = join(tmp, 'imported.natsflow.json');
    const imp = await cli(['import', '--server', server.url, '--out', out, '--name', 'codeforge-live']);
    assert.equal(imp.code, 0, imp.err);
    assert.match(imp.err, /wrote .*imported\.natsflow\.json/);
    const lint = await cli(['lint', out, '--json']);
    assert.equal(JSON.parse(lint.out).errors, 0);
    const reapply = await cli(['apply', out, '--server', server.url, '--yes']);
    assert.match(reapply.out, /Nothing to change\./);

    const dir = join(tmp, 'natscli');
    assert.equal((await cli(['export', codeforge, '--format', 'natscli', '--out', dir])).code, 0);
    assert.ok(existsSync(join(dir, 'setup.sh')) && existsSync(join(dir, 'streams/TASKS.json')) && existsSync(join(dir, 'consumers/TASKS/agent-workers.json')));
    const nack = await cli(['export', codeforge, '--format', 'nack']);
    assert.match(nack.out, /^apiVersion: jetstream\.nats\.io\/v1beta2$/m);
    assert.equal((await cli(['export', codeforge, '--format', 'compose'])).code, 2, 'several files need --out');
    assert.equal((await cli(['export', codeforge, '--format', 'k8s'])).code, 2);

    const aa = join(tmp, 'codeforge.asyncapi.yaml');
    assert.equal((await cli(['export', codeforge, '--format', 'asyncapi', '--out', aa])).code, 0);
    const back = await cli(['import', '--asyncapi', aa]);
    assert.equal(back.code, 0);
    assert.deepEqual(JSON.parse(back.out).paths.map((p: { id: string }) => p.id), ['agent-tasks', 'task-results', 'live-updates', 'agent-sessions']);
  });
});

/**
 * `nats-flow check` against a real server: the server checks see its streams, consumers and
 * buckets; without a server only the server-free rules run; .gitignore is respected; the
 * built CLI (dist/cli.js, with the wasm files in dist/wasm) works as a process.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { natsCliSkipReason } from '../helpers/binaries';
import { makeTempDir, natsCli, natsCliJson, removeTempDir, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { checkCommand } from '../../src/cli/commands/check';
import type { CliIO } from '../../src/cli/command';

const fixtures = join(__dirname, '../fixtures/lenses');
const root = join(__dirname, '../..');

function captureIO(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), env: { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent' }, stdout: () => out, stderr: () => err };
}

describe('nats-flow check', { skip: natsCliSkipReason() }, () => {
  let server: NatsServer;
  let dir: string;
  before(async () => {
    server = await startNatsServer();
    for (const args of [
      ['stream', 'add', 'ORDERS', '--subjects', 'orders.>', '--defaults'],
      ['consumer', 'add', 'ORDERS', 'worker', '--pull', '--defaults'],
      ['kv', 'add', 'sessions'],
    ]) {
      const r = await natsCli(args, { server });
      assert.equal(r.code, 0, `${r.command}: ${r.stderr}`);
    }
    dir = makeTempDir('nats-flow-check-');
  });
  after(async () => {
    await server?.stop();
    if (dir) removeTempDir(dir);
  });

  const run = async (...args: string[]) => {
    const io = captureIO();
    const code = await checkCommand.run(args, io);
    return { code, out: io.stdout(), err: io.stderr() };
  };

  test('without a server: compiler-style lines, server rules skipped, exit 1 on an error finding', async () => {
    const r = await run(fixtures);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    for (const l of lines) assert.match(l, /^[^:]+:\d+:\d+: (error|warning|information) [a-z-]+ .+/);
    assert.ok(lines.some((l) => /legacy\.js:18:16: error invalid-subject /.test(l)));
    assert.ok(!lines.some((l) => /js-publish-no-stream|unknown-(consumer|bucket)/.test(l)));
    assert.match(r.err, /4 files, \d+ NATS calls: 2 error\(s\).*no server/);
  });

  test('with --server: streams, consumers and buckets on the server are checked', async () => {
    const r = await run(join(fixtures, 'orders.py'), '--server', server.url, '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    assert.ok(report.server);
    const f = report.files[0];
    assert.equal(f.calls.length, 13);
    assert.deepEqual(f.calls[0].subject.text, 'orders.created');
    assert.deepEqual(f.calls[0].range.start, { line: 10, col: 10 });
    const rules = f.findings.map((x: { rule: string; message: string }) => `${x.rule}: ${x.message}`);
    // orders.created and orders.*.shipped are captured by ORDERS; worker and sessions exist; artifacts does not
    assert.ok(!rules.some((x: string) => x.startsWith('js-publish-no-stream')), rules.join('\n'));
    assert.ok(!rules.some((x: string) => x.startsWith('unknown-consumer')), rules.join('\n'));
    assert.deepEqual(rules.filter((x: string) => x.startsWith('unknown-bucket')), [`unknown-bucket: Object store "artifacts" does not exist on ${report.server}.`]);

    await natsCli(['object', 'add', 'artifacts'], { server });
    const again = JSON.parse((await run(join(fixtures, 'orders.py'), '--server', server.url, '--json')).out);
    assert.ok(!again.files[0].findings.some((x: { rule: string }) => x.rule === 'unknown-bucket'));
  });

  test('a JetStream publish no stream captures is a warning with the create fix; a missing consumer is information', async () => {
    const file = join(dir, 'pay.ts');
    writeFileSync(file, "const js = jetstream(nc);\nawait js.publish('payments.settled', '');\nconst c = await js.consumers.get('ORDERS', 'billing');\n");
    const r = await run(file, '--server', server.url);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /pay\.ts:2:18: warning js-publish-no-stream No stream on .* captures "payments\.settled"/);
    assert.match(r.out, /pay\.ts:3:44: information unknown-consumer Consumer "billing" does not exist on stream ORDERS/);
    const json = JSON.parse((await run(file, '--server', server.url, '--json')).out);
    assert.deepEqual(json.files[0].findings[0].fixes[0].action, { kind: 'createStream', subject: 'payments.settled' });
    // the check read the server and left nothing behind
    const consumers = await natsCliJson<string[]>(['consumer', 'ls', 'ORDERS', '--names'], { server }).catch(async () => (await natsCli(['consumer', 'ls', 'ORDERS', '--names'], { server })).stdout.trim().split('\n'));
    assert.deepEqual([...consumers].sort(), ['worker']);
  });

  test('folders respect .gitignore; --disable turns a rule off; bad usage exits 2', async () => {
    const proj = join(dir, 'proj');
    mkdirSync(join(proj, 'gen'), { recursive: true });
    mkdirSync(join(proj, 'src'), { recursive: true });
    writeFileSync(join(proj, '.gitignore'), 'gen/\n');
    writeFileSync(join(proj, 'gen', 'bad.ts'), "nc.publish('a..b', '');\n");
    writeFileSync(join(proj, 'src', 'ok.py'), 'await nc.publish("audit.>", b"")\n');
    const r = await run(proj);
    assert.equal(r.code, 1);
    assert.match(r.out, /src\/ok\.py:1:18: error publish-wildcard/);
    assert.doesNotMatch(r.out, /bad\.ts/);
    assert.match(r.err, /^1 file, 1 NATS call/);
    const off = await run(proj, '--disable', 'publish-wildcard');
    assert.equal(off.code, 0);
    assert.equal(off.out, '');
    await assert.rejects(run(proj, '--disable', 'no-such-rule'), /unknown rule "no-such-rule"/);
  });

  test('the built CLI runs as a process with the bundled wasm files', { skip: existsSync(join(root, 'dist/cli.js')) ? false : 'dist/cli.js not built' }, async () => {
    // copy the bundle away from node_modules so only dist/wasm can serve the grammars
    const copy = join(dir, 'dist');
    cpSync(join(root, 'dist/cli.js'), join(copy, 'cli.js'));
    cpSync(join(root, 'dist/wasm'), join(copy, 'wasm'), { recursive: true });
    const r = await promisify(execFile)(process.execPath, [join(copy, 'cli.js'), 'check', join(fixtures, 'orders.go'), '--server', server.url], { cwd: dir }).catch((e) => e);
    assert.equal(r.code ?? 0, 0, r.stderr);
    assert.match(r.stdout, /orders\.go:48:2: warning kv-watch-no-bootstrap /);
    assert.match(r.stderr, /1 file, 14 NATS calls/);
  });
});

/**
 * `nats-flow scaffold --design FILE [--path ID]` in-process on examples/overmind.natsflow.json:
 * the generated topology carries the planned values, the TypeScript compiles strictly, and the
 * whole design gets a folder per component with a README.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scaffoldCommand } from '../../src/cli/commands/scaffold';
import { UsageError, type CliIO } from '../../src/cli/command';
import { loadDesign, planDesign } from '../../src/core/design';
import { resolveSpec } from '../../src/core/scaffold';
import { buildProject } from '../helpers/scaffoldRig';
import { makeTempDir, removeTempDir } from '../helpers/natsServer';

const DESIGN = join(__dirname, '../../examples/overmind.natsflow.json');

function captureIO(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), env: {}, stdout: () => out, stderr: () => err };
}

describe('nats-flow scaffold --design', () => {
  let dir: string;
  const r = loadDesign(readFileSync(DESIGN, 'utf8'));
  assert.ok(r.ok);
  const plan = planDesign(r.design);
  before(() => {
    dir = makeTempDir('nats-flow-scaffold-design-');
  });
  after(() => {
    if (dir) removeTempDir(dir);
  });

  test('--path memory-events: the worker topology holds the planned stream, consumer and DLQ, and both projects compile', async () => {
    const out = join(dir, 'one');
    const io = captureIO();
    assert.equal(await scaffoldCommand.run(['--design', DESIGN, '--path', 'memory-events', '--lang', 'ts', '--out', out], io), 0, io.stderr());
    assert.match(io.stdout(), /temporal-worker\/memory-events-worker +receiver of memory-events: worker/);
    const c = plan.consumers.find((x) => x.path === 'memory-events')!.config;
    const s = plan.streams.find((x) => x.config.name === plan.consumers.find((y) => y.path === 'memory-events')!.stream)!.config;
    const dlq = plan.streams.find((x) => x.role === 'dead-letter' && x.paths.includes('memory-events'))!.config;
    const topology = readFileSync(join(out, 'temporal-worker/memory-events-worker/src/topology.ts'), 'utf8');
    assert.match(topology, new RegExp(`export const STREAM = "${s.name}"`));
    assert.match(topology, new RegExp(`durable: "${c.durable_name}"`));
    assert.match(topology, new RegExp(`filter: "${c.filter_subject!.replace(/[.>*]/g, '\\$&')}"`));
    assert.match(topology, new RegExp(`ackWaitMs: ${c.ack_wait / 1e6},`));
    assert.match(topology, new RegExp(`maxDeliver: ${c.max_deliver},`));
    assert.match(topology, new RegExp(`backoffMs: \\[${(c.backoff ?? []).map((b) => b / 1e6).join(', ')}\\]`));
    assert.match(topology, new RegExp(`maxAckPending: ${c.max_ack_pending},`));
    assert.match(topology, new RegExp(`stream: "${dlq.name}"`));
    assert.match(topology, new RegExp(`num_replicas: ${s.num_replicas},`));
    assert.match(topology, new RegExp(`ensureStream\\(jsm, STREAM, \\["${s.subjects[0]!.replace(/[.>*]/g, '\\$&')}"\\], RetentionPolicy\\.Limits, ${s.max_age / 1e6}\\)`));
    // compile both generated projects strictly, as the README says
    for (const [sub, pattern] of [['temporal-worker/memory-events-worker', 'worker'], ['memory-api/memory-events-publisher', 'publisher']] as const) {
      await buildProject({ spec: resolveSpec({ pattern, lang: 'ts' }), dir: join(out, sub) });
      assert.ok(existsSync(join(out, sub, 'dist/main.js')), `${sub} built`);
    }
  });

  test('the whole design: a folder per component with a README naming each project and the sandbox', async () => {
    const out = join(dir, 'all');
    const io = captureIO();
    assert.equal(await scaffoldCommand.run(['--design', DESIGN, '--lang', 'go', '--out', out], io), 0, io.stderr());
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(readme, /npm run sandbox/);
    assert.match(readme, /nats-flow apply overmind\.natsflow\.json/);
    for (const c of plan.consumers) {
      const sub = `${c.receiver}/${c.path}-${c.role}`;
      assert.ok(readme.includes(`\`${sub}/\``), sub);
      assert.match(readFileSync(join(out, sub, 'topology.go'), 'utf8'), new RegExp(`"${c.config.durable_name}"`));
    }
    // a second run refuses to overwrite
    const again = captureIO();
    assert.equal(await scaffoldCommand.run(['--design', DESIGN, '--lang', 'go', '--out', out], again), 1);
    assert.match(again.stderr(), /already exist.*nothing written/);
  });

  test('bad input names what is wrong', async () => {
    await assert.rejects(scaffoldCommand.run(['--design', DESIGN, '--path', 'nope', '--lang', 'ts', '--out', join(dir, 'x')], captureIO()), (e: unknown) => e instanceof UsageError && /no path "nope"/.test(e.message));
    await assert.rejects(scaffoldCommand.run(['worker', '--design', DESIGN, '--lang', 'ts', '--out', join(dir, 'x')], captureIO()), (e: unknown) => e instanceof UsageError && /drop worker/.test(e.message));
    await assert.rejects(scaffoldCommand.run(['worker', '--path', 'p', '--lang', 'ts', '--out', join(dir, 'x')], captureIO()), (e: unknown) => e instanceof UsageError && /--path, --env and --replicas-cap go with --design/.test(e.message));
    assert.ok(!existsSync(join(dir, 'x')));
  });
});

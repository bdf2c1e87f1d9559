/**
 * Designs applied to real servers: the diff says create / update / unchanged / cannot
 * change, apply converges (a second apply changes nothing), nothing is deleted without
 * prune, an apply cut off halfway is completed by the next, and importing what was applied
 * gives a design whose plan the server already matches — on 2.14, a 3-node cluster with R3,
 * and 2.9.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { findNatsServer29, natsServer29SkipReason } from '../helpers/binaries';
import { startNatsCluster, startNatsServer, type NatsCluster, type NatsServer } from '../helpers/natsServer';
import { loadDesign, planDesign, lintDesign, type FlowDesign, type Plan } from '../../src/core/design';
import { Admin } from '../../src/nats/admin';
import { applyPlan, diffPlan, type DesignChange } from '../../src/nats/designApply';
import { importDesign } from '../../src/nats/designImport';
import { seedDemo } from '../../scripts/sandbox/demo';

function example(name: string): FlowDesign {
  const r = loadDesign(readFileSync(join(__dirname, '../../examples', `${name}.natsflow.json`), 'utf8'));
  assert.ok(r.ok);
  // not in seed 003, but every object kind goes through apply and import here
  if (name === 'codeforge') r.design.objectStores = [{ bucket: 'artifacts', description: 'Patches and logs the agents produce', components: ['python-workers', 'go-core'], ttl: '30d', max_bytes: '1GB' }];
  return r.design;
}

const actions = (changes: DesignChange[]) => changes.map((c) => `${c.action} ${c.kind} ${c.stream ? `${c.stream}/` : ''}${c.name}`).sort();
const pending = (changes: DesignChange[]) => changes.filter((c) => c.action !== 'unchanged');

/** Apply, check it converged, import, check the imported design plans to what the server holds. */
async function applyImportApply(admin: Admin, plan: Plan): Promise<FlowDesign> {
  const first = await diffPlan(admin, plan);
  assert.ok(first.every((c) => c.action === 'create'), `a fresh server: all creates, got ${actions(first)}`);
  const report = await applyPlan(admin, plan, first);
  assert.equal(report.failed, 0, JSON.stringify(report.steps.filter((s) => s.status !== 'done')));
  assert.equal(report.done, plan.streams.length + plan.consumers.length + plan.buckets.length + plan.objectStores.length);
  const second = await diffPlan(admin, plan);
  assert.deepEqual(pending(second), [], 'a second apply has nothing to do');
  assert.equal((await applyPlan(admin, plan, second)).steps.length, 0);

  const imported = await importDesign(admin, { name: plan.design });
  const reloaded = loadDesign(JSON.stringify(imported.design));
  assert.ok(reloaded.ok, `the imported design loads: ${JSON.stringify(!reloaded.ok && reloaded.problems)}`);
  const replan = planDesign(reloaded.design);
  const again = await diffPlan(admin, replan);
  assert.deepEqual(pending(again), [], `import → plan → diff finds nothing to change: ${actions(pending(again))}`);
  return reloaded.design;
}

describe('apply a design to nats-server (2.14)', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let admin: Admin;
  let jsm: JetStreamManager;
  before(async () => {
    server = await startNatsServer({ maxFileStore: 16 * 1024 ** 3 });
    nc = await connect({ servers: server.url });
    admin = new Admin(nc);
    jsm = await jetstreamManager(nc);
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('CodeForge: apply → import → apply is stable; the server holds exactly the planned configs', async () => {
    const plan = planDesign(example('codeforge'));
    const imported = await applyImportApply(admin, plan);
    const tasks = await jsm.streams.info('TASKS');
    assert.equal(tasks.config.retention, 'workqueue');
    assert.deepEqual(tasks.config.subjects, ['tasks.>']);
    const c = await jsm.consumers.info('TASKS', 'agent-workers');
    assert.equal(c.config.ack_policy, 'explicit');
    assert.equal(c.config.filter_subject, 'tasks.agent.*');
    assert.deepEqual(c.config.backoff, plan.consumers.find((x) => x.config.durable_name === 'agent-workers')!.config.backoff);
    const obj = await jsm.streams.info('OBJ_artifacts');
    assert.equal(obj.config.max_age, 30 * 86_400e9);
    assert.equal(obj.config.max_bytes, 1024 ** 3);
    assert.deepEqual(imported.objectStores?.map((o) => o.bucket), ['artifacts']);
    const kv = await jsm.streams.info('KV_agent-sessions');
    assert.equal(kv.config.max_msgs_per_subject, 5);
    assert.equal(kv.config.max_age, 86_400_000_000_000);
    // guessed parts are marked
    assert.ok(imported.components.every((x) => x.guessed));
    assert.ok(imported.paths.every((p) => p.guessed?.includes('answers')));
    assert.ok(!lintDesign(imported).some((f) => f.severity === 'error'), JSON.stringify(lintDesign(imported)));
  });

  test('a changed limit is an update naming the field; a changed storage cannot change and says why', async () => {
    const d = example('codeforge');
    d.overrides!.streams = { results: { max_age: '3d' } };
    const plan = planDesign(d);
    const diff = await diffPlan(admin, plan);
    const upd = diff.find((c) => c.name === 'RESULTS')!;
    assert.equal(upd.action, 'update');
    assert.deepEqual(upd.changes.map((x) => [x.field, x.before, x.after]), [['max_age', 7 * 86_400e9, 3 * 86_400e9]]);
    assert.equal((await applyPlan(admin, plan, diff)).failed, 0);
    assert.equal((await jsm.streams.info('RESULTS')).config.max_age, 3 * 86_400e9);
    assert.deepEqual(pending(await diffPlan(admin, plan)), []);

    d.overrides!.streams = { results: { max_age: '3d', storage: 'memory' } };
    const plan2 = planDesign(d);
    const diff2 = await diffPlan(admin, plan2);
    const fixed = diff2.find((c) => c.name === 'RESULTS')!;
    assert.equal(fixed.action, 'cannot-change');
    assert.match(fixed.reason!, /storage: storage type is fixed at creation/);
    const report = await applyPlan(admin, plan2, diff2);
    assert.equal(report.steps.length, 0, 'nothing is attempted for a field the server cannot change');
    assert.equal((await jsm.streams.info('RESULTS')).config.storage, 'file');
  });

  test('objects the design does not name are listed, never deleted without prune; prune deletes only them', async () => {
    await jsm.streams.add({ name: 'STRAY', subjects: ['stray.>'] });
    await jsm.consumers.add('TASKS', { durable_name: 'stray-consumer', filter_subject: 'tasks.other.>', ack_policy: 'explicit' as never });
    const plan = planDesign(example('codeforge'));
    const diff = await diffPlan(admin, plan);
    const extras = diff.filter((c) => c.action === 'extra').map((c) => `${c.kind} ${c.name}`).sort();
    assert.deepEqual(extras, ['consumer stray-consumer', 'stream STRAY']);
    await applyPlan(admin, plan, diff);
    assert.ok(await jsm.streams.info('STRAY'), 'still there without prune');

    const pruneDiff = await diffPlan(admin, plan, { prune: true });
    assert.deepEqual(pruneDiff.filter((c) => c.action === 'delete').map((c) => `${c.kind} ${c.name}`).sort(), extras);
    const report = await applyPlan(admin, plan, pruneDiff);
    assert.equal(report.failed, 0);
    await assert.rejects(jsm.streams.info('STRAY'));
    await assert.rejects(jsm.consumers.info('TASKS', 'stray-consumer'));
    assert.ok(await jsm.consumers.info('TASKS', 'agent-workers'), 'planned consumers stay');
  });

  test('an apply cut off halfway: the next apply completes it', async () => {
    for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
    const plan = planDesign(example('codeforge'));
    const diff = await diffPlan(admin, plan);
    // the first two steps only, as if the process died then
    const partial = await applyPlan(admin, plan, diff.slice(0, 2));
    assert.equal(partial.done, 2);
    const rest = await diffPlan(admin, plan);
    assert.equal(pending(rest).length, diff.length - 2);
    assert.ok(pending(rest).every((c) => c.action === 'create'));
    assert.equal((await applyPlan(admin, plan, rest)).failed, 0);
    assert.deepEqual(pending(await diffPlan(admin, plan)), []);
  });

  test('import of a server set up by other means (the sandbox demo data): applying the imported design changes nothing', async () => {
    for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
    await seedDemo(nc);
    const { design, notes } = await importDesign(admin, { name: 'sandbox' });
    assert.deepEqual(notes, []);
    const loaded = loadDesign(JSON.stringify(design));
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.problems));
    // Overmind's four consumers, the ORDERS work queue, three buckets and the object store
    assert.equal(design.paths.filter((p) => p.primitive === 'stream').length, 5);
    assert.deepEqual(design.paths.filter((p) => p.primitive === 'kv').map((p) => p.subject).sort(), ['app-config.>', 'model-prices.>', 'sessions.>']);
    assert.deepEqual(design.objectStores?.map((o) => o.bucket), ['artifacts']);
    const orders = design.paths.find((p) => p.id === 'ORDERS-order-workers')!;
    assert.equal(orders.answers.fanout, 'one', 'a work-queue stream: guessed as a worker queue');
    assert.deepEqual(orders.deadLetter, { mode: 'none' }, 'no dead-letter stream on the server: said so, not invented');
    assert.ok(lintDesign(loaded.design).some((f) => f.rule === 'worker-dead-letter'), 'and the linter points at it');
    const diff = await diffPlan(admin, planDesign(loaded.design));
    assert.deepEqual(pending(diff), [], actions(pending(diff)).join(', '));
  });

  test('a step the server refuses is reported with its reason and the rest still runs', async () => {
    for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
    // Overmind as the seed says it, R3, on a single server
    const plan = planDesign(example('overmind'));
    const diff = await diffPlan(admin, plan);
    const report = await applyPlan(admin, plan, diff);
    const failed = report.steps.filter((s) => s.status === 'failed');
    assert.ok(failed.length >= 3);
    assert.match(failed[0]!.error!.message + ' ' + (failed[0]!.error!.hint ?? ''), /replicas|clustered/i);
    assert.ok(report.steps.filter((s) => s.change.kind === 'consumer').every((s) => s.status === 'skipped' && /could not be created/.test(s.error!.message)));
  });
});

describe('apply a design to a 3-node cluster (R3)', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;
  before(async () => {
    // Overmind reserves 1GB + 5GB + 500MB per replica (max_bytes); the rig's default is 2 GiB
    cluster = await startNatsCluster(3, { maxFileStore: 16 * 1024 ** 3 });
    await cluster.waitForJetStream();
    nc = await connect({ servers: cluster.urls });
  });
  after(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  test('Overmind as seed 002 says (R3): apply → import → apply is stable and the streams are R3', async () => {
    const admin = new Admin(nc, { timeoutMs: 15_000 });
    const plan = planDesign(example('overmind'));
    const imported = await applyImportApply(admin, plan);
    const jsm = await jetstreamManager(nc);
    for (const name of ['routing-decisions', 'memory-events', 'llm-requests']) {
      const info = await jsm.streams.info(name);
      assert.equal(info.config.num_replicas, 3, name);
      assert.equal(info.config.storage, 'file', name);
    }
    assert.equal(imported.environment, 'production');
  });
});

const v29 = findNatsServer29();
describe(`apply a design to nats-server 2.9${v29 ? ` (${v29.version})` : ''}`, { skip: natsServer29SkipReason() }, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  before(async () => {
    server = await startNatsServer({ binary: v29!.path, maxFileStore: 16 * 1024 ** 3 });
    nc = await connect({ servers: server.url });
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('CodeForge on 2.9: apply → import → apply is stable', async () => {
    await applyImportApply(new Admin(nc), planDesign(example('codeforge')));
  });

  test('Overmind (development, R1) on 2.9: apply → import → apply is stable', async () => {
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
    await applyImportApply(new Admin(nc), planDesign(example('overmind'), { maxReplicas: 1 }));
  });
});

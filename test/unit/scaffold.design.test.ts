/**
 * Scaffolding from a design: each path side gets the pattern its plan role calls for, with the
 * planned stream, consumer and bucket settings (overrides included), not the generators' defaults.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { subjectsOverlap } from '../../src/core/decide';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDesign, planDesign, type FlowDesign } from '../../src/core/design';
import { designScaffoldFiles, scaffoldDesign, ScaffoldInputError } from '../../src/core/scaffold';

function example(name: string): FlowDesign {
  const r = loadDesign(readFileSync(join(__dirname, '../../examples', `${name}.natsflow.json`), 'utf8'));
  assert.ok(r.ok, JSON.stringify(r.problems));
  return r.design;
}

describe('scaffold from a design', () => {
  test('overmind: a publisher per stream path sender, a worker or listener per receiver as the plan says, every value from the plan', () => {
    const design = example('overmind');
    const plan = planDesign(design);
    const r = scaffoldDesign(design, 'ts');
    assert.deepEqual(r.skipped, []);
    const receivers = r.units.filter((u) => u.side === 'receiver');
    assert.equal(receivers.length, plan.consumers.length);
    for (const c of plan.consumers) {
      const u = receivers.find((x) => x.path === c.path && x.component === c.receiver);
      assert.ok(u, `${c.path}/${c.receiver} is scaffolded`);
      assert.equal(u.pattern, c.role);
      const stream = plan.streams.find((s) => s.config.name === c.stream)!.config;
      assert.deepEqual(
        { name: u.spec.stream.name, subjects: u.spec.stream.subjects, retention: u.spec.stream.retention, replicas: u.spec.stream.replicas, max_age: u.spec.stream.max_age, duplicate_window: u.spec.stream.duplicate_window },
        { name: stream.name, subjects: stream.subjects, retention: stream.retention, replicas: stream.num_replicas, max_age: stream.max_age, duplicate_window: stream.duplicate_window },
      );
      assert.deepEqual(
        { durable: u.spec.consumer.durable_name, filter: u.spec.consumer.filter_subject, ack_wait: u.spec.consumer.ack_wait, max_deliver: u.spec.consumer.max_deliver, backoff: u.spec.consumer.backoff, max_ack_pending: u.spec.consumer.max_ack_pending },
        { durable: c.config.durable_name, filter: c.config.filter_subject, ack_wait: c.config.ack_wait, max_deliver: c.config.max_deliver, backoff: c.config.backoff ?? [], max_ack_pending: c.config.max_ack_pending },
      );
      assert.equal(u.dir, `${c.receiver}/${c.path}-${c.role}`);
    }
    // the worker's dead letters go to the planned dead-letter stream
    const worker = receivers.find((u) => u.pattern === 'worker')!;
    const dlq = plan.streams.find((s) => s.role === 'dead-letter' && s.paths.includes(worker.path))!;
    assert.equal(worker.spec.dlq.stream, dlq.config.name);
    // the copies the worker writes land in the planned dead-letter stream (after `apply` the
    // worker finds that stream and does not change it)
    assert.ok(
      dlq.config.subjects.some((s) => subjectsOverlap(s, worker.spec.dlq.subject)),
      `${worker.spec.dlq.subject} is captured by ${dlq.config.subjects.join(', ')}`,
    );
    const senders = r.units.filter((u) => u.side === 'sender');
    assert.deepEqual(senders.map((u) => [u.path, u.component, u.pattern]), design.paths.map((p) => [p.id, p.from, 'publisher']));
    // R3 streams cannot run on the single-server sandbox: the README's apply caps them and says so
    const readme = designScaffoldFiles(design, r, { whole: true }).find((f) => f.path === 'README.md')!.content;
    assert.match(readme, /nats-flow apply design\.natsflow\.json --server nats:\/\/127\.0\.0\.1:14222 --replicas-cap 1 /);
    assert.match(readme, /asks for 3 replicas, which the single-server sandbox refuses/);
    assert.match(readme, /creates a missing object with the planned 3 replicas; apply first as above, or scaffold again with `--replicas-cap 1`/);
  });

  test('--replicas-cap: the code creates missing streams with the cap, each lowered object is listed, the README says so', () => {
    const design = example('overmind');
    const plan = planDesign(design);
    const r = scaffoldDesign(design, 'ts', undefined, { maxReplicas: 1, maxReplicasReason: '--replicas-cap 1' });
    for (const u of r.units) assert.equal(u.spec.stream.replicas, 1, u.dir);
    assert.deepEqual(r.replicas.capped.map((o) => o.object).sort(), plan.streams.map((s) => `stream ${s.config.name}`).sort());
    assert.ok(r.replicas.capped.every((o) => o.planned === 3 && o.capped === 1));
    const readme = designScaffoldFiles(design, r, { whole: true }).find((f) => f.path === 'README.md')!.content;
    assert.match(readme, /--replicas-cap 1 /);
    // a single project's README warns about the replicas its code would create with, unless capped
    const one = (o: object) => designScaffoldFiles(design, scaffoldDesign(design, 'go', 'memory-events', o), { whole: false }).find((f) => f.path.endsWith('-worker/README.md'))!.content;
    assert.match(one({}), /The code creates a missing stream with 3 replicas, which a single server such as the\nsandbox refuses/);
    assert.doesNotMatch(one({ maxReplicas: 1 }), /replicas/);
    assert.match(readme, /scaffolded with `--replicas-cap 1`, so the objects their code creates when missing have 1 too/);
  });

  test('an override in the design reaches the scaffold (nothing falls back to a default)', () => {
    const design: FlowDesign = structuredClone(example('overmind'));
    const key = 'memory-events/temporal-worker';
    design.overrides!.consumers![key] = { ...design.overrides!.consumers![key], ack_wait: '7m', max_deliver: 9, backoff: ['7m', '9m'] };
    const u = scaffoldDesign(design, 'go', 'memory-events').units.find((x) => x.side === 'receiver')!;
    assert.equal(u.spec.consumer.ack_wait, 7 * 60e9);
    assert.equal(u.spec.consumer.max_deliver, 9);
    assert.deepEqual(u.spec.consumer.backoff, [7 * 60e9, 9 * 60e9]);
    assert.equal(u.spec.lang, 'go');
  });

  test('codeforge: a KV path gives kv-watchers on the planned bucket and key pattern; plain core pub/sub is reported, not guessed', () => {
    const design = example('codeforge');
    const plan = planDesign(design);
    const r = scaffoldDesign(design, 'python');
    const kv = r.units.filter((u) => u.path === 'agent-sessions');
    assert.deepEqual(kv.map((u) => [u.component, u.side, u.pattern]), [['go-core', 'sender', 'kv-watcher'], ['python-workers', 'receiver', 'kv-watcher']]);
    const bucket = plan.buckets.find((b) => b.paths.includes('agent-sessions'))!.config;
    for (const u of kv) {
      assert.deepEqual({ ...u.spec.bucket }, { bucket: bucket.bucket, history: bucket.history, ttl: bucket.ttl, storage: bucket.storage, replicas: bucket.replicas });
      assert.equal(u.spec.keyPattern, 'agent.*');
    }
    assert.deepEqual(r.skipped.map((s) => s.path), ['live-updates']);
    assert.match(r.skipped[0]!.reason, /core pub\/sub/);
    // the whole-design README names every unit's folder and the sandbox
    const files = designScaffoldFiles(design, r, { designFile: 'codeforge.natsflow.json', whole: true });
    const readme = files.find((f) => f.path === 'README.md')!.content;
    for (const u of r.units) assert.ok(readme.includes(`\`${u.dir}/\``), u.dir);
    assert.match(readme, /npm run sandbox/);
    assert.match(readme, /NATS_URL=nats:\/\/127\.0\.0\.1:14222/);
    assert.match(readme, /live-updates/);
    assert.doesNotMatch(readme, /replicas/, 'R1 in development: nothing to warn about');
    for (const u of r.units) assert.ok(files.some((f) => f.path.startsWith(`${u.dir}/`)), `${u.dir} has files`);
  });

  test('a request/reply core path gets responders in its queue group', () => {
    const design: FlowDesign = structuredClone(example('codeforge'));
    const p = design.paths.find((x) => x.id === 'live-updates')!;
    p.answers = { ...p.answers, nature: 'request' };
    p.override = { primitive: 'core', reason: 'request/reply' };
    p.queueGroup = 'updaters';
    const r = scaffoldDesign(design, 'ts', 'live-updates');
    assert.deepEqual(r.units.map((u) => [u.component, u.pattern, u.spec.queue, u.spec.subject]), [['websocket-clients', 'responder', 'updaters', 'updates.task.example']]);
  });

  test('an unknown path id names the design and its paths', () => {
    assert.throws(() => scaffoldDesign(example('codeforge'), 'ts', 'nope'), (e: unknown) => e instanceof ScaffoldInputError && /no path "nope".*agent-tasks, task-results/.test(e.message));
  });
});

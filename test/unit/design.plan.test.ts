import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDesign, planAndLint, planDesign, explainPlan, formatDesign, type FlowDesign } from '../../src/core/design';

const S = 1_000_000_000;
const DAY = 86_400 * S;
const GB = 1024 ** 3;
const MB = 1024 ** 2;

export function example(name: string): FlowDesign {
  const r = loadDesign(readFileSync(join(__dirname, '../../examples', `${name}.natsflow.json`), 'utf8'));
  assert.ok(r.ok, JSON.stringify(r.problems));
  return r.design;
}

describe('planner: examples/overmind.natsflow.json is seed 002 exactly', () => {
  const { plan, findings } = planAndLint(example('overmind'));
  const stream = (name: string) => plan.streams.find((s) => s.config.name === name)?.config;

  test('its three streams: subjects, retention 7d/30d/24h, max size 1GB/5GB/500MB, file storage, 3 replicas', () => {
    const seed = [
      { name: 'routing-decisions', subjects: ['routing.>'], max_age: 7 * DAY, max_bytes: 1 * GB },
      { name: 'memory-events', subjects: ['memory.>'], max_age: 30 * DAY, max_bytes: 5 * GB },
      { name: 'llm-requests', subjects: ['llm.>'], max_age: 1 * DAY, max_bytes: 500 * MB },
    ];
    for (const s of seed) {
      const c = stream(s.name);
      assert.ok(c, `stream ${s.name} is planned`);
      assert.deepEqual(c.subjects, s.subjects, `${s.name} subjects`);
      assert.equal(c.max_age, s.max_age, `${s.name} max_age`);
      assert.equal(c.max_bytes, s.max_bytes, `${s.name} max_bytes`);
      assert.equal(c.storage, 'file', `${s.name} storage`);
      assert.equal(c.num_replicas, 3, `${s.name} replicas`);
      assert.equal(c.retention, 'limits', `${s.name} retention (seed: --retention=limits)`);
    }
    // the only other stream is the dead-letter stream seed 001 adds for the one worker queue
    const others = plan.streams.filter((s) => !seed.some((x) => x.name === s.config.name));
    assert.deepEqual(others.map((s) => [s.config.name, s.role]), [['memory-events-dlq', 'dead-letter']]);
    assert.deepEqual(stream('memory-events-dlq')!.subjects, ['$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.memory-events.*', '$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.memory-events.*', 'dlq.memory-events.>']);
  });

  test('its four consumers: stream, filter, explicit ack, max deliver, ack wait', () => {
    const seed = [
      { name: 'api-consumer', stream: 'routing-decisions', filter: 'routing.>', maxDeliver: 3, ackWait: 30 * S },
      { name: 'analytics-consumer', stream: 'routing-decisions', filter: 'routing.>', maxDeliver: 5, ackWait: 60 * S },
      { name: 'consolidation-consumer', stream: 'memory-events', filter: 'memory.consolidated', maxDeliver: 3, ackWait: 120 * S },
      { name: 'metrics-consumer', stream: 'llm-requests', filter: 'llm.>', maxDeliver: 3, ackWait: 30 * S },
    ];
    assert.equal(plan.consumers.length, 4);
    for (const s of seed) {
      const c = plan.consumers.find((x) => x.config.durable_name === s.name);
      assert.ok(c, `consumer ${s.name} is planned`);
      assert.equal(c.stream, s.stream, `${s.name} stream`);
      assert.equal(c.config.filter_subject, s.filter, `${s.name} filter`);
      assert.equal(c.config.ack_policy, 'explicit', `${s.name} ack policy`);
      assert.equal(c.config.max_deliver, s.maxDeliver, `${s.name} max deliver`);
      assert.equal(c.config.ack_wait, s.ackWait, `${s.name} ack wait`);
      if (c.config.backoff) assert.equal(c.config.backoff[0], s.ackWait, `${s.name}: the server takes backoff[0] as the ack wait`);
    }
    // "Batch: 1000 messages" for the analytics consumer
    assert.equal(plan.consumers.find((x) => x.config.durable_name === 'analytics-consumer')!.config.max_batch, 1000);
  });

  test('the linter is quiet on it', () => {
    assert.deepEqual(findings, []);
  });

  test('development profile shapes replicas, explicit overrides are honoured', () => {
    const d = example('overmind');
    const dev = planDesign(d, { environment: 'development' });
    // the design pins num_replicas 3 as the seed says: an explicit override beats the profile
    assert.ok(dev.streams.filter((s) => s.role === 'context').every((s) => s.config.num_replicas === 3));
    delete d.overrides!.streams!.routing!.num_replicas;
    const dev2 = planDesign(d, { environment: 'development' });
    assert.equal(dev2.streams.find((s) => s.config.name === 'routing-decisions')!.config.num_replicas, 1);
    assert.equal(planDesign(d).streams.find((s) => s.config.name === 'routing-decisions')!.config.num_replicas, 3);
  });

  test('every planned value has a reason, naming the override or the seed principle', () => {
    const ex = explainPlan(plan);
    const fields = ex.filter((e) => e.object === 'stream routing-decisions').map((e) => e.field);
    for (const f of ['name', 'subjects', 'retention', 'storage', 'num_replicas', 'max_age', 'max_bytes', 'duplicate_window']) assert.ok(fields.includes(f), f);
    assert.match(ex.find((e) => e.object === 'stream routing-decisions' && e.field === 'duplicate_window')!.why, /seed 001/);
    assert.match(ex.find((e) => e.object === 'stream routing-decisions' && e.field === 'max_age')!.why, /override/);
    assert.match(ex.find((e) => e.object === 'consumer memory-events/consolidation-consumer' && e.field === 'backoff')!.why, /ack_wait/);
  });
});

describe('planner: examples/codeforge.natsflow.json is seed 003', () => {
  const { plan, findings } = planAndLint(example('codeforge'));

  test('tasks.agent.{backend} go to a work queue a pool of Python workers shares, with explicit acks and a dead-letter stream', () => {
    const tasks = plan.streams.find((s) => s.config.name === 'TASKS')!;
    assert.deepEqual(tasks.config.subjects, ['tasks.>']);
    assert.equal(tasks.config.retention, 'workqueue');
    assert.equal(tasks.config.storage, 'file');
    assert.equal(tasks.config.num_replicas, 1, 'one nats-server in docker-compose: development');
    const workers = plan.consumers.filter((c) => c.stream === 'TASKS');
    assert.equal(workers.length, 1, 'one durable shared by the pool');
    assert.equal(workers[0]!.config.durable_name, 'agent-workers');
    assert.equal(workers[0]!.config.filter_subject, 'tasks.agent.*');
    assert.equal(workers[0]!.config.ack_policy, 'explicit');
    assert.equal(workers[0]!.role, 'worker');
    assert.ok(plan.streams.some((s) => s.config.name === 'TASKS_DLQ' && s.config.subjects[0] === '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.TASKS.*'));
  });

  test('results per task come back on results.{task_id}; WebSocket fan-out is plain pub/sub; sessions are a KV bucket', () => {
    const results = plan.streams.find((s) => s.config.name === 'RESULTS')!;
    assert.deepEqual(results.config.subjects, ['results.>']);
    assert.equal(plan.consumers.find((c) => c.stream === 'RESULTS')!.config.filter_subject, 'results.*');
    assert.equal(plan.paths.find((p) => p.path === 'live-updates')!.primitive, 'core');
    assert.ok(!plan.streams.some((s) => s.config.subjects.some((x) => x.startsWith('updates'))), 'nothing persisted for the core path');
    assert.deepEqual(plan.buckets.map((b) => b.config), [{ bucket: 'agent-sessions', description: 'Agent sessions: lightweight ephemeral state (seed 003)', history: 5, ttl: DAY, storage: 'file', replicas: 1 }]);
  });

  test('the linter is quiet on it', () => {
    assert.deepEqual(findings, []);
  });
});

test('the planner is deterministic and the examples are stored in canonical form', () => {
  for (const name of ['overmind', 'codeforge']) {
    const text = readFileSync(join(__dirname, '../../examples', `${name}.natsflow.json`), 'utf8');
    const d = example(name);
    assert.equal(formatDesign(d), text, `${name} is canonical (formatDesign leaves it unchanged)`);
    assert.equal(JSON.stringify(planDesign(d)), JSON.stringify(planDesign(example(name))));
  }
});

test('moving one component changes one line of the file', () => {
  const d = example('overmind');
  const before = formatDesign(d).split('\n');
  d.components[2]!.position = { x: 10.4, y: 999.6 };
  const after = formatDesign(d).split('\n');
  assert.equal(after.length, before.length);
  const changed = after.filter((l, i) => l !== before[i]);
  assert.deepEqual(changed, ['      "position": { "x": 10, "y": 1000 }']);
});

test('maxReplicas caps replicas for a single-server target and names every object it lowered', () => {
  const p = planDesign(example('overmind'), { maxReplicas: 1, maxReplicasReason: '--replicas-cap 1' });
  assert.ok(p.streams.every((s) => s.config.num_replicas === 1));
  // the three context streams (their overrides say 3) and the dead-letter stream of memory-events
  const byName = (a: { object: string }, b: { object: string }) => a.object.localeCompare(b.object);
  assert.deepEqual([...p.replicasCapped!].sort(byName), p.streams.map((s) => ({ object: `stream ${s.config.name}`, planned: 3, capped: 1 })).sort(byName));
  assert.equal(p.replicasCapped!.length, 4);
  assert.ok(p.streams.every((s) => s.why.num_replicas === '1: capped from 3 (--replicas-cap 1)'), JSON.stringify(p.streams.map((s) => s.why.num_replicas)));
  assert.equal(planDesign(example('overmind')).replicasCapped, undefined, 'no cap, nothing to report');
  // a cap above what the design asks lowers nothing
  assert.deepEqual(planDesign(example('overmind'), { maxReplicas: 3 }).replicasCapped, []);
  const kv = planDesign(example('codeforge'), { environment: 'production', maxReplicas: 2 });
  assert.deepEqual(kv.replicasCapped!.filter((o) => o.object.startsWith('bucket')), [{ object: 'bucket agent-sessions', planned: 3, capped: 2 }]);
});

test('object stores: planned with the environment\'s replicas, settings honoured, R1 in production flagged', async () => {
  const { lintDesign } = await import('../../src/core/design');
  const d = example('codeforge');
  d.objectStores = [{ bucket: 'artifacts', components: ['python-workers'], ttl: '30d', max_bytes: '1GB' }];
  const plan = planDesign(d);
  assert.deepEqual(plan.objectStores.map((o) => o.config), [{ bucket: 'artifacts', ttl: 30 * DAY, storage: 'file', replicas: 1, max_bytes: GB }]);
  d.environment = 'production';
  assert.equal(planDesign(d).objectStores[0]!.config.replicas, 3);
  d.objectStores[0]!.replicas = 1;
  const f = lintDesign(d).find((x) => x.rule === 'production-durability');
  assert.match(f!.message, /object store artifacts keeps production data with R1/);
  assert.equal(f!.location.pointer, '/objectStores/0');
});

test('a backoff override sets the ack wait, as the server does (backoff[0] replaces ack_wait)', () => {
  const d = example('codeforge');
  d.overrides!.consumers!['agent-tasks/python-workers'] = { durable_name: 'agent-workers', ack_wait: '10m', backoff: ['1m', '5m'] };
  const c = planDesign(d).consumers.find((x) => x.config.durable_name === 'agent-workers')!;
  assert.equal(c.config.ack_wait, 60 * S);
  assert.match(c.why.ack_wait!, /first backoff value/);
});

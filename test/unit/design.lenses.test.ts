import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { designLensTargets, loadDesign, planDesign } from '../../src/core/design';

const text = readFileSync(join(__dirname, '../../examples/overmind.natsflow.json'), 'utf8');

test('design lens targets: the design at the top, one per path at its "{" in the text, with the planned names to scaffold', () => {
  const t = designLensTargets(text);
  assert.ok(t);
  assert.equal(t.design.offset, text.indexOf('{'));
  const loaded = loadDesign(text);
  assert.ok(loaded.ok);
  const plan = planDesign(loaded.design);
  assert.deepEqual(t.paths.map((p) => p.id), loaded.design.paths.map((p) => p.id));
  for (const p of t.paths) {
    assert.equal(text[p.offset], '{', p.id);
    assert.ok(text.slice(p.offset, p.offset + p.length).includes(`"id": "${p.id}"`), p.id);
    const consumer = plan.consumers.find((c) => c.path === p.id);
    if (consumer) assert.deepEqual([p.scaffold.pattern, p.scaffold.stream, p.scaffold.consumer], [consumer.role, consumer.stream, consumer.config.durable_name], p.id);
    const bucket = plan.buckets.find((b) => b.paths.includes(p.id));
    if (!consumer && bucket) assert.deepEqual([p.scaffold.pattern, p.scaffold.bucket], ['kv-watcher', bucket.config.bucket], p.id);
  }
  const patterns = new Set(t.paths.map((p) => p.scaffold.pattern));
  assert.deepEqual([...patterns].sort(), ['listener', 'worker']);
});

test('design lens targets: none for text that is not a valid design', () => {
  assert.equal(designLensTargets('{"version": 1, "paths": ['), undefined);
  assert.equal(designLensTargets('{"name": 3}'), undefined);
});

test('design lens targets: a fact path scaffolds a KV watcher on its planned bucket', () => {
  const design = {
    version: 1,
    name: 'shop',
    environment: 'production',
    components: [
      { id: 'api', kind: 'service', name: 'API' },
      { id: 'ui', kind: 'client', name: 'UI' },
    ],
    paths: [{ id: 'status', from: 'api', to: ['ui'], description: 'current order status', subject: 'status.order.current', answers: { restart: 'yes', fanout: 'all', processing: 'fast', nature: 'fact' } }],
  };
  const t = designLensTargets(JSON.stringify(design, null, 2));
  assert.ok(t);
  const loaded = loadDesign(JSON.stringify(design));
  assert.ok(loaded.ok);
  const bucket = planDesign(loaded.design).buckets[0].config.bucket;
  assert.deepEqual(t.paths[0].scaffold, { pattern: 'kv-watcher', bucket });
});

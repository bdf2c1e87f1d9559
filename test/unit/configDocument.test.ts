import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeConfigDocument, parseHumanDuration, parseHumanSize } from '../../src/nats/configDocument';

test('human durations and sizes become the API numbers, each conversion reported', () => {
  const r = normalizeConfigDocument('stream', { name: 'S', max_age: '7d', duplicate_window: '2m', max_bytes: '1GiB', max_msg_size: '1MB', max_msgs: -1 });
  assert.equal(r.config.max_age, 7 * 86_400 * 1e9);
  assert.equal(r.config.duplicate_window, 120 * 1e9);
  assert.equal(r.config.max_bytes, 1024 ** 3);
  assert.equal(r.config.max_msg_size, 1_000_000);
  assert.equal(r.config.max_msgs, -1);
  assert.deepEqual(r.converted, ['max_age "7d" → 604800000000000 ns', 'duplicate_window "2m" → 120000000000 ns', 'max_bytes "1GiB" → 1073741824 bytes', 'max_msg_size "1MB" → 1000000 bytes']);
  const c = normalizeConfigDocument('consumer', { ack_wait: '30s', backoff: ['5s', 30_000_000_000, '2m'] });
  assert.deepEqual(c.config.backoff, [5e9, 30e9, 120e9]);
  const kv = normalizeConfigDocument('kv', { bucket: 'b', ttlMs: '1h', maxBucketSize: '10MiB' });
  assert.equal(kv.config.ttlMs, 3_600_000);
  assert.equal(kv.config.maxBucketSize, 10 * 1024 ** 2);
});

test('what is neither a number nor a human form is refused, naming the field and unit', () => {
  assert.throws(() => normalizeConfigDocument('stream', { max_age: '1 hour' }), /max_age is "1 hour": expected a duration in nanoseconds \(3600000000000\) or with a unit \(1h, 7d, 90s, 500ms\)/);
  assert.throws(() => normalizeConfigDocument('stream', { max_bytes: 'lots' }), /max_bytes is "lots": expected a size in bytes/);
  assert.throws(() => normalizeConfigDocument('consumer', { max_deliver: 2.5 }), /max_deliver is 2\.5: expected a whole number/);
  assert.throws(() => normalizeConfigDocument('consumer', { backoff: '5s' }), /backoff is "5s": expected a list of durations/);
  assert.throws(() => normalizeConfigDocument('kv', { ttlMs: true }), /ttlMs is true/);
  assert.equal(parseHumanDuration('1h30m'), 5_400_000);
  assert.equal(parseHumanDuration('h'), undefined);
  assert.equal(parseHumanSize('10K'), 10_240);
  assert.equal(parseHumanSize('1.5 GB'), 1_500_000_000);
});

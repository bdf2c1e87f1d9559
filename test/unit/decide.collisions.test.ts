/**
 * Suggested names against a server's existing objects (src/core/decide/collisions.ts): the
 * check that runs before "Create on server".
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { decide, type KvSuggestion, type StreamSuggestion } from '../../src/core/decide';
import { checkCollisions, freeName, subjectCovers, subjectsOverlap, type ExistingObjects } from '../../src/core/decide/collisions';

const none: ExistingObjects = { streams: [], buckets: [], consumers: {} };
const streamCfg = () => decide({ description: "payment service charges the customer's card", answers: { fanout: 'one' }, environment: 'development' }).config as StreamSuggestion;
const kvCfg = () => decide({ description: 'Order status changed', answers: { restart: 'yes' } }).config as KvSuggestion;

describe('subject filters', () => {
  test('overlap: wildcards on either side', () => {
    assert.equal(subjectsOverlap('payments.>', 'payments.card.charge'), true);
    assert.equal(subjectsOverlap('payments.*.charge', 'payments.card.*'), true);
    assert.equal(subjectsOverlap('payments.>', 'orders.>'), false);
    assert.equal(subjectsOverlap('payments.card', 'payments.card.charge'), false);
    assert.equal(subjectsOverlap('>', 'a'), true);
  });
  test('cover: every subject of the second matches the first', () => {
    assert.equal(subjectCovers('payments.>', 'payments.card.charge'), true);
    assert.equal(subjectCovers('payments.*.charge', 'payments.card.charge'), true);
    assert.equal(subjectCovers('payments.card.charge', 'payments.>'), false);
    assert.equal(subjectCovers('payments.*', 'payments.card.charge'), false);
  });
  test('free names count up from 2', () => {
    assert.equal(freeName('PAYMENTS', [], '_'), 'PAYMENTS');
    assert.equal(freeName('PAYMENTS', ['PAYMENTS', 'PAYMENTS_2'], '_'), 'PAYMENTS_3');
  });
});

describe('collisions', () => {
  test('nothing on the server: the suggestion is unchanged and says nothing', () => {
    const c = streamCfg();
    const r = checkCollisions(c, none);
    assert.deepEqual(r.notes, []);
    assert.equal((r.config as StreamSuggestion).stream.name, 'PAYMENTS');
    assert.equal(r.blocked, false);
  });

  test('a stream that already takes the subject is reused: only the consumer goes on it', () => {
    const c = streamCfg();
    const r = checkCollisions(c, { streams: [{ name: 'BILLING', subjects: ['payments.>'], retention: 'limits' }], buckets: [], consumers: {} });
    assert.equal(r.reuseStream, 'BILLING');
    const s = r.config as StreamSuggestion;
    assert.equal(s.stream.name, 'BILLING');
    assert.equal(s.dead_letter.advisory_subject, `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.BILLING.${s.consumer.durable_name}`);
    assert.match(r.notes.join('\n'), /Stream "BILLING" already takes payments\.card\.charge .*reusing it/);
    assert.match(r.notes.join('\n'), /limits retention, not the suggested workqueue/);
  });

  test('the same stream name with other subjects gets a free name', () => {
    const r = checkCollisions(streamCfg(), { streams: [{ name: 'PAYMENTS', subjects: ['pay.>'] }], buckets: [], consumers: {} });
    const s = r.config as StreamSuggestion;
    assert.equal(s.stream.name, 'PAYMENTS_2');
    assert.equal(s.dead_letter.stream.name, 'PAYMENTS_2_DLQ');
    assert.equal(r.reuseStream, undefined);
    assert.match(r.notes[0]!, /"PAYMENTS" already exists .*"PAYMENTS_2"/);
  });

  test('an overlap that does not take the subject is said to block creation', () => {
    const r = checkCollisions(streamCfg(), { streams: [{ name: 'CARDS', subjects: ['payments.card.refund'] }], buckets: [], consumers: {} });
    assert.equal(r.blocked, true);
    assert.match(r.notes[0]!, /overlap stream "CARDS" \(payments\.card\.refund\): the server refuses overlapping streams/);
  });

  test('a taken consumer name on the target stream gets a free one', () => {
    const c = streamCfg();
    const r = checkCollisions(c, { streams: [{ name: 'PAYMENTS', subjects: ['payments.>'] }], buckets: [], consumers: { PAYMENTS: [c.consumer.durable_name] } });
    assert.equal((r.config as StreamSuggestion).consumer.durable_name, `${c.consumer.durable_name}-2`);
  });

  test('a taken bucket gets a free name and the option to reuse it', () => {
    const r = checkCollisions(kvCfg(), { streams: [], buckets: ['order-status'], consumers: {} });
    assert.equal((r.config as KvSuggestion).bucket.bucket, 'order-status-2');
    assert.match(r.notes[0]!, /"order-status" already exists .*reuse it/);
  });
});

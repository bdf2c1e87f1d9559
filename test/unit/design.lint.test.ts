import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { lintDesign, planDesign, LINT_RULES, type FlowDesign, type FlowPath, type LintRuleId } from '../../src/core/design';
import { shopDesign } from '../helpers/shopDesign';

/** A small clean design: an orders work queue and a listener, production. */
const base = (): FlowDesign => shopDesign('production', { status: true });

function rulesOf(d: FlowDesign): LintRuleId[] {
  return lintDesign(d, planDesign(d)).map((f) => f.rule);
}

function withPath(d: FlowDesign, id: string, patch: Partial<FlowPath>): FlowDesign {
  d.paths = d.paths.map((p) => (p.id === id ? { ...p, ...patch } : p));
  return d;
}

describe('design linter', () => {
  test('the base design is clean', () => {
    assert.deepEqual(lintDesign(base()), []);
  });

  const cases: [LintRuleId, () => FlowDesign, RegExp][] = [
    ['subject-flat', () => withPath(base(), 'audit-log', { subject: 'audit' }), /flat subject "audit"/],
    ['subject-overlap', () => {
      const d = base();
      d.overrides = { streams: { audit: { subjects: ['audit.>', 'orders.payment.>'] } } };
      return d;
    }, /capture overlapping subjects/],
    ['subject-uncaptured', () => {
      const d = base();
      d.overrides = { streams: { audit: { subjects: ['audit.user.>'] } } };
      return d;
    }, /publishes on "audit.order.recorded".*no stream captures it/],
    ['workqueue-filter-overlap', () => {
      const d = base();
      d.components.push({ id: 'workers2', kind: 'workerPool', name: 'More workers' });
      d.paths.push({ id: 'refund', from: 'api', to: ['workers2'], description: 'refund', subject: 'orders.payment.requested', answers: { restart: 'no', fanout: 'one', processing: 'slow', nature: 'request' }, processingTime: '20s' });
      return d;
    }, /work-queue stream ORDERS.*overlap.*filtered consumer not unique/],
    ['interest-no-consumers', () => {
      const d = withPath(base(), 'audit-log', { to: [] });
      d.overrides = { streams: { audit: { retention: 'interest' } } };
      return d;
    }, /interest retention but no consumer/],
    ['worker-ack-explicit', () => {
      const d = base();
      d.overrides = { consumers: { 'charge/workers': { ack_policy: 'none' } } };
      return d;
    }, /worker queue with ack policy "none"/],
    ['worker-max-deliver', () => {
      const d = base();
      d.overrides = { consumers: { 'charge/workers': { max_deliver: -1 } } };
      return d;
    }, /retries forever/],
    ['worker-dead-letter', () => withPath(base(), 'charge', { deadLetter: { mode: 'none' } }), /nothing captures \$JS\.EVENT\.ADVISORY\.CONSUMER\.MAX_DELIVERIES\.ORDERS\.charge-workers/],
    ['ack-wait-short', () => {
      const d = base();
      d.overrides = { consumers: { 'charge/workers': { ack_wait: '10s', backoff: ['10s', '20s'] } } };
      return d;
    }, /waits 10s for an ack but path "charge" declares 20s/],
    ['backoff-too-long', () => {
      const d = base();
      d.overrides = { consumers: { 'charge/workers': { max_deliver: 2, backoff: ['30s', '1m', '2m'] } } };
      return d;
    }, /3 backoff values but max_deliver 2/],
    ['production-durability', () => {
      const d = base();
      d.overrides = { streams: { audit: { storage: 'memory' } } };
      return d;
    }, /stream AUDIT keeps production data with memory storage/],
    ['kv-slow-path', () => withPath(base(), 'status', { answers: { restart: 'yes', fanout: 'all', processing: 'slow' } }), /KV watch but its processing is slow/],
    ['heuristic-conflict', () => withPath(base(), 'charge', { answers: { restart: 'no', fanout: 'all', processing: 'slow', nature: 'request' } }), /Tests disagree.*split/],
    ['path-undecided', () => withPath(base(), 'audit-log', { answers: { restart: 'unsure' } }), /undecided/],
    ['filter-outside-stream', () => {
      const d = base();
      d.overrides = { consumers: { 'audit-log/audit': { filter_subject: 'billing.>' } } };
      return d;
    }, /filters on "billing\.>", which nothing in stream AUDIT/],
    ['primitive-stale', () => withPath(base(), 'status', { primitive: 'stream' }), /says primitive "stream" but its answers give "kv"/],
    ['override-unused', () => {
      const d = base();
      d.overrides = { streams: { order: { max_age: '1d' } } };
      return d;
    }, /overrides\.streams\.order names no planned stream/],
  ];

  test('every rule has a case below', () => {
    assert.deepEqual(cases.map((c) => c[0]).sort(), (Object.keys(LINT_RULES) as LintRuleId[]).sort());
  });

  for (const [rule, make, message] of cases) {
    test(`${rule} fires on a design built to break it, with a message, a fix and a location`, () => {
      const d = make();
      const findings = lintDesign(d, planDesign(d));
      const f = findings.find((x) => x.rule === rule);
      assert.ok(f, `${rule} did not fire; got ${JSON.stringify(findings.map((x) => x.rule))}`);
      assert.match(f.message, message);
      assert.ok(f.fix.length > 10);
      assert.ok(f.location.pointer !== undefined || f.location.object !== undefined || f.location.path !== undefined);
    });
  }

  test('a conflict overruled with a reason is not reported again', () => {
    const d = withPath(base(), 'charge', { answers: { restart: 'no', fanout: 'all', processing: 'slow', nature: 'request' }, override: { primitive: 'stream', reason: 'fan-out of a request on purpose' } });
    assert.ok(!rulesOf(d).includes('heuristic-conflict'));
  });

  test('in-progress acks make a short ack wait fine', () => {
    const d = withPath(base(), 'charge', { inProgressAcks: true });
    d.overrides = { consumers: { 'charge/workers': { ack_wait: '10s', backoff: ['10s', '20s'] } } };
    assert.ok(!rulesOf(d).includes('ack-wait-short'));
  });

  test('errors come before warnings and infos', () => {
    const d = withPath(withPath(base(), 'status', { primitive: 'stream' }), 'audit-log', { subject: 'audit', answers: { restart: 'unsure' } });
    const sev = lintDesign(d).map((f) => f.severity);
    assert.deepEqual(sev, [...sev].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
    assert.equal(sev[0], 'error');
  });
});

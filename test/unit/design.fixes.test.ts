/**
 * Quick fixes of the design linter (src/core/design/fixes.ts), which the designer and VS Code's
 * code actions both apply: for every rule with a fix, a design that breaks the rule, and each
 * of its fixes gives a design that loads and no longer has that finding; the input is never
 * mutated. Every lint rule either has a fix or says why it has none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXABLE_RULES, LINT_RULES, NO_FIX, fixesFor, loadDesign, planAndLint, validateDesign, type Finding, type FlowDesign, type LintRuleId } from '../../src/core/design';
import { shopDesign } from '../helpers/shopDesign';

const overmind = readFileSync(join(__dirname, '../../examples/overmind.natsflow.json'), 'utf8');

const small = (): FlowDesign => shopDesign('development', { status: false });

const sameFinding = (a: Finding, b: Finding) => a.rule === b.rule && a.location.path === b.location.path && a.location.object === b.location.object && a.location.pointer === b.location.pointer;

/** Finds `rule` in `d`, applies each of its fixes, and checks each one removes it. Returns the fix titles. */
function fixAll(d: FlowDesign, rule: LintRuleId): string[] {
  const before = JSON.stringify(d);
  const { plan, findings } = planAndLint(d);
  const f = findings.find((x) => x.rule === rule);
  assert.ok(f, `${rule} is reported (found: ${findings.map((x) => x.rule).join(', ')})`);
  const fixes = fixesFor(f, d, plan);
  assert.ok(fixes.length, `${rule} has a fix`);
  for (const fix of fixes) {
    const next = fix.apply(d);
    const checked = validateDesign(next);
    assert.ok(checked.design, `"${fix.title}" gives a design that loads: ${JSON.stringify(checked.problems)}`);
    const after = planAndLint(next).findings;
    assert.ok(!after.some((x) => sameFinding(x, f)), `"${fix.title}" removes the ${rule} finding; left: ${after.map((x) => x.message).join(' | ')}`);
  }
  assert.equal(JSON.stringify(d), before, 'the input design is not mutated');
  return fixes.map((x) => x.title);
}

test('every lint rule has a quick fix or says why it has none', () => {
  const all = Object.keys(LINT_RULES).sort();
  const covered = [...FIXABLE_RULES, ...Object.keys(NO_FIX)].sort();
  assert.deepEqual(covered, all);
  for (const r of FIXABLE_RULES) assert.equal(NO_FIX[r], undefined, `${r} is not in both lists`);
});

test('subject-uncaptured: the stream override captures the path subject too', () => {
  const d = small();
  d.overrides = { streams: { audit: { subjects: ['audit.user.>'] } } };
  const [title] = fixAll(d, 'subject-uncaptured');
  assert.match(title!, /Capture "audit\.order\.recorded" in stream/);
});

test('interest-no-consumers: limits retention keeps the messages', () => {
  const d = small();
  d.paths[1]!.to = [];
  d.overrides = { streams: { audit: { retention: 'interest' } } };
  fixAll(d, 'interest-no-consumers');
});

test('worker consumers: ack policy, max deliver, backoff length, filter', () => {
  const withConsumer = (o: Record<string, unknown>) => ({ ...small(), overrides: { consumers: { 'charge/workers': o as never } } });
  fixAll(withConsumer({ ack_policy: 'none' }), 'worker-ack-explicit');
  fixAll(withConsumer({ max_deliver: -1 }), 'worker-max-deliver');
  assert.match(fixAll(withConsumer({ backoff: ['1m', '2m', '3m', '4m', '5m'], max_deliver: 3 }), 'backoff-too-long')[0]!, /max_deliver .* to 6/);
  fixAll(withConsumer({ filter_subject: 'billing.charge' }), 'filter-outside-stream');
});

test('worker-dead-letter: deadLetter "none" goes, so the planner adds a dead-letter stream', () => {
  const d = small();
  d.paths[0]!.deadLetter = { mode: 'none' };
  fixAll(d, 'worker-dead-letter');
});

test('ack-wait-short: in-progress acks or a longer ack wait, each enough on its own', () => {
  const d = small();
  d.overrides = { consumers: { 'charge/workers': { ack_wait: '5s' } } };
  const titles = fixAll(d, 'ack-wait-short');
  assert.equal(titles.length, 2);
  assert.match(titles[0]!, /inProgressAcks/);
  assert.match(titles[1]!, /ack_wait .* to 40s/);
  // a backoff override sets the first wait: only the in-progress acks fix is offered
  const b = small();
  b.overrides = { consumers: { 'charge/workers': { backoff: ['5s', '10s'] } } };
  assert.equal(fixAll(b, 'ack-wait-short').length, 1);
});

test('production-durability: file storage and 3 replicas for a stream and an object store', () => {
  const d = small();
  d.environment = 'production';
  d.overrides = { streams: { orders: { num_replicas: 1, storage: 'memory' } } };
  fixAll(d, 'production-durability');
  const o = small();
  o.environment = 'production';
  o.objectStores = [{ bucket: 'artifacts', replicas: 1 }];
  fixAll(o, 'production-durability');
});

test('primitive-stale and override-unused on the Overmind example', () => {
  const l = loadDesign(overmind);
  assert.ok(l.ok);
  const d = structuredClone(l.design);
  const p = d.paths.find((x) => !x.override)!;
  p.primitive = 'kv';
  assert.match(fixAll(d, 'primitive-stale')[0]!, /Set "primitive" to "stream"/);
  const u = structuredClone(l.design);
  u.overrides = { ...u.overrides, streams: { ...(u.overrides?.streams ?? {}), nosuch: { max_age: '1h' } } };
  fixAll(u, 'override-unused');
});

test('rules without a fix offer none', () => {
  const d = small();
  d.paths[1]!.subject = 'audit';
  const { plan, findings } = planAndLint(d);
  const flat = findings.find((x) => x.rule === 'subject-flat');
  assert.ok(flat);
  assert.deepEqual(fixesFor(flat, d, plan), []);
});

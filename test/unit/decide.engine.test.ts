import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  COMMON_CASES,
  DECISION_TESTS,
  NANOS_PER_SECOND,
  TEST_IDS,
  decide,
  formatDecision,
  type Answer,
  type DecideAnswers,
  type StreamSuggestion,
  type KvSuggestion,
  type TestId,
} from '../../src/core/decide';

describe('decide: the seed table (seed 000_0a057cbac6a60a0d.txt, Common Cases Reference)', () => {
  // Answers a person would give for each row, read off the row's reason column.
  const rows: Record<string, { primitive: 'kv' | 'stream'; label: string; answers: DecideAnswers }> = {
    'Entity state changed': { primitive: 'kv', label: 'KV Watch', answers: { restart: 'yes', fanout: 'all', processing: 'fast', nature: 'fact' } },
    'New task to execute': { primitive: 'stream', label: 'JetStream Stream', answers: { fanout: 'one', processing: 'slow', nature: 'request' } },
    'Index update': { primitive: 'kv', label: 'KV Write (others watch)', answers: { fanout: 'all', processing: 'fast', nature: 'fact' } },
    'LLM call': { primitive: 'stream', label: 'JetStream Stream', answers: { fanout: 'one', processing: 'slow', nature: 'request' } },
    'Loop current state': { primitive: 'kv', label: 'KV', answers: { restart: 'yes', nature: 'fact' } },
    'Tool execution request': { primitive: 'stream', label: 'JetStream Stream', answers: { fanout: 'one', processing: 'slow', nature: 'request' } },
    'Tool result returned': { primitive: 'stream', label: 'JetStream Stream', answers: { restart: 'no', fanout: 'one' } },
    'Workflow trigger': { primitive: 'stream', label: 'JetStream Stream', answers: { fanout: 'one', processing: 'slow', nature: 'request' } },
    'Workflow execution state': { primitive: 'kv', label: 'KV', answers: { restart: 'yes', nature: 'fact' } },
    'Sensor telemetry': { primitive: 'kv', label: 'KV Write', answers: { restart: 'yes', nature: 'fact' } },
  };

  test('every row of the seed table is built in, in order, with its label text', () => {
    assert.deepEqual(COMMON_CASES.map((c) => c.communication), Object.keys(rows));
    for (const c of COMMON_CASES) {
      assert.equal(c.primitive, rows[c.communication]!.primitive, c.communication);
      assert.equal(c.label, rows[c.communication]!.label, c.communication);
      assert.ok(c.reason.length > 0);
    }
  });

  for (const [communication, row] of Object.entries(rows)) {
    test(`"${communication}" comes out as ${row.primitive} and names its own case`, () => {
      const d = decide({ description: communication, answers: row.answers });
      assert.equal(d.primitive, row.primitive);
      assert.equal(d.conflict, false);
      assert.equal(d.case, communication);
      assert.equal(d.caseMatch?.label, row.label);
    });
    test(`"${communication}" from its description alone still gives ${row.primitive}`, () => {
      const d = decide({ description: communication });
      assert.equal(d.primitive, row.primitive);
    });
  }

  test('the nearest case is null when nothing in the description or answers is near', () => {
    const d = decide({ answers: { processing: 'unsure' }, description: 'hello there' });
    assert.equal(d.primitive, 'undecided');
    assert.equal(d.case, null);
  });
});

describe('decide: first clear answer and conflict check over all 81 combinations', () => {
  const choices: Record<TestId, Answer[]> = {
    restart: ['yes', 'no', 'unsure'],
    fanout: ['all', 'one', 'unsure'],
    processing: ['fast', 'slow', 'unsure'],
    nature: ['fact', 'request', 'unsure'],
  };
  const kvAnswers = new Set<Answer>(['yes', 'all', 'fast', 'fact']);
  const combos: DecideAnswers[] = [];
  for (const r of choices.restart)
    for (const f of choices.fanout)
      for (const p of choices.processing)
        for (const n of choices.nature) combos.push({ restart: r, fanout: f, processing: p, nature: n } as DecideAnswers);

  test('there are 81 combinations', () => assert.equal(combos.length, 81));

  for (const answers of combos) {
    const name = TEST_IDS.map((id) => answers[id]).join('/');
    test(`${name}`, () => {
      // expected, computed independently: the verdict of each clear answer, in seed order
      const clear = TEST_IDS.filter((id) => answers[id] !== 'unsure').map((id) => ({
        id,
        v: kvAnswers.has(answers[id]!) ? 'kv' : 'stream',
      }));
      const primitive = clear[0]?.v ?? 'undecided';
      const differ = clear.filter((c) => c.v !== primitive).map((c) => c.id);
      const disagree = differ.length ? [clear[0]!.id, ...differ] : [];

      const d = decide({ answers });
      assert.equal(d.primitive, primitive);
      assert.equal(d.decidedBy, clear[0]?.id ?? null);
      assert.equal(d.conflict, new Set(clear.map((c) => c.v)).size > 1);
      assert.deepEqual(d.disagree, disagree);
      assert.equal(d.advice !== null, d.conflict);
      for (const t of d.tests) {
        assert.equal(t.source, 'given');
        assert.equal(t.answer, answers[t.id]);
      }
      if (primitive === 'undecided') assert.deepEqual(d.config, {});
      else assert.equal((d.config as { kind: string }).kind, primitive);
    });
  }

  test('a 2–2 conflict lists every clear test on each side and carries the split advice', () => {
    const d = decide({ answers: { restart: 'yes', fanout: 'one', processing: 'fast', nature: 'request' } });
    assert.equal(d.primitive, 'kv');
    assert.deepEqual(d.disagree, ['restart', 'fanout', 'nature']);
    // processing agrees with the deciding test, yet belongs on the KV side of the banner
    assert.deepEqual(d.sides, { kv: ['restart', 'processing'], stream: ['fanout', 'nature'] });
    assert.match(d.advice!, /KV: restart, processing; Stream: fanout, nature/);
    assert.match(d.advice!, /two things conflated/);
    assert.match(d.advice!, /split/);
    const text = formatDecision(d);
    assert.match(text, /CONFLICT: the tests disagree \(KV: restart, processing; Stream: fanout, nature\)/);
  });
});

describe('decide: given, inferred and missing answers', () => {
  test('a given answer overrides the inferred one; other tests stay inferred', () => {
    const description = 'Every service should react to the order status change; only a cheap overwrite.';
    const inferred = decide({ description });
    assert.equal(inferred.tests[1]!.answer, 'all');
    assert.equal(inferred.tests[1]!.source, 'inferred');
    assert.ok(inferred.tests[1]!.evidence.length > 0);

    // restart given unsure too, so the given fanout answer is the deciding one
    const d = decide({ description, answers: { restart: 'unsure', fanout: 'one' } });
    const fanout = d.tests.find((t) => t.id === 'fanout')!;
    assert.equal(fanout.answer, 'one');
    assert.equal(fanout.source, 'given');
    assert.deepEqual(fanout.evidence, []);
    assert.equal(d.primitive, 'stream');
    assert.equal(d.tests.find((t) => t.id === 'nature')!.source, 'inferred');
    assert.equal(d.conflict, true);
  });

  test('given "unsure" also overrides an inferred answer', () => {
    const d = decide({ description: 'only one worker handles each job', answers: { fanout: 'unsure' } });
    const fanout = d.tests.find((t) => t.id === 'fanout')!;
    assert.equal(fanout.answer, 'unsure');
    assert.equal(fanout.source, 'given');
    assert.equal(fanout.verdict, null);
  });

  test('no description and no answers: all tests none, undecided, empty config', () => {
    const d = decide({});
    assert.equal(d.primitive, 'undecided');
    assert.deepEqual(d.config, {});
    assert.deepEqual(d.disagree, []);
    for (const t of d.tests) {
      assert.equal(t.source, 'none');
      assert.equal(t.answer, 'unsure');
      assert.equal(t.verdict, null);
    }
  });

  test('an answer that does not belong to its test is refused', () => {
    assert.throws(() => decide({ answers: { fanout: 'yes' } as unknown as DecideAnswers }), RangeError);
  });
});

describe('decide: test metadata for the QuickPick', () => {
  test('four tests in the seed order with question, options and explanations', () => {
    assert.deepEqual(DECISION_TESTS.map((t) => t.id), ['restart', 'fanout', 'processing', 'nature']);
    assert.deepEqual(DECISION_TESTS.map((t) => t.order), [1, 2, 3, 4]);
    for (const t of DECISION_TESTS) {
      assert.match(t.question, /\?$/);
      assert.equal(t.options.length, 3);
      assert.deepEqual(t.options.map((o) => o.verdict), ['kv', 'stream', null]);
      for (const o of t.options) assert.ok(o.label && o.explanation);
    }
  });
});

describe('decide: suggested configuration (seed 001_4f8404f30db3dc6a.txt)', () => {
  const NS = NANOS_PER_SECOND;

  test('a slow queue gets a work-queue stream, a pull consumer, long ack wait and a DLQ plan', () => {
    const d = decide({ description: 'Generate the invoice PDF for an order', answers: { fanout: 'one', processing: 'slow' } });
    const c = d.config as StreamSuggestion;
    assert.equal(c.kind, 'stream');
    assert.match(c.subject, /^[a-z0-9-]+\.[a-z0-9-]+\.[a-z0-9-]+$/);
    assert.equal(c.stream.retention, 'workqueue');
    assert.equal(c.stream.storage, 'file');
    assert.equal(c.stream.replicas, 3);
    assert.equal(c.stream.duplicate_window, 120 * NS);
    assert.ok(c.stream.subjects.some((s) => c.subject.startsWith(s.replace('>', ''))));
    assert.equal(c.consumer_type, 'pull');
    assert.equal(c.consumer.ack_policy, 'explicit');
    assert.equal(c.consumer.ack_wait, 300 * NS);
    assert.equal(c.consumer.backoff[0], c.consumer.ack_wait);
    assert.ok(c.consumer.max_deliver > c.consumer.backoff.length);
    assert.equal(c.dead_letter.advisory_subject, `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${c.stream.name}.${c.consumer.durable_name}`);
    assert.deepEqual(c.dead_letter.stream.subjects, [c.dead_letter.advisory_subject]);
    assert.ok(c.notes.some((n) => /in-progress/.test(n)));
  });

  test('fan-out listeners get a durable push consumer delivering outside the stream subjects (seed 001)', () => {
    const d = decide({ description: 'Each goal of the match is pushed to every fan app', answers: { restart: 'no', fanout: 'all' } });
    const c = d.config as StreamSuggestion;
    assert.equal(c.consumer_type, 'push');
    assert.match(c.consumer.durable_name, /-listener$/);
    assert.ok(c.consumer.deliver_subject);
    for (const subj of c.stream.subjects) assert.ok(!c.consumer.deliver_subject!.startsWith(subj.replace('>', '')), 'deliver subject outside the stream');
    assert.equal(c.consumer.flow_control, true);
    assert.ok((c.consumer.idle_heartbeat ?? 0) > 0);
    assert.ok(c.notes.some((n) => /seed 001: push for real-time event listeners/.test(n)));
    const q = decide({ description: 'Charge the card', answers: { fanout: 'one' } }).config as StreamSuggestion;
    assert.equal(q.consumer_type, 'pull');
    assert.equal(q.consumer.deliver_subject, undefined);
  });

  test('fast work gets a 30s ack wait; fan-out on a stream keeps history with limits retention', () => {
    const d = decide({ answers: { restart: 'no', fanout: 'all', processing: 'fast' } });
    const c = d.config as StreamSuggestion;
    assert.equal(c.consumer.ack_wait, 30 * NS);
    assert.equal(c.stream.retention, 'limits');
  });

  test('development uses one replica, production three', () => {
    const dev = decide({ answers: { nature: 'request' }, environment: 'development' }).config as StreamSuggestion;
    assert.equal(dev.stream.replicas, 1);
    const kvProd = decide({ answers: { nature: 'fact' } }).config as KvSuggestion;
    assert.equal(kvProd.bucket.replicas, 3);
    const kvDev = decide({ answers: { nature: 'fact' }, environment: 'development' }).config as KvSuggestion;
    assert.equal(kvDev.bucket.replicas, 1);
  });

  test('a KV suggestion names a valid bucket and explains bootstrap vs live and empty buckets', () => {
    const c = decide({ description: 'Sensor telemetry for greenhouse devices', answers: { nature: 'fact' } }).config as KvSuggestion;
    assert.equal(c.kind, 'kv');
    assert.match(c.bucket.bucket, /^[A-Za-z0-9_-]+$/);
    assert.equal(c.bucket.storage, 'file');
    assert.equal(c.bucket.history, 1);
    assert.match(c.watcher.bootstrap_end, /delta/);
    assert.match(c.watcher.empty_bucket, /pending/);
    assert.match(c.watcher.bootstrap, /live/);
  });
});

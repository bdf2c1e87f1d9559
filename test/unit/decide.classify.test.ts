import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify, decide, TEST_IDS, type Answer, type TestId } from '../../src/core/decide';

interface Labelled {
  description: string;
  primitive: 'kv' | 'stream';
  answers: Partial<Record<TestId, Answer>>;
  set?: 'fresh';
}

describe('classify: phrase rules and negation', () => {
  const cases: [string, TestId, Answer][] = [
    ['The processor should not re-process orders it already handled.', 'restart', 'no'],
    ['Re-processing everything after a restart is fine.', 'restart', 'yes'],
    ['It is safe to replay the values on startup.', 'restart', 'yes'],
    ['The card must be charged exactly once.', 'restart', 'no'],
    ['Only one worker should handle each message.', 'fanout', 'one'],
    ['Every service needs to see the change.', 'fanout', 'all'],
    ['No other service cares about it.', 'fanout', 'one'],
    ['Not every service should react, just the billing worker.', 'fanout', 'one'],
    ['The handler is idempotent and fast.', 'processing', 'fast'],
    ['The handler has no side effects.', 'processing', 'fast'],
    ['The operation is not idempotent.', 'processing', 'slow'],
    ['It calls an external API and takes several seconds.', 'processing', 'slow'],
    ['This is the current status of the device.', 'nature', 'fact'],
    ['Call the LLM to draft the answer.', 'nature', 'request'],
    ['It is not a request, only a record of what happened.', 'nature', 'fact'],
  ];
  for (const [text, id, answer] of cases) {
    test(`"${text}" → ${id} = ${answer}`, () => {
      const inf = classify(text)[id];
      assert.ok(inf, `no inference for ${id}`);
      assert.equal(inf.answer, answer);
      assert.ok(inf.evidence.length > 0);
    });
  }

  test('evidence names the words that led to the answer', () => {
    const inf = classify('A worker must send an email to the customer.');
    assert.deepEqual(inf.fanout?.evidence, ['worker']);
    assert.equal(inf.processing?.answer, 'slow');
    assert.ok(inf.processing?.evidence.some((e) => /send an email/.test(e)));
  });

  test('text that says nothing infers nothing, and the same text always gives the same answers', () => {
    assert.deepEqual(classify('hello world'), {});
    const text = 'Every dashboard watches the latest sensor reading; updating the gauge is quick.';
    assert.deepEqual(classify(text), classify(text));
  });

  test('equal signals both ways give unsure with both sides as evidence', () => {
    const inf = classify('It is idempotent. It has side effects.');
    assert.equal(inf.processing?.answer, 'unsure');
    assert.deepEqual(inf.processing?.evidence.sort(), ['idempotent', 'side effects']);
  });
});

describe('classify: accuracy on the labelled set', () => {
  const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'decide-labelled.json'), 'utf8')) as { items: Labelled[] };

  test('the labelled set is large enough and labels only valid answers', () => {
    assert.ok(fixture.items.length >= 40);
    for (const item of fixture.items) {
      assert.ok(item.primitive === 'kv' || item.primitive === 'stream');
      for (const id of Object.keys(item.answers)) assert.ok(TEST_IDS.includes(id as TestId), id);
    }
  });

  test('primitive accuracy is at least 90% (figures printed)', (t) => {
    const measure = (items: Labelled[]) => {
      let primitiveOk = 0;
      let answersOk = 0;
      let answersTotal = 0;
      const perTest: Record<string, { ok: number; n: number }> = {};
      for (const item of items) {
        const d = decide({ description: item.description });
        if (d.primitive === item.primitive) primitiveOk++;
        for (const [id, expected] of Object.entries(item.answers)) {
          const got = d.tests.find((x) => x.id === id)!.answer;
          const pt = (perTest[id] ??= { ok: 0, n: 0 });
          pt.n++;
          answersTotal++;
          if (got === expected) {
            pt.ok++;
            answersOk++;
          }
        }
      }
      return { primitiveOk, n: items.length, answersOk, answersTotal, perTest };
    };
    const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}% (${a}/${b})`;
    const all = measure(fixture.items);
    const fresh = measure(fixture.items.filter((i) => i.set === 'fresh'));
    const report = [
      `primitive accuracy: ${pct(all.primitiveOk, all.n)}`,
      `answer accuracy over labelled answers: ${pct(all.answersOk, all.answersTotal)}`,
      ...TEST_IDS.map((id) => `  ${id}: ${pct(all.perTest[id]?.ok ?? 0, all.perTest[id]?.n ?? 0)}`),
      `fresh subset: primitive ${pct(fresh.primitiveOk, fresh.n)}, answers ${pct(fresh.answersOk, fresh.answersTotal)}`,
    ].join('\n');
    t.diagnostic(report);
    console.log(report);
    assert.ok(all.primitiveOk / all.n >= 0.9, report);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { classify, TEST_IDS, type Answer, type TestId } from '../../src/core/decide';

describe('classify: phrase rules and negation', () => {
  const cases: [string, TestId, Answer][] = [
    ['The processor should not re-process orders it already handled.', 'restart', 'no'],
    ['Re-processing everything after a restart is fine.', 'restart', 'yes'],
    ['It is safe to replay the values on startup.', 'restart', 'yes'],
    ["It doesn't matter if a reader sees the same value twice.", 'restart', 'yes'],
    ['Nobody minds if the setting is applied again.', 'restart', 'yes'],
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

  test('evidence is words of the description that weighed for the answer', () => {
    const text = 'A worker must send an email to the customer.';
    const inf = classify(text);
    assert.equal(inf.processing?.answer, 'slow');
    assert.equal(inf.fanout?.answer, 'one');
    for (const t of TEST_IDS) {
      for (const e of inf[t]?.evidence ?? []) {
        for (const w of e.split(', ')) assert.ok(text.toLowerCase().includes(w.replace(/^not … /, '')), `${t}: "${w}" is not in the text`);
      }
    }
    assert.ok(inf.fanout?.evidence.includes('worker'));
    assert.ok(inf.processing?.evidence.some((e) => /email|send/.test(e)));
  });

  test('words never seen in training still count through their sentence shape and word class', () => {
    // "Rotate … the" opens with a verb and its object: a request
    const inf = classify('Rotate the archive keys for the backup vault.');
    assert.equal(inf.nature?.answer, 'request');
    const state = classify('Which loading bay is free right now.');
    assert.equal(state.nature?.answer, 'fact');
  });

  test('text that says nothing infers nothing, and the same text always gives the same answers', () => {
    // "world" has neighbours in clusters.json, but a word's cluster alone says nothing
    assert.deepEqual(classify('hello world'), {});
    const text = 'Every dashboard watches the latest sensor reading; updating the gauge is quick.';
    assert.deepEqual(classify(text), classify(text));
  });

  test('an unsure answer carries what would settle it', () => {
    const inf = classify('Messages between services.');
    const unsure = TEST_IDS.map((t) => inf[t]).filter((i) => i?.answer === 'unsure');
    assert.ok(unsure.length > 0);
    for (const i of unsure) assert.match(i!.settle ?? '', /^say /);
  });
});

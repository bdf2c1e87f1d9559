/**
 * The labelled Decide corpus and its frozen test split (test/fixtures/decide-corpus). The
 * split was fixed before the classifier was trained; this test makes any later change to
 * the test split (tuning on it) show up as a failure in review.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_CASES, TEST_IDS, allowedAnswers, verdictOf, type TestId } from '../../src/core/decide';

const dir = join(__dirname, '..', 'fixtures', 'decide-corpus');
const FROZEN_TEST_SHA256 = 'a06c92d281e30fee17d3b2820467ae6856dece2b5afba047e065df1d6e877e23';

interface Item {
  description: string;
  primitive: 'kv' | 'stream' | 'undecided';
  answers: Record<TestId, string>;
  domain: string;
  conflict?: boolean;
  /** Written after the split was frozen: always train. */
  added?: 'after-freeze';
}
const read = (name: string): Item[] =>
  readFileSync(join(dir, name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Item);

const inTestSplit = (description: string) => createHash('sha256').update(description).digest().readUInt32BE(0) % 3 === 0;

describe('decide corpus', () => {
  const train = read('train.jsonl');
  const frozen = read('test.jsonl');
  /** Written to be hard, never trained on (scripts/decide-corpus.ts readHardCorpus). */
  const hard = read('hard.jsonl');

  test('the frozen test split is unchanged (SHA-256)', () => {
    const sha = createHash('sha256').update(readFileSync(join(dir, 'test.jsonl'))).digest('hex');
    assert.equal(sha, FROZEN_TEST_SHA256, 'test/fixtures/decide-corpus/test.jsonl changed: the frozen split must not be edited');
  });

  test('at least 300 items, about a third frozen, split by the documented hash rule', () => {
    assert.ok(train.length + frozen.length >= 300);
    const original = train.filter((i) => i.added !== 'after-freeze');
    const share = frozen.length / (original.length + frozen.length);
    assert.ok(share > 0.28 && share < 0.38, `test share ${share}`);
    const seedRows = new Set(COMMON_CASES.map((c) => c.communication));
    for (const it of frozen) assert.ok(inTestSplit(it.description) && !seedRows.has(it.description), it.description);
    for (const it of original) assert.ok(!inTestSplit(it.description) || seedRows.has(it.description), it.description);
    for (const it of hard) assert.equal(it.added, 'after-freeze', it.description);
    const texts = new Set([...train, ...frozen, ...hard].map((i) => i.description));
    assert.equal(texts.size, train.length + frozen.length + hard.length, 'descriptions are unique');
  });

  test('labels are valid and the primitive is the first clear test answer (seed 000)', () => {
    for (const it of [...train, ...frozen, ...hard]) {
      for (const id of TEST_IDS) assert.ok((allowedAnswers(id) as readonly string[]).includes(it.answers[id]), `${it.description}: ${id}`);
      const verdicts = TEST_IDS.map((id) => verdictOf(id, it.answers[id] as never)).filter((v) => v !== null);
      assert.equal(it.primitive, verdicts[0] ?? 'undecided', it.description);
      assert.equal(Boolean(it.conflict), new Set(verdicts).size > 1, it.description);
    }
  });
});

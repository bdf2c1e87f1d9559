/**
 * How well the trained pre-classifier holds up on descriptions it never saw: the frozen test
 * split of test/fixtures/decide-corpus (see decide.corpus.test.ts for its hash). The figures
 * are printed so `npm test` shows them; the README quotes them.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_CASES, decide } from '../../src/core/decide';
import { evaluate, formatFigures } from '../../src/core/decide/evaluate';
import { trainModel, type CorpusItem } from '../../src/core/decide/train';

const dir = join(__dirname, '..', 'fixtures', 'decide-corpus');
const read = (name: string): CorpusItem[] =>
  readFileSync(join(dir, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusItem);

/**
 * How many times people improving the classifier have looked at these figures. Each look
 * leaks a little of the split into the model, so it is counted: 1–3 while the first model was
 * trained, 4 after the second round (more training text, event fan-out and head-word features,
 * weaker regularisation), 5 after the third (fan-out guard, series/history features, 48 more
 * training items, confidently wrong weighing 2 in the threshold choice), 6 after the fourth
 * (485 more training items, word clusters from GloVe vectors, a generic-subject feature, L2
 * 0.0025); each round was tuned by cross-validation on the train split only
 * (scripts/cv-decide.ts) and fixed before the look. Raise it whenever a change is made after
 * reading these figures.
 */
const FROZEN_SPLIT_LOOKS = 6;

describe('decide pre-classifier on the frozen test split', () => {
  const figures = evaluate(read('test'));
  const report = formatFigures(`Decide pre-classifier, frozen test split (looked at ${FROZEN_SPLIT_LOOKS} times while tuning)`, figures);
  console.log(report);

  // Measured at the 6th look (after the fourth round, fixed before the look): 93.2% right
  // (109/117), 2.6% confidently wrong (3/117), 4.3% unsure. Earlier looks: 87.2% / 2.6% (5th),
  // 87.2% / 3.4% (4th), 88.0% / 2.6% (3rd). Both issue targets are met. The first two guard
  // against regressions below the measured level.
  test('primitive right on at least 93% of the frozen split (measured 93.2%, 109/117, at the 6th look)', () => {
    assert.ok(figures.primitive.right / figures.n >= 0.93, report);
  });

  test('confidently wrong primitive on at most 2.6% of the frozen split (measured 2.6%, 3/117, at the 6th look)', () => {
    assert.ok(figures.primitive.wrong / figures.n <= 0.026, report);
  });

  test('issue target: primitive right on at least 90% of the frozen split', () => {
    assert.ok(figures.primitive.right / figures.n >= 0.9, report);
  });

  test('issue target: confidently wrong primitive on at most 3% of the frozen split', () => {
    assert.ok(figures.primitive.wrong / figures.n <= 0.03, report);
  });
});

describe('decide pre-classifier: the seed and the issue', () => {
  test("the seed's ten common cases always get the seed's primitive (seed 000)", () => {
    for (const c of COMMON_CASES) assert.equal(decide({ description: c.communication }).primitive, c.primitive, c.communication);
  });

  // Descriptions written independently of the rules (issue 10), never added to the corpus:
  // each must be right or honestly undecided, never confidently wrong.
  const issueMisses: [string, 'kv' | 'stream'][] = [
    ['Upload progress of a video shown as a bar in the web app', 'kv'],
    ['Whether a feature flag is on for a tenant', 'kv'],
    ['Moderator flips the approved flag on a forum post', 'kv'],
    ['Websocket gateway pushes each chat message to all connected clients', 'stream'],
    ['Audit log of every admin action, kept for compliance for 7 years', 'stream'],
  ];
  for (const [description, primitive] of issueMisses) {
    test(`"${description}" is ${primitive} or undecided, never the other`, () => {
      const d = decide({ description });
      console.log(`  ${description} → ${d.primitive}`);
      assert.ok(d.primitive === primitive || d.primitive === 'undecided', `${d.primitive}: ${d.tests.map((t) => `${t.id}=${t.answer}`).join(' ')}`);
    });
  }

  // The chat miss above is fixed by generalising, not by its words: other events, other
  // receivers, none of them in the corpus. Events pushed to every receiver are still events
  // each of which matters (restart: no, seed 000's first test decides); a current value pushed
  // to every screen is still state.
  const fanOut: [string, 'kv' | 'stream'][] = [
    ['The newsroom app pushes each breaking-news alert to all subscribed readers', 'stream'],
    ['Each new comment on a ticket is sent to every agent who follows it', 'stream'],
    ['The current score is pushed to all connected scoreboards', 'kv'],
  ];
  for (const [description, primitive] of fanOut) {
    test(`delivered to every receiver: "${description}" is ${primitive} or undecided`, () => {
      const d = decide({ description });
      assert.ok(d.primitive === primitive || d.primitive === 'undecided', `${d.primitive}: ${d.tests.map((t) => `${t.id}=${t.answer}`).join(' ')}`);
    });
  }

  test('an unsure inference says what would settle it', () => {
    const d = decide({ description: 'Messages between services.' });
    for (const t of d.tests.filter((x) => x.source === 'inferred' && x.verdict === null)) assert.match(t.why, /To settle it, say/);
  });
});

describe('decide pre-classifier: the shipped weights', () => {
  test('weights.json is exactly what scripts/train-decide.ts produces from the train split', () => {
    const shipped = JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'core', 'decide', 'weights.json'), 'utf8'));
    const trained = JSON.parse(JSON.stringify(trainModel(read('train'))));
    assert.deepEqual(trained.thresholds, shipped.thresholds);
    assert.deepEqual(trained.trainedOn, shipped.trainedOn);
    assert.deepEqual(trained, shipped, 'weights.json drifted: run node --import tsx scripts/train-decide.ts');
  });
});

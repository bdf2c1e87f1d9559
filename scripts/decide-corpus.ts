// Reads the Decide corpus's TRAIN split (test/fixtures/decide-corpus/train.jsonl) for the
// training and cross-validation scripts. There is deliberately no reader for the frozen test
// split here: only test/unit/decide.accuracy.test.ts reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusItem } from '../src/core/decide/train';

const read = (name: string): (CorpusItem & { added?: string })[] =>
  readFileSync(join(__dirname, '..', 'test', 'fixtures', 'decide-corpus', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusItem);

export const readTrainCorpus = () => read('train.jsonl');

/**
 * The hard set (hard.jsonl): descriptions written on purpose in wording the model misreads
 * (work named by uncommon verbs, series told in state words, state told in event words,
 * restart settled in everyday words, vague ones). Never trained on: cv-decide.ts reports how
 * the shipped model does on it. Unlike the frozen split it may be read while improving the
 * model, so its figure is a development figure, not the honest one.
 */
export const readHardCorpus = () => read('hard.jsonl');

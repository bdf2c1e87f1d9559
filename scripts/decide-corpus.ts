// Reads the Decide corpus's TRAIN split (test/fixtures/decide-corpus/train.jsonl) for the
// training and cross-validation scripts. There is deliberately no reader for the frozen test
// split here: only test/unit/decide.accuracy.test.ts reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusItem } from '../src/core/decide/train';

export function readTrainCorpus(): (CorpusItem & { added?: string })[] {
  return readFileSync(join(__dirname, '..', 'test', 'fixtures', 'decide-corpus', 'train.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusItem);
}

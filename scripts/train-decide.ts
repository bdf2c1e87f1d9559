// Trains the Decide pre-classifier from the corpus's train split and writes its weights
// (src/core/decide/weights.json). Run: node --import tsx scripts/train-decide.ts
// Never reads the frozen test split. Deterministic: the same corpus gives the same file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crossValidate, trainModel, type CorpusItem } from '../src/core/decide/train';

const root = join(__dirname, '..');
export function readCorpus(name: 'train'): CorpusItem[] {
  return readFileSync(join(root, 'test', 'fixtures', 'decide-corpus', `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusItem);
}

const started = Date.now();
const items = readCorpus('train');
const cv = crossValidate(items);
const pct = (a: number) => `${((100 * a) / cv.n).toFixed(1)}%`;
console.log(
  `5-fold cross-validation on train (${cv.n}): primitive ${pct(cv.primitiveRight)}, confidently wrong ${pct(cv.confidentlyWrong)}, undecided ${pct(cv.undecided)}; primitive head alone ${pct(cv.primitiveHead)}; ` +
    Object.entries(cv.perTest).map(([id, ok]) => `${id} ${pct(ok)}`).join(', '),
);
const model = trainModel(items, cv.thresholds);
const out = join(root, 'src', 'core', 'decide', 'weights.json');
writeFileSync(out, JSON.stringify(model) + '\n');
console.log(`wrote ${out}: ${model.trainedOn.items} items, ${model.trainedOn.features} features, thresholds ${JSON.stringify(model.thresholds)}, ${Date.now() - started} ms`);

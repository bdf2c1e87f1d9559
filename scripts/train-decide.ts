// Trains the Decide pre-classifier from the corpus's train split and writes its weights
// (src/core/decide/weights.json). Run: node --import tsx scripts/train-decide.ts
// Never reads the frozen test split. Deterministic: the same corpus gives the same file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crossValidate, trainModel } from '../src/core/decide/train';
import { readTrainCorpus } from './decide-corpus';

const root = join(__dirname, '..');

const started = Date.now();
const items = readTrainCorpus();
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

// k-fold cross-validation of the Decide pre-classifier on the corpus's TRAIN split only, for
// improving it without looking at the frozen test split. Nested: each outer fold is held out,
// the model (and its `unsure` thresholds, chosen by train.ts's own inner cross-validation) is
// trained on the rest exactly as scripts/train-decide.ts trains the shipped weights, and the
// held-out items are classified as decide() would. Folds are assigned by a salted hash of the
// description, so near-identical items written together do not all land in one fold.
//
// Run: node --import tsx scripts/cv-decide.ts [--folds 5] [--repeats 1] [--misses]
// Never reads test/fixtures/decide-corpus/test.jsonl.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TEST_IDS, verdictOf, type Answer, type TestId } from '../src/core/decide/engine';
import { inferFrom } from '../src/core/decide/classify';
import { evaluate, formatFigures } from '../src/core/decide/evaluate';
import { featurize } from '../src/core/decide/features';
import { runHead } from '../src/core/decide/model';
import { primitiveOf, trainModel, type CorpusItem } from '../src/core/decide/train';
import { readHardCorpus, readTrainCorpus } from './decide-corpus';

const { values: opts } = parseArgs({
  options: { folds: { type: 'string', default: '5' }, repeats: { type: 'string', default: '1' }, misses: { type: 'boolean', default: false } },
});
const FOLDS = Number(opts.folds);
const REPEATS = Number(opts.repeats);
const showMisses = opts.misses;

type Item = CorpusItem & { added?: string; batch?: number };
const items = readTrainCorpus() as Item[];

interface Tally {
  n: number;
  right: number;
  wrong: number;
  undecided: number;
  tests: Record<TestId, { right: number; wrong: number }>;
}
const tally = (): Tally => ({ n: 0, right: 0, wrong: 0, undecided: 0, tests: Object.fromEntries(TEST_IDS.map((id) => [id, { right: 0, wrong: 0 }])) as Tally['tests'] });
const all = tally();
const original = tally();
const later = tally();
const batch3 = tally();
const before3 = tally();
const batch4 = tally();
const misses = new Map<string, string>();
const thresholds: string[] = [];
const TAUS = [0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];
const headAlone = TAUS.map(() => ({ right: 0, wrong: 0, n: 0, orig: 0, origN: 0 }));

const started = Date.now();
for (let r = 0; r < REPEATS; r++) {
  const foldOf = (d: string) => createHash('sha256').update(`${r}:${d}`).digest().readUInt32BE(0) % FOLDS;
  for (let fold = 0; fold < FOLDS; fold++) {
    const model = trainModel(items.filter((it) => foldOf(it.description) !== fold));
    thresholds.push(JSON.stringify(model.thresholds));
    for (const it of items.filter((x) => foldOf(x.description) === fold)) {
      const fv = featurize(it.description);
      const inf = inferFrom(fv, model, false);
      const answers = Object.fromEntries(TEST_IDS.map((id) => [id, inf[id]?.answer ?? 'unsure'])) as Record<TestId, string>;
      const p = primitiveOf(answers);
      const ph = runHead(model.primitive, fv).probs;
      const best = ph.indexOf(Math.max(...ph));
      TAUS.forEach((tau, i) => {
        const hp = ph[best]! >= tau ? (['kv', 'stream', 'undecided'] as const)[best]! : 'undecided';
        const h = headAlone[i]!;
        h.n++;
        if (hp === it.primitive) h.right++;
        else if (hp !== 'undecided') h.wrong++;
        if (!it.added) {
          h.origN++;
          if (hp === it.primitive) h.orig++;
        }
      });
      for (const t of [all, it.added ? later : original, it.batch === 3 ? batch3 : it.batch === 4 ? batch4 : before3]) {
        t.n++;
        if (p === it.primitive) t.right++;
        else if (p === 'undecided') t.undecided++;
        else t.wrong++;
        for (const id of TEST_IDS) {
          if (answers[id] === it.answers[id]) t.tests[id].right++;
          else if (verdictOf(id, answers[id] as Answer) !== null && verdictOf(id, it.answers[id]) !== null) t.tests[id].wrong++;
        }
      }
      if (p !== it.primitive) {
        const probs = (head: Parameters<typeof runHead>[0]) => runHead(head, fv).probs.map((v) => v.toFixed(2)).join('/');
        const why = `restart ${probs(model.heads.restart)}, primitive ${probs(model.primitive)}`;
        misses.set(it.description, `${it.added ? '' : '[orig] '}${p === 'undecided' ? 'unsure' : 'WRONG '} ${it.primitive}→${p} ${TEST_IDS.map((id) => `${id}=${answers[id]}`).join(' ')} (${why})`);
      }
    }
  }
}

const pct = (a: number, n: number) => `${((100 * a) / n).toFixed(1)}%`;
const line = (title: string, t: Tally) =>
  `${title.padEnd(28)} n=${t.n}: primitive right ${pct(t.right, t.n)}, confidently wrong ${pct(t.wrong, t.n)}, undecided ${pct(t.undecided, t.n)} | ` +
  TEST_IDS.map((id) => `${id} ${pct(t.tests[id].right, t.n)} (wrong ${pct(t.tests[id].wrong, t.n)})`).join(', ');
console.log(`nested ${FOLDS}-fold cross-validation on train.jsonl (${items.length} items) × ${REPEATS}, ${Date.now() - started} ms`);
console.log(`thresholds chosen inside each fold: ${thresholds.join(' ')}`);
console.log(line('all', all));
console.log(line('written before freeze', original));
console.log(line('added after freeze', later));
console.log(line('before batches 3-4', before3));
console.log(line('batch 3', batch3));
console.log(line('batch 4', batch4));
TAUS.forEach((tau, i) => {
  const h = headAlone[i]!;
  console.log(`primitive head alone, unsure below ${tau}: right ${pct(h.right, h.n)}, confidently wrong ${pct(h.wrong, h.n)} (before freeze: right ${pct(h.orig, h.origN)})`);
});
if (showMisses) for (const [d, m] of [...misses.entries()].sort((a, b) => (a[1] < b[1] ? -1 : 1))) console.log(`  ${m}  | ${d}`);

// the hard set (see decide-corpus.ts), classified by the shipped weights (decide.accuracy.test.ts
// checks they are what training on train.jsonl gives)
const hard = evaluate(readHardCorpus());
console.log(formatFigures('hard set (never trained on), shipped model', hard));
if (showMisses) for (const m of hard.misses) console.log(`  [hard] ${m.expected}→${m.got}  | ${m.description}`);

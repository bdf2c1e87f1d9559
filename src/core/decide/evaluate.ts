/**
 * Accuracy of the pre-classifier on a labelled set, in the terms the issue asks for: the
 * primitive right / confidently wrong / left undecided, and each test's answer. Used by the
 * unit test that reports the frozen-split figures (and by anyone re-measuring).
 */
import { decide, TEST_IDS, verdictOf, type Answer, type TestId } from './engine';
import type { CorpusItem } from './train';

export interface Figures {
  n: number;
  primitive: { right: number; wrong: number; undecided: number };
  /** Per test: answer equals the label; a clear answer against a clear label; `unsure` given. */
  tests: Record<TestId, { right: number; wrong: number; unsure: number }>;
  misses: { description: string; expected: string; got: string }[];
}

export function evaluate(items: readonly CorpusItem[]): Figures {
  const f: Figures = {
    n: items.length,
    primitive: { right: 0, wrong: 0, undecided: 0 },
    tests: Object.fromEntries(TEST_IDS.map((id) => [id, { right: 0, wrong: 0, unsure: 0 }])) as Figures['tests'],
    misses: [],
  };
  for (const it of items) {
    const d = decide({ description: it.description });
    if (d.primitive === it.primitive) f.primitive.right++;
    else {
      if (d.primitive === 'undecided') f.primitive.undecided++;
      else f.primitive.wrong++;
      f.misses.push({ description: it.description, expected: it.primitive, got: d.primitive });
    }
    for (const t of d.tests) {
      const label = it.answers[t.id] as Answer;
      const c = f.tests[t.id];
      if (t.answer === label) c.right++;
      else if (t.verdict === null) c.unsure++;
      else if (verdictOf(t.id, label) !== null) c.wrong++;
      else c.unsure++; // a clear answer where the label says the text does not settle it
    }
  }
  return f;
}

const pct = (a: number, n: number) => `${((100 * a) / n).toFixed(1)}% (${a}/${n})`;

export function formatFigures(title: string, f: Figures): string {
  const lines = [
    `${title}: ${f.n} descriptions`,
    `  primitive right ${pct(f.primitive.right, f.n)}, confidently wrong ${pct(f.primitive.wrong, f.n)}, undecided ${pct(f.primitive.undecided, f.n)}`,
  ];
  for (const id of TEST_IDS) {
    const c = f.tests[id];
    lines.push(`  ${id.padEnd(10)} right ${pct(c.right, f.n)}, confidently wrong ${pct(c.wrong, f.n)}, other ${pct(c.unsure, f.n)}`);
  }
  return lines.join('\n');
}

/**
 * The trained pre-classifier's weights and how to read them: one multinomial logistic
 * regression per test of seed 000_0a057cbac6a60a0d.txt, with three classes each (the two
 * answers and `unsure`: "the text does not settle it"). Weights are trained by
 * scripts/train-decide.ts from the corpus's train split and ship as weights.json.
 */
import type { AnswersByTest, TestId } from './engine';
import type { FeatureVector } from './features';

export interface HeadWeights<K extends TestId = TestId> {
  /** The answers in weight order: [kv side, stream side, 'unsure']. */
  classes: readonly AnswersByTest[K][];
  bias: number[];
  /** feature → one weight per class (features with only tiny weights are left out). */
  weights: Record<string, number[]>;
}

export interface Thresholds {
  /** A clear answer needs at least this probability on its own… */
  test: number;
  /** …or, when the primitive head is at least this sure of the same side, */
  primitive: number;
  /** …at least this probability (and more than the other answer). */
  agreeing: number;
  /**
   * When the restart test is unsure, a clear fan-out answer still decides (seed 000: the
   * first clear answer). But "every client gets it" is true of a current value shown on every
   * screen (KV) and of events each of which matters (chat messages, alerts: Stream), so it
   * only decides when the whole description does not point the other way: a fan-out `all`
   * becomes `unsure` when the primitive head gives a stream at least this
   * probability. Chosen by cross-validation like the others (above 1: never).
   */
  fanoutGuard: number;
}

export interface ModelWeights {
  about: string;
  thresholds: Thresholds;
  /** Training facts, for the README and the review. */
  trainedOn: { items: number; features: number };
  heads: { [K in TestId]: HeadWeights<K> };
  /** Which primitive the whole description points to: [kv, stream, undecided]. */
  primitive: HeadWeights<TestId>;
}

export interface HeadOutput {
  probs: number[];
  /** Per class: feature → contribution (weight × value) for the features present. */
  contributions: Map<string, number[]>;
}

/** Feature value: presence, damped for repeats. */
export const featureValue = (count: number) => (count > 1 ? 1 + Math.log(count) : 1);

export function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

export function runHead(head: HeadWeights, fv: FeatureVector): HeadOutput {
  const z = [...head.bias];
  const contributions = new Map<string, number[]>();
  for (const [f, count] of fv.counts) {
    const w = head.weights[f];
    if (!w) continue;
    const x = featureValue(count);
    const c = w.map((wi) => wi * x);
    contributions.set(f, c);
    for (let k = 0; k < z.length; k++) z[k]! += c[k]!;
  }
  return { probs: softmax(z), contributions };
}

/** Index of the class a head answers with (0 or 1), or -1 for `unsure`. */
export function clearClass(probs: readonly number[], primitive: readonly number[], t: Thresholds): number {
  const side = probs[0]! >= probs[1]! ? 0 : 1;
  const p = probs[side]!;
  if (p >= t.test && p > probs[2]!) return side;
  // weak evidence for this test, but the whole description points the same way: the tests
  // are correlated (seed 000's common cases mostly agree on all four), so consistent weak
  // signals settle it
  const primSide = primitive[0]! >= primitive[1]! ? 0 : 1;
  if (primSide === side && primitive[primSide]! >= t.primitive && p >= t.agreeing && p > probs[1 - side]!) return side;
  return -1;
}

/**
 * The fan-out guard (see Thresholds.fanoutGuard): true when an unsure restart answer leaves a
 * fan-out answer to decide against what the whole description points to. The fan-out answer
 * is then reported `unsure` and the next tests (processing, nature) decide, or nothing does.
 */
export function fanoutBlocked(restart: string | undefined, fanout: string | undefined, primitive: readonly number[], t: Thresholds): boolean {
  if (restart === 'yes' || restart === 'no') return false;
  // only "all": every receiver is true of state shown everywhere and of events pushed
  // everywhere alike, while "only one handles it" is a queue whatever is queued
  return fanout === 'all' && primitive[1]! >= t.fanoutGuard;
}

/**
 * Pre-classifier: reads a free-text description of a communication path and infers an
 * answer to each of the seed's four tests (seed 000_0a057cbac6a60a0d.txt). A trained
 * logistic regression per test (model.ts, weights.json from scripts/train-decide.ts) over
 * words, word pairs, negations, seed word classes and the precise phrase rules (rules.ts).
 * Deterministic, offline and instant. The evidence of an answer is the words of the
 * description that weighed most for it; when the evidence is weak the answer is `unsure`
 * and says what would settle it.
 */
import type { Answer, AnswersByTest, TestId } from './engine';
import { featurize, isInformative, type FeatureVector } from './features';
import { clearClass, fanoutBlocked, runHead, type ModelWeights } from './model';
import { shippedWeights } from './shippedModel';

export interface Inference<A extends Answer = Answer> {
  /** `unsure` when the description does not settle the test (weak or mixed evidence). */
  answer: A;
  /** The words of the description (lower-cased) that weighed most for the answer. */
  evidence: string[];
  /** The model's probability for the answer (for `unsure`: for the likelier clear answer). */
  confidence: number;
  /** For `unsure`: what the description would need to say to settle the test. */
  settle?: string;
}
export type Inferences = { [K in TestId]?: Inference<AnswersByTest[K]> };

/** What would settle each test, in the seed's terms. */
export const SETTLE: Record<TestId, string> = {
  restart: 'say whether handling it again after a restart would be wrong ("never charge twice") or harmless ("just overwrites the value")',
  fanout: 'say who reacts: every service or screen ("all dashboards show it") or one worker ("one worker handles each")',
  processing: 'say what handling costs: a quick overwrite or redraw, or slow work with side effects (an email, a payment, an LLM call, minutes)',
  nature: 'say whether it is current state (a fact others read) or work to be done (a request)',
};

const MAX_EVIDENCE = 3;

/** Features that favour class `k` over the others most, as the description's words. */
function topEvidence(contributions: Map<string, number[]>, phrases: Map<string, string>, k: number, max: number): string[] {
  const scored: [string, number][] = [];
  for (const [f, c] of contributions) {
    const others = c.filter((_, i) => i !== k);
    const margin = c[k]! - Math.max(...others);
    if (margin > 0.05 && phrases.get(f)) scored.push([f, margin]);
  }
  scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const out: string[] = [];
  for (const [f] of scored) {
    const p = phrases.get(f)!;
    if (!out.some((o) => o.includes(p) || p.includes(o))) out.push(p);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * Infers answers from `description`. A test is absent when no word of the description is
 * known to the model for it. `model` defaults to the shipped weights (tests pass others).
 */
export function classify(description: string, model: ModelWeights = shippedWeights()): Inferences {
  return inferFrom(featurize(description), model);
}

/** classify() on a description already turned into features (training reuses them). */
export function inferFrom(fv: FeatureVector, model: ModelWeights, withEvidence = true): Inferences {
  const primitive = runHead(model.primitive, fv).probs;
  const out: Record<string, Inference> = {};
  for (const [id, head] of Object.entries(model.heads) as [TestId, ModelWeights['heads'][TestId]][]) {
    // precise rules stay: an explicit statement about the test settles it
    const rule = fv.rules[id];
    if (rule?.explicit && rule.answer !== 'unsure') {
      out[id] = { answer: rule.answer, evidence: rule.evidence.slice(0, MAX_EVIDENCE), confidence: 1 };
      continue;
    }
    const { probs, contributions } = runHead(head, fv);
    const informative = [...contributions.keys()].some(isInformative);
    if (!informative) continue;
    const clear = probs[0]! >= probs[1]! ? 0 : 1;
    if (clearClass(probs, primitive, model.thresholds) === clear) {
      out[id] = {
        answer: head.classes[clear]!,
        evidence: withEvidence ? topEvidence(contributions, fv.phrases, clear, MAX_EVIDENCE) : [],
        confidence: round2(probs[clear]!),
      };
    } else {
      const evidence = withEvidence ? [...topEvidence(contributions, fv.phrases, 0, 2), ...topEvidence(contributions, fv.phrases, 1, 2)] : [];
      out[id] = { answer: 'unsure', evidence: [...new Set(evidence)], confidence: round2(probs[clear]!), settle: SETTLE[id] };
    }
  }
  // an unsure restart test leaves fan-out to decide; it does not when the description as a
  // whole points the other way ("each chat message to all clients": every receiver, but
  // events each of which matters), see model.ts fanoutBlocked
  const fan = out.fanout;
  if (fan && fanoutBlocked(out.restart?.answer, fan.answer, primitive, model.thresholds)) {
    out.fanout = { answer: 'unsure', evidence: fan.evidence, confidence: fan.confidence, settle: FANOUT_UNDECIDED };
  }
  return out as Inferences;
}

/** What settles a fan-out answer the guard set aside: the restart test, which comes first. */
export const FANOUT_UNDECIDED =
  'say whether each message matters on its own (events: a Stream) or only the latest value does (state: KV) — who receives it is clear, the restart test is not; ' +
  SETTLE.restart;

const round2 = (v: number) => Math.round(v * 100) / 100;

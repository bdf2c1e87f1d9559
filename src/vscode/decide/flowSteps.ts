/**
 * The interactive "Decide KV or Stream" flow without VS Code: which items each QuickPick step
 * shows, when the verdict is already clear, and the step machine itself (`runDecideFlow`),
 * driven through `FlowIO`. decideCommand.ts supplies the QuickPick/InputBox IO; unit tests
 * supply scripted answers.
 *
 * Seed 000_0a057cbac6a60a0d.txt: "Apply these tests in order. The first clear answer is
 * usually sufficient." So once a confirmed answer gives a verdict, every later step offers
 * "Stop here".
 */
import {
  DECISION_TESTS,
  PRIMITIVE_LABELS,
  classify,
  verdictOf,
  type Answer,
  type DecideAnswers,
  type Inference,
  type Inferences,
  type LmSuggestion,
  type LmSuggestions,
  type Primitive,
  type TestId,
} from '../../core/decide';

export type FlowPick = { kind: 'answer'; answer: Answer } | { kind: 'stop' } | { kind: 'back' };

export interface StepItem {
  pick: FlowPick;
  label: string;
  /**
   * Shown beside the label: "inferred from …" on the offline classifier's answer, "suggested by
   * the language model: …" on the model's (both can show, on the same or different items).
   */
  description?: string;
  /** The option's one-line explanation. */
  detail?: string;
  /** The default: the suggested, else the inferred answer, else "Not sure" (the flow never answers for the user). */
  active: boolean;
}

export interface FlowStep {
  testId: TestId;
  /** 0-based position in DECISION_TESTS. */
  index: number;
  total: number;
  title: string;
  question: string;
  items: StepItem[];
}

export interface FlowResult {
  description: string;
  /**
   * Answers to pass to the engine. An answer the user confirmed that equals the preselected
   * one (suggested, else inferred) is left out, so the engine reports where it came from.
   */
  answers: DecideAnswers;
  /** The language model's answers (empty when it was not asked or gave none). */
  suggested: LmSuggestions;
  /** What went wrong asking it, one line each (empty when all was well or it was not asked). */
  lmNotes: string[];
  /** The model that answered, for the panel ("suggested by <model>"). */
  lmModel?: string;
  /** Everything the user confirmed, inferred or not. */
  confirmed: DecideAnswers;
  stoppedAfter: TestId | null;
}

export interface FlowIO {
  /** undefined = cancelled. */
  askDescription(initial: string): Promise<string | undefined>;
  /** undefined = cancelled. */
  pick(step: FlowStep): Promise<FlowPick | undefined>;
  /**
   * Asks the language model, when the user enabled it (absent otherwise: nothing is sent).
   * Never rejects: failures come back as notes, and the offline classifier answers.
   */
  suggest?(description: string): Promise<LmAdvice>;
}

/** What asking the language model gave: validated answers, problems, and who answered. */
export interface LmAdvice {
  suggestions: LmSuggestions;
  notes: string[];
  model?: string;
}

/** The first confirmed answer (in test order) that gives a verdict, if any. */
export function clearVerdict(confirmed: DecideAnswers): { test: TestId; primitive: Primitive } | null {
  for (const t of DECISION_TESTS) {
    const a = confirmed[t.id];
    if (a === undefined) continue;
    const v = verdictOf(t.id, a);
    if (v) return { test: t.id, primitive: v };
  }
  return null;
}

const MAX_NOTE = 80;

/** `inferred from "restart just re-reads", "all services"` (shortened for a QuickPick row). */
export function inferenceNote(inf: Inference): string {
  const quoted = inf.evidence.map((e) => `"${e}"`).join(', ');
  // an unsure inference says what would settle it (classify.ts SETTLE), its words after
  const text = inf.answer === 'unsure' ? `not clear: ${inf.settle ?? quoted}` : `inferred from ${quoted}`;
  return text.length > MAX_NOTE ? `${text.slice(0, MAX_NOTE - 1)}…` : text;
}

export function stopLabel(primitive: Primitive): string {
  return `Stop here: it's clear (→ ${PRIMITIVE_LABELS[primitive]})`;
}

/** `suggested by the language model: <reason>` (shortened for a QuickPick row). */
export function suggestionNote(sug: LmSuggestion): string {
  const text = `suggested by the language model: ${sug.reason}`;
  return text.length > MAX_NOTE * 2 ? `${text.slice(0, MAX_NOTE * 2 - 1)}…` : text;
}

/** The answer the engine uses when the user does not give one: suggested, else inferred. */
function preselected(id: TestId, inferences: Inferences, suggestions: LmSuggestions): Answer | undefined {
  return suggestions[id]?.answer ?? inferences[id]?.answer;
}

export function stepFor(index: number, inferences: Inferences, confirmed: DecideAnswers, suggestions: LmSuggestions = {}): FlowStep {
  const meta = DECISION_TESTS[index]!;
  const inf = inferences[meta.id] as Inference | undefined;
  const sug = suggestions[meta.id] as LmSuggestion | undefined;
  // nothing suggested or inferred: "Not sure" is preselected, so Enter through a step records no verdict
  const activeAnswer: Answer = preselected(meta.id, inferences, suggestions) ?? 'unsure';
  const items: StepItem[] = meta.options.map((o) => {
    const notes = [sug && sug.answer === o.answer ? suggestionNote(sug) : undefined, inf && inf.answer === o.answer ? inferenceNote(inf) : undefined];
    const description = notes.filter((n) => n !== undefined).join(' · ');
    return {
      pick: { kind: 'answer', answer: o.answer },
      label: o.label,
      description: description || undefined,
      detail: o.explanation,
      active: o.answer === activeAnswer,
    };
  });
  const clear = clearVerdict(confirmed);
  if (clear) {
    items.push({
      pick: { kind: 'stop' },
      label: stopLabel(clear.primitive),
      detail: `The ${clear.test} test already decides; the remaining tests are read from the description.`,
      active: false,
    });
  }
  return { testId: meta.id, index, total: DECISION_TESTS.length, title: meta.title, question: meta.question, items };
}

/** Runs description → test 1 … test 4 (or Stop here), with Back. undefined when cancelled. */
export async function runDecideFlow(io: FlowIO, initialDescription = ''): Promise<FlowResult | undefined> {
  let description = initialDescription;
  let index = -1;
  let inferences: Inferences = {};
  let advice: LmAdvice = { suggestions: {}, notes: [] };
  const confirmed: Partial<Record<TestId, Answer>> = {};
  let stoppedAfter: TestId | null = null;

  while (index < DECISION_TESTS.length) {
    if (index < 0) {
      const d = await io.askDescription(description);
      if (d === undefined) return undefined;
      description = d.trim();
      inferences = description ? classify(description) : {};
      advice = description && io.suggest ? await io.suggest(description) : { suggestions: {}, notes: [] };
      index = 0;
      continue;
    }
    const step = stepFor(index, inferences, confirmed as DecideAnswers, advice.suggestions);
    const pick = await io.pick(step);
    if (pick === undefined) return undefined;
    if (pick.kind === 'back') {
      index--;
      if (index >= 0) delete confirmed[DECISION_TESTS[index]!.id];
      continue;
    }
    if (pick.kind === 'stop') {
      stoppedAfter = index > 0 ? DECISION_TESTS[index - 1]!.id : null;
      break;
    }
    confirmed[step.testId] = pick.answer;
    index++;
  }

  const answers: Partial<Record<TestId, Answer>> = {};
  for (const [id, a] of Object.entries(confirmed) as [TestId, Answer][]) {
    if (preselected(id, inferences, advice.suggestions) !== a) answers[id] = a;
  }
  return {
    description,
    answers: answers as DecideAnswers,
    confirmed: confirmed as DecideAnswers,
    stoppedAfter,
    suggested: advice.suggestions,
    lmNotes: advice.notes,
    ...(advice.model ? { lmModel: advice.model } : {}),
  };
}

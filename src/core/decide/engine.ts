/**
 * The "Decide KV or Stream" engine: the 4-test heuristic of seed 000_0a057cbac6a60a0d.txt
 * (restart, fan-out, processing time, nature), its conflict check and the nearest common
 * case. Pure: no vscode, no network, so the CLI, the extension and the unit tests share it.
 */
import { classify, type Inference } from './classify';
import { nearestCase, type CaseMatch } from './cases';
import { suggestConfig, type DecisionConfig, type Environment } from './config';
import type { LmSuggestions } from './lmPrompt';

export type TestId = 'restart' | 'fanout' | 'processing' | 'nature';
export type Primitive = 'kv' | 'stream';

/** The answers each test accepts; `unsure` is a valid answer that gives no verdict. */
export interface AnswersByTest {
  restart: 'yes' | 'no' | 'unsure';
  fanout: 'all' | 'one' | 'unsure';
  processing: 'fast' | 'slow' | 'unsure';
  nature: 'fact' | 'request' | 'unsure';
}
export type Answer = AnswersByTest[TestId];
export type DecideAnswers = { [K in TestId]?: AnswersByTest[K] };
/**
 * Where an answer came from: the user (`given`), the offline classifier (`inferred`), the
 * chat model the user opted into (`suggested`, "suggested by the language model"), or nowhere.
 * Given answers always win; a suggestion wins over the offline inference, which stays in `why`.
 */
export type AnswerSource = 'given' | 'suggested' | 'inferred' | 'none';

export interface TestOption<A extends Answer = Answer> {
  answer: A;
  /** Short label for a QuickPick item. */
  label: string;
  /** One line, from the seed, shown as the item's detail. */
  explanation: string;
  verdict: Primitive | null;
}

export interface DecisionTest<K extends TestId = TestId> {
  id: K;
  /** 1-based position: the seed says to apply the tests in order. */
  order: number;
  title: string;
  question: string;
  options: readonly TestOption<AnswersByTest[K]>[];
}

/**
 * The four tests in the seed's order, with the seed's wording, for the CLI table and the
 * VS Code QuickPick (seed 000_0a057cbac6a60a0d.txt, "The 4-Test Heuristic").
 */
export const DECISION_TESTS: readonly [
  DecisionTest<'restart'>,
  DecisionTest<'fanout'>,
  DecisionTest<'processing'>,
  DecisionTest<'nature'>,
] = [
  {
    id: 'restart',
    order: 1,
    title: 'Restart Test (sharpest)',
    question: 'If this processor restarted, should it re-process messages it already handled?',
    options: [
      { answer: 'yes', label: 'Yes', explanation: 'Re-process is correct recovery → KV Watch', verdict: 'kv' },
      { answer: 'no', label: 'No', explanation: 'Re-process would be wrong → JetStream Stream', verdict: 'stream' },
      { answer: 'unsure', label: 'Not sure', explanation: 'Skip: the next test decides', verdict: null },
    ],
  },
  {
    id: 'fanout',
    order: 2,
    title: 'Fan-out vs Queue',
    question: 'Should multiple processors all react to this, or should only one handle it?',
    options: [
      { answer: 'all', label: 'All react', explanation: 'Fan-out → KV Watch', verdict: 'kv' },
      { answer: 'one', label: 'Only one handles it', explanation: 'Queue → JetStream Stream', verdict: 'stream' },
      { answer: 'unsure', label: 'Not sure', explanation: 'Skip: the next test decides', verdict: null },
    ],
  },
  {
    id: 'processing',
    order: 3,
    title: 'Processing Time',
    question: 'Is the processing fast and idempotent, or slow with real side effects?',
    options: [
      { answer: 'fast', label: 'Fast and idempotent', explanation: 'Safe to repeat, cheap → KV Watch', verdict: 'kv' },
      { answer: 'slow', label: 'Slow or has side effects', explanation: 'Expensive or changes the world → JetStream Stream', verdict: 'stream' },
      { answer: 'unsure', label: 'Not sure', explanation: 'Skip: the next test decides', verdict: null },
    ],
  },
  {
    id: 'nature',
    order: 4,
    title: 'Nature Test',
    question: 'Is this a fact about the world, or a request to do something?',
    options: [
      { answer: 'fact', label: 'Fact', explanation: 'Entity state, index entry, current status → KV Watch', verdict: 'kv' },
      { answer: 'request', label: 'Request', explanation: 'Execute task, call LLM, run tool → JetStream Stream', verdict: 'stream' },
      { answer: 'unsure', label: 'Not sure', explanation: 'No test left: the decision stays open', verdict: null },
    ],
  },
];

export const TEST_IDS: readonly TestId[] = DECISION_TESTS.map((t) => t.id);

export function testMeta<K extends TestId>(id: K): DecisionTest<K> {
  return DECISION_TESTS.find((t) => t.id === id) as unknown as DecisionTest<K>;
}

/** The answers a test accepts, in the order the UI shows them. */
export function allowedAnswers(id: TestId): readonly Answer[] {
  return testMeta(id).options.map((o) => o.answer);
}

export function isAnswerFor<K extends TestId>(id: K, value: unknown): value is AnswersByTest[K] {
  return typeof value === 'string' && (allowedAnswers(id) as readonly string[]).includes(value);
}

export function verdictOf(id: TestId, answer: Answer): Primitive | null {
  return testMeta(id).options.find((o) => o.answer === answer)?.verdict ?? null;
}

export const PRIMITIVE_LABELS: Record<Primitive | 'undecided', string> = {
  kv: 'KV Watch',
  stream: 'JetStream Stream',
  undecided: 'Undecided',
};

export interface TestResult {
  id: TestId;
  /** `unsure` both when answered unsure and when unanswered; `source` tells them apart. */
  answer: Answer;
  verdict: Primitive | null;
  source: AnswerSource;
  why: string;
  /** Extras for the UI. */
  question: string;
  /** The words in the description that led to an inferred answer (empty otherwise). */
  evidence: string[];
}

export interface Decision {
  primitive: Primitive | 'undecided';
  conflict: boolean;
  /** See `disagreeing()` for the exact rule. */
  disagree: TestId[];
  /**
   * Every clear test on each side, in test order (empty lists when nothing is clear). In a
   * conflict this is what the banner lists: a 2–2 split shows two against two.
   */
  sides: Record<Primitive, TestId[]>;
  /** The seed's "Communication" column of the nearest common case, or null. */
  case: string | null;
  tests: TestResult[];
  /** `{}` when undecided: there is nothing sensible to configure yet. */
  config: DecisionConfig;
  /** Extras for the UI and the text table. */
  label: string;
  decidedBy: TestId | null;
  advice: string | null;
  caseMatch: CaseMatch | null;
}

export interface DecideInput {
  description?: string;
  /** Given answers override answers inferred from the description. */
  answers?: DecideAnswers;
  /** Answers a language model suggested (validated by parseLmReply): over inferred, under given. */
  suggested?: LmSuggestions;
  environment?: Environment;
}

/**
 * Which tests disagree. Rule: when the clear verdicts are not all the same, `disagree`
 * lists the deciding test (the first clear one, which sets the primitive) followed by
 * every clear test whose verdict differs from the primitive, in the seed's test order.
 * Tests that are unsure/unanswered, and clear tests that agree with the deciding test,
 * are never listed. When every clear verdict agrees (or there are none) it is empty, so
 * `conflict === disagree.length > 0`.
 */
export function disagreeing(tests: readonly Pick<TestResult, 'id' | 'verdict'>[]): TestId[] {
  const deciding = tests.find((t) => t.verdict !== null);
  if (!deciding) return [];
  const differing = tests.filter((t) => t.verdict !== null && t.verdict !== deciding.verdict).map((t) => t.id);
  return differing.length ? [deciding.id, ...differing] : [];
}

/** What the offline classifier made of the test, for a suggested answer's `why`. */
function offlineNote(id: TestId, inf: Inference | undefined): string {
  if (!inf) return 'offline classifier: no answer';
  const label = testMeta(id).options.find((o) => o.answer === inf.answer)?.label ?? inf.answer;
  const words = inf.evidence.length ? ` from ${inf.evidence.map((e) => `"${e}"`).join(', ')}` : '';
  return inf.answer === 'unsure' ? `offline classifier: not clear${words}` : `offline classifier: ${label}${words}`;
}

function whyFor(id: TestId, answer: Answer, verdict: Primitive | null, source: AnswerSource, inf?: Inference, reason?: string): string {
  if (source === 'none') return 'No answer given and the description does not say.';
  const option = testMeta(id).options.find((o) => o.answer === answer);
  if (source === 'suggested') return `Suggested by the language model: ${reason ?? ''} (${offlineNote(id, inf)}).`;
  if (source === 'inferred' && inf) {
    const words = inf.evidence.map((e) => `"${e}"`).join(', ');
    if (verdict === null) {
      const seen = inf.evidence.length ? ` (weak or mixed: ${words})` : '';
      return `Not clear from the description${seen}. To settle it, ${inf.settle ?? 'answer the test yourself'}.`;
    }
    return `Inferred from ${words}: ${option?.explanation ?? ''}`.trim();
  }
  if (verdict === null) return 'Answered unsure: this test does not decide.';
  return option?.explanation ?? '';
}

/** Every clear test on each side, in test order. */
export function sidesOf(tests: readonly Pick<TestResult, 'id' | 'verdict'>[]): Record<Primitive, TestId[]> {
  return {
    kv: tests.filter((t) => t.verdict === 'kv').map((t) => t.id),
    stream: tests.filter((t) => t.verdict === 'stream').map((t) => t.id),
  };
}

/** "KV: restart, processing; Stream: fanout, nature" — the same words in the CLI, tool and panel. */
export function sidesText(sides: Record<Primitive, TestId[]>): string {
  return `KV: ${sides.kv.join(', ') || '-'}; Stream: ${sides.stream.join(', ') || '-'}`;
}

function conflictAdvice(sides: Record<Primitive, TestId[]>): string {
  // seed 000_0a057cbac6a60a0d.txt, "Conflict Check"
  return (
    `Tests disagree (${sidesText(sides)}). The concept may be two things conflated: revisit ` +
    'whether it should be split into separate concerns — e.g. the state as a KV entry others ' +
    'watch, and the work it triggers as a Stream (using both in one component is normal).'
  );
}

export function decide(input: DecideInput): Decision {
  const description = input.description?.trim() ?? '';
  const given = input.answers ?? {};
  for (const id of TEST_IDS) {
    const value = given[id];
    if (value !== undefined && !isAnswerFor(id, value)) {
      throw new RangeError(`${id}: "${String(value)}" is not one of ${allowedAnswers(id).join('|')}`);
    }
  }
  const inferred = description ? classify(description) : {};

  const tests: TestResult[] = DECISION_TESTS.map((meta): TestResult => {
    const id = meta.id;
    const g = given[id];
    const inf = inferred[id];
    const sug = input.suggested?.[id];
    let answer: Answer = 'unsure';
    let source: AnswerSource = 'none';
    let evidence: string[] = [];
    if (g !== undefined) {
      answer = g;
      source = 'given';
    } else if (sug && isAnswerFor(id, sug.answer)) {
      answer = sug.answer;
      source = 'suggested';
    } else if (inf) {
      answer = inf.answer;
      source = 'inferred';
      evidence = [...inf.evidence];
    }
    const verdict = verdictOf(id, answer);
    return {
      id,
      answer,
      verdict,
      source,
      why: whyFor(id, answer, verdict, source, source === 'inferred' || source === 'suggested' ? inf : undefined, sug?.reason),
      question: meta.question,
      evidence,
    };
  });

  // seed 000: "Apply these tests in order. The first clear answer is usually sufficient."
  const deciding = tests.find((t) => t.verdict !== null) ?? null;
  const primitive: Primitive | 'undecided' = deciding?.verdict ?? 'undecided';
  const disagree = disagreeing(tests);
  const conflict = disagree.length > 0;
  const sides = sidesOf(tests);
  const answersUsed = Object.fromEntries(tests.map((t) => [t.id, t.answer])) as unknown as AnswersByTest;
  const caseMatch = nearestCase(description, tests, primitive);
  const config: DecisionConfig =
    primitive === 'undecided'
      ? {}
      : suggestConfig(primitive, { description, answers: answersUsed, environment: input.environment ?? 'production' });

  return {
    primitive,
    conflict,
    disagree,
    sides,
    case: caseMatch?.communication ?? null,
    tests,
    config,
    label: PRIMITIVE_LABELS[primitive],
    decidedBy: deciding?.id ?? null,
    advice: conflict ? conflictAdvice(sides) : null,
    caseMatch,
  };
}

/**
 * Runtime checks for the decide panel's messages (types in `protocol.ts`). The answer sets
 * repeat the engine's DECISION_TESTS on purpose: importing the engine here would put the
 * whole classifier into the webview bundle. `test/unit/decide.webview-protocol.test.ts`
 * checks that they stay equal.
 */
import type { DecideAnswers, Decision, TestResult } from '../core/decide';
import type { DecideRunParams, DecideTestView, DecideViewState, DecideActionView } from './protocol';
import {
  arrayOf,
  bool,
  emptyParams,
  jsonValue,
  nullable,
  num,
  object,
  oneOf,
  optional,
  partialRecord,
  str,
  ValidationError,
  type Check,
} from './validate';

export const TEST_ANSWERS = {
  restart: ['yes', 'no', 'unsure'],
  fanout: ['all', 'one', 'unsure'],
  processing: ['fast', 'slow', 'unsure'],
  nature: ['fact', 'request', 'unsure'],
} as const;
export const TEST_ID_LIST = ['restart', 'fanout', 'processing', 'nature'] as const;
export const MAX_DESCRIPTION = 20_000;

const testId = oneOf(...TEST_ID_LIST);
const primitive = oneOf('kv', 'stream');
const primitiveOrUndecided = oneOf('kv', 'stream', 'undecided');
const verdict = oneOf('kv', 'stream', null);
const anyAnswer = oneOf('yes', 'no', 'all', 'one', 'fast', 'slow', 'fact', 'request', 'unsure');
const environment = oneOf('production', 'development');

export const checkAnswers: Check<DecideAnswers> = partialRecord(TEST_ID_LIST, (id) => oneOf(...TEST_ANSWERS[id])) as Check<DecideAnswers>;

export const checkRunParams: Check<DecideRunParams> = object({
  description: str(MAX_DESCRIPTION),
  answers: checkAnswers,
  environment,
}) as Check<DecideRunParams>;

const checkTestResult: Check<TestResult> = (v, path) => {
  const t = object({
    id: testId,
    answer: anyAnswer,
    verdict,
    source: oneOf('given', 'suggested', 'inferred', 'none'),
    why: str(),
    question: str(),
    evidence: arrayOf(str(), 100),
  })(v, path) as TestResult;
  if (!(TEST_ANSWERS[t.id] as readonly string[]).includes(t.answer)) {
    throw new ValidationError(`${path}.answer`, `"${t.answer}" is not an answer of the ${t.id} test`);
  }
  return t;
};

const checkCaseMatch = object({
  communication: str(),
  label: str(),
  primitive,
  reason: str(),
  matchedBy: arrayOf(oneOf('words', 'pattern'), 2),
  words: arrayOf(str(), 100),
  score: num,
});

export const checkDecision: Check<Decision> = object({
  primitive: primitiveOrUndecided,
  conflict: bool,
  disagree: arrayOf(testId, 4),
  sides: object({ kv: arrayOf(testId, 4), stream: arrayOf(testId, 4) }),
  case: nullable(str()),
  tests: arrayOf(checkTestResult, 4),
  config: jsonValue(),
  label: str(200),
  decidedBy: nullable(testId),
  advice: nullable(str()),
  caseMatch: nullable(checkCaseMatch),
}) as unknown as Check<Decision>;

const checkTestView: Check<DecideTestView> = object({
  id: testId,
  order: num,
  title: str(500),
  question: str(2_000),
  options: arrayOf(object({ answer: anyAnswer, label: str(500), explanation: str(2_000), verdict }), 10),
}) as Check<DecideTestView>;

const checkAction: Check<DecideActionView> = object({
  id: oneOf('copyConfig', 'createOnServer', 'addToDesign', 'scaffold'),
  label: str(200),
  icon: (v, path) => {
    const s = str(60)(v, path);
    // becomes part of a class name: keep it to codicon-name characters
    if (!/^[a-z0-9-]+$/.test(s)) throw new ValidationError(path, 'not a codicon name');
    return s;
  },
  enabled: bool,
  tooltip: str(1_000),
}) as Check<DecideActionView>;

export const checkViewState: Check<DecideViewState> = object({
  description: str(MAX_DESCRIPTION),
  environment,
  given: checkAnswers,
  decision: checkDecision,
  tests: arrayOf(checkTestView, 4),
  actions: arrayOf(checkAction, 10),
  configJson: str(),
  configSections: arrayOf(
    object({
      title: str(500),
      rows: arrayOf((v, path) => {
        const pair = arrayOf(str(), 2)(v, path);
        if (pair.length !== 2) throw new ValidationError(path, `expected [key, value], got ${pair.length} items`);
        return pair as [string, string];
      }, 100),
      notes: arrayOf(str(), 100),
    }),
    20,
  ),
  serverNotes: optional(arrayOf(str(2_000), 20)),
  languageModel: optional(
    object({
      model: optional(str(200)),
      suggested: partialRecord(TEST_ID_LIST, (id) => object({ answer: oneOf(...TEST_ANSWERS[id]), reason: str(1_000) })),
      notes: arrayOf(str(2_000), 20),
    }),
  ),
}) as unknown as Check<DecideViewState>;

export const checkRendered = object({ primitive: primitiveOrUndecided, tests: num });
export const checkCopyResult = object({ copied: bool, chars: num });
export const checkCreateResult = object({ ok: bool, cancelled: bool, created: arrayOf(str(1_000), 10), message: str(10_000) });
export const checkScaffoldResult = object({ done: bool, message: str(10_000) });
export const checkWebviewError = object({ message: str(10_000) });
export { emptyParams };

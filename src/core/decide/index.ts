/** Public face of the KV-or-Stream decision (seed 000_0a057cbac6a60a0d.txt). */
export {
  decide,
  disagreeing,
  sidesOf,
  sidesText,
  allowedAnswers,
  isAnswerFor,
  verdictOf,
  testMeta,
  DECISION_TESTS,
  TEST_IDS,
  PRIMITIVE_LABELS,
} from './engine';
export type {
  TestId,
  Primitive,
  Answer,
  AnswersByTest,
  DecideAnswers,
  AnswerSource,
  TestOption,
  DecisionTest,
  TestResult,
  Decision,
  DecideInput,
} from './engine';
export { classify } from './classify';
export { modelLoadTimes } from './shippedModel';
export type { Inference, Inferences } from './classify';
export { COMMON_CASES, nearestCase } from './cases';
export type { CommonCase, CaseMatch } from './cases';
export { suggestConfig, deriveNames, formatDuration, ENVIRONMENTS, NANOS_PER_SECOND } from './config';
export type {
  Environment,
  DecisionConfig,
  KvSuggestion,
  KvBucketConfig,
  KvWatcherGuidance,
  StreamSuggestion,
  StreamConfig,
  ConsumerConfig,
  DeadLetterPlan,
  ConfigContext,
  DerivedNames,
} from './config';
export { formatDecision } from './format';
export { checkCollisions, freeName, subjectCovers, subjectsOverlap } from './collisions';
export type { CollisionCheck, ExistingObjects } from './collisions';
export { SETTLE } from './classify';
export { lmInstructions, lmUserMessage, parseLmReply, MAX_REASON } from './lmPrompt';
export type { LmSuggestion, LmSuggestions, LmParse } from './lmPrompt';

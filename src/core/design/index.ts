/** Public face of flow designs: the model, loading, formatting, planning, linting and exports. */
export * from './model';
export { loadDesign, validateDesign, formatProblems, pointerOf } from './validate';
export type { DesignProblem, LoadResult } from './validate';
export { formatDesign, stringifyCompact } from './format';
export { planDesign, classifyPaths, explainPlan, showValue, MAX_DELIVERIES_ADVISORY, TERMINATED_ADVISORY } from './plan';
export type { Plan, PlanOptions, PlannedStream, PlannedConsumer, PlannedBucket, PlannedObjectStore, PlanStreamConfig, PlanConsumerConfig, PlanBucketConfig, PlanObjectStoreConfig, PathClassification, Explanation, Why } from './plan';
export { lintDesign, planAndLint, LINT_RULES } from './lint';
export { lintDesignText } from './lintText';
export type { DesignLintReport } from './lintText';
export type { Finding, FindingLocation, Severity, LintRuleId } from './lint';
export { parseDuration, parseSize, goDuration, formatSize } from './units';
export { OVERRIDE_FIELDS } from './fields';
export { designJsonSchema } from './schema';
export { patternsOverlap, patternWithin, subjectIssue } from './subjects';
export { designFromServer } from './fromServer';
export type { ImportResult, LiveStream, LiveBucket, LiveObjectStore } from './fromServer';
export { designFromAsyncApi, AsyncApiImportError } from './fromAsyncApi';
export * from './export';

/** The public face of the recognisers and diagnostics: text in, findings out (no vscode). */
export * from './types';
export { languageOfFile, languageOfId, GRAMMAR_FILES, RUNTIME_WASM } from './languages';
export { recognise, analyseFile, type FileAnalysis, type ChunkResult } from './analysis';
export { diagnoseFile, type FileDiagnosis } from './fileDiagnosis';
export { RULES, diagnose, fmtMs, type DiagnoseOptions, type RuleInfo } from './rules';
export * from './catalogFacts';
export { subjectTokenProblem, subjectsIntersect, hasWildcard, tidySubject } from './subjects';
export { editTree, type TextChange } from './incremental';
export { KeptTree } from './segmentParse';

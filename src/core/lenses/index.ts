/** The public face of the recognisers and diagnostics: text in, findings out (no vscode). */
export * from './types';
export { ParserPool, defaultWasmLocation, languageOfFile, languageOfId, GRAMMAR_FILES, RUNTIME_WASM, type WasmLocation } from './parsers';
export { recognise } from './recognise';
import { ParserPool } from './parsers';
import { recognise } from './recognise';
import type { Recognition, SourceLanguage } from './types';

/** Parses and recognises one file's text. */
export async function recogniseText(pool: ParserPool, lang: SourceLanguage, text: string): Promise<Recognition> {
  const tree = await pool.parse(lang, text);
  try {
    return recognise(tree, lang);
  } finally {
    tree.delete();
  }
}
export { RULES, diagnose, fmtMs, type DiagnoseOptions, type RuleInfo } from './rules';
export * from './catalogFacts';
export { subjectTokenProblem, subjectsIntersect, hasWildcard, tidySubject } from './subjects';
export { editTree, type TextChange } from './incremental';

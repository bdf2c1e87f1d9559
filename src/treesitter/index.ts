/**
 * The tree-sitter side of the lenses (Node only: it reads wasm files): parser pool and
 * "parse and recognise one file's text". The recognisers themselves are pure, in src/core/lenses.
 */
export { ParserPool, defaultWasmLocation, type WasmLocation } from './parserPool';
import { recognise, type Recognition, type SourceLanguage } from '../core/lenses';
import type { ParserPool } from './parserPool';

/** Parses and recognises one file's text. */
export async function recogniseText(pool: ParserPool, lang: SourceLanguage, text: string): Promise<Recognition> {
  const tree = await pool.parse(lang, text);
  try {
    return recognise(tree, lang, text);
  } finally {
    tree.delete();
  }
}

/** Which files and VS Code language ids the recognisers read, and their grammar files. */
import type { SourceLanguage } from './types';

export const GRAMMAR_FILES: Record<SourceLanguage, string> = {
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  go: 'tree-sitter-go.wasm',
  python: 'tree-sitter-python.wasm',
};
export const RUNTIME_WASM = 'web-tree-sitter.wasm';

/** By file name; undefined for files the recognisers do not read. */
export function languageOfFile(path: string): SourceLanguage | undefined {
  if (/\.d\.ts$/.test(path)) return undefined;
  if (/\.(ts|mts|cts)$/.test(path)) return 'typescript';
  if (/\.tsx$/.test(path)) return 'tsx';
  if (/\.(js|mjs|cjs|jsx)$/.test(path)) return 'javascript';
  if (/\.go$/.test(path)) return 'go';
  if (/\.py$/.test(path)) return 'python';
  return undefined;
}

/** By VS Code language id. */
export function languageOfId(id: string): SourceLanguage | undefined {
  switch (id) {
    case 'typescript':
      return 'typescript';
    case 'typescriptreact':
      return 'tsx';
    case 'javascript':
    case 'javascriptreact':
      return 'javascript';
    case 'go':
      return 'go';
    case 'python':
      return 'python';
    default:
      return undefined;
  }
}

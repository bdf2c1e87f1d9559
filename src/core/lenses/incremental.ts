/**
 * Incremental re-parsing: an editor's text changes turned into tree-sitter edits, so a parse
 * after a keystroke reuses the old tree (positions in UTF-16 code units, as both count).
 */
import type { Tree } from 'web-tree-sitter';

export interface TextChange {
  /** Offset of the replaced text in the document before the change. */
  offset: number;
  /** Length of the replaced text. */
  length: number;
  text: string;
}

/** The row and column (UTF-16 code units) of `offset` in `text`. */
export function positionAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * Applies changes (all relative to `oldText`, non-overlapping, as one editor event gives them)
 * to `tree`. They are applied from the last to the first so each one's positions stay valid.
 */
export function editTree(tree: Tree, oldText: string, changes: readonly TextChange[]): void {
  for (const c of [...changes].sort((a, b) => b.offset - a.offset)) {
    const start = positionAt(oldText, c.offset);
    const oldEnd = positionAt(oldText, c.offset + c.length);
    const lines = c.text.split('\n');
    const newEnd = lines.length === 1 ? { row: start.row, column: start.column + c.text.length } : { row: start.row + lines.length - 1, column: lines[lines.length - 1].length };
    tree.edit({ startIndex: c.offset, oldEndIndex: c.offset + c.length, newEndIndex: c.offset + c.text.length, startPosition: start, oldEndPosition: oldEnd, newEndPosition: newEnd } as never);
  }
}

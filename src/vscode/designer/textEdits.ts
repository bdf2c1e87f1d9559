/**
 * Pure text helpers of the designer (no `vscode`, so unit tests run them in plain Node):
 * - `minimalReplace`: the one replacement that turns the old text into the new, trimming the
 *   common prefix and suffix, so a canvas edit touches only the lines it changed (undo
 *   selects just them, and other edits' positions survive);
 * - `pointerRange`: a JSON pointer's text range (for Problems and the canvas → JSON jump),
 *   walking the jsonc-parser tree the design loader also uses.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser/lib/esm/main.js';

export interface Replacement {
  /** Offsets in the old text. */
  start: number;
  end: number;
  text: string;
}

export function minimalReplace(oldText: string, newText: string): Replacement | undefined {
  if (oldText === newText) return undefined;
  const max = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < max && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && oldText.charCodeAt(oldText.length - 1 - tail) === newText.charCodeAt(newText.length - 1 - tail)) tail++;
  return { start, end: oldText.length - tail, text: newText.slice(start, newText.length - tail) };
}

export interface TextRange {
  offset: number;
  length: number;
}

/** Splits an RFC 6901 pointer into segments (array indexes as numbers). */
export function pointerSegments(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * The range of the value a pointer names; a pointer into something missing gets its deepest
 * existing parent. A property value's range is widened to its key when `withKey` is set.
 */
export function pointerRange(text: string, pointer: string, tree: Node | undefined = parseTree(text)): TextRange | undefined {
  if (!tree) return undefined;
  const segs = pointerSegments(pointer);
  for (let n = segs.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, segs.slice(0, n));
    if (!node) continue;
    // a whole object or array: mark its first line (the key), not fifty lines
    if ((node.type === 'object' || node.type === 'array') && node.parent?.type === 'property') {
      const key = node.parent.children?.[0];
      if (key) return { offset: key.offset, length: key.length };
    }
    if (node.type === 'object' || node.type === 'array') return { offset: node.offset, length: 1 };
    return { offset: node.offset, length: node.length };
  }
  return undefined;
}

/** 0-based line/character of an offset. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, character: offset - last - 1 };
}

/**
 * One pass over a part of a parsed file (a top-level chunk, src/core/lenses/chunks.ts) for what
 * the recognisers ask of every call: its enclosing function (and that function's name), the
 * variable the call's result is stored in, and the comments above it. tree-sitter's
 * `node.parent` walks down from the root each time, so climbing from every call costs
 * O(depth²); these lookups use intervals instead.
 */
import type { Node } from 'web-tree-sitter';
import { FUNCTION_TYPES, receiverPath } from './syntax';
import type { SourceLanguage } from './types';

interface FnEntry {
  node: Node;
  start: number;
  end: number;
  startRow: number;
  name?: string | null;
}

export const ASSIGN_TYPES = ['variable_declarator', 'assignment_expression', 'assignment', 'short_var_declaration', 'assignment_statement'];

/** The nodes of one file by type, from a single walk (each walk of a large tree costs tens of ms). */
export type NodesByType = Map<string, Node[]>;

/** The nodes of these types in and under `roots` (each root included), in document order. */
export function nodesByType(roots: readonly Node[], types: string[]): NodesByType {
  const out: NodesByType = new Map(types.map((t) => [t, []]));
  for (const root of roots) for (const n of root.descendantsOfType(types)) if (n) out.get(n.type)!.push(n);
  return out;
}

/** A comment as the "comments above" lookups see it: rows, and its text without markers. */
export interface CommentLine {
  startRow: number;
  endRow: number;
  text: string;
}

const pick = (by: NodesByType, types: Iterable<string>) => [...types].flatMap((t) => by.get(t) ?? []);

/** The named functions among these nodes, first of each name in document order, with their text. */
export function namedFunctions(by: NodesByType): [string, string][] {
  const out = new Map<string, string>();
  const fns = pick(by, FUNCTION_TYPES)
    .map((n) => ({ n, s: n.startIndex }))
    .sort((a, b) => a.s - b.s);
  for (const { n: f } of fns) {
    const name = f.childForFieldName('name')?.text;
    if (name !== undefined && !out.has(name)) out.set(name, f.text);
  }
  return [...out];
}

export const stripComment = (t: string) =>
  t
    .replace(/^\s*(\/\/+|#+|\/\*+|\*+\/?)/gm, '')
    .replace(/\*\/\s*$/, '')
    .trim();

export class FileIndex {
  private readonly fns: FnEntry[];
  private readonly assigned = new Map<number, { start: number; name: string }[]>();
  private readonly holders = new Map<number, string>();

  /**
   * @param text the whole file's text (indexes are absolute)
   * @param commentEndingAt the last comment ending on a row, wherever in the file it is
   */
  constructor(
    readonly text: string,
    private readonly lang: SourceLanguage,
    by: NodesByType,
    private readonly commentEndingAt: (row: number) => { startRow: number; text: string } | undefined,
  ) {
    this.fns = pick(by, FUNCTION_TYPES)
      .map((n) => ({ node: n, start: n.startIndex, end: n.endIndex, startRow: n.startPosition.row }))
      .sort((a, b) => a.start - b.start);
    for (const a of pick(by, ASSIGN_TYPES)) {
      const isDecl = a.type === 'variable_declarator';
      const rhs = isDecl ? a.childForFieldName('value') : a.childForFieldName('right');
      const lhs = isDecl ? a.childForFieldName('name') : a.childForFieldName('left');
      if (!rhs || !lhs) continue;
      const first = lhs.type === 'expression_list' || lhs.type === 'pattern_list' ? lhs.namedChildren[0] : lhs;
      const name = first ? (first.type === 'identifier' ? first.text : receiverPath(first).at(-1)) : undefined;
      if (!name) continue;
      const list = this.assigned.get(rhs.endIndex) ?? [];
      list.push({ start: rhs.startIndex, name });
      this.assigned.set(rhs.endIndex, list);
      if (isDecl) this.holders.set(rhs.startIndex, name);
    }
  }

  /** The variable a call's result goes to: `const x = await call()`, `x, err := call()`. */
  assignedName(call: Node): string | undefined {
    const list = this.assigned.get(call.endIndex);
    if (!list) return undefined;
    // the innermost right-hand side that still contains the call
    let best: { start: number; name: string } | undefined;
    for (const e of list) if (e.start <= call.startIndex && (!best || e.start > best.start)) best = e;
    return best?.name;
  }

  private innermost(start: number, end: number, strict = false): FnEntry | undefined {
    let lo = 0;
    let hi = this.fns.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.fns[mid].start <= start) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = idx; i >= 0; i--) {
      const f = this.fns[i];
      if (f.end >= end && !(strict && f.start === start && f.end === end)) return f;
    }
    return undefined;
  }

  private nameOf(f: FnEntry): string | undefined {
    if (f.name !== undefined) return f.name ?? undefined;
    // a named function, `const handler = () => {…}`, else the name of the function around it
    f.name = f.node.childForFieldName('name')?.text ?? this.holders.get(f.start) ?? this.nameOf(this.innermost(f.start, f.end, true) ?? ({ name: null } as FnEntry)) ?? null;
    return f.name ?? undefined;
  }

  enclosingFunction(n: Node): { node?: Node; name?: string } {
    const f = this.innermost(n.startIndex, n.endIndex);
    return f ? { node: f.node, name: this.nameOf(f) } : {};
  }

  /** Comments in a block right above `row` (no blank line between). */
  commentsAbove(row: number): string[] {
    const out: string[] = [];
    for (let r = row - 1; ; ) {
      const c = this.commentEndingAt(r);
      if (!c) break;
      out.unshift(c.text);
      r = c.startRow - 1;
    }
    return out;
  }

  /** Comments above the call, then those above (or the docstring of) its function. */
  commentsFor(call: Node, fn: Node | undefined): string[] {
    const out = this.commentsAbove(call.startPosition.row);
    if (!fn) return out.filter(Boolean);
    const above = this.commentsAbove(fn.startPosition.row);
    if (this.lang === 'python') {
      const first = fn.childForFieldName('body')?.namedChildren[0];
      if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') above.push(first.namedChildren[0].text.replace(/^("""|'''|"|')|("""|'''|"|')$/g, '').trim());
    }
    for (const c of above.reverse()) if (!out.includes(c)) out.unshift(c);
    return out.filter(Boolean);
  }
}

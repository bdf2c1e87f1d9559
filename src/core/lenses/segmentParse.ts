/**
 * A document's syntax tree kept along with its edits, re-parsed after each one. For Python, an
 * edit inside one top-level statement re-parses only that statement with one neighbour on each
 * side (tree-sitter `includedRanges`, absolute positions kept), instead of tree-sitter's
 * incremental parse of the whole file: tree-sitter-python still has Python 2's
 * `print_statement`, so `print(x)` is ambiguous, the nodes built while both readings are open
 * are fragile and never reused, and that fragility climbs to the enclosing function and the
 * module's top-level list. An incremental re-parse of a file full of `print(...)` is then
 * almost token by token (5,000 lines ~20 ms, 10,000 ~44 ms); the segment takes under 1 ms.
 *
 * The top-level statements the analysis reads (`topLevel`) are then the base tree's before the
 * segment, the segment tree's, and the base tree's after it. Whenever that could differ from a
 * parse of the whole text, the whole-file incremental parse runs instead: an error in the base
 * tree or the segment, an edit at or across the segment's edges, a segment ending in a line
 * continuation, or one whose top-level statements do not exactly fill it.
 *
 * Every tree here reads its text through one callback over the current text, so the base
 * tree's nodes after an edit (positions moved by `tree.edit`) read the current text too.
 *
 * Pure apart from tree-sitter: the parser is passed in.
 */
import type { Node, Parser, Range as TsRange, Tree } from 'web-tree-sitter';
import { editTree, positionAt, type TextChange } from './incremental';
import type { SourceLanguage } from './types';

/** The languages whose incremental re-parse is slow enough for segments to pay. */
const SEGMENTED: ReadonlySet<SourceLanguage> = new Set(['python']);
/** A segment wider than this many top-level statements is not worth it (and not kept growing). */
const MAX_SEGMENT = 24;

interface Patch {
  tree: Tree;
  startIndex: number;
  endIndex: number;
}

export class KeptTree {
  /** The current text, which every tree here reads through `read`. */
  private current: string;
  private base: Tree;
  private patch?: Patch;
  private topLevelCache?: Node[];
  /** How the last parses went: whole tree (incremental or first) or one segment. */
  readonly parses = { full: 0, incremental: 0, segment: 0 };

  private constructor(
    private readonly parser: Parser,
    readonly lang: SourceLanguage,
    text: string,
  ) {
    this.current = text;
    this.base = this.parseWhole();
    this.parses.full++;
  }

  /** Parses `text` from nothing. */
  static parse(parser: Parser, lang: SourceLanguage, text: string): KeptTree {
    return new KeptTree(parser, lang, text);
  }

  get text(): string {
    return this.current;
  }

  private readonly read = (index: number): string => this.current.slice(index, index + 65536);

  private parseWhole(old?: Tree): Tree {
    const t = this.parser.parse(this.read, old ?? null);
    if (!t) throw new Error('tree-sitter could not parse the text');
    return t;
  }

  /** The top-level statements of the current text, what the analysis reads. */
  get topLevel(): Node[] {
    if (this.topLevelCache) return this.topLevelCache;
    const all = this.base.rootNode.namedChildren.filter((n): n is Node => !!n);
    if (!this.patch) return (this.topLevelCache = all);
    const { startIndex, endIndex, tree } = this.patch;
    return (this.topLevelCache = [
      ...all.filter((n) => n.endIndex <= startIndex),
      ...tree.rootNode.namedChildren.filter((n): n is Node => !!n),
      ...all.filter((n) => n.startIndex >= endIndex),
    ]);
  }

  /** Applies one editor change event (changes relative to the text before it) and re-parses. */
  update(changes: readonly TextChange[], text: string): void {
    const old = this.current;
    const segment = this.segmentFor(changes, old);
    editTree(this.base, old, changes);
    this.current = text;
    this.topLevelCache = undefined;
    if (segment) {
      const delta = changes.reduce((d, c) => d + c.text.length - c.length, 0);
      const range: TsRange = { startIndex: segment.start, endIndex: segment.end + delta, startPosition: positionAt(text, segment.start), endPosition: positionAt(text, segment.end + delta) };
      const seg = this.parser.parse(this.read, null, { includedRanges: [range] });
      if (seg && this.fills(seg, range, text)) {
        this.patch?.tree.delete();
        this.patch = { tree: seg, startIndex: range.startIndex, endIndex: range.endIndex };
        this.parses.segment++;
        return;
      }
      seg?.delete();
    }
    const next = this.parseWhole(this.base);
    this.base.delete();
    this.base = next;
    this.patch?.tree.delete();
    this.patch = undefined;
    this.parses.incremental++;
  }

  /**
   * The segment (offsets in the old text) to re-parse after `changes`: whole top-level
   * statements of the current view, one more on each side of those the changes touch, and the
   * previous segment if any (its region of the base tree is out of date). Undefined when the
   * whole-file parse must run.
   */
  private segmentFor(changes: readonly TextChange[], old: string): { start: number; end: number } | undefined {
    if (!SEGMENTED.has(this.lang) || changes.length === 0) return undefined;
    if (this.base.rootNode.hasError || this.patch?.tree.rootNode.hasError) return undefined;
    const nodes = this.topLevel;
    const from = Math.min(...changes.map((c) => c.offset));
    const to = Math.max(...changes.map((c) => c.offset + c.length));
    // the first statement ending at or after the change, the last starting at or before its end
    let first = nodes.findIndex((n) => n.endIndex >= from);
    let last = -1;
    for (let i = nodes.length - 1; i >= 0; i--) {
      if (nodes[i].startIndex <= to) {
        last = i;
        break;
      }
    }
    if (first === -1 || last === -1) return undefined;
    if (first > last) [first, last] = [last, first];
    first--;
    last++;
    if (this.patch) {
      const p = this.patch;
      const pf = nodes.findIndex((n) => n.startIndex === p.startIndex);
      let pl = -1;
      for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i].endIndex === p.endIndex) pl = i;
      if (pf === -1 || pl === -1) return undefined;
      first = Math.min(first, pf);
      last = Math.max(last, pl);
    }
    if (first < 0 || last >= nodes.length || last - first + 1 > MAX_SEGMENT) return undefined;
    const start = nodes[first].startIndex;
    const end = nodes[last].endIndex;
    // strictly inside: an edit at an edge could join the segment with what is outside it
    if (from <= start || to >= end) return undefined;
    // whole lines only (`a = 1; b = 2` are two statements on one line)
    if (start > 0 && old[start - 1] !== '\n') return undefined;
    return { start, end };
  }

  /** Whether the segment parsed cleanly into whole statements filling it, ending where a statement may end. */
  private fills(seg: Tree, range: TsRange, text: string): boolean {
    const kids = seg.rootNode.namedChildren;
    if (seg.rootNode.hasError || kids.length === 0) return false;
    if (kids[0]!.startIndex !== range.startIndex || kids[kids.length - 1]!.endIndex !== range.endIndex) return false;
    // the segment's end must be a line's end, not continued by a backslash
    const after = text.slice(range.endIndex, range.endIndex + 1);
    if (after !== '\n' && after !== '\r' && after !== '') return false;
    if (/\\\s*$/.test(text.slice(Math.max(range.startIndex, range.endIndex - 4), range.endIndex))) return false;
    // and the statement after it must start a line at column 0
    const next = text.slice(range.endIndex).search(/\S/);
    if (next !== -1) {
      const at = range.endIndex + next;
      if (at > 0 && text[at - 1] !== '\n') return false;
    }
    return true;
  }

  delete(): void {
    this.base.delete();
    this.patch?.tree.delete();
    this.patch = undefined;
    this.topLevelCache = undefined;
  }
}

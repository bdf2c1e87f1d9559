/**
 * Recognition of a whole file as a sequence of top-level chunks (chunks.ts), incremental: given
 * the analysis of the previous version, a chunk whose text did not change is taken over (moved
 * by whole rows if lines were added or removed above it) as long as what it read from the rest
 * of the file (constants, receivers bound above it, handler functions, comments on the rows it
 * shares) still reads the same. Everything else is recognised again. A first analysis is the
 * same code with nothing to take over, so "incremental equals full" is a property of the reuse
 * check alone (test/unit/lenses.incremental.test.ts checks it on random edits).
 *
 * Pure: a tree-sitter tree and its text in, findings out. The caller keeps the previous
 * analysis; nothing in it refers to the previous tree.
 */
import type { Tree } from 'web-tree-sitter';
import { chunksOf, type Chunk } from './chunks';
import type { KeptTree } from './segmentParse';
import { namedFunctions, stripComment, type CommentLine, type NodesByType } from './fileIndex';
import { chunkNodes, recogniseChunk, type Binding, type ChunkContext, type ChunkRecognition } from './recognise';
import { ACK_NONE } from './structure';
import { CONSTANT_TYPES, constantPairs, mergeConstants } from './syntax';
import type { Range, Recognition, SourceLanguage } from './types';

/** What a chunk offers the rest of the file, from its text alone (rows relative to its start). */
interface ChunkExports {
  consts: [string, string][];
  functions: [string, string][];
  comments: CommentLine[];
  /** Mentions ack policy none (then no pull handler of the file is judged). */
  ackNone: boolean;
  /** Mentions "time" (a Go import the nak fix needs). */
  importsTime: boolean;
}

/** One answer a chunk got from the rest of the file; comment rows are relative to its start. */
type Read =
  | { k: 'const'; name: string; v: string | undefined }
  | { k: 'binding'; name: string; v: string }
  | { k: 'function'; name: string; v: string | undefined }
  | { k: 'comment'; row: number; v: { startRow: number; text: string } | undefined };

export interface ChunkResult extends ChunkRecognition {
  readonly text: string;
  readonly shape: string;
  /** Parsed without errors in it or above it (only such chunks are taken over). */
  readonly clean: boolean;
  readonly startRow: number;
  readonly startCol: number;
  readonly endRow: number;
  readonly endCol: number;
  readonly exports: ChunkExports;
  readonly reads: readonly Read[];
}

export interface FileAnalysis {
  readonly language: SourceLanguage;
  readonly chunks: readonly ChunkResult[];
  /**
   * Per chunk, the result of the previous analysis it was moved from by whole rows, so its
   * findings can move too (kept here, not on the chunk, so no chain of versions stays alive).
   */
  readonly movedFrom: readonly ({ chunk: ChunkResult; rows: number } | undefined)[];
  readonly recognition: Recognition;
  readonly ackNone: boolean;
  readonly importsTime: boolean;
  /** How the chunks were obtained: taken over as they were, moved, or recognised again. */
  readonly stats: { chunks: number; kept: number; moved: number; recognised: number };
}

const bindingKeys = new WeakMap<Binding, string>();
const bindingKey = (b: Binding | undefined) => {
  if (!b) return '';
  let k = bindingKeys.get(b);
  if (k === undefined) bindingKeys.set(b, (k = JSON.stringify(b)));
  return k;
};

/** The state of the file the chunks read while they are taken in document order. */
class FileState {
  readonly bindings = new Map<string, Binding>();
  private consts?: Map<string, string>;
  private functions?: Map<string, string>;

  constructor(
    private readonly chunks: readonly Chunk[],
    private readonly exports: readonly ChunkExports[],
  ) {}

  constant(name: string): string | undefined {
    this.consts ??= mergeConstants(this.exports.flatMap((e) => e.consts));
    return this.consts.get(name);
  }

  functionText(name: string): string | undefined {
    if (!this.functions) {
      this.functions = new Map();
      for (const e of this.exports) for (const [n, t] of e.functions) if (!this.functions.has(n)) this.functions.set(n, t);
    }
    return this.functions.get(name);
  }

  /** The last comment (in document order) ending on `row`. */
  commentEndingAt(row: number): { startRow: number; text: string } | undefined {
    // the last chunk starting at or before the row, then back while chunks still reach it
    let lo = 0;
    let hi = this.chunks.length - 1;
    let i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.chunks[mid].startRow <= row) {
        i = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (; i >= 0 && this.chunks[i].endRow >= row; i--) {
      const base = this.chunks[i].startRow;
      const cs = this.exports[i].comments;
      for (let j = cs.length - 1; j >= 0; j--) if (cs[j].endRow + base === row) return { startRow: cs[j].startRow + base, text: cs[j].text };
    }
    return undefined;
  }

  /** Whether each answer `reads` recorded is still the answer, for a chunk now at `startRow`. */
  stillReads(reads: readonly Read[], startRow: number): boolean {
    for (const r of reads) {
      switch (r.k) {
        case 'const':
          if (this.constant(r.name) !== r.v) return false;
          break;
        case 'binding':
          if (bindingKey(this.bindings.get(r.name)) !== r.v) return false;
          break;
        case 'function':
          if (this.functionText(r.name) !== r.v) return false;
          break;
        case 'comment': {
          const c = this.commentEndingAt(r.row + startRow);
          if (c?.text !== r.v?.text || (c && c.startRow - startRow !== r.v!.startRow)) return false;
          break;
        }
      }
    }
    return true;
  }

  /** A context that answers from this state and records each first answer. */
  recording(chunk: Chunk, reads: Read[]): ChunkContext {
    const seen = new Set<string>();
    const once = (key: string) => !seen.has(key) && (seen.add(key), true);
    return {
      constants: {
        get: (name) => {
          const v = this.constant(name);
          if (once(`c:${name}`)) reads.push({ k: 'const', name, v });
          return v;
        },
      },
      binding: (name) => {
        const v = this.bindings.get(name);
        if (once(`b:${name}`)) reads.push({ k: 'binding', name, v: bindingKey(v) });
        return v;
      },
      functionText: (name) => {
        const v = this.functionText(name);
        if (once(`f:${name}`)) reads.push({ k: 'function', name, v });
        return v;
      },
      commentEndingAt: (row) => {
        const v = this.commentEndingAt(row);
        if (once(`r:${row}`)) reads.push({ k: 'comment', row: row - chunk.startRow, v: v && { startRow: v.startRow - chunk.startRow, text: v.text } });
        return v;
      },
    };
  }
}

function exportsOf(chunk: Chunk, by: NodesByType, text: string, lang: SourceLanguage): ChunkExports {
  const own = text.slice(chunk.startIndex, chunk.endIndex);
  return {
    consts: constantPairs(CONSTANT_TYPES[lang].flatMap((t) => by.get(t) ?? []), lang),
    functions: namedFunctions(by),
    comments: (by.get('comment') ?? []).map((c) => ({ startRow: c.startPosition.row - chunk.startRow, endRow: c.endPosition.row - chunk.startRow, text: stripComment(c.text) })),
    ackNone: ACK_NONE.test(own),
    importsTime: /"time"/.test(own),
  };
}

/**
 * Recognises the NATS calls of a parsed file. With `previous` (the analysis of the text before
 * the edit that `tree` was re-parsed after), unchanged chunks are taken over.
 *
 * @param tree a tree, or a kept tree (segmentParse.ts) whose top-level statements may come from two trees
 * @param text the text `tree` was parsed from (tree-sitter's root node leaves out leading blank space)
 */
export function analyseFile(tree: Tree | KeptTree, lang: SourceLanguage, text: string, previous?: FileAnalysis): FileAnalysis {
  const chunks = chunksOf('rootNode' in tree ? tree.rootNode.namedChildren : tree.topLevel, lang, text);
  const earlier = new Map<string, ChunkResult[]>();
  if (previous?.language === lang) {
    for (const c of previous.chunks) {
      const list = earlier.get(c.text);
      if (list) list.push(c);
      else earlier.set(c.text, [c]);
    }
  }
  // tree-sitter's error recovery can parse the same text differently after an error: even a
  // chunk without errors (Go `c.Consume(…)` became a type conversion after an unclosed raw
  // string above it). So only chunks that parse cleanly with no error above them, now and when
  // they were recognised, are taken over.
  let errorAbove = false;
  const clean = chunks.map((c) => {
    const ok = !errorAbove && !c.nodes.some((n) => n.hasError);
    if (!ok) errorAbove = true;
    return ok;
  });
  const same = (c: Chunk, i: number) => (clean[i] ? earlier.get(c.text)?.filter((e) => e.clean && e.shape === c.shape) : undefined);
  // phase one: what each chunk offers the others, from its text alone
  const nodes: (NodesByType | undefined)[] = [];
  const candidates = chunks.map((c, i) => same(c, i));
  const exports = chunks.map((c, i) => {
    const found = candidates[i];
    if (found?.length) return found[0].exports;
    nodes[i] = chunkNodes(c, lang);
    return exportsOf(c, nodes[i]!, text, lang);
  });
  // phase two: in document order, take over what still reads the same, recognise the rest
  const state = new FileState(chunks, exports);
  const stats = { chunks: chunks.length, kept: 0, moved: 0, recognised: 0 };
  const movedFrom: ({ chunk: ChunkResult; rows: number } | undefined)[] = [];
  const results: ChunkResult[] = chunks.map((c, i) => {
    let result: ChunkResult | undefined;
    for (const e of candidates[i] ?? []) {
      if (!state.stillReads(e.reads, c.startRow)) continue;
      if (e.startRow === c.startRow) {
        stats.kept++;
        result = e;
      } else {
        stats.moved++;
        result = moveChunk(e, c.startRow - e.startRow);
        movedFrom[i] = { chunk: e, rows: c.startRow - e.startRow };
      }
      break;
    }
    if (!result) {
      stats.recognised++;
      const reads: Read[] = [];
      const rec = recogniseChunk(c, nodes[i] ?? chunkNodes(c, lang), text, lang, state.recording(c, reads));
      result = { ...rec, text: c.text, shape: c.shape, clean: clean[i], startRow: c.startRow, startCol: c.startCol, endRow: c.endRow, endCol: c.endCol, exports: exports[i], reads };
    }
    for (const [name, b] of result.writes) state.bindings.set(name, b);
    return result;
  });
  const ackNone = exports.some((e) => e.ackNone);
  const recognition: Recognition = { language: lang, calls: [], facts: { watchLoops: [], pullHandlers: [], bareNaks: [], processingTimes: [] }, syntaxErrors: 0 };
  const { calls, facts } = recognition;
  for (const r of results) {
    for (const c of r.calls) calls.push(c);
    for (const x of r.facts.watchLoops) facts.watchLoops.push(x);
    if (!ackNone) for (const x of r.facts.pullHandlers) facts.pullHandlers.push(x);
    for (const x of r.facts.bareNaks) facts.bareNaks.push(x);
    for (const x of r.facts.processingTimes) facts.processingTimes.push(x);
    recognition.syntaxErrors += r.syntaxErrors;
  }
  return { language: lang, chunks: results, movedFrom, recognition, ackNone, importsTime: exports.some((e) => e.importsTime), stats };
}

/** Recognises the NATS calls of a parsed file (a first analysis, nothing taken over). */
export function recognise(tree: Tree, lang: SourceLanguage, text: string): Recognition {
  return analyseFile(tree, lang, text).recognition;
}

/**
 * A copy of `value` with every range that lies inside `span` moved by `rows`. Ranges outside it
 * came from another chunk (a receiver bound above) and stay where they are.
 */
export function moveRanges<T>(value: T, span: Range, rows: number): T {
  const inside = (r: Range) =>
    (r.start.line > span.start.line || (r.start.line === span.start.line && r.start.col >= span.start.col)) &&
    (r.end.line < span.end.line || (r.end.line === span.end.line && r.end.col <= span.end.col));
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (isRange(o)) {
      const r = o as unknown as Range;
      return inside(r) ? { start: { line: r.start.line + rows, col: r.start.col }, end: { line: r.end.line + rows, col: r.end.col } } : r;
    }
    const out: Record<string, unknown> = {};
    for (const k in o) out[k] = walk(o[k]);
    return out;
  };
  return walk(value) as T;
}

function isRange(o: Record<string, unknown>): boolean {
  const s = o.start as Record<string, unknown> | undefined;
  return typeof s === 'object' && s !== null && typeof s.line === 'number' && typeof (o.end as Record<string, unknown> | undefined)?.line === 'number';
}

export const spanOf = (c: { startRow: number; startCol: number; endRow: number; endCol: number }): Range => ({ start: { line: c.startRow, col: c.startCol }, end: { line: c.endRow, col: c.endCol } });

function moveChunk(c: ChunkResult, rows: number): ChunkResult {
  const span = spanOf(c);
  const moved = moveRanges({ calls: c.calls, facts: c.facts, writes: c.writes }, span, rows);
  return { ...c, ...moved, startRow: c.startRow + rows, endRow: c.endRow + rows };
}

/**
 * The quick fix of `kv-watch-no-bootstrap`: declares a `live` flag before the watch loop and
 * inserts the bootstrap/live check the KV watcher scaffolds use (src/core/scaffold bootstrap),
 * first in the body for Go and Python (the nil / None end-of-bootstrap marker), last for
 * JavaScript and TypeScript (the entry with delta 0 ends bootstrap).
 */
import { endOfBootstrapCheck, liveFlagDeclaration, tsLiveCheck } from '../scaffold';
import type { TextLines } from './lines';
import type { Fix, Range, SourceLanguage, TextEdit } from './types';

export interface WatchLoopFacts {
  range: Range;
  language: SourceLanguage;
  entryVar?: string;
  body?: Range;
}

const leading = (line: string) => /^[ \t]*/.exec(line)![0];

/** Undefined when the loop's shape gives no safe place for the check (no entry variable or body). */
export function bootstrapFix(loop: WatchLoopFacts, lines: TextLines): Fix | undefined {
  const { body, entryVar } = loop;
  if (!body || !entryVar) return undefined;
  const loopLine = lines.line(loop.range.start.line);
  if (loopLine === undefined || loopLine.slice(0, loop.range.start.col).trim()) return undefined; // the loop must start its line
  const outer = leading(loopLine);
  const lang = loop.language === 'go' ? 'go' : loop.language === 'python' ? 'python' : 'ts';
  // the body's indentation: its first non-empty line after the loop header, else one level in
  let firstBodyLine: string | undefined;
  for (let i = body.start.line === loop.range.start.line ? body.start.line + 1 : body.start.line; i <= body.end.line && firstBodyLine === undefined; i++) {
    const l = lines.line(i);
    if (l?.trim()) firstBodyLine = l;
  }
  const unitGuess = outer.includes('\t') || lang === 'go' ? '\t' : lang === 'python' ? '    ' : '  ';
  const inner = firstBodyLine && leading(firstBodyLine).length > outer.length ? leading(firstBodyLine) : outer + unitGuess;
  const unit = inner.slice(outer.length) || unitGuess;
  const declare: TextEdit = { range: { start: { line: loop.range.start.line, col: 0 }, end: { line: loop.range.start.line, col: 0 } }, newText: `${outer}${liveFlagDeclaration(lang)}\n` };
  let check: TextEdit;
  if (lang === 'ts') {
    // before the closing brace of the body, which must sit alone on its line
    const closing = lines.line(body.end.line);
    if (closing === undefined || closing.slice(0, body.end.col - 1).trim() || body.end.line === body.start.line) return undefined;
    const at = { line: body.end.line, col: body.end.col - 1 };
    check = { range: { start: at, end: at }, newText: `${unit}${tsLiveCheck(entryVar, 'live = true')} // the last value replayed (bootstrap) has delta 0; an empty bucket replays none\n${closing.slice(0, body.end.col - 1)}` };
  } else if (lang === 'go') {
    // right after the body's "{"
    const at = { line: body.start.line, col: body.start.col + 1 };
    check = { range: { start: at, end: at }, newText: '\n' + endOfBootstrapCheck('go', entryVar, [], unit).map((l) => inner + l).join('\n') };
  } else {
    // before the first statement of the body (tree-sitter's block starts there)
    if (lines.line(body.start.line)?.slice(0, body.start.col).trim()) return undefined;
    const at = { line: body.start.line, col: body.start.col };
    check = { range: { start: at, end: at }, newText: endOfBootstrapCheck('python', entryVar, [], unit).map((l, i) => (i ? inner : '') + l).join('\n') + '\n' + inner };
  }
  return { title: 'Tell bootstrap from live updates (as the KV watcher scaffold does)', edits: [declare, check] };
}

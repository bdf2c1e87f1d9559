/**
 * Structural facts around the recognised calls that the diagnostics judge: KV watch loops and
 * whether they tell the initial values from live updates, pull handlers and whether they
 * ack, bare `nak()` calls in loops, and processing times declared in comments. Worked out per
 * top-level chunk (src/core/lenses/chunks.ts): code outside any function counts as one scope
 * per chunk, and a handler passed by name is read through `functionText`.
 */
import type { Node } from 'web-tree-sitter';
import { FUNCTION_TYPES, LOOP_TYPES, callee, rangeOf } from './syntax';
import type { FileIndex } from './fileIndex';
import type { NatsCall, Position, Range, SourceLanguage, StructureFacts } from './types';

/**
 * What tells the initial values of a KV watch from live updates, per client:
 * nats.js `isUpdate` / `delta` (seeds/000 "bootstrap phase"), nats.go's nil entry after the
 * initial values, nats-py's `None` from `updates()`, or the code's own pending count.
 */
const BOOTSTRAP_CHECK = /\bisUpdate\b|\bdelta\b|\.Delta\b|[!=]=\s*nil\b|\bnil\s*[!=]=|\bis\s+(not\s+)?None\b|\bpending\b|\bnum_pending\b|NumPending|bootstrap|initial/i;
// nak and term settle a message too, but only an ack ever completes one: a handler that only naks redelivers forever
const ACK = /\.(ack|ackAck|ackSync|Ack|AckSync|DoubleAck)\s*\(/;
const IN_PROGRESS = /\.(working|InProgress|in_progress)\s*\(/;
/** A file that mentions ack policy none anywhere has no pull-no-ack findings (analysis.ts applies it). */
export const ACK_NONE = /AckNone|AckPolicy\.None|AckPolicy\.NONE|ack_policy\s*[:=]\s*["']none["']/;
const PROCESSING = /processing(?:\s+time)?(?:\s+(?:takes|can take|may take|lasts|is|of))?(?:\s+(?:up\s+to|about|around|at\s+most))?\s*[:=~]?\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)\b/i;

const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
function unitMs(u: string): number {
  const k = u.toLowerCase();
  if (k.startsWith('ms') || k.startsWith('milli')) return UNIT.ms;
  if (k.startsWith('s')) return UNIT.s;
  if (k.startsWith('m')) return UNIT.m;
  return UNIT.h;
}

const inside = (r: Range, p: Position) =>
  (p.line > r.start.line || (p.line === r.start.line && p.col >= r.start.col)) && (p.line < r.end.line || (p.line === r.end.line && p.col <= r.end.col));

function loopBody(loop: Node): Node | null {
  return loop.childForFieldName('body');
}

export interface StructureInput {
  /** The chunk's extent: the scope of calls outside any function. */
  chunk: { startIndex: number; endIndex: number };
  lang: SourceLanguage;
  calls: NatsCall[];
  /** The node of each call. */
  nodes: Node[];
  index: FileIndex;
  callEntries: { n: Node; s: number; e: number }[];
  loops: Node[];
  comments: Node[];
  /** The text of a function of the file with this name (wherever it is), for handlers passed by name. */
  functionText: (name: string) => string | undefined;
}

export function structureFacts(input: StructureInput): StructureFacts {
  const { chunk, lang, calls, nodes, index, callEntries, loops: allLoops } = input;
  const facts: StructureFacts = { watchLoops: [], pullHandlers: [], bareNaks: [], processingTimes: [] };

  calls.forEach((call, i) => {
    const node = nodes[i];
    if (call.kind === 'kvWatch') {
      const scope = index.enclosingFunction(node).node ?? chunk;
      const watcher = index.assignedName(node);
      const loops = allLoops.filter((l) => l.startIndex >= scope.startIndex && l.endIndex <= scope.endIndex && l.startIndex >= node.startIndex - 200);
      const loop =
        loops.find((l) => l.startIndex <= node.startIndex && l.endIndex >= node.endIndex && !inside(rangeOf(loopBody(l) ?? l), call.range.start)) ??
        loops.find((l) => l.startIndex > node.startIndex && watcher !== undefined && new RegExp(`\\b${watcher}\\b`).test(loopHeader(l)));
      if (loop) {
        const body = loopBody(loop);
        facts.watchLoops.push({
          range: rangeOf(loop),
          call: call.range,
          hasBootstrapCheck: BOOTSTRAP_CHECK.test(body?.text ?? loop.text),
          language: lang,
          ...(loopVar(loop) && { entryVar: loopVar(loop) }),
          ...(body && { body: rangeOf(body) }),
        });
      }
    }
    if (call.kind === 'consume') {
      const scope = index.enclosingFunction(node).node ?? chunk;
      // from the call to the end of its function, plus any same-file function passed as the handler
      let region = index.text.slice(Math.max(node.startIndex, scope.startIndex), scope.endIndex);
      for (const a of node.childForFieldName('arguments')?.namedChildren ?? []) {
        if (a?.type === 'identifier') {
          const f = input.functionText(a.text);
          if (f !== undefined) region += `\n${f}`;
        }
      }
      const acks = ACK.test(region);
      facts.pullHandlers.push({ range: call.range, consumer: call.consumer?.text ?? call.durable?.text, stream: call.stream?.text, acks, inProgress: IN_PROGRESS.test(region) });
    }
  });

  // bare nak(): no delay argument (nats.js nak(ms), nats.go NakWithDelay, nats-py nak(delay=))
  for (const { n, s, e } of callEntries) {
    if (!/\.\s*[nN]ak\s*\(\s*\)$/.test(index.text.slice(Math.max(s, e - 40), e)) || n.type === 'new_expression') continue;
    const c = callee(n);
    if (!c?.receiver || (c.method !== 'nak' && c.method !== 'Nak')) continue;
    const args = n.childForFieldName('arguments');
    if (args && args.namedChildren.filter((a) => a?.type !== 'comment').length > 0) continue;
    facts.bareNaks.push({ range: rangeOf(n), inLoop: inLoopOrCallback(n), language: lang, argsRange: rangeOf(args ?? n) });
  }

  for (const cmt of input.comments) {
    const m = PROCESSING.exec(cmt.text);
    if (m) facts.processingTimes.push({ range: rangeOf(cmt), ms: Number(m[1]) * unitMs(m[2]), text: m[0] });
  }
  return facts;
}

function loopHeader(loop: Node): string {
  const body = loopBody(loop);
  return body ? loop.text.slice(0, body.startIndex - loop.startIndex) : loop.text;
}

function loopVar(loop: Node): string | undefined {
  const left = loop.childForFieldName('left');
  if (left) return left.text.replace(/^(const|let|var)\s+/, '');
  const clause = loop.namedChildren.find((c) => c?.type === 'range_clause');
  const l = clause?.childForFieldName('left');
  return l ? l.namedChildren.at(-1)?.text : undefined;
}

/** Inside a loop, or inside a callback passed to a call (a message handler), before any named function. */
function inLoopOrCallback(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (LOOP_TYPES.has(p.type)) return true;
    if (FUNCTION_TYPES.has(p.type)) {
      const host = p.parent;
      if (host && (host.type === 'arguments' || host.type === 'argument_list' || host.type === 'pair' || host.type === 'keyword_argument')) return true;
      return false;
    }
  }
  return false;
}

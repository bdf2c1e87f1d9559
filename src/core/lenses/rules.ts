/**
 * Diagnostics over the recognised calls: pure rules, each with an id, a default severity and
 * a setting (`natsFlow.diagnostics.<id>`) that turns it off. The rules that need the server
 * run only when catalog facts are given.
 */
import { bootstrapFix } from './bootstrapFix';
import { capturingStreams, type CatalogFacts } from './catalogFacts';
import { hasWildcard, subjectTokenProblem, tidySubject } from './subjects';
import { TextLines } from './lines';
import type { Finding, Fix, NatsCall, Range, Recognition, Severity, StructureFacts } from './types';

export interface RuleInfo {
  id: string;
  severity: Severity;
  needsServer: boolean;
  description: string;
}

export const RULES: RuleInfo[] = [
  { id: 'js-publish-no-stream', severity: 'warning', needsServer: true, description: 'A JetStream publish to a subject that no stream on the connected server captures (the publish fails with "no responders").' },
  { id: 'publish-wildcard', severity: 'error', needsServer: false, description: 'A publish or request subject with a wildcard ("*" or ">"): wildcards only work in subscriptions.' },
  { id: 'invalid-subject', severity: 'error', needsServer: false, description: 'A subject with an empty token, whitespace, or a misplaced ">".' },
  { id: 'kv-watch-no-bootstrap', severity: 'warning', needsServer: false, description: 'A KV watch loop that treats every entry as new: watchers replay current values first (seeds/000 "bootstrap phase").' },
  { id: 'pull-no-ack', severity: 'warning', needsServer: false, description: 'A pull consumer handler that never acks: every message is redelivered after AckWait until MaxDeliver.' },
  { id: 'nak-no-delay', severity: 'warning', needsServer: false, description: 'nak() without a delay in a loop or handler: the message comes straight back and burns MaxDeliver.' },
  { id: 'ack-wait-short', severity: 'warning', needsServer: false, description: 'Ack wait shorter than the processing time declared in a comment ("processing takes up to 2m"), with no in-progress acks.' },
  { id: 'unknown-consumer', severity: 'information', needsServer: true, description: 'A consumer (or its stream) that does not exist on the connected server.' },
  { id: 'unknown-bucket', severity: 'information', needsServer: true, description: 'A KV bucket or object store that does not exist on the connected server.' },
];

export type RuleId = (typeof RULES)[number]['id'];

export interface DiagnoseOptions {
  /** The file's text, for textual fixes. */
  text?: string;
  catalog?: CatalogFacts;
  /** Rule ids turned off. */
  disabled?: ReadonlySet<string>;
}

const PUBLISHING = new Set(['publish', 'jsPublish', 'request']);
/** Calls that make the thing they name, so its absence is not a finding. */
const CREATES = /(^|\.)(create\w*|add|update\w*|createorupdate\w*)$/i;
const DEFAULT_NAK_DELAY = { javascript: 'nak(5_000)', typescript: 'nak(5_000)', tsx: 'nak(5_000)', python: 'nak(delay=5)', go: 'NakWithDelay(5 * time.Second)' } as const;

/** What the rules read besides the calls: settings, the server snapshot, the file's lines. */
export interface RuleContext {
  on(rule: string): boolean;
  catalog?: CatalogFacts;
  /** For textual fixes; without it, rules offer none. */
  lines?: TextLines;
  /** Whether the Go file imports "time" (the nak fix needs it to compile). */
  importsTime(): boolean;
}

export type AddFinding = (rule: string, message: string, range: Range, fixes?: Fix[]) => void;

const SEVERITY = new Map(RULES.map((r) => [r.id, r.severity]));

export function ruleContext(opts: DiagnoseOptions, importsTime?: () => boolean): RuleContext {
  let time: boolean | undefined;
  return {
    on: (id) => !opts.disabled?.has(id),
    catalog: opts.catalog,
    lines: opts.text === undefined ? undefined : new TextLines(opts.text),
    importsTime: importsTime ?? (() => (time ??= /"time"/.test(opts.text ?? ''))),
  };
}

export function collector(ctx: RuleContext, out: Finding[]): AddFinding {
  return (rule, message, range, fixes = []) => {
    if (ctx.on(rule)) out.push({ rule, severity: SEVERITY.get(rule)!, message, range, fixes });
  };
}

export function sortFindings(out: Finding[]): Finding[] {
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.col - b.range.start.col);
}

export function diagnose(rec: Recognition, opts: DiagnoseOptions = {}): Finding[] {
  const ctx = ruleContext(opts);
  const out: Finding[] = [];
  const add = collector(ctx, out);
  diagnoseCalls(rec.calls, rec.facts, ctx, add);
  diagnoseAckWaits(rec.calls, rec.facts, ctx, add);
  return sortFindings(out);
}

/**
 * Every rule but ack-wait-short, over some calls and the facts found with them: each finding
 * depends only on those (and the context), so a file's chunks are judged one by one.
 */
export function diagnoseCalls(calls: readonly NatsCall[], f: StructureFacts, ctx: RuleContext, add: AddFinding): void {
  const cat = ctx.catalog;
  const lines = ctx.lines;
  for (const call of calls) {
    const s = call.subject;
    if (s && (PUBLISHING.has(call.kind) || call.kind === 'subscribe' || call.kind === 'pullSubscribe')) {
      const problem = subjectTokenProblem(s.text);
      if (problem) {
        const fixes: Fix[] = [];
        const raw = lines && s.source === 'literal' && s.range.start.line === s.range.end.line ? lines.line(s.range.start.line)?.slice(s.range.start.col, s.range.end.col) : undefined;
        const tidy = tidySubject(s.text);
        if (raw && raw.includes(s.text) && tidy && !subjectTokenProblem(tidy)) {
          fixes.push({ title: `Change the subject to "${tidy}"`, edits: [{ range: s.range, newText: raw.replace(s.text, tidy) }] });
        }
        add('invalid-subject', `Invalid subject "${s.text}": ${problem}.`, s.range, fixes);
      } else if (PUBLISHING.has(call.kind) && s.source !== 'template' && hasWildcard(s.text)) {
        add('publish-wildcard', `"${s.text}" has a wildcard: ${call.kind === 'request' ? 'requests' : 'publishes'} need a concrete subject (wildcards only work in subscriptions and stream filters).`, s.range);
      }
    }
    if (cat && call.kind === 'jsPublish' && s && !subjectTokenProblem(s.text) && (s.source === 'template' || !hasWildcard(s.text))) {
      if (capturingStreams(cat, s.text).length === 0) {
        add('js-publish-no-stream', `No stream on ${cat.server ?? 'the connected server'} captures "${s.text}": this JetStream publish will fail.`, s.range, [
          { title: `Create a stream for "${s.text}"…`, action: { kind: 'createStream', subject: s.text } },
        ]);
      }
    }
    if (cat) unknownNames(call, cat, add);
  }

  for (const loop of f.watchLoops) {
    if (!loop.hasBootstrapCheck) {
      const hint =
        loop.language === 'go'
          ? 'nats.go sends a nil entry once the initial values are delivered'
          : loop.language === 'python'
            ? 'nats-py yields None once the initial values are delivered'
            : 'check entry.isUpdate / entry.delta, or count the pending values yourself (an empty bucket sends nothing)';
      const fix = lines && bootstrapFix(loop, lines);
      add('kv-watch-no-bootstrap', `This watch loop treats every entry as new, but a KV watcher first replays the current values (bootstrap), so a restart re-processes them: tell bootstrap from live updates (${hint}).`, loop.range, fix ? [fix] : []);
    }
  }
  for (const h of f.pullHandlers) {
    const c = cat?.consumers.find((x) => x.stream === h.stream && x.name === h.consumer);
    if (!h.acks && c?.ackPolicy !== 'none') {
      add('pull-no-ack', `Messages from ${h.consumer ? `consumer "${h.consumer}"` : 'this consumer'} are never acked here: each one is redelivered after the ack wait until MaxDeliver.`, h.range);
    }
  }
  for (const n of f.bareNaks) {
    if (!n.inLoop) continue;
    const fixes: Fix[] = [];
    const line = lines?.line(n.range.start.line);
    // Go's fix needs the time package: offer it only where the file imports it, so the code still compiles
    const safe = line !== undefined && (n.language !== 'go' || ctx.importsTime());
    if (safe && n.range.start.line === n.range.end.line) {
      const callText = line.slice(n.range.start.col, n.range.end.col);
      const m = /(nak|Nak)\s*\(\s*\)$/.exec(callText);
      if (m) {
        const start = { line: n.range.start.line, col: n.range.start.col + m.index };
        fixes.push({ title: `Nak with a delay (${DEFAULT_NAK_DELAY[n.language]})`, edits: [{ range: { start, end: n.range.end }, newText: DEFAULT_NAK_DELAY[n.language] }] });
      }
    }
    add('nak-no-delay', 'nak() without a delay redelivers at once: a failing message loops and burns MaxDeliver. Nak with a delay, or set BackOff on the consumer.', n.range, fixes);
  }
}

/**
 * ack-wait-short: a consumer's ack wait against the processing time declared nearest to it
 * anywhere in the file, unless a handler of that consumer sends in-progress acks. The one rule
 * that reads the whole file; it touches only consumer calls and comments with a time.
 */
export function diagnoseAckWaits(calls: readonly NatsCall[], f: StructureFacts, ctx: RuleContext, add: AddFinding): void {
  const times = f.processingTimes; // in document order
  if (!times.length || !ctx.on('ack-wait-short')) return;
  const cat = ctx.catalog;
  const progressing = new Set(f.pullHandlers.filter((h) => h.inProgress).map((h) => h.consumer));
  for (const call of calls) {
    if (call.kind !== 'consumer' && call.kind !== 'pullSubscribe' && call.kind !== 'consume') continue;
    const live = cat?.consumers.find((x) => x.stream === call.stream?.text && x.name === (call.consumer?.text ?? call.durable?.text));
    const ackWait = call.ackWaitMs ?? (call.kind !== 'consume' ? live?.ackWaitMs : undefined);
    if (ackWait === undefined) continue;
    const nearest = nearestByLine(times, call.range.start.line);
    if (ackWait < nearest.ms && !progressing.has(call.consumer?.text ?? call.durable?.text)) {
      add('ack-wait-short', `Ack wait ${fmtMs(ackWait)}${call.ackWaitMs === undefined ? ' (on the server)' : ''} is shorter than the declared processing time (${nearest.text}, line ${nearest.range.start.line + 1}): messages are redelivered mid-work. Raise the ack wait or send in-progress acks.`, call.range);
    }
  }
}

/** The entry nearest to `line` in a list in document order; of two as near, the first. */
function nearestByLine<T extends { range: Range }>(list: readonly T[], line: number): T {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].range.start.line < line) lo = mid + 1;
    else hi = mid;
  }
  const below = list[lo];
  if (lo === 0) return below;
  let a = lo - 1;
  while (a > 0 && list[a - 1].range.start.line === list[a].range.start.line) a--;
  const above = list[a];
  return below && below.range.start.line - line < line - above.range.start.line ? below : above;
}

function unknownNames(call: NatsCall, cat: CatalogFacts, add: AddFinding): void {
  if (CREATES.test(call.call)) return;
  const where = cat.server ?? 'the connected server';
  if ((call.kind === 'consumer' || call.kind === 'pullSubscribe') && call.stream && call.stream.source !== 'template') {
    const stream = call.stream.text;
    if (!cat.streams.some((s) => s.name === stream)) {
      add('unknown-consumer', `Stream "${stream}" does not exist on ${where}.`, call.stream.range);
      return;
    }
    const name = call.consumer ?? call.durable;
    if (name && name.source !== 'template' && cat.consumersOf.includes(stream) && !cat.consumers.some((c) => c.stream === stream && c.name === name.text)) {
      add('unknown-consumer', `Consumer "${name.text}" does not exist on stream ${stream} on ${where}.`, name.range, [
        { title: `Create consumer "${name.text}" on ${stream}…`, action: { kind: 'createConsumer', stream, consumer: name.text } },
      ]);
    }
  }
  if ((call.kind === 'kvOpen' || call.kind === 'objOpen') && call.bucket && call.bucket.source !== 'template') {
    const b = call.bucket.text;
    const exists = call.kind === 'kvOpen' ? cat.kv.some((k) => k.bucket === b) : cat.objectStores.some((o) => o.bucket === b);
    if (!exists) {
      const what = call.kind === 'kvOpen' ? 'KV bucket' : 'Object store';
      add('unknown-bucket', `${what} "${b}" does not exist on ${where}.`, call.bucket.range, call.kind === 'kvOpen' ? [{ title: `Create KV bucket "${b}"…`, action: { kind: 'createBucket', bucket: b } }] : []);
    }
  }
}

export function fmtMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

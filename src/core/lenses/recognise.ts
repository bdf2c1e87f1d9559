/**
 * Finds the NATS calls of nats.js (v2 `nats` and v3 `@nats-io/*`), nats.go (core and the
 * `jetstream` package, plus the legacy JetStreamContext) and nats-py in one parsed file.
 *
 * Receivers are told apart by what they were made from in the same file (`const js =
 * jetstream(nc)`, `js, _ := jetstream.New(nc)`, `kv = await js.key_value("b")`), falling back
 * to the names every client's docs use (`nc`, `js`, `kv`). A KV operation carries the bucket of
 * the `open` its receiver came from.
 *
 * The unit of work is a top-level chunk of the file (chunks.ts); analysis.ts runs the chunks in
 * document order and reuses those whose text and inputs did not change.
 */
import type { Node } from 'web-tree-sitter';
import { CALL_TYPES, CONSTANT_TYPES, FUNCTION_TYPES, LOOP_TYPES, callArgs, callee, durationMs, field, normalise, rangeOf, receiverPath, type Arg, type Constants, type Value } from './syntax';
import { ASSIGN_TYPES, FileIndex, nodesByType, stripComment, type NodesByType } from './fileIndex';
import { structureFacts } from './structure';
import type { CallKind, NameRef, NatsCall, SourceLanguage, StructureFacts } from './types';

export type Role = 'nc' | 'js' | 'jsm' | 'kvm' | 'objm' | 'kv' | 'obj' | 'stream' | 'consumer' | 'pullsub' | 'sub' | 'watcher' | 'js.consumers' | 'js.views' | 'jsm.consumers';

/** What a variable holds: a connection, a JetStream context, a KV bucket of a given name… */
export interface Binding {
  role: Role;
  stream?: NameRef;
  consumer?: NameRef;
  bucket?: NameRef;
}

/** The names the client docs use for each receiver, when the file does not say where it came from. */
const CONVENTIONAL: Record<string, Role> = {
  nc: 'nc',
  conn: 'nc',
  natsConn: 'nc',
  nats_conn: 'nc',
  js: 'js',
  jsm: 'jsm',
  kvm: 'kvm',
  objm: 'objm',
  kv: 'kv',
};

const MODULES = new Set(['nats', 'jetstream', 'aio', 'client']);

const PUBLISH = new Set(['publish', 'publishmsg']);
const JS_PUBLISH = new Set(['publish', 'publishasync', 'publishmsg', 'publishmsgasync', 'publishstring']);
const REQUEST = new Set(['request', 'requestmany', 'requestmsg', 'requestwithcontext', 'oldrequest']);
const SUBSCRIBE = new Set(['subscribe', 'subscribesync', 'chansubscribe']);
const QUEUE_SUBSCRIBE = new Set(['queuesubscribe', 'queuesubscribesync', 'chanqueuesubscribe', 'queuesubscribesyncwithchan']);
const CONSUME = new Set(['consume', 'fetch', 'fetchnowait', 'fetchbytes', 'messages', 'next']);
const KV_GET = new Set(['get', 'getrevision']);
const KV_PUT = new Set(['put', 'putstring', 'create', 'update']);
const KV_WATCH = new Set(['watch', 'watchall', 'watchfiltered']);
const OTHER = ['connect', 'jetstream', 'new', 'jetstreammanager', 'kvm', 'objm', 'pullsubscribe', 'consumer', 'createconsumer', 'createorupdateconsumer', 'updateconsumer', 'orderedconsumer', 'stream', 'createstream', 'createorupdatestream', 'keyvalue', 'keyvaluestore', 'createkeyvalue', 'createorupdatekeyvalue', 'updatekeyvalue', 'objectstore', 'createobjectstore', 'createorupdateobjectstore', 'add', 'kv', 'os', 'open'];
/** Every method name classify() knows: other calls are skipped before any node is read. */
const INTERESTING = new Set([...PUBLISH, ...JS_PUBLISH, ...REQUEST, ...SUBSCRIBE, ...QUEUE_SUBSCRIBE, ...CONSUME, ...KV_GET, ...KV_PUT, ...KV_WATCH, ...OTHER]);

/**
 * The method name of a call from its text: the identifier before the `(` that matches the
 * closing `)`. Undefined when the text does not have that shape (the call is then read fully).
 */
function methodFromText(src: string, start: number, end: number): string | undefined {
  if (src[end - 1] !== ')') return undefined;
  let depth = 0;
  let i = end - 1;
  for (; i >= start; i--) {
    const ch = src[i];
    if (ch === ')') depth++;
    else if (ch === '(' && --depth === 0) break;
  }
  if (i < start) return undefined;
  let j = i - 1;
  while (j >= start && /\s/.test(src[j])) j--;
  let k = j;
  while (k >= start && /[\w$]/.test(src[k])) k--;
  return j > k ? src.slice(k + 1, j + 1) : undefined;
}

type Classified = Partial<Pick<NatsCall, 'kind' | 'subject' | 'queue' | 'stream' | 'consumer' | 'bucket' | 'key' | 'durable' | 'ackWaitMs'>> & { result?: Binding };

const refOf = (v: Value | undefined): NameRef | undefined => (v?.kind === 'name' ? v.ref : undefined);

/**
 * What a chunk reads from the rest of its file. analysis.ts records every answer, so a chunk
 * whose text did not change is reused only while the answers it got are still the same.
 */
export interface ChunkContext {
  constants: Constants;
  /** The receiver bound to this name by the chunks above (bindings flow in document order). */
  binding(name: string): Binding | undefined;
  functionText(name: string): string | undefined;
  /** The last comment ending on `row` (a row the chunk does not own alone). */
  commentEndingAt(row: number): { startRow: number; text: string } | undefined;
}

export interface ChunkSpan {
  nodes: readonly Node[];
  startIndex: number;
  endIndex: number;
  startRow: number;
  endRow: number;
}

export interface ChunkRecognition {
  calls: NatsCall[];
  facts: StructureFacts;
  syntaxErrors: number;
  /** The receivers this chunk bound, last binding of each name (for the chunks below). */
  writes: [string, Binding][];
}

const TYPES_BY_LANG = new Map<SourceLanguage, string[]>();
const typesFor = (lang: SourceLanguage) => {
  let t = TYPES_BY_LANG.get(lang);
  if (!t) TYPES_BY_LANG.set(lang, (t = [...new Set([...CALL_TYPES[lang], ...FUNCTION_TYPES, ...ASSIGN_TYPES, ...CONSTANT_TYPES[lang], ...LOOP_TYPES, 'comment'])]));
  return t;
};

/** The nodes of a chunk the recognisers read, from one walk of it (phase one of analysis.ts). */
export function chunkNodes(span: ChunkSpan, lang: SourceLanguage): NodesByType {
  return nodesByType(span.nodes, typesFor(lang));
}

/** Finds the NATS calls in one top-level chunk of a file; all positions are absolute. */
export function recogniseChunk(span: ChunkSpan, by: NodesByType, text: string, lang: SourceLanguage, ctx: ChunkContext): ChunkRecognition {
  const consts = ctx.constants;
  // this chunk's own bindings over those of the chunks above
  const bindings = new Map<string, Binding>();
  const bound = (name: string) => bindings.get(name) ?? ctx.binding(name);
  const calls: NatsCall[] = [];
  const nodes: Node[] = [];
  const own = new Map<number, { startRow: number; text: string }>();
  for (const c of by.get('comment') ?? []) own.set(c.endPosition.row, { startRow: c.startPosition.row, text: stripComment(c.text) });
  // rows strictly inside the chunk hold only its own text; the others may hold a neighbour's comment
  const index = new FileIndex(text, lang, by, (row) => (row > span.startRow && row < span.endRow ? own.get(row) : ctx.commentEndingAt(row)));
  const src = text;
  // document order, and the inner of two calls starting at the same place first (`new Kvm(nc).open()`);
  // positions read once: every property read crosses into wasm
  const entries = CALL_TYPES[lang]
    .flatMap((t) => by.get(t) ?? [])
    .map((n) => ({ n, s: n.startIndex, e: n.endIndex }))
    .sort((a, b) => a.s - b.s || a.e - b.e);
  // results of calls used directly as receivers: `new Kvm(nc).open('b')`
  const results = new Map<number, Binding>();

  const roleOf = (path: string[]): Binding | undefined => {
    if (!path.length) return undefined;
    const last = path[path.length - 1];
    const own = bound(last) ?? (CONVENTIONAL[last] ? { role: CONVENTIONAL[last] } : undefined);
    if (own) return own;
    if (path.length >= 2) {
      const prev = path[path.length - 2];
      const base = bound(prev) ?? (CONVENTIONAL[prev] ? { role: CONVENTIONAL[prev] } : undefined);
      if (base?.role === 'js' && (last === 'consumers' || last === 'views')) return { role: `js.${last}` as Role };
      if (base?.role === 'jsm' && last === 'consumers') return { role: 'jsm.consumers' };
    }
    return undefined;
  };

  for (const { n: node, s, e } of entries) {
    const guess = methodFromText(src, s, e);
    if (guess !== undefined && !INTERESTING.has(normalise(guess))) continue;
    const c = callee(node);
    if (!c) continue;
    const path = receiverPath(c.receiver);
    const isModule = !c.receiver || (path.length === 1 && MODULES.has(path[0]) && bound(path[0]) === undefined);
    const recvNode = c.receiver && unwrap(c.receiver);
    const direct = recvNode && CALL_TYPES[lang].includes(recvNode.type) ? results.get(recvNode.id) : undefined;
    const recv = direct ?? (isModule || !c.receiver || CALL_TYPES[lang].includes(recvNode!.type) ? undefined : roleOf(path));
    if (!recv && !(isModule && !direct && !(recvNode && CALL_TYPES[lang].includes(recvNode.type)))) continue;
    const args = callArgs(node, lang, consts);
    const cls = classify(normalise(c.method), c.isNew, recv, args, lang, node, path[0]);
    if (!cls) continue;
    if (cls.result) {
      results.set(node.id, cls.result);
      const target = index.assignedName(node);
      if (target) bindings.set(target, cls.result);
    }
    if (!cls.kind) continue;
    const fn = index.enclosingFunction(node);
    calls.push({
      kind: cls.kind,
      language: lang,
      call: `${path.length ? `${path.join('.')}.` : ''}${c.method}`,
      range: rangeOf(node),
      ...(cls.subject && { subject: cls.subject }),
      ...(cls.queue && { queue: cls.queue }),
      ...(cls.stream && { stream: cls.stream }),
      ...(cls.consumer && { consumer: cls.consumer }),
      ...(cls.bucket && { bucket: cls.bucket }),
      ...(cls.key && { key: cls.key }),
      ...(cls.durable && { durable: cls.durable }),
      ...(cls.ackWaitMs !== undefined && { ackWaitMs: cls.ackWaitMs }),
      ...(fn.name && { functionName: fn.name }),
      comments: index.commentsFor(node, fn.node),
    });
    nodes.push(node);
  }
  const facts = structureFacts({
    chunk: span,
    lang,
    calls,
    nodes,
    index,
    callEntries: entries,
    loops: [...LOOP_TYPES].flatMap((t) => by.get(t) ?? []),
    comments: by.get('comment') ?? [],
    functionText: (name) => ctx.functionText(name),
  });
  let syntaxErrors = 0;
  for (const n of span.nodes) if (n.hasError) syntaxErrors += n.descendantsOfType(['ERROR', 'MISSING']).length;
  return { calls, facts, syntaxErrors, writes: [...bindings] };
}

function unwrap(n: Node): Node {
  let x = n;
  while (/^(await_expression|await|parenthesized_expression|non_null_expression)$/.test(x.type) && x.namedChildren[0]) x = x.namedChildren[0];
  return x;
}

function classify(m: string, isNew: boolean, recv: Binding | undefined, args: Arg[], lang: SourceLanguage, node: Node, module?: string): Classified | undefined {
  const pos = args.filter((a) => !a.keyword);
  const kw = (name: string) => args.find((a) => a.keyword === name)?.value;
  const at = (i: number) => pos[i]?.value;
  const firstName = () => refOf(at(0));
  const ackWait = (cfg: Value | undefined) => {
    const f = field(cfg, 'ack_wait', 'AckWait', 'ackWait');
    return f ? durationMs(f.node, lang) : undefined;
  };

  if (!recv) {
    // module-level functions and constructors
    if (m === 'connect') return { result: { role: 'nc' } };
    if (m === 'jetstream' || (m === 'new' && module === 'jetstream')) return { result: { role: 'js' } };
    if (m === 'jetstreammanager') return { result: { role: 'jsm' } };
    if (isNew && m === 'kvm') return { result: { role: 'kvm' } };
    if (isNew && m === 'objm') return { result: { role: 'objm' } };
    return undefined;
  }
  switch (recv.role) {
    case 'nc':
      if (m === 'jetstream') return { result: { role: 'js' } };
      if (m === 'jetstreammanager') return { result: { role: 'jsm' } };
      if (PUBLISH.has(m)) return { kind: 'publish', subject: firstName() };
      if (REQUEST.has(m)) return { kind: 'request', subject: firstName() };
      if (SUBSCRIBE.has(m)) return { kind: 'subscribe', subject: firstName(), queue: refOf(field(at(1), 'queue')?.value ?? kw('queue')), result: { role: 'sub' } };
      if (QUEUE_SUBSCRIBE.has(m)) return { kind: 'subscribe', subject: firstName(), queue: refOf(at(1)), result: { role: 'sub' } };
      return undefined;
    case 'js': {
      if (JS_PUBLISH.has(m)) return { kind: 'jsPublish', subject: firstName() };
      if (m === 'pullsubscribe') {
        // Go: (subj, durable, opts…); py: (subject, durable=, stream=, config=); v2 js: (subj, { config: { durable_name } })
        const durable = refOf(kw('durable')) ?? (lang === 'go' || lang === 'python' ? refOf(at(1)) : refOf(field(at(1), 'durable_name')?.value));
        const stream = refOf(kw('stream'));
        return {
          kind: 'pullSubscribe',
          subject: firstName(),
          durable,
          stream,
          ackWaitMs: ackWait(kw('config') ?? at(1)),
          result: { role: 'pullsub', consumer: durable, stream },
        };
      }
      if (SUBSCRIBE.has(m) || QUEUE_SUBSCRIBE.has(m)) {
        const queue = QUEUE_SUBSCRIBE.has(m) ? refOf(at(1)) : refOf(kw('queue') ?? field(at(1), 'queue', 'deliver_group')?.value);
        const durable = refOf(kw('durable') ?? field(at(1), 'durable_name')?.value);
        return { kind: 'subscribe', subject: firstName(), queue, durable, stream: refOf(kw('stream')), result: { role: 'sub', consumer: durable } };
      }
      if (m === 'consumer') {
        const stream = refOf(at(0));
        const consumer = refOf(at(1));
        return { kind: 'consumer', stream, consumer, result: { role: 'consumer', stream, consumer } };
      }
      if (m === 'createconsumer' || m === 'createorupdateconsumer' || m === 'updateconsumer' || m === 'orderedconsumer') {
        const stream = refOf(at(0));
        const cfg = at(1);
        const consumer = refOf(field(cfg, 'Durable', 'Name')?.value);
        return { kind: 'consumer', stream, consumer, ackWaitMs: ackWait(cfg), result: { role: 'consumer', stream, consumer } };
      }
      if (m === 'stream' || m === 'createstream' || m === 'createorupdatestream') return { result: { role: 'stream', stream: refOf(at(0)) ?? refOf(field(at(0), 'Name')?.value) } };
      if (m === 'keyvalue' || m === 'keyvaluestore') {
        const bucket = refOf(kw('bucket') ?? at(0));
        return { kind: 'kvOpen', bucket, result: { role: 'kv', bucket } };
      }
      if (m === 'createkeyvalue' || m === 'createorupdatekeyvalue' || m === 'updatekeyvalue') {
        const cfg = kw('config') ?? at(0);
        const bucket = refOf(kw('bucket')) ?? refOf(field(cfg, 'Bucket', 'bucket')?.value) ?? refOf(cfg);
        return { kind: 'kvCreate', bucket, result: { role: 'kv', bucket } };
      }
      if (m === 'objectstore') {
        const bucket = refOf(kw('bucket') ?? at(0));
        return { kind: 'objOpen', bucket, result: { role: 'obj', bucket } };
      }
      if (m === 'createobjectstore' || m === 'createorupdateobjectstore') {
        const cfg = kw('config') ?? at(0);
        const bucket = refOf(kw('bucket')) ?? refOf(field(cfg, 'Bucket', 'bucket')?.value) ?? refOf(cfg);
        return { kind: 'objCreate', bucket, result: { role: 'obj', bucket } };
      }
      return undefined;
    }
    case 'stream': {
      if (m === 'consumer') return { kind: 'consumer', stream: recv.stream, consumer: refOf(at(0)), result: { role: 'consumer', stream: recv.stream, consumer: refOf(at(0)) } };
      if (m === 'createconsumer' || m === 'createorupdateconsumer' || m === 'orderedconsumer') {
        const consumer = refOf(field(at(0), 'Durable', 'Name')?.value);
        return { kind: 'consumer', stream: recv.stream, consumer, ackWaitMs: ackWait(at(0)), result: { role: 'consumer', stream: recv.stream, consumer } };
      }
      return undefined;
    }
    case 'js.consumers':
      if (m === 'get') {
        const stream = refOf(at(0));
        const consumer = refOf(at(1));
        return { kind: 'consumer', stream, consumer, result: { role: 'consumer', stream, consumer } };
      }
      return undefined;
    case 'jsm.consumers':
      if (m === 'add' || m === 'update') {
        const stream = refOf(at(0));
        const cfg = at(m === 'add' ? 1 : 2);
        const consumer = m === 'add' ? refOf(field(cfg, 'durable_name', 'name')?.value) : refOf(at(1));
        return { kind: 'consumer', stream, consumer, ackWaitMs: ackWait(cfg) };
      }
      return undefined;
    case 'js.views':
      if (m === 'kv') return { kind: 'kvOpen', bucket: firstName(), result: { role: 'kv', bucket: firstName() } };
      if (m === 'os') return { kind: 'objOpen', bucket: firstName(), result: { role: 'obj', bucket: firstName() } };
      return undefined;
    case 'kvm':
      if (m === 'open') return { kind: 'kvOpen', bucket: firstName(), result: { role: 'kv', bucket: firstName() } };
      if (m === 'create') return { kind: 'kvCreate', bucket: firstName(), result: { role: 'kv', bucket: firstName() } };
      return undefined;
    case 'objm':
      if (m === 'open') return { kind: 'objOpen', bucket: firstName(), result: { role: 'obj', bucket: firstName() } };
      if (m === 'create') return { kind: 'objCreate', bucket: firstName(), result: { role: 'obj', bucket: firstName() } };
      return undefined;
    case 'kv':
      if (KV_GET.has(m)) return { kind: 'kvGet', bucket: recv.bucket, key: firstName() };
      if (KV_PUT.has(m)) return { kind: 'kvPut', bucket: recv.bucket, key: firstName() };
      if (KV_WATCH.has(m)) {
        // js: watch({ key }); go: Watch(ctx, "k"), WatchAll(ctx); py: watch("k")
        const key = refOf(field(at(0), 'key')?.value) ?? (m === 'watchall' ? undefined : firstName());
        return { kind: 'kvWatch', bucket: recv.bucket, key, result: { role: 'watcher', bucket: recv.bucket } };
      }
      return undefined;
    case 'consumer':
    case 'pullsub':
      if (CONSUME.has(m) && node) return { kind: 'consume', stream: recv.stream, consumer: recv.consumer };
      return undefined;
    default:
      return undefined;
  }
}

export type { Constants };

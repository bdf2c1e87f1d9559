/**
 * Finds the NATS calls of nats.js (v2 `nats` and v3 `@nats-io/*`), nats.go (core and the
 * `jetstream` package, plus the legacy JetStreamContext) and nats-py in one parsed file.
 *
 * Receivers are told apart by what they were made from in the same file (`const js =
 * jetstream(nc)`, `js, _ := jetstream.New(nc)`, `kv = await js.key_value("b")`), falling back
 * to the names every client's docs use (`nc`, `js`, `kv`). A KV operation carries the bucket of
 * the `open` its receiver came from.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { CALL_TYPES, FUNCTION_TYPES, callArgs, callee, collectConstants, durationMs, field, normalise, rangeOf, receiverPath, type Arg, type Constants, type Value } from './syntax';
import { structureFacts } from './structure';
import type { CallKind, NameRef, NatsCall, Recognition, SourceLanguage } from './types';

type Role = 'nc' | 'js' | 'jsm' | 'kvm' | 'objm' | 'kv' | 'obj' | 'stream' | 'consumer' | 'pullsub' | 'sub' | 'watcher' | 'js.consumers' | 'js.views' | 'jsm.consumers';

interface Binding {
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

type Classified = Partial<Pick<NatsCall, 'kind' | 'subject' | 'queue' | 'stream' | 'consumer' | 'bucket' | 'key' | 'durable' | 'ackWaitMs'>> & { result?: Binding };

const refOf = (v: Value | undefined): NameRef | undefined => (v?.kind === 'name' ? v.ref : undefined);

export function recognise(tree: Tree, lang: SourceLanguage): Recognition {
  const root = tree.rootNode;
  const consts = collectConstants(root, lang);
  const bindings = new Map<string, Binding>();
  const calls: NatsCall[] = [];
  const callNodes = root.descendantsOfType(CALL_TYPES[lang]).filter((n): n is Node => !!n);
  // inner calls first within the same statement would not change bindings; document order is what matters
  callNodes.sort((a, b) => a.startIndex - b.startIndex || a.endIndex - b.endIndex);
  // results of calls used directly as receivers: `new Kvm(nc).open('b')`
  const results = new Map<number, Binding>();

  const roleOf = (path: string[]): Binding | undefined => {
    if (!path.length) return undefined;
    const last = path[path.length - 1];
    const own = bindings.get(last) ?? (CONVENTIONAL[last] ? { role: CONVENTIONAL[last] } : undefined);
    if (own) return own;
    if (path.length >= 2) {
      const prev = path[path.length - 2];
      const base = bindings.get(prev) ?? (CONVENTIONAL[prev] ? { role: CONVENTIONAL[prev] } : undefined);
      if (base?.role === 'js' && (last === 'consumers' || last === 'views')) return { role: `js.${last}` as Role };
      if (base?.role === 'jsm' && last === 'consumers') return { role: 'jsm.consumers' };
    }
    return undefined;
  };

  for (const node of callNodes) {
    const c = callee(node);
    if (!c) continue;
    const path = receiverPath(c.receiver);
    const isModule = !c.receiver || (path.length === 1 && MODULES.has(path[0]) && !bindings.has(path[0]));
    const recvNode = c.receiver && unwrap(c.receiver);
    const direct = recvNode && CALL_TYPES[lang].includes(recvNode.type) ? results.get(recvNode.id) : undefined;
    const recv = direct ?? (isModule || !c.receiver || CALL_TYPES[lang].includes(recvNode!.type) ? undefined : roleOf(path));
    if (!recv && !(isModule && !direct && !(recvNode && CALL_TYPES[lang].includes(recvNode.type)))) continue;
    const args = callArgs(node, lang, consts);
    const cls = classify(normalise(c.method), c.isNew, recv, args, lang, node, path[0]);
    if (!cls) continue;
    if (cls.result) {
      results.set(node.id, cls.result);
      const target = assignedName(node);
      if (target) bindings.set(target, cls.result);
    }
    if (!cls.kind) continue;
    const fn = enclosingFunction(node);
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
      comments: commentsAbove(node, fn.node),
    });
  }
  return { language: lang, calls, facts: structureFacts(root, lang, calls), syntaxErrors: root.hasError ? countErrors(root) : 0 };
}

function unwrap(n: Node): Node {
  let x = n;
  while (/^(await_expression|await|parenthesized_expression|non_null_expression)$/.test(x.type) && x.namedChildren[0]) x = x.namedChildren[0];
  return x;
}

function countErrors(root: Node): number {
  return root.descendantsOfType('ERROR').length + root.descendantsOfType('MISSING').length;
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

/** `const x = await call()`, `x, err := call()`, `x = await call()` → `x`. */
function assignedName(call: Node): string | undefined {
  let n: Node = call;
  for (let p = n.parent; p; n = p, p = p.parent) {
    switch (p.type) {
      case 'await_expression':
      case 'await':
      case 'parenthesized_expression':
      case 'expression_list':
      case 'non_null_expression':
      case 'as_expression':
        continue;
      case 'variable_declarator':
        return p.childForFieldName('name')?.type === 'identifier' ? p.childForFieldName('name')!.text : undefined;
      case 'assignment_expression':
      case 'assignment': {
        const left = p.childForFieldName('left');
        return left ? (receiverPath(left).at(-1) ?? left.namedChildren[0]?.text) : undefined;
      }
      case 'short_var_declaration':
      case 'assignment_statement': {
        const first = p.childForFieldName('left')?.namedChildren[0];
        return first ? receiverPath(first).at(-1) : undefined;
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

export function enclosingFunction(n: Node): { node?: Node; name?: string } {
  for (let p = n.parent; p; p = p.parent) {
    if (!FUNCTION_TYPES.has(p.type)) continue;
    const own = p.childForFieldName('name')?.text;
    if (own) return { node: p, name: own };
    // const handler = async () => {…}
    const holder = p.parent?.type === 'variable_declarator' ? p.parent.childForFieldName('name')?.text : undefined;
    if (holder) return { node: p, name: holder };
    // an anonymous callback: keep climbing for a named function, but remember the innermost
    const outer = enclosingFunction(p);
    return { node: p, name: outer.name };
  }
  return {};
}

const stripComment = (t: string) =>
  t
    .replace(/^\s*(\/\/+|#+|\/\*+|\*+\/?)/gm, '')
    .replace(/\*\/\s*$/, '')
    .trim();

/** Comments right above the call's statement, and those at the top of its function. */
function commentsAbove(call: Node, fn: Node | undefined): string[] {
  let stmt: Node = call;
  while (stmt.parent && !/block|program|module|source_file|statement_list|statement_block|class_body/.test(stmt.parent.type)) stmt = stmt.parent;
  const out: string[] = [];
  for (let s = stmt.previousNamedSibling; s?.type === 'comment'; s = s.previousNamedSibling) out.unshift(stripComment(s.text));
  if (fn) {
    let decl: Node = fn;
    while (decl.parent && /export_statement|decorated_definition|variable_declarator|lexical_declaration/.test(decl.parent.type)) decl = decl.parent;
    const above: string[] = [];
    for (let s = decl.previousNamedSibling; s?.type === 'comment'; s = s.previousNamedSibling) above.unshift(stripComment(s.text));
    // Python docstring: the first statement of the body
    const body = fn.childForFieldName('body');
    const first = body?.namedChildren[0];
    if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') above.push(first.namedChildren[0].text.replace(/^("""|'''|"|')|("""|'''|"|')$/g, '').trim());
    for (const c of above) if (!out.includes(c)) out.unshift(c);
  }
  return out.filter(Boolean);
}

export type { Constants };

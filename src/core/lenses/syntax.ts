/**
 * The three grammars' shapes, reduced to what the recognisers need: a call's receiver,
 * method and arguments; a value as a string, a same-file constant, a template with a literal
 * prefix, a set of named fields (object literal, Go composite literal, Python keyword call)
 * or a duration.
 */
import type { Node } from 'web-tree-sitter';
import type { NameRef, Range, SourceLanguage } from './types';

export type Value =
  | { kind: 'name'; ref: NameRef }
  | { kind: 'ident'; name: string }
  | { kind: 'fields'; fields: Map<string, { value: Value; node: Node }> }
  | { kind: 'other' };

export interface Arg {
  /** Python keyword argument name. */
  keyword?: string;
  /** Worked out on first read: most arguments of most calls are never looked at. */
  readonly value: Value;
  node: Node;
}

function lazyArg(node: Node, lang: SourceLanguage, consts: Constants, keyword?: string): Arg {
  let v: Value | undefined;
  return {
    ...(keyword !== undefined && { keyword }),
    node,
    get value() {
      return (v ??= valueOf(node, lang, consts));
    },
  };
}

export interface Callee {
  /** The receiver expression (`js.consumers` in `js.consumers.get`), absent for a bare call. */
  receiver?: Node;
  method: string;
  isNew: boolean;
}

export const CALL_TYPES: Record<SourceLanguage, string[]> = {
  typescript: ['call_expression', 'new_expression'],
  tsx: ['call_expression', 'new_expression'],
  javascript: ['call_expression', 'new_expression'],
  go: ['call_expression'],
  python: ['call'],
};

export const FUNCTION_TYPES = new Set([
  'function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'method_declaration',
  'func_literal',
  'function_definition',
  'lambda',
]);

export const LOOP_TYPES = new Set(['for_in_statement', 'for_statement', 'while_statement', 'do_statement']);

export function rangeOf(n: Node): Range {
  return { start: { line: n.startPosition.row, col: n.startPosition.column }, end: { line: n.endPosition.row, col: n.endPosition.column } };
}

/** `fetchUser` / `fetch_user` / `FetchUser` → `fetchuser`: one table serves the three languages. */
export const normalise = (method: string) => method.replace(/_/g, '').toLowerCase();

export function callee(node: Node): Callee | undefined {
  if (node.type === 'new_expression') {
    const c = node.childForFieldName('constructor');
    return c ? { method: c.type === 'member_expression' ? (c.childForFieldName('property')?.text ?? c.text) : c.text, isNew: true } : undefined;
  }
  const fn = node.childForFieldName('function');
  if (!fn) return undefined;
  switch (fn.type) {
    case 'member_expression':
      return { receiver: fn.childForFieldName('object') ?? undefined, method: fn.childForFieldName('property')?.text ?? '', isNew: false };
    case 'selector_expression':
      return { receiver: fn.childForFieldName('operand') ?? undefined, method: fn.childForFieldName('field')?.text ?? '', isNew: false };
    case 'attribute':
      return { receiver: fn.childForFieldName('object') ?? undefined, method: fn.childForFieldName('attribute')?.text ?? '', isNew: false };
    case 'identifier':
      return { method: fn.text, isNew: false };
    default:
      return undefined;
  }
}

/** Receiver as a path of names: `this.js.consumers` → ['js', 'consumers']; calls and indexes break it. */
export function receiverPath(n: Node | undefined): string[] {
  if (!n) return [];
  switch (n.type) {
    case 'identifier':
    case 'property_identifier':
    case 'field_identifier':
    case 'package_identifier':
      return [n.text];
    case 'this':
    case 'self':
      return [];
    case 'member_expression':
      return [...receiverPath(n.childForFieldName('object') ?? undefined), n.childForFieldName('property')?.text ?? ''];
    case 'selector_expression':
      return [...receiverPath(n.childForFieldName('operand') ?? undefined), n.childForFieldName('field')?.text ?? ''];
    case 'attribute':
      return [...receiverPath(n.childForFieldName('object') ?? undefined), n.childForFieldName('attribute')?.text ?? ''];
    case 'await_expression':
    case 'await':
    case 'parenthesized_expression':
    case 'non_null_expression':
      return receiverPath(n.namedChildren[0] ?? undefined);
    default:
      return [];
  }
}

/** Go's jetstream API takes a context first: it is not a name. */
function isContextArg(n: Node): boolean {
  return /^(ctx|context|c)$/.test(n.text) || /^context\.\w+\(/.test(n.text) || /Ctx$|ctx$/.test(n.text);
}

export function callArgs(node: Node, lang: SourceLanguage, consts: Constants): Arg[] {
  const list = node.childForFieldName('arguments');
  if (!list) return [];
  const out: Arg[] = [];
  for (const a of list.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const v = a.childForFieldName('value');
      if (name && v) out.push(lazyArg(v, lang, consts, name));
      continue;
    }
    if (lang === 'go' && out.length === 0 && isContextArg(a)) continue;
    out.push(lazyArg(a, lang, consts));
  }
  return out;
}

/**
 * String constants of the file, by name; a name bound to two different strings is dropped. Read
 * through `get` only, so a file split into parts can record which constants each part used.
 */
export interface Constants {
  get(name: string): string | undefined;
}

export const CONSTANT_TYPES: Record<SourceLanguage, string[]> = {
  typescript: ['variable_declarator'],
  tsx: ['variable_declarator'],
  javascript: ['variable_declarator'],
  go: ['const_spec', 'var_spec', 'short_var_declaration'],
  python: ['assignment'],
};

/** The `name = "string"` bindings of some declarations, in order (conflicts are resolved by mergeConstants). */
export function constantPairs(decls: Node[], lang: SourceLanguage): [string, string][] {
  const out: [string, string][] = [];
  const bind = (name: Node | null | undefined, value: Node | null | undefined) => {
    if (!name || !value || name.type !== 'identifier') return;
    const s = plainString(value);
    if (s !== undefined) out.push([name.text, s]);
  };
  for (const n of decls) {
    if (lang === 'go') {
      const names = n.type === 'short_var_declaration' ? n.childForFieldName('left')?.namedChildren ?? [] : n.childrenForFieldName('name');
      const values = n.type === 'short_var_declaration' ? n.childForFieldName('right')?.namedChildren ?? [] : n.childForFieldName('value')?.namedChildren ?? [];
      if (names.length === values.length) names.forEach((nm, i) => bind(nm, values[i]));
    } else if (lang === 'python') {
      bind(n.childForFieldName('left'), n.childForFieldName('right'));
    } else {
      bind(n.childForFieldName('name'), n.childForFieldName('value'));
    }
  }
  return out;
}

export function mergeConstants(pairs: Iterable<readonly [string, string]>): Map<string, string> {
  const seen = new Map<string, string | null>();
  for (const [name, s] of pairs) {
    const prev = seen.get(name);
    seen.set(name, prev === undefined || prev === s ? s : null);
  }
  const out = new Map<string, string>();
  for (const [k, v] of seen) if (v !== null) out.set(k, v);
  return out;
}

/** The text of a string literal without interpolation, or undefined. */
function plainString(n: Node): string | undefined {
  switch (n.type) {
    case 'string': {
      const parts = n.namedChildren.filter((c) => c && c.type !== 'string_start' && c.type !== 'string_end');
      if (parts.some((c) => c!.type === 'interpolation' || c!.type === 'template_substitution')) return undefined;
      return parts.map((c) => c!.text).join('');
    }
    case 'template_string':
      return n.namedChildren.some((c) => c?.type === 'template_substitution') ? undefined : n.namedChildren.map((c) => c!.text).join('');
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return n.namedChildren.map((c) => c!.text).join('');
    default:
      return undefined;
  }
}

type Piece = { text: string; fromConst?: boolean } | { hole: true };

/** A string-ish expression as literal pieces and holes (interpolations we cannot resolve). */
function pieces(n: Node, lang: SourceLanguage, consts: Constants): Piece[] | undefined {
  switch (n.type) {
    case 'string':
    case 'template_string': {
      const out: Piece[] = [];
      for (const c of n.namedChildren) {
        if (!c || c.type === 'string_start' || c.type === 'string_end') continue;
        if (c.type === 'interpolation' || c.type === 'template_substitution') {
          const e = c.childForFieldName('expression') ?? c.namedChildren[0];
          const k = e?.type === 'identifier' ? consts.get(e.text) : undefined;
          out.push(k !== undefined ? { text: k, fromConst: true } : { hole: true });
        } else out.push({ text: c.text });
      }
      return out;
    }
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return [{ text: plainString(n) ?? '' }];
    case 'identifier': {
      const k = consts.get(n.text);
      return k !== undefined ? [{ text: k, fromConst: true }] : undefined;
    }
    case 'binary_expression':
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.text ?? n.children.find((c) => c?.text === '+')?.text;
      if (op !== '+') return undefined;
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      const lp = l ? pieces(l, lang, consts) : undefined;
      if (!lp) return undefined;
      return [...lp, ...((r && pieces(r, lang, consts)) ?? [{ hole: true }])];
    }
    case 'call_expression': {
      // Go: fmt.Sprintf("orders.%s.created", id)
      if (lang !== 'go' || !/^fmt\.Sprintf$/.test(n.childForFieldName('function')?.text ?? '')) return undefined;
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      const format = args[0] ? plainString(args[0]) : undefined;
      if (format === undefined) return undefined;
      const out: Piece[] = [];
      let argIndex = 1;
      for (const part of format.split(/(%[-+# 0-9.]*[a-zA-Z])/)) {
        if (/^%[-+# 0-9.]*[a-zA-Z]$/.test(part)) {
          const a = args[argIndex++];
          const k = a?.type === 'identifier' ? consts.get(a.text) : undefined;
          out.push(k !== undefined ? { text: k, fromConst: true } : { hole: true });
        } else if (part) out.push({ text: part });
      }
      return out;
    }
    case 'parenthesized_expression':
      return n.namedChildren[0] ? pieces(n.namedChildren[0], lang, consts) : undefined;
    default:
      return undefined;
  }
}

/** A name argument as a NameRef: literal, constant, or template with a literal prefix. */
export function nameOf(n: Node, lang: SourceLanguage, consts: Constants): NameRef | undefined {
  const ps = pieces(n, lang, consts);
  if (!ps) return undefined;
  const range = rangeOf(n);
  const holes = ps.some((p) => 'hole' in p);
  if (!holes) {
    const text = ps.map((p) => ('text' in p ? p.text : '')).join('');
    return { text, source: ps.some((p) => 'fromConst' in p && p.fromConst) ? 'constant' : 'literal', range };
  }
  const HOLE = '\u0000';
  const joined = ps.map((p) => ('text' in p ? p.text : HOLE)).join('');
  const prefix = joined.slice(0, joined.indexOf(HOLE));
  if (!prefix) return undefined; // no literal prefix: nothing to match on
  const text = joined
    .split('.')
    .map((t) => (t.includes(HOLE) ? '*' : t))
    .join('.');
  return { text, source: 'template', range, prefix };
}

export function valueOf(n: Node, lang: SourceLanguage, consts: Constants): Value {
  let node = n;
  if (node.type === 'unary_expression' && node.namedChildren[0]) node = node.namedChildren[0]; // Go &Config{…}
  if (node.type === 'object') {
    const fields = new Map<string, { value: Value; node: Node }>();
    for (const p of node.namedChildren) {
      if (p?.type === 'pair') {
        const k = p.childForFieldName('key');
        const v = p.childForFieldName('value');
        if (k && v) fields.set(k.text.replace(/^['"]|['"]$/g, ''), { value: valueOf(v, lang, consts), node: v });
      }
    }
    return { kind: 'fields', fields };
  }
  if (node.type === 'composite_literal') {
    const fields = new Map<string, { value: Value; node: Node }>();
    for (const e of node.childForFieldName('body')?.namedChildren ?? []) {
      if (e?.type !== 'keyed_element') continue;
      const k = e.childForFieldName('key') ?? e.namedChildren[0];
      const v = e.childForFieldName('value') ?? e.namedChildren[1];
      const vn = v?.type === 'literal_element' ? v.namedChildren[0] : v;
      if (k && vn) fields.set(k.text, { value: valueOf(vn, lang, consts), node: vn });
    }
    return { kind: 'fields', fields };
  }
  if (lang === 'python' && node.type === 'call') {
    // ConsumerConfig(durable_name="x", ack_wait=30)
    const fields = new Map<string, { value: Value; node: Node }>();
    for (const a of node.childForFieldName('arguments')?.namedChildren ?? []) {
      if (a?.type !== 'keyword_argument') continue;
      const k = a.childForFieldName('name');
      const v = a.childForFieldName('value');
      if (k && v) fields.set(k.text, { value: valueOf(v, lang, consts), node: v });
    }
    if (fields.size) return { kind: 'fields', fields };
  }
  const ref = nameOf(node, lang, consts);
  if (ref) return { kind: 'name', ref };
  if (node.type === 'identifier') return { kind: 'ident', name: node.text };
  return { kind: 'other' };
}

/** A field anywhere in nested fields (`{ config: { durable_name } }`), first of `names` found. */
export function field(v: Value | undefined, ...names: string[]): { value: Value; node: Node } | undefined {
  if (!v || v.kind !== 'fields') return undefined;
  for (const nm of names) {
    const f = v.fields.get(nm);
    if (f) return f;
  }
  for (const f of v.fields.values()) {
    const inner = field(f.value, ...names);
    if (inner) return inner;
  }
  return undefined;
}

const UNIT_MS: Record<string, number> = {
  Nanosecond: 1e-6,
  Microsecond: 1e-3,
  Millisecond: 1,
  Second: 1000,
  Minute: 60_000,
  Hour: 3_600_000,
};

/**
 * An ack wait as written, in ms: nats.js `nanos(30_000)` (ms) or a nanosecond number,
 * Go `30 * time.Second`, nats-py seconds.
 */
export function durationMs(n: Node, lang: SourceLanguage): number | undefined {
  const num = (t: string) => Number(t.replace(/_/g, ''));
  if (lang === 'go') {
    const m = /^(?:([\d_.]+)\s*\*\s*)?time\.(\w+)$/.exec(n.text.trim()) ?? /^time\.(\w+)\s*\*\s*([\d_.]+)$/.exec(n.text.trim());
    if (m) {
      const [count, unit] = m[0].startsWith('time.') ? [m[2], m[1]] : [m[1] ?? '1', m[2]];
      return UNIT_MS[unit] !== undefined ? num(count) * UNIT_MS[unit] : undefined;
    }
    return /^[\d_]+$/.test(n.text) ? num(n.text) / 1e6 : undefined;
  }
  if (lang === 'python') return /^[\d_.]+$/.test(n.text) ? num(n.text) * 1000 : undefined;
  const nanos = /^nanos\(\s*([\d_.]+)\s*\)$/.exec(n.text.trim());
  if (nanos) return num(nanos[1]);
  return /^[\d_]+$/.test(n.text) ? num(n.text) / 1e6 : undefined;
}

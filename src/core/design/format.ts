/**
 * Writes a design in one canonical form: fixed key order per object kind, two-space JSON,
 * whole-number positions and a final newline, so saving an unchanged design changes no byte
 * and moving one component changes two lines.
 */
import { TEST_IDS } from '../decide';
import { OVERRIDE_FIELDS, type OverrideTarget } from './fields';
import type { FlowDesign } from './model';

const ORDER = {
  root: ['$schema', 'version', 'name', 'description', 'environment', 'components', 'paths', 'objectStores', 'overrides'],
  objectStore: ['bucket', 'description', 'components', 'ttl', 'max_bytes', 'storage', 'replicas'],
  component: ['id', 'kind', 'name', 'description', 'position', 'guessed'],
  position: ['x', 'y'],
  path: ['id', 'from', 'to', 'description', 'subject', 'answers', 'primitive', 'override', 'processingTime', 'inProgressAcks', 'rate', 'queueGroup', 'deadLetter', 'schema', 'guessed'],
  override: ['primitive', 'reason'],
  deadLetter: ['mode', 'reason'],
  overrides: ['streams', 'consumers', 'buckets'],
} as const;

type Obj = Record<string, unknown>;

function ordered(obj: Obj, keys: readonly string[], map: (key: string, v: unknown) => unknown = (_k, v) => v): Obj {
  const out: Obj = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = map(k, obj[k]);
  // keys we do not know keep their place at the end rather than being dropped
  for (const k of Object.keys(obj)) if (!(k in out) && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function sortedKeys(obj: Obj, map: (key: string, v: unknown) => unknown): Obj {
  return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, map(k, obj[k])]));
}

/** The design as canonical text. */
export function formatDesign(design: FlowDesign): string {
  const d = design as unknown as Obj;
  const out = ordered(d, ORDER.root, (k, v) => {
    if (k === 'components') {
      return (v as Obj[]).map((c) =>
        ordered(c, ORDER.component, (ck, cv) => (ck === 'position' ? ordered(cv as Obj, ORDER.position, (_pk, n) => Math.round(n as number)) : cv)),
      );
    }
    if (k === 'paths') {
      return (v as Obj[]).map((p) =>
        ordered(p, ORDER.path, (pk, pv) => {
          if (pk === 'answers') return ordered(pv as Obj, TEST_IDS);
          if (pk === 'override') return ordered(pv as Obj, ORDER.override);
          if (pk === 'deadLetter') return ordered(pv as Obj, ORDER.deadLetter);
          return pv;
        }),
      );
    }
    if (k === 'objectStores') return (v as Obj[]).map((o) => ordered(o, ORDER.objectStore));
    if (k === 'overrides') {
      return ordered(v as Obj, ORDER.overrides, (target, group) =>
        sortedKeys(group as Obj, (_key, fields) => ordered(fields as Obj, Object.keys(OVERRIDE_FIELDS[target as OverrideTarget] ?? {}))),
      );
    }
    return v;
  });
  return stringifyCompact(out) + '\n';
}

const INLINE_WIDTH = 100;

/**
 * Two-space JSON where an object or array holding only scalars is written on one line when
 * it fits (positions, answers, receiver lists, subject lists): moving a component or
 * changing an answer then shows as a one-line diff.
 */
export function stringifyCompact(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      const line = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (line.length + indent.length <= INLINE_WIDTH) return line;
    }
    return `[\n${value.map((v) => inner + stringifyCompact(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Obj).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  if (entries.every(([, v]) => v === null || typeof v !== 'object')) {
    const line = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
    if (line.length + indent.length <= INLINE_WIDTH) return line;
  }
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringifyCompact(v, inner)}`).join(',\n')}\n${indent}}`;
}

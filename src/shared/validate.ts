/**
 * Runtime checks for messages that cross the webview boundary. Both sides treat what they
 * receive as untrusted data: a webview can be scripted by whatever it renders, and a host
 * message may come from an older or newer build. Dependency-free, so webview bundles can
 * import it (unlike `protocol.ts`, which is types only).
 *
 * A `Check<T>` returns the value typed, or throws `ValidationError` naming the path of the
 * first problem ("tests[2].verdict: expected one of kv|stream|null, got 42").
 */
import type { NotificationMessage, RequestMessage, ResponseMessage } from './protocol';

export class ValidationError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`${path || 'message'}: ${problem}`);
    this.name = 'ValidationError';
  }
}

export type Check<T> = (value: unknown, path: string) => T;

/** Longest string any message field may carry; a webview has no business rendering more. */
export const MAX_STRING = 100_000;
export const MAX_ARRAY = 1_000;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} chars` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export const str =
  (max = MAX_STRING): Check<string> =>
  (v, path) => {
    if (typeof v !== 'string') throw new ValidationError(path, `expected a string, got ${describe(v)}`);
    if (v.length > max) throw new ValidationError(path, `string of ${v.length} chars exceeds ${max}`);
    return v;
  };

export const num: Check<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(path, `expected a number, got ${describe(v)}`);
  return v;
};

export const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new ValidationError(path, `expected a boolean, got ${describe(v)}`);
  return v;
};

export function oneOf<const T extends readonly (string | number | boolean | null)[]>(...values: T): Check<T[number]> {
  return (v, path) => {
    if (!values.includes(v as T[number])) {
      throw new ValidationError(path, `expected one of ${values.map(String).join('|')}, got ${describe(v)}`);
    }
    return v as T[number];
  };
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, path) => (v === undefined ? undefined : check(v, path));
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, path) => (v === null ? null : check(v, path));
}

export function arrayOf<T>(check: Check<T>, max = MAX_ARRAY): Check<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) throw new ValidationError(path, `expected an array, got ${describe(v)}`);
    if (v.length > max) throw new ValidationError(path, `array of ${v.length} items exceeds ${max}`);
    return v.map((item, i) => check(item, `${path}[${i}]`));
  };
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An object with the given fields, each checked. Unknown fields are dropped from the result
 * (not an error: newer senders may add fields), so nothing unchecked reaches the renderer.
 */
export function object<S extends Record<string, Check<unknown>>>(shape: S): Check<{ [K in keyof S]: ReturnType<S[K]> }> {
  return (v, path) => {
    if (!isPlainObject(v)) throw new ValidationError(path, `expected an object, got ${describe(v)}`);
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(shape)) {
      const value = check(v[key], path ? `${path}.${key}` : key);
      if (value !== undefined) out[key] = value;
    }
    return out as { [K in keyof S]: ReturnType<S[K]> };
  };
}

/** A record whose keys are a known set, each optional: `{ restart?: 'yes'|…, … }`. */
export function partialRecord<K extends string, T>(keys: readonly K[], check: (key: K) => Check<T>): Check<Partial<Record<K, T>>> {
  return (v, path) => {
    if (!isPlainObject(v)) throw new ValidationError(path, `expected an object, got ${describe(v)}`);
    const out: Partial<Record<K, T>> = {};
    for (const key of Object.keys(v)) {
      if (!(keys as readonly string[]).includes(key)) throw new ValidationError(path, `unknown key ${JSON.stringify(key.slice(0, 40))}`);
      const value = v[key];
      if (value !== undefined) out[key as K] = check(key as K)(value, `${path}.${key}`);
    }
    return out;
  };
}

/** Anything JSON-like, bounded in depth and size; for opaque payloads (a suggested config). */
export function jsonValue(maxDepth = 12): Check<unknown> {
  const walk = (v: unknown, path: string, depth: number): unknown => {
    if (depth > maxDepth) throw new ValidationError(path, `nested deeper than ${maxDepth}`);
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v === 'number') return num(v, path);
    if (typeof v === 'string') return str()(v, path);
    if (Array.isArray(v)) return arrayOf((x, p) => walk(x, p, depth + 1))(v, path);
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      const keys = Object.keys(v);
      if (keys.length > MAX_ARRAY) throw new ValidationError(path, `object of ${keys.length} keys exceeds ${MAX_ARRAY}`);
      for (const k of keys) out[k] = walk(v[k], `${path}.${k}`, depth + 1);
      return out;
    }
    throw new ValidationError(path, `expected JSON, got ${describe(v)}`);
  };
  return (v, path) => walk(v, path, 0);
}

/** Run a check without throwing. */
export function attempt<T>(check: Check<T>, value: unknown, path = ''): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: check(value, path) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

// ---- the envelope ------------------------------------------------------------------------

const METHOD = /^[a-z][a-zA-Z0-9]*\/[a-z][a-zA-Z0-9]*$/;

export type Envelope =
  | NotificationMessage<string, unknown>
  | RequestMessage<string, unknown>
  | ResponseMessage<string, unknown>;

/**
 * Checks the envelope only (kind, method, id, the ok/result/error pair); params are checked
 * by the receiver's per-method check. Throws `ValidationError`.
 */
export function parseEnvelope(raw: unknown): Envelope {
  if (!isPlainObject(raw)) throw new ValidationError('message', `expected an object, got ${describe(raw)}`);
  const kind = oneOf('notification', 'request', 'response')(raw.kind, 'kind');
  const method = str(200)(raw.method, 'method');
  if (!METHOD.test(method)) throw new ValidationError('method', `${describe(method)} is not a namespaced method like "area/verb"`);
  if (kind === 'notification') return { kind, method, params: raw.params };
  const id = num(raw.id, 'id');
  if (!Number.isSafeInteger(id) || id < 0) throw new ValidationError('id', `expected a non-negative integer, got ${describe(id)}`);
  if (kind === 'request') return { kind, id, method, params: raw.params };
  const ok = bool(raw.ok, 'ok');
  if (ok) return { kind, id, method, ok, result: raw.result };
  const error = object({
    code: oneOf('invalidParams', 'unknownMethod', 'handlerFailed', 'disposed', 'timeout'),
    message: str(10_000),
  })(raw.error, 'error');
  return { kind, id, method, ok, error };
}

/** The empty params object most notifications carry (`undefined` is accepted too). */
export const emptyParams: Check<Record<string, never>> = (v, path) => {
  if (v === undefined) return {};
  if (!isPlainObject(v)) throw new ValidationError(path, `expected an object, got ${describe(v)}`);
  return {};
};

/**
 * The JetStream API fields an override may set, with their kind, so hand-written overrides
 * are checked (a typo such as `max_delivery` is named, not silently ignored) and friendly
 * values ("7d", "1GB") become API units. The field names are the API's own, as in
 * `nats stream add --config` files.
 */
import { parseDuration, parseSize } from './units';

export type FieldKind =
  | { type: 'string'; allowEmpty?: boolean }
  | { type: 'subjects' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'int'; min?: number; max?: number }
  | { type: 'duration' }
  | { type: 'durations' }
  | { type: 'size' }
  | { type: 'bool' };

export type OverrideTarget = 'streams' | 'consumers' | 'buckets';

export const OVERRIDE_FIELDS: Record<OverrideTarget, Record<string, FieldKind>> = {
  streams: {
    name: { type: 'string' },
    description: { type: 'string', allowEmpty: true },
    subjects: { type: 'subjects' },
    retention: { type: 'enum', values: ['limits', 'interest', 'workqueue'] },
    storage: { type: 'enum', values: ['file', 'memory'] },
    num_replicas: { type: 'int', min: 1, max: 5 },
    max_age: { type: 'duration' },
    max_bytes: { type: 'size' },
    max_msgs: { type: 'int', min: -1 },
    max_msgs_per_subject: { type: 'int', min: -1 },
    max_msg_size: { type: 'size' },
    max_consumers: { type: 'int', min: -1 },
    discard: { type: 'enum', values: ['old', 'new'] },
    duplicate_window: { type: 'duration' },
    allow_direct: { type: 'bool' },
    allow_rollup_hdrs: { type: 'bool' },
    deny_delete: { type: 'bool' },
    deny_purge: { type: 'bool' },
  },
  consumers: {
    durable_name: { type: 'string' },
    description: { type: 'string', allowEmpty: true },
    filter_subject: { type: 'string' },
    deliver_policy: { type: 'enum', values: ['all', 'new', 'last', 'last_per_subject'] },
    ack_policy: { type: 'enum', values: ['explicit', 'all', 'none'] },
    ack_wait: { type: 'duration' },
    max_deliver: { type: 'int', min: -1 },
    backoff: { type: 'durations' },
    max_ack_pending: { type: 'int', min: -1 },
    max_waiting: { type: 'int', min: 1 },
    max_batch: { type: 'int', min: 0 },
    replay_policy: { type: 'enum', values: ['instant', 'original'] },
    inactive_threshold: { type: 'duration' },
    headers_only: { type: 'bool' },
  },
  buckets: {
    bucket: { type: 'string' },
    description: { type: 'string', allowEmpty: true },
    history: { type: 'int', min: 1, max: 64 },
    ttl: { type: 'duration' },
    storage: { type: 'enum', values: ['file', 'memory'] },
    replicas: { type: 'int', min: 1, max: 5 },
    max_value_size: { type: 'size' },
    max_bytes: { type: 'size' },
  },
};

/** Settings of an object store entry (`objectStores` in a design). */
export const OBJECT_STORE_FIELDS: Record<string, FieldKind> = {
  description: { type: 'string', allowEmpty: true },
  ttl: { type: 'duration' },
  max_bytes: { type: 'size' },
  storage: { type: 'enum', values: ['file', 'memory'] },
  replicas: { type: 'int', min: 1, max: 5 },
};

/** The API value of an override, or a reason it is not one. */
export function normalizeField(kind: FieldKind, value: unknown): { value: unknown } | { problem: string } {
  switch (kind.type) {
    case 'string':
      // an empty description says "none", which is how a server object without one is described
      return typeof value === 'string' && (value.length > 0 || kind.allowEmpty) ? { value } : { problem: 'must be a non-empty string' };
    case 'subjects':
      return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0)
        ? { value: [...value] }
        : { problem: 'must be a non-empty list of subjects' };
    case 'enum':
      return typeof value === 'string' && kind.values.includes(value) ? { value } : { problem: `must be one of ${kind.values.join(', ')}` };
    case 'int': {
      const ok = typeof value === 'number' && Number.isSafeInteger(value) && (kind.min === undefined || value >= kind.min) && (kind.max === undefined || value <= kind.max);
      const range = kind.min !== undefined && kind.max !== undefined ? ` from ${kind.min} to ${kind.max}` : kind.min !== undefined ? ` ≥ ${kind.min}` : '';
      return ok ? { value } : { problem: `must be a whole number${range}` };
    }
    case 'duration': {
      const ns = parseDuration(value);
      return ns === undefined ? { problem: 'must be a duration such as "30s", "2m", "168h", "7d" (or nanoseconds)' } : { value: ns };
    }
    case 'durations': {
      if (!Array.isArray(value) || value.length === 0) return { problem: 'must be a non-empty list of durations such as ["30s", "2m"]' };
      const out: number[] = [];
      for (const v of value) {
        const ns = parseDuration(v);
        if (ns === undefined || ns === 0) return { problem: `"${String(v)}" is not a positive duration` };
        out.push(ns);
      }
      return { value: out };
    }
    case 'size': {
      const b = parseSize(value);
      return b === undefined ? { problem: 'must be a size such as "500MB", "1GB" (1024-based) or a number of bytes, -1 for no limit' } : { value: b };
    }
    case 'bool':
      return typeof value === 'boolean' ? { value } : { problem: 'must be true or false' };
  }
}

/**
 * The field diff the editor shows before an update, and the check after it: what the
 * server did not take. Both compare configs as the server means them: a field left out is
 * the server's default (`compression: none`, `max_consumers: -1` … are not changes), the
 * server's own `_nats.*` metadata is not the user's, and key order does not matter.
 */
import type { ConfigKind } from './templates';

export interface ConfigChange {
  /** Dotted path, e.g. `max_age` or `metadata.owner`. */
  field: string;
  before: unknown;
  after: unknown;
  /** The server refuses to change this field after creation. */
  immutable: boolean;
  /** Why it cannot change, when immutable. */
  reason?: string;
}

/**
 * Stream fields fixed at creation. Retention may change between limits and interest only
 * (not to or from workqueue), so it is checked separately.
 */
const IMMUTABLE: Record<'stream' | 'consumer', Record<string, string>> = {
  stream: {
    name: 'a stream cannot be renamed',
    storage: 'storage type is fixed at creation',
    mirror: 'a mirror cannot be changed or removed',
    template_owner: 'fixed at creation',
    first_seq: 'first sequence only applies at creation',
  },
  consumer: {
    name: 'a consumer cannot be renamed',
    durable_name: 'a consumer cannot be renamed',
    deliver_policy: 'deliver policy is fixed at creation',
    opt_start_seq: 'the start sequence is fixed at creation',
    opt_start_time: 'the start time is fixed at creation',
    ack_policy: 'ack policy is fixed at creation',
    replay_policy: 'replay policy is fixed at creation',
    flow_control: 'flow control is fixed at creation',
    idle_heartbeat: 'idle heartbeat is fixed at creation',
    mem_storage: 'consumer storage is fixed at creation',
  },
};

/**
 * The fields that differ between the live config and the edited one, with those the server
 * cannot change flagged. Fields absent on one side and at their zero value on the other are
 * not reported (the server fills in defaults). For stream, consumer and the Admin KV/object
 * store shapes alike; `kind` picks the immutability rules.
 */
export function diffConfig(kind: ConfigKind, liveConfig: object, editedConfig: object): ConfigChange[] {
  const out: ConfigChange[] = [];
  const live = withServerDefaults(kind, liveConfig);
  const edited = withServerDefaults(kind, editedConfig);
  const rules = kind === 'stream' || kind === 'consumer' ? IMMUTABLE[kind] : kind === 'kv' ? { bucket: 'a bucket cannot be renamed', storage: 'storage type is fixed at creation' } : { bucket: 'a store cannot be renamed', storage: 'storage type is fixed at creation' };
  const walk = (path: string, a: unknown, b: unknown) => {
    if (isZero(a) && isZero(b)) return;
    if (isPlainObject(a) && isPlainObject(b) && path !== 'mirror') {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(path ? `${path}.${k}` : k, a[k], b[k]);
      return;
    }
    if (deepEqual(a, b)) return;
    const top = path.split('.')[0];
    let reason: string | undefined = rules[top as keyof typeof rules];
    if (kind === 'stream' && top === 'retention' && (a === 'workqueue' || b === 'workqueue')) reason = 'retention cannot change to or from workqueue';
    out.push({ field: path, before: a, after: b, immutable: reason !== undefined, ...(reason ? { reason } : {}) });
  };
  walk('', live, edited);
  return out.sort((x, y) => Number(y.immutable) - Number(x.immutable) || x.field.localeCompare(y.field));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isZero(v: unknown): boolean {
  // Go's zero time, as natscli prints an unset pause_until or opt_start_time
  if (typeof v === 'string' && v.startsWith('0001-01-01T00:00:00')) return true;
  return v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (isZero(a) && isZero(b)) return true;
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted at every level, so key order never shows as a change. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (isPlainObject(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}

const NS_PER_S = 1_000_000_000;

/** What nats-server (2.9–2.14) fills in for a stream field left out. */
const STREAM_DEFAULTS: Record<string, unknown> = {
  retention: 'limits',
  storage: 'file',
  discard: 'old',
  num_replicas: 1,
  max_consumers: -1,
  max_msgs: -1,
  max_bytes: -1,
  max_age: 0,
  max_msgs_per_subject: -1,
  max_msg_size: -1,
  compression: 'none',
};

/**
 * A copy of `cfg` with the server's defaults for left-out fields and without the server's
 * reserved `_nats.*` metadata, so that a config as written and the same config as the
 * server reports it compare equal.
 */
export function withServerDefaults(kind: ConfigKind, cfg: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(cfg as Record<string, unknown>) };
  const fill = (defaults: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(defaults)) if (out[k] === undefined || out[k] === null) out[k] = v;
  };
  if (kind === 'stream') {
    fill(STREAM_DEFAULTS);
    const maxAge = Number(out.max_age) || 0;
    // the server's duplicate window is 2m, or max_age when that is shorter
    if (!out.duplicate_window) out.duplicate_window = maxAge > 0 && maxAge < 120 * NS_PER_S ? maxAge : 120 * NS_PER_S;
  } else if (kind === 'consumer') {
    fill({ deliver_policy: 'all', ack_policy: 'none', max_deliver: -1, replay_policy: 'instant', num_replicas: 0 });
    if (out.ack_policy !== 'none') fill({ ack_wait: 30 * NS_PER_S, max_ack_pending: 1000 });
    if (!out.deliver_subject) fill({ max_waiting: 512 });
  } else if (kind === 'kv') {
    fill({ history: 1, ttlMs: 0, replicas: 1, maxValueSize: -1, maxBucketSize: -1 });
  } else {
    fill({ ttlMs: 0, replicas: 1, maxBucketSize: -1 });
  }
  if (isPlainObject(out.metadata)) {
    const user = Object.entries(out.metadata).filter(([k]) => !k.startsWith('_nats.'));
    if (user.length) out.metadata = Object.fromEntries(user);
    else delete out.metadata;
  }
  return out;
}

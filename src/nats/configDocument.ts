/**
 * Checks an edited config document before anything is sent, and accepts the human forms
 * people type: durations (`1h`, `7d`, `1h30m`, `500ms`) where the API wants nanoseconds
 * (milliseconds in the KV/object store shapes) and sizes (`1GB`, `512MiB`) where it wants
 * bytes. Each conversion is reported, so the user sees the number that will be sent; anything
 * else that is not a number is refused naming the field and the unit (issue 8: `"max_age":
 * "1h"` used to reach the server and come back as its raw unmarshal error).
 */
import type { ConfigKind } from './templates';

export interface NormalizedConfig {
  config: Record<string, unknown>;
  /** `max_age "1h" → 3600000000000 ns`, one per converted field. */
  converted: string[];
}

export class ConfigDocumentError extends Error {
  override name = 'ConfigDocumentError';
}

type Unit = 'ns' | 'ms' | 'bytes' | 'count';

const FIELDS: Record<ConfigKind, Record<string, Unit>> = {
  stream: {
    max_age: 'ns',
    duplicate_window: 'ns',
    subject_delete_marker_ttl: 'ns',
    max_bytes: 'bytes',
    max_msg_size: 'bytes',
    max_msgs: 'count',
    max_msgs_per_subject: 'count',
    max_consumers: 'count',
    num_replicas: 'count',
    first_seq: 'count',
  },
  consumer: {
    ack_wait: 'ns',
    idle_heartbeat: 'ns',
    inactive_threshold: 'ns',
    max_expires: 'ns',
    priority_timeout: 'ns',
    max_request_max_bytes: 'bytes',
    max_deliver: 'count',
    max_ack_pending: 'count',
    max_waiting: 'count',
    max_batch: 'count',
    num_replicas: 'count',
    opt_start_seq: 'count',
    rate_limit_bps: 'count',
  },
  kv: { ttlMs: 'ms', maxValueSize: 'bytes', maxBucketSize: 'bytes', history: 'count', replicas: 'count' },
  obj: { ttlMs: 'ms', maxBucketSize: 'bytes', replicas: 'count' },
};

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const SIZE: Record<string, number> = {
  b: 1,
  k: 1024, kb: 1000, kib: 1024,
  m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3,
  t: 1024 ** 4, tb: 1000 ** 4, tib: 1024 ** 4,
};

/** `1h30m`, `7d`, `500ms` → milliseconds; undefined when it is not a duration. */
export function parseHumanDuration(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) ms += Number(m[1]) * DURATION_MS[m[2]]!;
  return ms;
}

/** `1GB` (10^9), `512MiB` (2^29), `10K` (10 KiB, as natscli) → bytes; undefined when it is not a size. */
export function parseHumanSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = SIZE[m[2].toLowerCase() || 'b'];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}

const UNIT_WORDS: Record<Unit, string> = {
  ns: 'a duration in nanoseconds (3600000000000) or with a unit (1h, 7d, 90s, 500ms)',
  ms: 'a duration in milliseconds (3600000) or with a unit (1h, 7d, 90s)',
  bytes: 'a size in bytes (1073741824) or with a unit (1GiB, 512MiB, 1GB); -1 for unlimited',
  count: 'a whole number',
};

function convert(field: string, unit: Unit, v: unknown, converted: string[]): unknown {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) {
      throw new ConfigDocumentError(`${field} is ${v}: expected ${UNIT_WORDS[unit]}`);
    }
    return v;
  }
  if (typeof v !== 'string') throw new ConfigDocumentError(`${field} is ${JSON.stringify(v)}: expected ${UNIT_WORDS[unit]}`);
  let n: number | undefined;
  if (unit === 'ns') n = ((ms) => (ms === undefined ? undefined : Math.round(ms * 1_000_000)))(parseHumanDuration(v));
  else if (unit === 'ms') n = parseHumanDuration(v);
  else if (unit === 'bytes') n = parseHumanSize(v);
  if (n === undefined) throw new ConfigDocumentError(`${field} is "${v}": expected ${UNIT_WORDS[unit]}`);
  converted.push(`${field} "${v}" → ${n}${unit === 'bytes' ? ' bytes' : ` ${unit}`}`);
  return n;
}

/**
 * The document's config with human durations and sizes converted (top-level fields and a
 * consumer's `backoff` list), or a ConfigDocumentError naming the field and the expected unit.
 */
export function normalizeConfigDocument(kind: ConfigKind, doc: Record<string, unknown>): NormalizedConfig {
  const converted: string[] = [];
  const config: Record<string, unknown> = { ...doc };
  for (const [field, unit] of Object.entries(FIELDS[kind])) {
    if (config[field] === undefined || config[field] === null) continue;
    config[field] = convert(field, unit, config[field], converted);
  }
  if (kind === 'consumer' && config.backoff !== undefined && config.backoff !== null) {
    if (!Array.isArray(config.backoff)) throw new ConfigDocumentError(`backoff is ${JSON.stringify(config.backoff)}: expected a list of durations`);
    config.backoff = config.backoff.map((v, i) => convert(`backoff[${i}]`, 'ns', v, converted));
  }
  return { config, converted };
}

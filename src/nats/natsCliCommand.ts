/**
 * "Copy as nats CLI command" and the "The same as:" lines: a natscli command that creates
 * exactly the given stream, consumer, KV bucket or object store. Flags where natscli's flags
 * say exactly the same; where they cannot (a backoff list, a mirror or sources, an absolute
 * start time, fields natscli has no flag for), the JSON config with `--config` instead, so
 * the command never makes something different from what it names (issue 8, item 7).
 */
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import type { KvBucketConfig, ObjectStoreConfig } from './admin';
import type { ConfigKind } from './templates';

const NS_PER_MS = 1_000_000;

/** Quotes for a POSIX shell when needed. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `--flag=value` with only the value quoted, so the command reads like one typed by hand. */
function quoteArg(arg: string): string {
  const m = /^(--[a-z-]+=)(.*)$/s.exec(arg);
  return m ? m[1] + shellQuote(m[2]) : shellQuote(arg);
}

const isDuration = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** natscli durations: whole units it accepts (1h, 2m, 30s, 500ms); nanoseconds below 1 ms. */
function dur(ns: number): string {
  if (ns % NS_PER_MS !== 0) return `${ns}ns`;
  const ms = ns / NS_PER_MS;
  if (ms === 0) return '0s';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

export interface CliCommandOptions {
  /**
   * `flags`: one `nats … add` line with flags. `config`: the JSON config written with a
   * heredoc, then `nats … add --config FILE`. Default: flags when they say exactly the same,
   * else config.
   */
  style?: 'flags' | 'config';
}

/** The fields each flag form expresses exactly (anything else set needs `--config`). */
const STREAM_FLAG_FIELDS = new Set([
  'name', 'subjects', 'description', 'storage', 'num_replicas', 'retention', 'discard', 'max_msgs', 'max_bytes', 'max_age',
  'max_msgs_per_subject', 'max_msg_size', 'max_consumers', 'duplicate_window', 'allow_rollup_hdrs', 'deny_delete', 'deny_purge',
  'allow_direct', 'metadata',
]);
const CONSUMER_FLAG_FIELDS = new Set([
  'name', 'durable_name', 'stream_name', 'description', 'deliver_subject', 'deliver_group', 'ack_policy', 'deliver_policy',
  'opt_start_seq', 'filter_subject', 'filter_subjects', 'replay_policy', 'ack_wait', 'max_deliver', 'max_ack_pending',
  'max_waiting', 'headers_only', 'inactive_threshold', 'idle_heartbeat', 'flow_control', 'metadata',
]);
/** Server defaults that are the same as leaving the field out. */
const NEUTRAL: Record<string, unknown> = { compression: 'none', sealed: false, mirror_direct: false, allow_msg_ttl: false, num_replicas: 0, pause_until: '0001-01-01T00:00:00Z' };

function isUnset(k: string, v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  if (typeof v === 'string' && v.startsWith('0001-01-01')) return true;
  return NEUTRAL[k] === v;
}

/** The config without what is the server's own: `_nats.*` metadata, a consumer's stream_name. */
function userConfig(kind: ConfigKind, config: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  if (out.metadata && typeof out.metadata === 'object') {
    const user = Object.entries(out.metadata as Record<string, string>).filter(([k]) => !k.startsWith('_nats.'));
    if (user.length) out.metadata = Object.fromEntries(user);
    else delete out.metadata;
  }
  if (kind === 'consumer') {
    delete out.stream_name;
    // a pause that has ended (the server keeps the time after a resume) is no pause
    if (typeof out.pause_until === 'string' && !(Date.parse(out.pause_until) > Date.now())) delete out.pause_until;
  }
  return out;
}

/**
 * Why natscli's flags cannot say exactly this config (so `--config` is needed), or
 * undefined when they can. KV buckets and object stores always have flags.
 */
export function natsCliFlagsProblem(kind: ConfigKind, config: object): string | undefined {
  if (kind !== 'stream' && kind !== 'consumer') {
    const c = config as KvBucketConfig;
    if (c.ttlMs !== undefined && !isDuration(c.ttlMs)) return `ttlMs ${JSON.stringify(c.ttlMs)} is not a duration in milliseconds`;
    return undefined;
  }
  const c = userConfig(kind, config);
  const allowed = kind === 'stream' ? STREAM_FLAG_FIELDS : CONSUMER_FLAG_FIELDS;
  for (const [k, v] of Object.entries(c)) {
    if (!allowed.has(k) && !isUnset(k, v)) return `${k} has no natscli flag`;
  }
  const durations = kind === 'stream' ? ['max_age', 'duplicate_window'] : ['ack_wait', 'inactive_threshold', 'idle_heartbeat'];
  for (const k of durations) if (c[k] !== undefined && !isDuration(c[k])) return `${k} ${JSON.stringify(c[k])} is not a duration in nanoseconds`;
  if (kind === 'stream' && c.metadata && Object.entries(c.metadata).some(([k]) => k.includes(':'))) return 'a metadata key contains ":"';
  if (kind === 'consumer') {
    if (c.deliver_policy === 'by_start_time') return 'an absolute start time has no natscli flag (--deliver takes a relative duration)';
    if (c.metadata && Object.keys(c.metadata).some((k) => k.includes(':'))) return 'a metadata key contains ":"';
  }
  return undefined;
}

/**
 * A command users can paste: `nats stream add ORDERS --subjects 'orders.>' … --defaults`,
 * or the `--config` form when flags cannot express the config. Stream and consumer configs
 * are the JetStream API shapes; kv and obj the Admin shapes.
 */
export function toNatsCliCommand(kind: ConfigKind, config: object, opts: CliCommandOptions = {}): string {
  const problem = natsCliFlagsProblem(kind, config);
  const style = opts.style ?? (problem ? 'config' : 'flags');
  if (style === 'config' && (kind === 'stream' || kind === 'consumer')) {
    const raw = config as { name?: string; durable_name?: string; stream_name?: string };
    const name = kind === 'stream' ? raw.name! : (raw.durable_name ?? raw.name ?? 'consumer');
    const file = `${name}.json`;
    const json = JSON.stringify(userConfig(kind, config), null, 2);
    const add = kind === 'stream' ? `nats stream add ${shellQuote(name)} --config ${shellQuote(file)}` : `nats consumer add ${shellQuote(raw.stream_name ?? 'STREAM')} ${shellQuote(name)} --config ${shellQuote(file)}`;
    const why = problem ? `# --config: ${problem}\n` : '';
    return `${why}cat > ${shellQuote(file)} <<'EOF'\n${json}\nEOF\n${add}`;
  }
  return ['nats', ...natsCliArgs(kind, config)].map(quoteArg).join(' ');
}

/** The argv of the flag-style command (without `nats`), for running it or quoting it. */
export function natsCliArgs(kind: ConfigKind, config: object): string[] {
  const a: string[] = [];
  const flag = (name: string, v: string | number | undefined) => {
    if (v !== undefined) a.push(`--${name}=${v}`);
  };
  const metadata = (m: Record<string, string> | undefined) => {
    for (const [k, v] of Object.entries(m ?? {})) if (!k.startsWith('_nats.')) a.push(`--metadata=${k}:${v}`);
  };
  if (kind === 'stream') {
    const c = config as Partial<StreamConfig> & { name: string };
    a.push('stream', 'add', c.name);
    for (const s of c.subjects ?? []) a.push(`--subjects=${s}`);
    if (c.description) flag('description', c.description);
    flag('storage', c.storage ?? 'file');
    flag('replicas', c.num_replicas ?? 1);
    flag('retention', c.retention === 'workqueue' ? 'work' : (c.retention ?? 'limits'));
    flag('discard', c.discard ?? 'old');
    flag('max-msgs', c.max_msgs ?? -1);
    flag('max-bytes', c.max_bytes ?? -1);
    flag('max-age', isDuration(c.max_age) && c.max_age ? dur(c.max_age) : '0s');
    flag('max-msgs-per-subject', c.max_msgs_per_subject ?? -1);
    flag('max-msg-size', c.max_msg_size ?? -1);
    flag('max-consumers', c.max_consumers ?? -1);
    if (isDuration(c.duplicate_window) && c.duplicate_window) flag('dupe-window', dur(c.duplicate_window));
    // natscli's defaults differ from the server's (it turns direct get on), so say each one
    a.push(c.allow_rollup_hdrs ? '--allow-rollup' : '--no-allow-rollup');
    a.push(c.deny_delete ? '--deny-delete' : '--no-deny-delete');
    a.push(c.deny_purge ? '--deny-purge' : '--no-deny-purge');
    a.push(c.allow_direct ? '--allow-direct' : '--no-allow-direct');
    metadata(c.metadata);
    a.push('--defaults');
  } else if (kind === 'consumer') {
    const c = config as Partial<ConsumerConfig> & { stream_name?: string };
    const name = c.durable_name ?? c.name;
    a.push('consumer', 'add', c.stream_name ?? 'STREAM');
    if (name) a.push(name);
    else a.push('--ephemeral');
    if (c.description) flag('description', c.description);
    if (c.deliver_subject) flag('target', c.deliver_subject);
    else a.push('--pull');
    if (c.deliver_group) flag('deliver-group', c.deliver_group);
    flag('ack', c.ack_policy ?? 'explicit');
    const deliver = c.deliver_policy ?? 'all';
    flag('deliver', deliver === 'by_start_sequence' ? String(c.opt_start_seq) : deliver === 'last_per_subject' ? 'subject' : deliver);
    for (const f of [...(c.filter_subject ? [c.filter_subject] : []), ...(c.filter_subjects ?? [])]) a.push(`--filter=${f}`);
    flag('replay', c.replay_policy ?? 'instant');
    if (isDuration(c.ack_wait) && c.ack_wait) flag('wait', dur(c.ack_wait));
    flag('max-deliver', c.max_deliver ?? -1);
    if (c.max_ack_pending !== undefined) flag('max-pending', c.max_ack_pending);
    if (c.max_waiting !== undefined && !c.deliver_subject) flag('max-waiting', c.max_waiting);
    a.push(c.headers_only ? '--headers-only' : '--no-headers-only');
    if (isDuration(c.inactive_threshold) && c.inactive_threshold) flag('inactive-threshold', dur(c.inactive_threshold));
    if (c.deliver_subject) {
      // a push consumer's heartbeat and flow control (natscli asks for them otherwise)
      flag('heartbeat', isDuration(c.idle_heartbeat) && c.idle_heartbeat ? dur(c.idle_heartbeat) : '-1');
      if (c.flow_control) a.push('--flow-control');
    }
    metadata(c.metadata);
    a.push('--defaults');
  } else if (kind === 'kv') {
    const c = config as KvBucketConfig;
    a.push('kv', 'add', c.bucket);
    if (c.description) flag('description', c.description);
    flag('history', c.history ?? 1);
    if (isDuration(c.ttlMs) && c.ttlMs) flag('ttl', dur(c.ttlMs * NS_PER_MS));
    flag('storage', c.storage ?? 'file');
    flag('replicas', c.replicas ?? 1);
    if (c.maxValueSize !== undefined) flag('max-value-size', c.maxValueSize);
    if (c.maxBucketSize !== undefined) flag('max-bucket-size', c.maxBucketSize);
    metadata(c.metadata);
  } else {
    const c = config as ObjectStoreConfig;
    a.push('object', 'add', c.bucket);
    if (c.description) flag('description', c.description);
    if (isDuration(c.ttlMs) && c.ttlMs) flag('ttl', dur(c.ttlMs * NS_PER_MS));
    flag('storage', c.storage ?? 'file');
    flag('replicas', c.replicas ?? 1);
    if (c.maxBucketSize !== undefined) flag('max-bucket-size', c.maxBucketSize);
    metadata(c.metadata);
  }
  return a;
}

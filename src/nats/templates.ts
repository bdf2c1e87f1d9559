/**
 * Starting configs for the "create" forms, a natscli command for "Copy as nats CLI command",
 * and the field diff the editor shows before an update.
 *
 * Defaults follow seed 001 (jetstream-architecture): file storage, explicit acks, a max
 * deliver with a dead-letter plan, a 2-minute duplicate window, and R3 in production while
 * R1 is for development (so the replica count follows whether the server is clustered).
 */
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import type { KvBucketConfig, ObjectStoreConfig } from './admin';

export type ConfigKind = 'stream' | 'consumer' | 'kv' | 'obj';

export interface Template<T> {
  config: T;
  /** Why the defaults are what they are, for the form's help text. */
  notes: string[];
}

const NS_PER_MS = 1_000_000;
const MINUTE = 60_000;

/** A stream: file storage, limits retention, 2m dedupe window, R3 when clustered (seed 001). */
export function streamTemplate(opts: { name: string; subjects?: string[]; clustered: boolean }): Template<Partial<StreamConfig> & { name: string }> {
  const replicas = opts.clustered ? 3 : 1;
  return {
    config: {
      name: opts.name,
      subjects: opts.subjects ?? [`${opts.name.toLowerCase()}.>`],
      retention: 'limits' as never,
      storage: 'file' as never,
      num_replicas: replicas,
      discard: 'old' as never,
      max_msgs: -1,
      max_bytes: -1,
      max_age: 0,
      max_msgs_per_subject: -1,
      max_msg_size: -1,
      duplicate_window: 2 * MINUTE * NS_PER_MS,
      // as natscli does: lets message views read through the direct get API, from any replica
      allow_direct: true,
    },
    notes: [
      'File storage: survives restarts. Use memory only for caches you can rebuild.',
      opts.clustered
        ? 'Replicas 3: the server is clustered; R3 survives the loss of one node.'
        : 'Replicas 1: the server is not clustered (development). Use 3 in production.',
      'Duplicate window 2m: publishes with the same Nats-Msg-Id inside it are dropped.',
      'Limits retention with no limits set: set max_age or max_bytes before production, or the stream grows forever.',
    ],
  };
}

/**
 * A durable pull consumer with explicit acks, 30s ack wait, backoff between redeliveries and
 * max_deliver 5. There is no dead-letter queue in JetStream: the server publishes an advisory
 * when a message runs out of deliveries, which a DLQ stream can capture (nats-facts.md).
 */
export function consumerTemplate(opts: { stream: string; name: string; filterSubjects?: string[] }): Template<Partial<ConsumerConfig>> {
  const filters = opts.filterSubjects ?? [];
  return {
    config: {
      durable_name: opts.name,
      ack_policy: 'explicit' as never,
      deliver_policy: 'all' as never,
      ack_wait: 30_000 * NS_PER_MS,
      max_deliver: 5,
      // backoff length must stay below max_deliver; each entry is the wait before that redelivery
      backoff: [5_000, 30_000, 120_000, 300_000].map((ms) => ms * NS_PER_MS),
      max_ack_pending: 1000,
      ...(filters.length === 1 ? { filter_subject: filters[0] } : filters.length > 1 ? { filter_subjects: filters } : {}),
    },
    notes: [
      'Pull: workers fetch at their own pace (back-pressure); scale by adding workers.',
      'Explicit ack: a message counts as done only when the worker says so.',
      'Ack wait 30s: send in-progress acks for longer work, or it is redelivered mid-work.',
      'Backoff 5s, 30s, 2m, 5m between redeliveries: a bare nak would burn max_deliver at once.',
      `Max deliver 5, then dead-letter: capture $JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${opts.stream}.${opts.name} ` +
        '(it carries the stream sequence) into a DLQ stream and copy the message there, or alert on it.',
    ],
  };
}

export function kvTemplate(opts: { bucket: string; clustered: boolean }): Template<KvBucketConfig> {
  return {
    config: { bucket: opts.bucket, history: 5, storage: 'file', replicas: opts.clustered ? 3 : 1 },
    notes: [
      'History 5: enough to see recent changes of a key; each revision costs storage.',
      'No TTL: values stay until deleted. Set one for caches and sessions.',
      opts.clustered ? 'Replicas 3 (clustered server).' : 'Replicas 1 (single server, development). Use 3 in production.',
    ],
  };
}

export function objectStoreTemplate(opts: { bucket: string; clustered: boolean }): Template<ObjectStoreConfig> {
  return {
    config: { bucket: opts.bucket, storage: 'file', replicas: opts.clustered ? 3 : 1 },
    notes: ['File storage: objects are usually too large to keep in memory.', opts.clustered ? 'Replicas 3 (clustered server).' : 'Replicas 1 (development).'],
  };
}

// ---------------------------------------------------------------------------------------
// nats CLI commands

/** Quotes for a POSIX shell when needed. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `--flag=value` with only the value quoted, so the command reads like one typed by hand. */
function quoteArg(arg: string): string {
  const m = /^(--[a-z-]+=)(.*)$/s.exec(arg);
  return m ? m[1] + shellQuote(m[2]) : shellQuote(arg);
}

/** natscli durations: whole units it accepts (1h, 2m, 30s, 500ms). */
function dur(ns: number): string {
  const ms = Math.round(ns / NS_PER_MS);
  if (ms === 0) return '0s';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

export interface CliCommandOptions {
  /**
   * `flags` (default): one `nats … add` line with flags (what the fields the forms edit map
   * to). `config`: a JSON file written with a heredoc, then `nats … add --config FILE`, for
   * configs that use fields without a flag.
   */
  style?: 'flags' | 'config';
}

/**
 * A command users can paste: `nats stream add ORDERS --subjects 'orders.>' … --defaults`.
 * Stream and consumer configs are the JetStream API shapes; kv and obj the Admin shapes.
 */
export function toNatsCliCommand(kind: ConfigKind, config: object, opts: CliCommandOptions = {}): string {
  const style = opts.style ?? 'flags';
  if (style === 'config' && (kind === 'stream' || kind === 'consumer')) {
    const c = config as { name?: string; durable_name?: string; stream_name?: string };
    const name = kind === 'stream' ? c.name! : (c.durable_name ?? c.name ?? 'consumer');
    const file = `${name}.json`;
    const json = JSON.stringify(config, null, 2);
    const add = kind === 'stream' ? `nats stream add ${shellQuote(name)} --config ${shellQuote(file)}` : `nats consumer add STREAM ${shellQuote(name)} --config ${shellQuote(file)}`;
    return `cat > ${shellQuote(file)} <<'EOF'\n${json}\nEOF\n${add}`;
  }
  return ['nats', ...natsCliArgs(kind, config)].map(quoteArg).join(' ');
}

/** The argv of the flag-style command (without `nats`), for running it or quoting it. */
export function natsCliArgs(kind: ConfigKind, config: object): string[] {
  const a: string[] = [];
  const flag = (name: string, v: string | number | undefined) => {
    if (v !== undefined) a.push(`--${name}=${v}`);
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
    flag('max-age', c.max_age ? dur(c.max_age) : '0s');
    flag('max-msgs-per-subject', c.max_msgs_per_subject ?? -1);
    flag('max-msg-size', c.max_msg_size ?? -1);
    flag('max-consumers', c.max_consumers ?? -1);
    if (c.duplicate_window) flag('dupe-window', dur(c.duplicate_window));
    // natscli's defaults differ from the server's (it turns direct get on), so say each one
    a.push(c.allow_rollup_hdrs ? '--allow-rollup' : '--no-allow-rollup');
    a.push(c.deny_delete ? '--deny-delete' : '--no-deny-delete');
    a.push(c.deny_purge ? '--deny-purge' : '--no-deny-purge');
    a.push(c.allow_direct ? '--allow-direct' : '--no-allow-direct');
    for (const [k, v] of Object.entries(c.metadata ?? {})) a.push(`--metadata=${k}:${v}`);
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
    flag('deliver', deliver === 'by_start_sequence' ? String(c.opt_start_seq) : deliver === 'by_start_time' ? String(c.opt_start_time) : deliver === 'last_per_subject' ? 'subject' : deliver);
    for (const f of [...(c.filter_subject ? [c.filter_subject] : []), ...(c.filter_subjects ?? [])]) a.push(`--filter=${f}`);
    flag('replay', c.replay_policy ?? 'instant');
    if (c.ack_wait) flag('wait', dur(c.ack_wait));
    flag('max-deliver', c.max_deliver ?? -1);
    if (c.max_ack_pending !== undefined) flag('max-pending', c.max_ack_pending);
    if (c.max_waiting !== undefined && !c.deliver_subject) flag('max-waiting', c.max_waiting);
    if (c.headers_only) a.push('--headers-only');
    if (c.inactive_threshold) flag('inactive-threshold', dur(c.inactive_threshold));
    if (c.backoff?.length) {
      // natscli builds backoff only as a linear policy from flags, so this is the nearest
      // flag form; the `config` style carries the exact list
      a.push('--backoff=linear', `--backoff-steps=${c.backoff.length}`, `--backoff-min=${dur(Math.min(...c.backoff))}`, `--backoff-max=${dur(Math.max(...c.backoff))}`);
    }
    for (const [k, v] of Object.entries(c.metadata ?? {})) a.push(`--metadata=${k}:${v}`);
    a.push('--defaults');
  } else if (kind === 'kv') {
    const c = config as KvBucketConfig;
    a.push('kv', 'add', c.bucket);
    if (c.description) flag('description', c.description);
    flag('history', c.history ?? 1);
    if (c.ttlMs) flag('ttl', dur(c.ttlMs * NS_PER_MS));
    flag('storage', c.storage ?? 'file');
    flag('replicas', c.replicas ?? 1);
    if (c.maxValueSize !== undefined) flag('max-value-size', c.maxValueSize);
    if (c.maxBucketSize !== undefined) flag('max-bucket-size', c.maxBucketSize);
    for (const [k, v] of Object.entries(c.metadata ?? {})) a.push(`--metadata=${k}:${v}`);
  } else {
    const c = config as ObjectStoreConfig;
    a.push('object', 'add', c.bucket);
    if (c.description) flag('description', c.description);
    if (c.ttlMs) flag('ttl', dur(c.ttlMs * NS_PER_MS));
    flag('storage', c.storage ?? 'file');
    flag('replicas', c.replicas ?? 1);
    if (c.maxBucketSize !== undefined) flag('max-bucket-size', c.maxBucketSize);
    for (const [k, v] of Object.entries(c.metadata ?? {})) a.push(`--metadata=${k}:${v}`);
  }
  return a;
}

export { diffConfig, type ConfigChange } from './configDiff';

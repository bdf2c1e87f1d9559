/**
 * Suggested configuration for the decided primitive, following the JetStream principles of
 * seed 001_4f8404f30db3dc6a.txt (hierarchical subjects, retention by pattern, file storage,
 * R3 in production, explicit acks, bounded redelivery with a dead-letter plan) and the KV
 * watcher notes of seed 000_0a057cbac6a60a0d.txt (bootstrap vs live).
 *
 * Server-side objects use the JetStream API field names (snake_case, as the JSON of
 * `nats stream add --config` / `nats consumer add --config`), so the planner can apply
 * them as they are. Durations are therefore integers in NANOSECONDS, the API's own unit
 * (`duplicate_window`, `ack_wait`, `backoff`, `max_age`, KV `ttl`); `formatDuration` in
 * this file renders them for people.
 */
import type { AnswersByTest, Primitive } from './engine';
import { deriveNames } from './names';

export { deriveNames, type DerivedNames } from './names';

export type Environment = 'production' | 'development';
export const ENVIRONMENTS: readonly Environment[] = ['production', 'development'];

export const NANOS_PER_SECOND = 1_000_000_000;
const s = (n: number) => n * NANOS_PER_SECOND;
const m = (n: number) => s(n * 60);
const h = (n: number) => m(n * 60);

/** Nanoseconds → "2m", "1h30m", "500ms", "0" (no limit). */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0';
  if (ns < NANOS_PER_SECOND) return `${Math.round(ns / 1_000_000)}ms`;
  let secs = Math.round(ns / NANOS_PER_SECOND);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (secs >= size) {
      parts.push(`${Math.floor(secs / size)}${unit}`);
      secs %= size;
    }
  }
  return parts.join('');
}

export interface KvBucketConfig {
  /** Bucket name; the server backs it with the stream `KV_<bucket>`. */
  bucket: string;
  /** Values kept per key (1–64): the "history" interface of the KV twofer. */
  history: number;
  /** Nanoseconds; 0 = values never expire. */
  ttl: number;
  storage: 'file';
  replicas: number;
  description: string;
}

export interface KvWatcherGuidance {
  /** Key pattern a watcher subscribes to (NATS subject wildcards). */
  key_pattern: string;
  /** A key writers use. */
  example_key: string;
  bootstrap: string;
  bootstrap_end: string;
  empty_bucket: string;
  live: string;
  resume: string;
}

export interface KvSuggestion {
  kind: 'kv';
  bucket: KvBucketConfig;
  watcher: KvWatcherGuidance;
  notes: string[];
}

export interface StreamConfig {
  name: string;
  subjects: string[];
  retention: 'workqueue' | 'limits';
  storage: 'file';
  replicas: number;
  /** Nanoseconds. */
  duplicate_window: number;
  /** Nanoseconds; 0 = no age limit. */
  max_age: number;
  discard: 'old';
  description: string;
}

export interface ConsumerConfig {
  durable_name: string;
  filter_subject: string;
  deliver_policy: 'all' | 'new';
  ack_policy: 'explicit';
  /** Nanoseconds. With a backoff list the server uses backoff[0] as the first wait. */
  ack_wait: number;
  max_deliver: number;
  /** Nanoseconds, one per redelivery; the server requires max_deliver > backoff.length. */
  backoff: number[];
  max_ack_pending: number;
  /** Push consumers only: where the server delivers (never under the stream's own subjects). */
  deliver_subject?: string;
  /** Push consumers only: flow control needs an idle heartbeat (nanoseconds). */
  flow_control?: boolean;
  idle_heartbeat?: number;
}

export interface DeadLetterPlan {
  /** Published by the server when a message hits max_deliver. */
  advisory_subject: string;
  /** A stream capturing those advisories; the advisory names the stream sequence to fetch. */
  stream: StreamConfig;
  steps: string[];
}

export interface StreamSuggestion {
  kind: 'stream';
  /** The `{domain}.{entity}.{event}` subject publishers use. */
  subject: string;
  stream: StreamConfig;
  /** Seed 001: pull for worker queues, push for real-time event listeners. */
  consumer_type: 'pull' | 'push';
  consumer: ConsumerConfig;
  dead_letter: DeadLetterPlan;
  notes: string[];
}

/** `{}` when undecided: nothing sensible to configure until a test gives a verdict. */
export type DecisionConfig = KvSuggestion | StreamSuggestion | Record<string, never>;

export interface ConfigContext {
  description: string;
  answers: AnswersByTest;
  environment: Environment;
}

// ---- names: names.ts (seed 001's {domain}.{entity}.{event}) -----------------------------

const slug = (w: string) => w.replace(/[^a-z0-9-]/g, '').slice(0, 32) || 'x';

// ---- KV ---------------------------------------------------------------------------------

function suggestKv(ctx: ConfigContext): KvSuggestion {
  const names = deriveNames(ctx.description, 'kv');
  const text = ctx.description.toLowerCase();
  const replicas = ctx.environment === 'production' ? 3 : 1;
  // latest-value data (telemetry, presence, caches) needs no history; config and entity
  // state keep a few revisions for the audit trail the KV twofer gives (seed 000)
  const latestOnly = /\b(?:telemetry|sensors?|readings?|presence|online|heartbeats?|cache[sd]?|latest[- ]value|gauges?)\b/.test(text);
  const audit = /\b(?:audit|history|config\w*|settings?|feature[- ]flags?|workflow)\b/.test(text);
  const expiring = /\b(?:presence|online|heartbeats?|sessions?|leases?|locks?)\b/.test(text);
  const cache = /\bcache[sd]?\b/.test(text);
  const bucket = names.bucket;
  const key = slug(names.keyPrefix);
  return {
    kind: 'kv',
    bucket: {
      bucket,
      history: latestOnly ? 1 : audit ? 10 : 5,
      ttl: expiring ? m(2) : cache ? h(1) : 0,
      storage: 'file',
      replicas,
      description: ctx.description.slice(0, 200),
    },
    watcher: {
      key_pattern: `${key}.>`,
      example_key: `${key}.<id>`,
      bootstrap:
        'On start the watcher first replays every current value matching the pattern (bootstrap), then delivers live updates. ' +
        'Rebuild state from the bootstrap entries; do not treat them as new events (seed 000).',
      bootstrap_end:
        'Bootstrap ends with the entry whose delta (pending count) is 0; with nats.js, entries after it have isUpdate=true. ' +
        'In Go the watcher sends a nil entry at that point.',
      empty_bucket:
        'An empty bucket (or no key matching) has nothing to replay: the initial pending count is 0, so no entry with delta 0 ever arrives — ' +
        'read the watcher/consumer info (num_pending === 0) or use the client\'s "initialized" signal and switch to live at once.',
      live: 'Live updates are fan-out: every watcher sees every change. Keep handlers fast and idempotent; a PUT on an existing key is an update, DEL/PURGE a removal.',
      resume: 'After a restart the watcher bootstraps again from current values: that re-processing is the intended recovery (restart test = yes).',
    },
    notes: [
      `Storage file, ${replicas} replica${replicas === 1 ? '' : 's'} (${ctx.environment}; seed 001: R3 in production, R1 only for development).`,
      `Writers: kv.put("${key}.<id>", value); readers: kv.get for current state, kv.watch("${key}.>") for changes, history for audit (the KV twofer, seed 000).`,
    ],
  };
}

// ---- Stream -----------------------------------------------------------------------------

function suggestStream(ctx: ConfigContext): StreamSuggestion {
  const names = deriveNames(ctx.description, 'stream', ctx.answers.nature);
  const domain = slug(names.domain);
  const entity = slug(names.entity);
  const subject = `${domain}.${entity}.${names.event}`;
  const streamName = domain.toUpperCase().replace(/-/g, '_');
  const replicas = ctx.environment === 'production' ? 3 : 1;
  // a queue (only one handles it) consumes messages away; fan-out keeps history for every
  // subscriber's own consumer (seed 001: work-queue vs fanout patterns)
  const fanout = ctx.answers.fanout === 'all';
  const slow = ctx.answers.processing === 'slow';
  const fast = ctx.answers.processing === 'fast';
  // with backoff set the server takes backoff[0] as the first ack wait, so keep them equal
  const backoff = slow ? [m(5), m(10), m(20), m(30)] : fast ? [s(30), m(1), m(2), m(5)] : [m(1), m(2), m(5), m(10)];
  const ackWait = backoff[0]!;
  const maxDeliver = backoff.length + 1;
  // seed 001: "pull consumers for worker queues", "push consumers for real-time event listeners"
  const durable = `${entity}-${fanout ? 'listener' : 'worker'}`;
  const deliverSubject = `_deliver.${domain}.${durable}`;
  const dlqName = `${streamName}_DLQ`;
  const advisory = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${streamName}.${durable}`;

  const notes = [
    `Subject ${subject} follows {domain}.{entity}.{event}; the stream takes ${domain}.> so one stream serves the bounded context (seed 001).`,
    `Storage file, ${replicas} replica${replicas === 1 ? '' : 's'} (${ctx.environment}; seed 001: R3 in production, R1 only for development).`,
    'Publish with a Nats-Msg-Id header (e.g. the entity id + event) so the 2m duplicate_window drops publish retries.',
    fanout
      ? `Push consumer (seed 001: push for real-time event listeners): the server pushes each message to ${deliverSubject} as it arrives, with flow control and a 5s idle heartbeat so a stalled listener is noticed. Each listening service gets its own durable (${durable} is the first), so each sees every message; nats.js v3: js.consumers.getPushConsumer("${streamName}", "${durable}"). Ack explicitly; listeners must still be idempotent because redelivery after ack_wait happens.`
      : 'Pull consumer (seed 001: pull for worker queues): workers fetch/consume at their own pace (backpressure). Ack explicitly after the work is done; consumers must still be idempotent because redelivery after ack_wait happens.',
    'A durable consumer resumes from its last ack after a restart: already-handled messages are not replayed (seed 000).',
  ];
  if (slow) {
    notes.push(`Slow work: ack_wait ${formatDuration(ackWait)}; send in-progress acks (msg.working() / +WPI) while the job runs so it is not redelivered mid-flight.`);
  }
  if (fanout) {
    notes.push('Fan-out on a stream: limits retention, one durable consumer per reacting service (each gets every message).');
  } else {
    notes.push('Work-queue retention: a message is removed once acked; scale by running more instances bound to the same durable consumer. Work-queue streams refuse overlapping consumers.');
  }

  return {
    kind: 'stream',
    subject,
    stream: {
      name: streamName,
      subjects: [`${domain}.>`],
      retention: fanout ? 'limits' : 'workqueue',
      storage: 'file',
      replicas,
      duplicate_window: m(2),
      max_age: fanout ? h(24 * 7) : 0,
      discard: 'old',
      description: ctx.description.slice(0, 200),
    },
    consumer_type: fanout ? 'push' : 'pull',
    consumer: {
      durable_name: durable,
      filter_subject: `${domain}.${entity}.>`,
      // seed 000 names DeliverPolicy "new" for a durable that must not replay; a work queue
      // keeps only unconsumed messages, so "all" there loses nothing published before it
      deliver_policy: fanout ? 'new' : 'all',
      ack_policy: 'explicit',
      ack_wait: ackWait,
      max_deliver: maxDeliver,
      backoff,
      max_ack_pending: slow ? 100 : 1000,
      ...(fanout ? { deliver_subject: deliverSubject, flow_control: true, idle_heartbeat: s(5) } : {}),
    },
    dead_letter: {
      advisory_subject: advisory,
      stream: {
        name: dlqName,
        subjects: [advisory],
        retention: 'limits',
        storage: 'file',
        replicas,
        duplicate_window: m(2),
        max_age: h(24 * 14),
        discard: 'old',
        description: `Max-deliveries advisories for ${streamName}/${durable}`,
      },
      steps: [
        `After ${maxDeliver} deliveries the server stops redelivering and publishes an advisory on ${advisory}.`,
        `${dlqName} captures those advisories; each carries stream_seq, so an operator or a repair job fetches the original message from ${streamName} by sequence.`,
        'Alert on the DLQ stream growing; on a work queue, copy the original out before it ages or is removed.',
      ],
    },
    notes,
  };
}

export function suggestConfig(primitive: Primitive, ctx: ConfigContext): KvSuggestion | StreamSuggestion {
  return primitive === 'kv' ? suggestKv(ctx) : suggestStream(ctx);
}

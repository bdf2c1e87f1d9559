/**
 * What a scaffold is generated from: the pattern, the language and the NATS settings the
 * code wires in. Settings come from the source the user picked (a Decide result's suggested
 * config, a live stream/consumer/bucket, or explicit names); only what no source gives falls
 * back to the defaults of seed 001_4f8404f30db3dc6a.txt (explicit ack, bounded redelivery
 * with a dead-letter plan, a duplicate window, file storage).
 *
 * Durations are nanoseconds, the JetStream API's unit, like src/core/decide/config.ts.
 */
import { NANOS_PER_SECOND, type KvSuggestion, type StreamSuggestion } from '../decide';

export type ScaffoldPattern = 'worker' | 'listener' | 'kv-watcher' | 'publisher' | 'responder';
export type ScaffoldLang = 'ts' | 'go' | 'python';

export const PATTERNS: readonly ScaffoldPattern[] = ['worker', 'listener', 'kv-watcher', 'publisher', 'responder'];
export const LANGS: readonly ScaffoldLang[] = ['ts', 'go', 'python'];

export const PATTERN_LABELS: Record<ScaffoldPattern, string> = {
  worker: 'Work-queue worker (pull consumer, explicit ack, DLQ)',
  listener: 'Fan-out listener (a durable consumer per service)',
  'kv-watcher': 'KV watcher (bootstrap vs live, transitions, CAS update)',
  publisher: 'Idempotent publisher (Nats-Msg-Id, awaits the ack)',
  responder: 'Request/reply (responder + requester)',
};
export const LANG_LABELS: Record<ScaffoldLang, string> = { ts: 'TypeScript (nats.js v3)', go: 'Go (nats.go jetstream)', python: 'Python (nats-py)' };

export interface ScaffoldStream {
  name: string;
  subjects: string[];
  retention: 'workqueue' | 'limits' | 'interest';
  storage: 'file' | 'memory';
  replicas: number;
  duplicate_window: number;
  max_age: number;
}

export interface ScaffoldConsumer {
  durable_name: string;
  filter_subject: string;
  deliver_policy: 'all' | 'new';
  ack_wait: number;
  max_deliver: number;
  backoff: number[];
  max_ack_pending: number;
}

export interface ScaffoldBucket {
  bucket: string;
  history: number;
  ttl: number;
  storage: 'file' | 'memory';
  replicas: number;
}

export interface ScaffoldSpec {
  pattern: ScaffoldPattern;
  lang: ScaffoldLang;
  /** Project / module name (lowercase, dashes). */
  project: string;
  /** Subject publishers and requesters use. */
  subject: string;
  stream: ScaffoldStream;
  consumer: ScaffoldConsumer;
  /** Where dead letters go: the stream capturing max-deliveries advisories and the copies. */
  dlq: { stream: string; subject: string };
  bucket: ScaffoldBucket;
  keyPattern: string;
  /** Queue group of the request/reply responder. */
  queue: string;
  /** Where the settings came from, written into the generated README. */
  source: string;
}

export interface ScaffoldFile {
  /** Relative, forward slashes. */
  path: string;
  content: string;
}

export interface ScaffoldOptions {
  pattern: ScaffoldPattern;
  lang: ScaffoldLang;
  /** A Decide result's suggested config (`decision.config`). */
  suggestion?: KvSuggestion | StreamSuggestion;
  stream?: string;
  consumer?: string;
  subject?: string;
  bucket?: string;
  key?: string;
  /** Replace individual settings (a live object's config, or tests' short timings). */
  streamConfig?: Partial<ScaffoldStream>;
  consumerConfig?: Partial<ScaffoldConsumer>;
  bucketConfig?: Partial<ScaffoldBucket>;
  project?: string;
  source?: string;
}

export class ScaffoldInputError extends Error {
  override name = 'ScaffoldInputError';
}

const s = (n: number) => n * NANOS_PER_SECOND;
const STREAM_NAME = /^[^\s.*>/\\]+$/;
const SUBJECT = /^[^\s]+$/;

function checkSubject(what: string, subject: string): void {
  if (!SUBJECT.test(subject) || subject.startsWith('.') || subject.endsWith('.') || subject.includes('..')) {
    throw new ScaffoldInputError(`${what} "${subject}" is not a valid NATS subject (tokens separated by dots, no spaces)`);
  }
}

function checkName(what: string, name: string): void {
  if (!STREAM_NAME.test(name)) {
    throw new ScaffoldInputError(`${what} "${name}" is not a valid name (no spaces, dots, *, >, / or \\)`);
  }
}

/** A subject a publisher can use inside a stream subject pattern: wildcards become tokens. */
export function concreteSubject(pattern: string): string {
  return pattern
    .split('.')
    .map((t) => (t === '*' ? 'example' : t === '>' ? 'created' : t))
    .join('.');
}

/** Resolve every setting the generators need, from the picked source plus explicit names. */
export function resolveSpec(o: ScaffoldOptions): ScaffoldSpec {
  if (!PATTERNS.includes(o.pattern)) throw new ScaffoldInputError(`unknown pattern "${o.pattern}" (one of ${PATTERNS.join(', ')})`);
  if (!LANGS.includes(o.lang)) throw new ScaffoldInputError(`unknown language "${o.lang}" (one of ${LANGS.join(', ')})`);
  const st = o.suggestion?.kind === 'stream' ? o.suggestion : undefined;
  const kv = o.suggestion?.kind === 'kv' ? o.suggestion : undefined;

  const streamName = o.stream ?? st?.stream.name ?? 'ORDERS';
  checkName('stream', streamName);
  const subject = o.subject ?? st?.subject ?? (o.streamConfig?.subjects?.[0] ? concreteSubject(o.streamConfig.subjects[0]) : `${streamName.toLowerCase()}.created`);
  checkSubject('subject', subject);
  const isFanout = o.pattern === 'listener';
  const stream: ScaffoldStream = {
    name: streamName,
    subjects: st?.stream.subjects ?? [`${subject.split('.')[0]}.>`],
    // a work queue removes what is acked; fan-out keeps messages for every service's consumer
    retention: st?.stream.retention ?? (isFanout ? 'limits' : 'workqueue'),
    storage: 'file',
    // seed 001: R3 in production; explicit names default to R1 so the code runs on the sandbox
    replicas: st?.stream.replicas ?? 1,
    duplicate_window: st?.stream.duplicate_window ?? s(120),
    max_age: st?.stream.max_age ?? 0,
    ...o.streamConfig,
  };
  for (const subj of stream.subjects) checkSubject('stream subject', subj);

  const durable = o.consumer ?? st?.consumer.durable_name ?? (isFanout ? 'listener' : 'worker');
  checkName('consumer', durable);
  const backoff = st?.consumer.backoff ?? [s(30), s(60), s(120), s(300)];
  const consumer: ScaffoldConsumer = {
    durable_name: durable,
    filter_subject: st?.consumer.filter_subject ?? stream.subjects[0]!,
    deliver_policy: st?.consumer.deliver_policy ?? (isFanout ? 'new' : 'all'),
    ack_wait: st?.consumer.ack_wait ?? backoff[0]!,
    max_deliver: st?.consumer.max_deliver ?? backoff.length + 1,
    backoff,
    max_ack_pending: st?.consumer.max_ack_pending ?? 1000,
    ...o.consumerConfig,
  };
  checkSubject('consumer filter', consumer.filter_subject);
  if (consumer.backoff.length > 0 && consumer.max_deliver <= consumer.backoff.length) {
    throw new ScaffoldInputError(`max_deliver (${consumer.max_deliver}) must be greater than the number of backoff steps (${consumer.backoff.length})`);
  }

  const bucketName = o.bucket ?? kv?.bucket.bucket ?? 'app-state';
  if (!/^[a-zA-Z0-9_-]+$/.test(bucketName)) throw new ScaffoldInputError(`bucket "${bucketName}" is not a valid KV bucket name (letters, digits, - and _)`);
  const bucket: ScaffoldBucket = {
    bucket: bucketName,
    history: kv?.bucket.history ?? 5,
    ttl: kv?.bucket.ttl ?? 0,
    storage: 'file',
    replicas: kv?.bucket.replicas ?? 1,
    ...o.bucketConfig,
  };
  const keyPattern = o.key ?? kv?.watcher.key_pattern ?? '>';
  checkSubject('key pattern', keyPattern);

  const project = (o.project ?? `${o.pattern}-${o.pattern === 'kv-watcher' ? bucketName : streamName}`)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '') || o.pattern;

  return {
    pattern: o.pattern,
    lang: o.lang,
    project,
    subject,
    stream,
    consumer,
    dlq: { stream: `${streamName}_DLQ`, subject: `dlq.${streamName}.${durable}` },
    bucket,
    keyPattern,
    queue: `${subject.split('.')[0]}-responders`,
    source: o.source ?? (o.suggestion ? 'a Decide result' : 'names given explicitly'),
  };
}

/** Advisory subjects the DLQ stream captures (seed 001: MaxDeliver with a dead-letter plan). */
export function advisorySubject(spec: ScaffoldSpec): string {
  return `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${spec.stream.name}.${spec.consumer.durable_name}`;
}

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

export { natsCliArgs, natsCliFlagsProblem, shellQuote, toNatsCliCommand, type CliCommandOptions } from './natsCliCommand';
export { diffConfig, type ConfigChange } from './configDiff';

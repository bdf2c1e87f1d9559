/**
 * What "Create on server" creates for a decision: the suggested configuration
 * (src/core/decide/config.ts, JetStream API field names, nanoseconds) in the shapes the
 * explorer's create takes. For a KV verdict the bucket; for a Stream verdict the stream, then
 * its consumer, with the dead-letter stream as a separate, optional item. Pure.
 */
import type { Decision, KvSuggestion, StreamSuggestion } from '../../core/decide';
import type { CollisionCheck } from '../../core/decide';
import type { CreateItem } from '../explorer';

export interface CreatePlan {
  primitive: 'kv' | 'stream';
  items: CreateItem[];
  optional: CreateItem[];
  /** For the confirmation: why, and what the optional item is for. */
  notes: string[];
}

export const DEAD_LETTER_ACTION = 'Create with dead-letter stream';

type StreamCfg = StreamSuggestion['stream'];

function streamConfig(s: StreamCfg): Record<string, unknown> {
  return {
    name: s.name,
    subjects: s.subjects,
    retention: s.retention,
    storage: s.storage,
    num_replicas: s.replicas,
    duplicate_window: s.duplicate_window,
    max_age: s.max_age,
    discard: s.discard,
    ...(s.description ? { description: s.description } : {}),
  };
}

const streamSummary = (s: StreamCfg) => `subjects ${s.subjects.join(', ')}, ${s.retention} retention, ${s.storage}, R${s.replicas}`;

/**
 * The plan, or undefined when the decision suggests nothing (undecided). With a collision
 * check (the connected server's objects), free names are used, an existing stream that takes
 * the subject is reused (only the consumer is created) and the check's notes lead the
 * confirmation, so the user reads them before anything is created.
 */
export function creationPlan(decision: Decision, check?: CollisionCheck): CreatePlan | undefined {
  const c = check?.config ?? decision.config;
  if (!('kind' in c)) return undefined;
  const collisionNotes = check?.notes ?? [];
  if (c.kind === 'kv') {
    const b = (c as KvSuggestion).bucket;
    return {
      primitive: 'kv',
      items: [
        {
          kind: 'kv',
          name: b.bucket,
          // Admin's KV shape: milliseconds for the TTL
          config: { bucket: b.bucket, history: b.history, ttlMs: Math.round(b.ttl / 1e6), storage: b.storage, replicas: b.replicas, ...(b.description ? { description: b.description } : {}) },
          summary: `history ${b.history}, ${b.ttl ? `TTL ${Math.round(b.ttl / 1e9)}s` : 'no TTL'}, ${b.storage}, R${b.replicas}`,
        },
      ],
      optional: [],
      notes: collisionNotes,
    };
  }
  const s = c as StreamSuggestion;
  const k = s.consumer;
  return {
    primitive: 'stream',
    items: [
      ...(check?.reuseStream ? [] : [{ kind: 'stream' as const, name: s.stream.name, config: streamConfig(s.stream), summary: streamSummary(s.stream) }]),
      {
        kind: 'consumer',
        name: k.durable_name,
        stream: s.stream.name,
        config: { ...k },
        summary: `durable ${s.consumer_type}${k.deliver_subject ? ` to ${k.deliver_subject}` : ''}, filter ${k.filter_subject}, ack ${k.ack_policy}, max deliver ${k.max_deliver}`,
      },
    ],
    optional: check?.reuseDeadLetter
      ? []
      : [{ kind: 'stream', name: s.dead_letter.stream.name, config: streamConfig(s.dead_letter.stream), summary: `captures the max-deliveries advisories of ${k.durable_name}` }],
    notes: [...collisionNotes, `The dead-letter stream is optional: it keeps an advisory for every message that ran out of deliveries, to fetch the original by sequence.`],
  };
}

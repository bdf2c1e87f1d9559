/**
 * Suggested names against what a connected server already has: a stream, bucket or consumer
 * of the same name, or a stream whose subjects overlap the suggested ones (the server refuses
 * overlapping streams). Pure: the caller lists the server's objects (src/nats) and this says
 * what to do before anything is created — reuse an existing stream that already takes the
 * subject, or take a free name — and rewrites the suggestion accordingly.
 */
import type { DecisionConfig, KvSuggestion, StreamSuggestion } from './config';

export interface ExistingObjects {
  streams: { name: string; subjects: string[]; retention?: string }[];
  /** KV bucket names (the `KV_` streams without the prefix). */
  buckets: string[];
  /** Consumer names per stream, for the streams the suggestion may use. */
  consumers: Record<string, string[]>;
}

export interface CollisionCheck {
  /** The suggestion with free names, or pointed at the stream it reuses. */
  config: DecisionConfig;
  /** An existing stream that already takes the subject: create only the consumer on it. */
  reuseStream?: string;
  /** An existing dead-letter stream that already captures the advisory. */
  reuseDeadLetter?: boolean;
  /** One line per collision, said before "Create on server". */
  notes: string[];
  /** True when something cannot be resolved by a name alone (the server would refuse). */
  blocked: boolean;
}

/** True when some subject matches both NATS subject filters (`*` one token, `>` the rest). */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; ; i++) {
    const p = x[i];
    const q = y[i];
    if (p === '>' || q === '>') return p !== undefined && q !== undefined;
    if (p === undefined || q === undefined) return p === q;
    if (p !== '*' && q !== '*' && p !== q) return false;
  }
}

/** True when every subject matching `subject` is matched by `filter`. */
export function subjectCovers(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (s[i] === undefined) return false;
    if (s[i] === '>' || (s[i] === '*' && f[i] !== '*')) return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}

/** `base`, else `base<sep>2`, `base<sep>3`…: the first name not in `taken`. */
export function freeName(base: string, taken: Iterable<string>, sep: string): string {
  const set = new Set(taken);
  if (!set.has(base)) return base;
  for (let i = 2; ; i++) if (!set.has(`${base}${sep}${i}`)) return `${base}${sep}${i}`;
}

function checkKv(c: KvSuggestion, existing: ExistingObjects): CollisionCheck {
  const name = c.bucket.bucket;
  if (!existing.buckets.includes(name)) return { config: c, notes: [], blocked: false };
  const free = freeName(name, existing.buckets, '-');
  return {
    config: { ...c, bucket: { ...c.bucket, bucket: free } },
    notes: [`KV bucket "${name}" already exists on this server: suggesting "${free}" instead. If "${name}" already holds this state, reuse it and create nothing.`],
    blocked: false,
  };
}

function checkStream(c: StreamSuggestion, existing: ExistingObjects): CollisionCheck {
  const notes: string[] = [];
  let blocked = false;
  const wanted = c.stream.subjects;
  const overlapping = existing.streams.filter((s) => s.subjects.some((es) => wanted.some((w) => subjectsOverlap(es, w))));
  // a stream that already takes the published subject serves this path: add the consumer to it
  const covering = overlapping.find((s) => s.subjects.some((es) => subjectCovers(es, c.subject)));
  let stream = c.stream;
  let reuseStream: string | undefined;
  if (covering) {
    reuseStream = covering.name;
    stream = { ...stream, name: covering.name, subjects: covering.subjects };
    notes.push(`Stream "${covering.name}" already takes ${c.subject} (subjects ${covering.subjects.join(', ')}): reusing it, so only the consumer is created.`);
    if (covering.retention && covering.retention !== c.stream.retention) {
      notes.push(`"${covering.name}" has ${covering.retention} retention, not the suggested ${c.stream.retention}${covering.retention === 'workqueue' ? ': a work-queue stream refuses a second consumer whose filter overlaps' : ''}.`);
    }
  } else {
    if (overlapping.length > 0) {
      blocked = true;
      notes.push(
        `The subjects ${wanted.join(', ')} overlap stream${overlapping.length > 1 ? 's' : ''} ${overlapping.map((s) => `"${s.name}" (${s.subjects.join(', ')})`).join(', ')}: ` +
          `the server refuses overlapping streams. Publish under a subject that stream already takes, or pick another domain for the subject.`,
      );
    }
    const names = existing.streams.map((s) => s.name);
    if (names.includes(stream.name)) {
      const free = freeName(stream.name, names, '_');
      notes.push(`A stream named "${stream.name}" already exists with other subjects: suggesting "${free}" instead.`);
      stream = { ...stream, name: free };
    }
  }

  const consumersThere = existing.consumers[stream.name] ?? [];
  let consumer = c.consumer;
  if (consumersThere.includes(consumer.durable_name)) {
    const free = freeName(consumer.durable_name, consumersThere, '-');
    notes.push(`Stream "${stream.name}" already has a consumer "${consumer.durable_name}": suggesting "${free}" (or reuse the existing one if it does this work).`);
    consumer = { ...consumer, durable_name: free, ...(consumer.deliver_subject ? { deliver_subject: consumer.deliver_subject.replace(/[^.]+$/, free) } : {}) };
  }

  // the dead-letter stream follows the (possibly new) stream and consumer names
  const advisory = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream.name}.${consumer.durable_name}`;
  let dlqName = reuseStream || stream.name !== c.stream.name ? `${stream.name}_DLQ` : c.dead_letter.stream.name;
  const dlqExisting = existing.streams.find((s) => s.name === dlqName);
  let reuseDeadLetter = false;
  if (dlqExisting) {
    if (dlqExisting.subjects.some((s) => subjectCovers(s, advisory))) {
      reuseDeadLetter = true;
      notes.push(`Dead-letter stream "${dlqName}" already captures ${advisory}: reusing it.`);
    } else {
      const free = freeName(dlqName, existing.streams.map((s) => s.name), '_');
      notes.push(`A stream named "${dlqName}" already exists: suggesting "${free}" for the dead-letter stream.`);
      dlqName = free;
    }
  }
  const dead_letter = {
    ...c.dead_letter,
    advisory_subject: advisory,
    stream: { ...c.dead_letter.stream, name: dlqName, subjects: [advisory], description: `Max-deliveries advisories for ${stream.name}/${consumer.durable_name}` },
  };
  return {
    config: { ...c, stream, consumer, dead_letter },
    ...(reuseStream ? { reuseStream } : {}),
    ...(reuseDeadLetter ? { reuseDeadLetter } : {}),
    notes,
    blocked,
  };
}

/** What the suggestion becomes on a server holding `existing`. Undecided configs pass through. */
export function checkCollisions(config: DecisionConfig, existing: ExistingObjects): CollisionCheck {
  if (!('kind' in config)) return { config, notes: [], blocked: false };
  return config.kind === 'kv' ? checkKv(config as KvSuggestion, existing) : checkStream(config as StreamSuggestion, existing);
}

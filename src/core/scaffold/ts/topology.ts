/** `src/topology.ts`: the stream, consumer and DLQ settings, and code that creates them when missing. */
import { formatDuration } from '../../decide';
import { deadLetterCopierName } from '../../design/plan';
import { advisorySubject, type ScaffoldSpec } from '../spec';
import { ms, q } from './common';

const RETENTION: Record<string, string> = { workqueue: 'RetentionPolicy.Workqueue', limits: 'RetentionPolicy.Limits', interest: 'RetentionPolicy.Interest' };

export function tsTopology(spec: ScaffoldSpec, parts: { consumer: boolean; dlq: boolean }): string {
  const st = spec.stream;
  const c = spec.consumer;
  const imports = ['DiscardPolicy', 'JetStreamApiCodes', 'JetStreamApiError', 'RetentionPolicy', 'StorageType', 'type JetStreamManager'];
  if (parts.consumer) imports.unshift('AckPolicy', 'DeliverPolicy');
  const lines: string[] = [];
  lines.push(`import { ${imports.join(', ')} } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

// Settings from ${spec.source}. Edit here; ensureTopology() only creates what is missing and
// never changes a live stream or consumer (use NATS Flow or natscli for that).

export const STREAM = ${q(st.name)};
export const SUBJECT = ${q(spec.subject)};
`);
  if (parts.consumer) {
    lines.push(`export const CONSUMER = {
  durable: ${q(c.durable_name)},
  filter: ${q(c.filter_subject)},
  // AckWait is how long the server waits for an ack before redelivering, per delivery. It is a
  // deadline, not a processing budget: long work sends in-progress acks (see delivery.ts).
  ackWaitMs: ${ms(c.ack_wait)}, // ${formatDuration(c.ack_wait)}
  // bounded redelivery (seed 001): after maxDeliver attempts the server gives up and
  // publishes a MAX_DELIVERIES advisory, which the dead-letter plan picks up
  maxDeliver: ${c.max_deliver},
  // wait before each redelivery; a bare nak() would burn all attempts within milliseconds
  backoffMs: [${c.backoff.map(ms).join(', ')}], // ${c.backoff.map(formatDuration).join(', ') || 'none'}
  maxAckPending: ${c.max_ack_pending},
  deliverPolicy: DeliverPolicy.${c.deliver_policy === 'new' ? 'New' : 'All'},
};
`);
  }
  if (parts.dlq) {
    lines.push(`export const DLQ = {
  stream: ${q(spec.dlq.stream)},
  // the server publishes this when a message used up maxDeliver; JetStream has no native DLQ
  advisory: ${q(advisorySubject(spec))},
  // copies of dead messages land here, with headers naming where they came from
  subject: ${q(spec.dlq.subject)},
  copier: ${q(deadLetterCopierName(c.durable_name))},
  // the copier's own limit, not the worker's: each worker copies one advisory at a time, so
  // this many workers can copy at once
  copierMaxAckPending: 10,
};
`);
  }
  lines.push(`function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && (err.code === JetStreamApiCodes.StreamNotFound || err.code === JetStreamApiCodes.ConsumerNotFound);
}

async function ensureStream(jsm: JetStreamManager, name: string, subjects: string[], retention: RetentionPolicy, maxAgeMs: number): Promise<void> {
  try {
    await jsm.streams.info(name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.streams.add({
      name,
      subjects,
      retention,
      // file storage survives a server restart (seed 001); R3 in production, R1 for development
      storage: StorageType.File,
      num_replicas: ${st.replicas},
      discard: DiscardPolicy.Old,
      // publishers set Nats-Msg-Id; retries inside this window are dropped as duplicates
      duplicate_window: nanos(${ms(st.duplicate_window)}),
      max_age: nanos(maxAgeMs),
    });
    console.log('created stream ' + name);
  }
}
`);
  const body: string[] = [
    `  await ensureStream(jsm, STREAM, ${JSON.stringify(st.subjects)}, ${RETENTION[st.retention]}, ${ms(st.max_age)});`,
  ];
  if (parts.dlq) {
    body.push(`  // one stream holds both the advisories (durable, so none is lost while no worker runs) and the copies
  await ensureStream(jsm, DLQ.stream, [DLQ.advisory, DLQ.subject], RetentionPolicy.Limits, ${ms(14 * 24 * 3600 * 1e9)});
  await ensureConsumer(jsm, DLQ.stream, DLQ.copier, DLQ.advisory, DeliverPolicy.All, [${ms(5e9)}], 10, DLQ.copierMaxAckPending);`);
  }
  if (parts.consumer) {
    body.push(`  await ensureConsumer(jsm, STREAM, durable, CONSUMER.filter, CONSUMER.deliverPolicy, CONSUMER.backoffMs, CONSUMER.maxDeliver, CONSUMER.maxAckPending);`);
    lines.push(`async function ensureConsumer(jsm: JetStreamManager, stream: string, durable: string, filter: string, deliver: DeliverPolicy, backoffMs: number[], maxDeliver: number, maxAckPending: number): Promise<void> {
  try {
    await jsm.consumers.info(stream, durable);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.consumers.add(stream, {
      durable_name: durable,
      filter_subject: filter,
      deliver_policy: deliver,
      // explicit acks: a message counts as done only when the handler says so (seed 001)
      ack_policy: AckPolicy.Explicit,
      // with a backoff list the server takes backoff[0] as the first ack wait, so keep them equal
      ack_wait: nanos(backoffMs[0] ?? CONSUMER.ackWaitMs),
      max_deliver: maxDeliver,
      ...(backoffMs.length > 0 && backoffMs.length < maxDeliver ? { backoff: backoffMs.map(nanos) } : {}),
      max_ack_pending: maxAckPending,
    });
    console.log('created consumer ' + stream + '/' + durable);
  }
}

/** Creates the stream${parts.dlq ? ', the DLQ stream and both consumers' : ' and the durable consumer'} when missing. */
export async function ensureTopology(jsm: JetStreamManager, durable: string = CONSUMER.durable): Promise<void> {
${body.join('\n')}
}
`);
  } else {
    lines.push(`/** Creates the stream when missing. */
export async function ensureTopology(jsm: JetStreamManager): Promise<void> {
${body.join('\n')}
}
`);
  }
  return lines.join('\n');
}

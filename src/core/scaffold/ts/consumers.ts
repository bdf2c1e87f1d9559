/** TypeScript work-queue worker and fan-out listener: delivery handling shared, wiring apart from the handler. */
import type { ScaffoldFile, ScaffoldSpec } from '../spec';
import { tsProjectFiles } from './common';
import { tsTopology } from './topology';

const DELIVERY_TS = `import type { JsMsg } from '@nats-io/jetstream';
import { CONSUMER } from './topology.js';

/** What the handler sees: the message, without the ack machinery. */
export interface Delivery {
  subject: string;
  data: Uint8Array;
  text(): string;
  /** Stream sequence: a stable id for idempotent handling (a redelivery has the same one). */
  streamSeq: number;
  /** 1 on first delivery, 2 on the first redelivery, … up to CONSUMER.maxDeliver. */
  delivery: number;
  headers: Record<string, string>;
}

/** Throw from a handler for a message that can never succeed: it is terminated, not retried. */
export class PoisonMessage extends Error {
  override name = 'PoisonMessage';
}

export function toDelivery(m: JsMsg): Delivery {
  const headers: Record<string, string> = {};
  if (m.headers) for (const [k, v] of m.headers) headers[k] = v.join(', ');
  return { subject: m.subject, data: m.data, text: () => m.string(), streamSeq: m.info.streamSequence, delivery: m.info.deliveryCount, headers };
}

/** The ack wait the server applies to this delivery: backoff[n-1] when a backoff list is set. */
function ackWaitFor(delivery: number): number {
  const b = CONSUMER.backoffMs;
  return b.length > 0 ? b[Math.min(delivery, b.length) - 1]! : CONSUMER.ackWaitMs;
}

/**
 * In-progress acks, every half of the shortest AckWait, for the messages of a batch that wait
 * their turn: AckWait runs from delivery, so behind a slow handler they would be redelivered
 * (wasted work, a delivery counted toward maxDeliver) without ever being handled.
 * Returns the function that stops it.
 */
export function keepAlive(waiting: readonly JsMsg[]): () => void {
  const every = Math.max(100, Math.min(CONSUMER.ackWaitMs, ...CONSUMER.backoffMs) / 2);
  const timer = setInterval(() => {
    for (const m of waiting) m.working();
  }, every);
  return () => clearInterval(timer);
}

export type Outcome = 'acked' | 'retry' | 'terminated' | 'gave-up';

/**
 * Runs the handler for one message and settles it: ack on success, term for poison, nak
 * with a delay otherwise. While the handler runs, in-progress acks keep the message ours.
 */
export async function settle(m: JsMsg, handler: (d: Delivery) => Promise<void>, onPoison?: (m: JsMsg, reason: string) => Promise<void>): Promise<Outcome> {
  const d = toDelivery(m);
  // AckWait counts from delivery, whatever the handler is doing (a disconnect does not pause
  // it either): without these the server redelivers long work to another worker mid-flight
  const heartbeat = setInterval(() => m.working(), Math.max(100, ackWaitFor(d.delivery) / 2));
  try {
    await handler(d);
    clearInterval(heartbeat);
    // ackAck waits for the server to confirm: a lost ack would mean a redelivery of done work
    await m.ackAck();
    return 'acked';
  } catch (err) {
    clearInterval(heartbeat);
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof PoisonMessage) {
      if (onPoison) await onPoison(m, reason);
      // term: never redeliver; retrying cannot fix a message the handler calls poison
      m.term(reason);
      console.log('terminated seq=' + d.streamSeq + ': ' + reason);
      return 'terminated';
    }
    if (d.delivery >= CONSUMER.maxDeliver) {
      // the last attempt: the server now publishes the MAX_DELIVERIES advisory
      m.nak();
      console.log('gave up seq=' + d.streamSeq + ' after ' + d.delivery + ' deliveries: ' + reason);
      return 'gave-up';
    }
    // nak with a delay: a bare nak() redelivers at once and burns every attempt in milliseconds
    const delay = CONSUMER.backoffMs[Math.min(d.delivery, CONSUMER.backoffMs.length) - 1] ?? CONSUMER.ackWaitMs;
    m.nak(delay);
    console.log('retry seq=' + d.streamSeq + ' delivery=' + d.delivery + ' in ' + delay + 'ms: ' + reason);
    return 'retry';
  }
}
`;

const DLQ_TS = `import { headers, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { DLQ, STREAM } from './topology.js';

interface MaxDeliveriesAdvisory {
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

/** Publishes a copy of a dead message to the DLQ subject. Nats-Msg-Id makes a second copy a no-op. */
async function copy(nc: NatsConnection, seq: number, subject: string, data: Uint8Array, reason: string): Promise<void> {
  const h = headers();
  h.set('Nats-Msg-Id', STREAM + '-' + seq);
  h.set('Dlq-Stream', STREAM);
  h.set('Dlq-Stream-Seq', String(seq));
  h.set('Dlq-Subject', subject);
  h.set('Dlq-Reason', reason);
  await jetstream(nc).publish(DLQ.subject, data, { headers: h });
  console.log('dead-lettered seq=' + seq + ': ' + reason);
}

/** For poison messages: copy before term (on a work queue a terminated message is gone). */
export function copyPoison(nc: NatsConnection) {
  return (m: JsMsg, reason: string) => copy(nc, m.info.streamSequence, m.subject, m.data, 'terminated: ' + reason);
}

/**
 * The dead-letter plan: the DLQ stream captures MAX_DELIVERIES advisories; this reads them,
 * fetches the original by sequence and copies it to the DLQ subject. Every worker runs one on
 * the same durable consumer, so each advisory is handled once, also after a restart.
 */
export async function runDlqCopier(nc: NatsConnection, deleteOriginal: boolean): Promise<() => Promise<void>> {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const consumer = await js.consumers.get(DLQ.stream, DLQ.copier);
  // one advisory at a time: a buffered one's AckWait would run while the one before is copied
  const messages = await consumer.consume({ max_messages: 1 });
  const done = (async () => {
    for await (const m of messages) {
      try {
        const adv = m.json<MaxDeliveriesAdvisory>();
        // null only when the message is gone; any other error (timeout, disconnect) retries below,
        // so a dead letter is never acked away uncopied
        const original = await jsm.streams.getMessage(STREAM, { seq: adv.stream_seq });
        if (original) {
          await copy(nc, adv.stream_seq, original.subject, original.data, 'max deliveries (' + adv.deliveries + ')');
          // a work queue keeps an unacked message forever: remove it once it is safe in the DLQ
          if (deleteOriginal) await jsm.streams.deleteMessage(STREAM, adv.stream_seq, false).catch(() => false);
        } else {
          console.log('dead letter seq=' + adv.stream_seq + ' is no longer in ' + STREAM);
        }
        await m.ackAck();
      } catch (err) {
        console.error('dlq copier:', err);
        m.nak(5000);
      }
    }
  })();
  return async () => {
    await messages.close();
    await done;
  };
}
`;

function workerMain(spec: ScaffoldSpec): string {
  return `import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connectFromEnv, shutdownOnSignal } from './connection.js';
import { ensureTopology, CONSUMER, STREAM } from './topology.js';
import { settle } from './delivery.js';
import { copyPoison, runDlqCopier } from './dlq.js';
import { handle } from './handler.js';

// Work-queue worker: a durable pull consumer shared by every instance; each message goes to
// exactly one of them. Scale by starting more processes.
const nc = await connectFromEnv(${JSON.stringify(spec.project)});
const jsm = await jetstreamManager(nc);
await ensureTopology(jsm);
const consumer = await jetstream(nc).consumers.get(STREAM, CONSUMER.durable);
// pull: the worker asks for messages at its own pace (backpressure, seed 001). One at a time:
// a prefetched message's AckWait runs while it waits behind slow work in the buffer. Raise it
// only for handlers much faster than AckWait.
const messages = await consumer.consume({ max_messages: 1 });
const stopCopier = await runDlqCopier(nc, ${spec.stream.retention === 'workqueue'});
const onPoison = copyPoison(nc);
const loop = (async () => {
  for await (const m of messages) await settle(m, handle, onPoison);
})();
shutdownOnSignal(nc, async () => {
  // close() stops pulling; the loop ends after the message in hand is settled
  await messages.close();
  await loop;
  await stopCopier();
});
console.log('worker ready: ' + STREAM + '/' + CONSUMER.durable);
`;
}

const WORKER_HANDLER = `import { PoisonMessage, type Delivery } from './delivery.js';

/**
 * Your work, one message at a time. Return to ack. Throw PoisonMessage for a message that
 * can never succeed (it goes to the DLQ at once); any other error is retried with backoff
 * and dead-lettered after CONSUMER.maxDeliver attempts.
 * Make it idempotent: a message can arrive twice (a crash after the work, before the ack);
 * d.streamSeq or a business id in the payload tells you that you did it already.
 */
export async function handle(d: Delivery): Promise<void> {
  if (d.data.length === 0) throw new PoisonMessage('empty payload');
  console.log('handled ' + d.subject + ' seq=' + d.streamSeq + ': ' + d.text());
}
`;

function listenerMain(spec: ScaffoldSpec): string {
  return `import { DeliverPolicy, jetstream, jetstreamManager, type Consumer, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectFromEnv, shutdownOnSignal } from './connection.js';
import { ensureTopology, CONSUMER, STREAM } from './topology.js';
import { keepAlive, settle, toDelivery, type Delivery } from './delivery.js';
import { handle } from './handler.js';

// Fan-out listener: one durable consumer PER SERVICE, so every service sees every message and
// resumes where it left off after a restart. Instances of one service share its consumer.
const service = process.env.SERVICE_NAME ?? CONSUMER.durable;
// Messages taken per pull: fewer round trips for fast handlers. The ones waiting their turn get
// in-progress acks (keepAlive), so a handler slower than AckWait / PREFETCH causes no redelivery;
// a smaller batch leaves more to the service's other instances.
const PREFETCH = 10;
const nc = await connectFromEnv(${JSON.stringify(spec.project)} + '-' + service);
const replayFrom = Number(process.env.REPLAY_FROM ?? '0');
if (replayFrom > 0) await replay(nc, replayFrom);
else await listen(nc);

/**
 * REPLAY_FROM=<stream sequence>: read from anywhere with an ordered consumer instead. It is
 * ephemeral and unacknowledged (nothing to clean up, the service's durable is untouched), so
 * use it to rebuild state or backfill, not for work that must be acknowledged.
 */
async function replay(nc: NatsConnection, from: number): Promise<void> {
  const ordered = await jetstream(nc).consumers.get(STREAM, { filter_subjects: [CONSUMER.filter], deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from });
  const messages = await ordered.consume();
  const loop = (async () => {
    for await (const m of messages) {
      // no ack, no redelivery: a failure is logged and replay goes on
      await handle(toDelivery(m), service + ' (replay)').catch((err: unknown) => console.error('replay seq=' + m.info.streamSequence + ' failed: ' + String(err)));
    }
  })();
  shutdownOnSignal(nc, async () => {
    await messages.close();
    await loop;
    // the server would drop it after its inactivity threshold; leave nothing behind now
    await ordered.delete().catch(() => false);
  });
  console.log('replaying ' + STREAM + ' from seq ' + from);
}

async function listen(nc: NatsConnection): Promise<void> {
  await ensureTopology(await jetstreamManager(nc), service);
  const consumer = await jetstream(nc).consumers.get(STREAM, service);

  // Idempotent handling: a redelivery (an ack lost in a disconnect) carries the same stream
  // sequence; remember recent ones and ack repeats without running the handler twice.
  // The handler should still be idempotent across restarts (this memory is per process).
  const seen = new Set<number>();
  async function once(d: Delivery): Promise<void> {
    if (seen.has(d.streamSeq)) {
      console.log('duplicate seq=' + d.streamSeq + ' skipped');
      return;
    }
    await handle(d, service);
    seen.add(d.streamSeq);
    if (seen.size > 10_000) seen.delete(seen.values().next().value!);
  }

  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const waiting = await takeBatch(consumer).catch(async (err: unknown) => {
        console.error('pull failed: ' + String(err));
        await new Promise((r) => setTimeout(r, 1000));
        return [];
      });
      const stopKeepAlive = keepAlive(waiting);
      while (waiting.length > 0 && !stopping) await settle(waiting.shift()!, once);
      stopKeepAlive();
      // stopped mid-batch: hand the rest back now, not after AckWait
      for (const m of waiting) m.nak();
    }
  })();
  shutdownOnSignal(nc, async () => {
    // the loop ends after the message in hand is settled
    stopping = true;
    await loop;
  });
  console.log('listener ready: ' + STREAM + '/' + service);
}

/**
 * Waits up to 1 s for one message, then takes only what is already waiting (up to PREFETCH):
 * a batch for a backlog, no added latency for a quiet stream.
 */
async function takeBatch(consumer: Consumer): Promise<JsMsg[]> {
  const first = await consumer.next({ expires: 1000 });
  if (!first) return [];
  const batch = [first];
  // info.pending: how many more the consumer holds for this service right now
  const more = Math.min(PREFETCH - 1, first.info.pending);
  if (more > 0) for await (const m of await consumer.fetch({ max_messages: more, expires: 1000 })) batch.push(m);
  return batch;
}
`;
}

const LISTENER_HANDLER = `import type { Delivery } from './delivery.js';

/**
 * React to one event. Return to ack; throw to retry with backoff (PoisonMessage from
 * delivery.ts to give up at once). Keep it fast and idempotent: every service gets its own
 * copy and a message may come again after a lost ack.
 */
export async function handle(d: Delivery, service: string): Promise<void> {
  console.log(service + ' got ' + d.subject + ' seq=' + d.streamSeq + ': ' + d.text());
}
`;

export function tsWorker(spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    ...tsProjectFiles(spec, ['main'], false),
    { path: 'src/topology.ts', content: tsTopology(spec, { consumer: true, dlq: true }) },
    { path: 'src/delivery.ts', content: DELIVERY_TS },
    { path: 'src/dlq.ts', content: DLQ_TS },
    { path: 'src/main.ts', content: workerMain(spec) },
    { path: 'src/handler.ts', content: WORKER_HANDLER },
  ];
}

export function tsListener(spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    ...tsProjectFiles(spec, ['main'], false),
    { path: 'src/topology.ts', content: tsTopology(spec, { consumer: true, dlq: false }) },
    { path: 'src/delivery.ts', content: DELIVERY_TS },
    { path: 'src/main.ts', content: listenerMain(spec) },
    { path: 'src/handler.ts', content: LISTENER_HANDLER },
  ];
}

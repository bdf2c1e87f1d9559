/**
 * Reads the last message of every subject matching a filter in one pass: what KV key
 * listing and object listing need. nats.js's `kv.keys()` and `os.list()` each make an
 * ordered consumer that is left on the server until its inactive threshold runs out
 * (issue 8: 79 `oc_*` consumers after one `ls keys` of 20,000 keys). Here one pull consumer
 * (ack none, last per subject, optionally headers only) is read in batches, and it is
 * deleted as soon as the last message arrived or the read failed; a short inactive
 * threshold removes it even if this process dies mid-read.
 */
import { createInbox, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { AdminError, toAdminError } from './adminError';

export interface LastMessage {
  subject: string;
  /** Stream sequence (a KV revision, an object's metadata revision). */
  seq: number;
  /** When the server stored it. */
  time: Date;
  headers?: MsgHdrs;
  data: Uint8Array;
}

export interface LastPerSubjectOptions {
  /** API prefix, e.g. `$JS.API` or `$JS.hub.API`. */
  prefix: string;
  stream: string;
  filter: string;
  /** Leave payloads on the server (KV key listing needs only headers). */
  headersOnly?: boolean;
  /** Longest wait for the consumer to be created and between two messages. */
  timeoutMs: number;
  /** Messages per pull (default 5,000); at most two pulls are outstanding. */
  batch?: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const NS_PER_MS = 1_000_000;

async function api<T>(nc: NatsConnection, subject: string, body: unknown, timeoutMs: number): Promise<T> {
  let m;
  try {
    m = await nc.request(subject, body === undefined ? undefined : enc.encode(JSON.stringify(body)), { timeout: timeoutMs });
  } catch (err) {
    throw toAdminError(err);
  }
  const r = JSON.parse(dec.decode(m.data)) as T & { error?: { code: number; err_code?: number; description?: string } };
  if (r.error) throw toAdminError(r.error);
  return r;
}

/**
 * The delivery metadata in a JetStream reply subject, v1
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>` or v2 with domain and
 * account hash in front (and a random token at the end).
 */
export function parseAckReply(reply: string | undefined): { seq: number; timeNs: bigint; pending: number } | undefined {
  if (!reply?.startsWith('$JS.ACK.')) return undefined;
  const t = reply.split('.');
  const base = t.length === 9 ? 4 : t.length >= 11 ? 6 : -1;
  if (base < 0) return undefined;
  return { seq: Number(t[base + 1]), timeNs: BigInt(t[base + 3]), pending: Number(t[base + 4]) };
}

/** Messages asked for per pull; at most two pulls are outstanding, so memory stays bounded. */
const DEFAULT_BATCH = 5_000;

export async function readLastPerSubject(nc: NatsConnection, o: LastPerSubjectOptions): Promise<LastMessage[]> {
  const inbox = createInbox();
  const sub = nc.subscribe(inbox);
  let consumer: string | undefined;
  try {
    // a pull consumer: the client asks for batches, so a huge bucket cannot overrun it (a
    // push consumer would need flow control, which costs a round trip per window)
    const info = await api<{ name: string; num_pending: number }>(
      nc,
      `${o.prefix}.CONSUMER.CREATE.${o.stream}`,
      {
        stream_name: o.stream,
        config: {
          deliver_policy: 'last_per_subject',
          ack_policy: 'none',
          filter_subject: o.filter,
          ...(o.headersOnly ? { headers_only: true } : {}),
          mem_storage: true,
          num_replicas: 1,
          // only a safety net: the consumer is deleted below as soon as the read ends
          inactive_threshold: 10_000 * NS_PER_MS,
        },
      },
      o.timeoutMs,
    );
    consumer = info.name;
    const out: LastMessage[] = [];
    if (info.num_pending === 0) return out;
    const BATCH = o.batch ?? DEFAULT_BATCH;
    let requested = 0;
    const pull = () => {
      requested += BATCH;
      nc.publish(`${o.prefix}.CONSUMER.MSG.NEXT.${o.stream}.${consumer}`, enc.encode(JSON.stringify({ batch: BATCH, expires: o.timeoutMs * NS_PER_MS })), { reply: inbox });
    };
    pull();
    pull();
    const iter = sub[Symbol.asyncIterator]();
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        iter.next(),
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), o.timeoutMs))),
      ]).finally(() => clearTimeout(timer));
      if (next === 'timeout') throw new AdminError('timeout', `stream ${o.stream} sent nothing for ${o.timeoutMs} ms while listing`, undefined, 'is the server overloaded? try again, or raise the timeout');
      if (next.done) break;
      const m = next.value;
      const meta = parseAckReply(m.reply);
      if (!meta) {
        // a status message (408 a pull expired, 409 limits): ask again while messages remain
        if (requested - out.length < BATCH) pull();
        continue;
      }
      out.push({ subject: m.subject, seq: meta.seq, time: new Date(Number(meta.timeNs / BigInt(NS_PER_MS))), ...(m.headers ? { headers: m.headers } : {}), data: m.data });
      if (meta.pending === 0) break;
      // keep one batch in flight beyond the one being read
      if (requested - out.length < BATCH) pull();
    }
    return out;
  } finally {
    sub.unsubscribe();
    if (consumer) await api(nc, `${o.prefix}.CONSUMER.DELETE.${o.stream}.${consumer}`, undefined, o.timeoutMs).catch(() => undefined);
  }
}

/** The KV operation a message stands for (a delete or purge marker is not a current key). */
export function kvOperation(h: MsgHdrs | undefined): 'PUT' | 'DEL' | 'PURGE' {
  const op = h?.get('KV-Operation');
  if (op === 'DEL' || op === 'PURGE') return op;
  // 2.11+: a key removed by the bucket's TTL leaves a marker naming the reason (nats-facts.md)
  return h?.get('Nats-Marker-Reason') ? 'PURGE' : 'PUT';
}

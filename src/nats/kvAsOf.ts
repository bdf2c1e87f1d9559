/**
 * What KV keys held as of a revision: the previous values a restored KV watch, or `tail --kv
 * --from-revision`, needs so its first change per key is still a transition (seed
 * 004_a86e993beb744d77.txt: prev value → value, with both revisions). One batched direct get
 * (`multi_last` with `up_to_seq`, nats-server 2.11+) per 1,024 keys, no consumer. A revision
 * the bucket no longer keeps (history 1 and the key written since) is simply absent from the
 * answer.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { TailEvent, TailHeaders } from '../core/tail/events';
import { kvOperation } from './tail';
import { serverSupports } from './serverInfo';

export interface KvAsOf {
  revision: number;
  /** null for a delete, purge or expiry marker. */
  value: Uint8Array | null;
}

const KEYS_PER_REQUEST = 1024;

export async function readKvAsOf(nc: NatsConnection, js: { domain?: string; apiPrefix?: string }, bucket: string, keys: string[], upToRevision: number): Promise<Map<string, KvAsOf>> {
  const jsm = await jetstreamManager(nc, { ...js, checkAPI: false, timeout: 5000 });
  const out = new Map<string, KvAsOf>();
  const prefix = `$KV.${bucket}.`;
  for (let i = 0; i < keys.length; i += KEYS_PER_REQUEST) {
    const subjects = keys.slice(i, i + KEYS_PER_REQUEST).map((k) => `${prefix}${k}`);
    const iter = await jsm.direct.getLastMessagesFor(`KV_${bucket}`, { multi_last: subjects, up_to_seq: upToRevision });
    for await (const m of iter) {
      const headers: TailHeaders = [];
      for (const k of m.header?.keys() ?? []) for (const v of m.header!.values(k)) headers.push([k, v]);
      const { op } = kvOperation(headers);
      out.set(m.subject.slice(prefix.length), { revision: m.seq, value: op === 'put' ? m.data : null });
    }
  }
  return out;
}

type KvEvent = Extract<TailEvent, { kind: 'kv' }>;

export interface KvFirstPreviousOptions {
  connection(): NatsConnection;
  jetStreamOptions(): { domain?: string; apiPrefix?: string };
  bucket: string;
  /** Previous values are read as of this revision (the one before the watch's first). */
  upTo: number;
  /** Once, when they cannot be read (old server, error): first changes keep prev null. */
  onUnavailable(why: string): void;
  /** False once the reader is gone: no more reads. */
  active?(): boolean;
}

/**
 * A KV watch that starts after revision `upTo` (restored panel, `tail --from-revision`) knows
 * no value from before it: this gives the first change of each key the value the key held at
 * `upTo`, so it is still a transition. Batches are handed on in the order they came; each one
 * waits only for the read of its own first changes.
 */
export class KvFirstPrevious {
  private readonly seen = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private unavailable = false;

  constructor(private readonly o: KvFirstPreviousOptions) {}

  /** Calls `deliver(batch)` once the batch's first changes carry their previous values. */
  push(batch: TailEvent[], deliver: (batch: TailEvent[]) => void): void {
    this.chain = this.chain.then(async () => {
      await this.fill(batch);
      deliver(batch);
    });
  }

  /** Settles when every batch pushed so far has been delivered. */
  get idle(): Promise<void> {
    return this.chain;
  }

  private async fill(batch: TailEvent[]): Promise<void> {
    const first = new Map<string, KvEvent>();
    for (const e of batch) {
      if (e.kind !== 'kv' || this.seen.has(e.key)) continue;
      this.seen.add(e.key);
      if (e.prev === null && e.revision > this.o.upTo) first.set(e.key, e);
    }
    if (!first.size || this.unavailable || this.o.upTo < 1 || this.o.active?.() === false) return;
    const nc = this.o.connection();
    const support = serverSupports(nc.info?.version ?? '', 'batchDirectGet');
    if (!support.supported) return this.giveUp(`previous values from before revision ${this.o.upTo + 1} cannot be read on this server (reading a KV bucket as of a revision ${support.reason}), so first changes show no previous value`);
    try {
      const asOf = await readKvAsOf(nc, this.o.jetStreamOptions(), this.o.bucket, [...first.keys()], this.o.upTo);
      for (const [key, e] of first) {
        const p = asOf.get(key);
        if (p) e.prev = { revision: p.revision, value: p.value };
      }
    } catch (err) {
      this.giveUp(`previous values from before revision ${this.o.upTo + 1} could not be read, so first changes show no previous value: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private giveUp(why: string): void {
    this.unavailable = true;
    this.o.onUnavailable(why);
  }
}

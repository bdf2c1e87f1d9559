/**
 * What KV keys held as of a revision: the previous values a restored KV watch needs so its
 * first change per key is still a transition (seed 004_a86e993beb744d77.txt: prev value →
 * value, with both revisions). One batched direct get (`multi_last` with `up_to_seq`, nats-server
 * 2.11+) per 1,024 keys, no consumer. A revision the bucket no longer keeps (history 1 and the
 * key written since) is simply absent from the answer.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { TailHeaders } from '../core/tail/events';
import { kvOperation } from './tail';

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

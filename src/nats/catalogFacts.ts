/**
 * The snapshot of a server that the lenses and diagnostics read (src/core/lenses/catalogFacts),
 * made through the explorer's Catalog: every stream (KV_/OBJ_ included, for key counts),
 * buckets, object stores, and the consumers of the streams the code names.
 */
import type { CatalogFacts } from '../core/lenses/catalogFacts';
import type { Catalog } from './catalog';

export interface LoadFactsOptions {
  /** Streams whose consumers to list (those the code looks consumers up on). */
  consumersOf?: Iterable<string>;
  server?: string;
}

export async function loadCatalogFacts(catalog: Catalog, opts: LoadFactsOptions = {}): Promise<CatalogFacts> {
  const [streams, kvs, objs] = await Promise.all([catalog.allStreams({ includeSystem: true }), catalog.kvBuckets(), catalog.objectStores()]);
  const byName = new Map(streams.map((s) => [s.name, s]));
  const wanted = [...new Set(opts.consumersOf ?? [])].filter((s) => byName.has(s));
  const consumerLists = await Promise.all(wanted.map((s) => catalog.allConsumers(s)));
  return {
    ...(opts.server && { server: opts.server }),
    streams: streams.map((s) => ({ name: s.name, subjects: s.subjects, messages: s.messages, consumers: s.consumers, system: s.system, ...(s.numSubjects !== undefined && { numSubjects: s.numSubjects }) })),
    consumers: consumerLists.flat().map((c) => ({
      stream: c.stream,
      name: c.name,
      durable: c.durable,
      ackPolicy: c.ackPolicy,
      ackWaitMs: c.ackWaitMs,
      numPending: c.numPending,
      numAckPending: c.numAckPending,
      numRedelivered: c.numRedelivered,
    })),
    consumersOf: wanted,
    kv: kvs.map((k) => ({ bucket: k.bucket, history: k.history, values: k.values, ...(byName.get(k.stream)?.numSubjects !== undefined && { keys: byName.get(k.stream)!.numSubjects }) })),
    objectStores: objs.map((o) => ({ bucket: o.bucket })),
    at: Date.now(),
  };
}

/**
 * What the diagnostics and lenses know of the connected server: a plain snapshot made from the
 * explorer's Catalog (src/nats/catalogFacts.ts builds it), so this layer stays pure.
 */
export interface StreamFact {
  name: string;
  subjects: string[];
  messages: number;
  consumers: number;
  system: 'kv' | 'obj' | false;
  /** Distinct subjects with messages (2.10+): a KV bucket's key count. */
  numSubjects?: number;
}

export interface ConsumerFact {
  stream: string;
  name: string;
  durable: boolean;
  ackPolicy: 'none' | 'all' | 'explicit';
  ackWaitMs: number;
  numPending: number;
  numAckPending: number;
  numRedelivered: number;
}

export interface BucketFact {
  bucket: string;
  history: number;
  values: number;
  /** Keys with a current value or marker (the backing stream's distinct subjects), when known. */
  keys?: number;
}

export interface CatalogFacts {
  /** Server name and version, for messages. */
  server?: string;
  streams: StreamFact[];
  /** Consumers of the streams named in `consumersOf` (lists there are complete). */
  consumers: ConsumerFact[];
  consumersOf: string[];
  kv: BucketFact[];
  objectStores: { bucket: string }[];
  /** When the snapshot was read (ms since epoch). */
  at: number;
}

import { subjectsIntersect } from './subjects';

/** The user streams whose subjects capture `subject` (a pattern matches if it could). */
export function capturingStreams(facts: CatalogFacts, subject: string): StreamFact[] {
  return facts.streams.filter((s) => !s.system && s.subjects.some((f) => subjectsIntersect(f, subject)));
}

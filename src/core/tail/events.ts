/**
 * What a tail delivers: messages (streams, subjects, advisories, views), KV changes as
 * transitions (seed 004_a86e993beb744d77.txt: prev value → value with both revisions), and
 * markers for what happened to the tail itself. Plain data: the CLI, the extension host and
 * the webview (through src/shared) all read these shapes.
 */

/** Headers as the wire has them: a name can repeat, order is kept. */
export type TailHeaders = [name: string, value: string][];

/** A message from a stream (tail or view), a core subscription or an advisory subject. */
export interface TailMessage {
  kind: 'msg';
  subject: string;
  /** Stream sequence (stream tails and views). */
  seq?: number;
  stream?: string;
  /** ISO time: the stream's timestamp, else when the tail received it. */
  time: string;
  headers?: TailHeaders;
  data: Uint8Array;
  /** Reply subject of a core message (requests). */
  reply?: string;
  /** For advisories that name a stream message: where it is. */
  link?: { stream: string; seq: number };
  /** Advisory type (`io.nats.jetstream.advisory.v1.max_deliver`, …). */
  advisory?: string;
}

/** What a KV change is. `expired` is a MaxAge removal (2.11+ `Nats-Marker-Reason: MaxAge`). */
export type KvOperation = 'put' | 'delete' | 'purge' | 'expired';

export interface KvPrevious {
  revision: number;
  /** null when the previous entry was itself a tombstone. */
  value: Uint8Array | null;
}

/** One KV change, as a transition from what the watch saw before for that key. */
export interface KvChange {
  kind: 'kv';
  bucket: string;
  key: string;
  revision: number;
  op: KvOperation;
  /** Bootstrap = replay of what was there when the watch started; live = happened since. */
  phase: 'bootstrap' | 'live';
  /** What this key held before, as far as the watch knows; null when it does not know. */
  prev: KvPrevious | null;
  /** null for tombstones. */
  value: Uint8Array | null;
  time: string;
  /** Raw reason header of a 2.11+ marker (`MaxAge`, `Purge`, `Remove`). */
  reason?: string;
}

export type TailMarkerKind =
  | 'live'
  | 'reconnecting'
  | 'resumed'
  | 'recreated'
  | 'gap'
  | 'mode'
  | 'note'
  | 'error'
  | 'end';

/** Something that happened to the tail itself; shown inline in the list. */
export interface TailMarker {
  kind: 'marker';
  marker: TailMarkerKind;
  time: string;
  /** One plain sentence. */
  text: string;
  /** Where the tail resumed (stream sequence or KV revision). */
  seq?: number;
  /** Messages known missed (gap markers). */
  missed?: number;
  /** host:port of the server a reconnecting marker lost, or a resumed marker is back on. */
  server?: string;
}

export type TailEvent = TailMessage | KvChange | TailMarker;

export function isoNow(): string {
  return new Date().toISOString();
}

export function marker(kind: TailMarkerKind, text: string, extra: { seq?: number; missed?: number; server?: string } = {}): TailMarker {
  return { kind: 'marker', marker: kind, time: isoNow(), text, ...extra };
}

/**
 * Reading a JetStream ack reply subject in place. It runs once per delivered message, where a
 * `split('.')` (an array and nine or twelve strings each time) showed up in the KV bootstrap
 * profile; this scans the dots once and parses the numbers from the characters.
 *
 *   v1: $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>            (9 tokens)
 *   v2: $JS.ACK.<domain>.<account>.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>.<token>
 */

/** What a tail needs from an ack subject. `timeMs`: the server's nanosecond timestamp, in ms. */
export interface AckFields {
  streamSeq: number;
  deliverSeq: number;
  timeMs: number;
  pending: number;
}

const dots = new Int32Array(16);

/** Decimal digits of `s` in [from, to) as a number (0 when empty). */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

/** Fills `out` from `reply`; false when it is not an ack subject of either form. */
export function parseAckSubject(reply: string, out: AckFields): boolean {
  let n = 0;
  for (let i = 0; i < reply.length && n < 16; i++) if (reply.charCodeAt(i) === 46) dots[n++] = i;
  // token k runs from dots[k-1] + 1 to dots[k]; sseq is token base + 3
  const base = n >= 11 ? 4 : n >= 8 ? 2 : -1;
  if (base < 0 || !reply.startsWith('$JS.ACK.')) return false;
  out.streamSeq = digits(reply, dots[base + 2]! + 1, dots[base + 3]!);
  out.deliverSeq = digits(reply, dots[base + 3]! + 1, dots[base + 4]!);
  const tsFrom = dots[base + 4]! + 1;
  const tsTo = dots[base + 5]!;
  out.timeMs = tsTo - tsFrom > 6 ? digits(reply, tsFrom, tsTo - 6) : 0;
  out.pending = digits(reply, dots[base + 5]! + 1, base + 6 < n ? dots[base + 6]! : reply.length);
  return true;
}

let lastMs = -1;
let lastIso = '';

/** ISO time of a ms timestamp; a bulk read has many messages per millisecond, so the last one is kept. */
export function msToIso(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/**
 * Disconnects and reconnects of the connection, as tail markers, for tails that read through a
 * core subscription (subjects, advisories). nats.js resubscribes by itself after a reconnect,
 * but what was published while the connection was down is gone for a core subscription: the
 * markers say so, the way the stream tail shows reconnecting / resumed (events.ts).
 */
import type { NatsConnection, Status } from '@nats-io/transport-node';
import { marker, type TailMarker } from '../../core/tail/events';

/** Emits `reconnecting` on the first disconnect and `resumed` on the reconnect; returns a stop. */
export function coreReconnectMarkers(nc: NatsConnection, listening: string, emit: (m: TailMarker) => void): () => void {
  const it = nc.status() as AsyncIterable<Status> & { stop?: () => void };
  let downSince: number | undefined;
  void (async () => {
    for await (const s of it) {
      if (s.type === 'disconnect' && downSince === undefined) {
        downSince = Date.now();
        emit(marker('reconnecting', `disconnected from the server; reconnecting. A core subscription misses whatever is published on ${listening} until it is back`));
      } else if (s.type === 'reconnect' && downSince !== undefined) {
        const secs = ((Date.now() - downSince) / 1000).toFixed(1);
        downSince = undefined;
        emit(marker('resumed', `reconnected after ${secs} s, listening on ${listening} again; messages published while disconnected were not seen`));
      }
    }
  })();
  return () => it.stop?.();
}

/**
 * What the tails say about their connection, naming the server: the reconnecting / resumed
 * markers of every tail (a user with several profiles open reads which server went away and,
 * in a cluster, which one the tail came back on), and the error of a tail whose server went
 * away while it was still opening.
 *
 * For tails that read through a core subscription (subjects, advisories) the markers come from
 * `coreReconnectMarkers`: nats.js resubscribes by itself after a reconnect, but what was
 * published while the connection was down is gone for a core subscription, and the markers say
 * so, the way the stream tail shows reconnecting / resumed (events.ts).
 */
import type { NatsConnection, Status } from '@nats-io/transport-node';
import { marker, type TailMarker } from '../../core/tail/events';

/** nats-server's default server_name is its public key (N + 55 base32 characters): not worth showing. */
const GENERATED_NAME = /^N[A-Z2-7]{55}$/;

/** Server names by host:port, per connection: what one tail learnt, the next one knows too. */
const namesByConnection = new WeakMap<NatsConnection, Map<string, string>>();

/**
 * Names the servers a connection has been on: "127.0.0.1:4223 (n2)", host:port as nats.js's
 * status events give it plus the server_name the server announced, when it set one. The name
 * is learnt while the connection is on that server (nc.info is the current server's), so a
 * tail opened while the connection is down knows it only from an earlier tail.
 */
export class ServerNames {
  private readonly names: Map<string, string>;

  constructor(private readonly nc: NatsConnection) {
    let names = namesByConnection.get(nc);
    if (!names) namesByConnection.set(nc, (names = new Map()));
    this.names = names;
    this.learn(nc.getServer());
  }

  /** The server the connection is on (or trying) now, as host:port. */
  get current(): string {
    return this.nc.getServer();
  }

  /** Remembers the name of the server at `hostPort`, if the connection is on it right now. */
  learn(hostPort: string): void {
    const name = this.nc.info?.server_name;
    if (!hostPort || hostPort !== this.nc.getServer() || !name || name === hostPort || GENERATED_NAME.test(name)) return;
    this.names.set(hostPort, name);
  }

  label(hostPort: string): string {
    const name = this.names.get(hostPort);
    return name ? `${hostPort} (${name})` : hostPort || 'the server';
  }

  /** "on B" after a reconnect to the same server; "on B; it was on A before the disconnect" when it changed. */
  backOn(now: string, lost: string | undefined): string {
    return lost && lost !== now ? `on ${this.label(now)}; it was on ${this.label(lost)} before the disconnect` : `on ${this.label(now)}`;
  }
}

/** Emits `reconnecting` on the first disconnect and `resumed` on the reconnect; returns a stop. */
export function coreReconnectMarkers(nc: NatsConnection, listening: string, emit: (m: TailMarker) => void): () => void {
  const it = nc.status() as AsyncIterable<Status> & { stop?: () => void };
  const names = new ServerNames(nc);
  let downSince: number | undefined;
  let lost: string | undefined;
  void (async () => {
    for await (const s of it) {
      if (s.type === 'disconnect' && downSince === undefined) {
        downSince = Date.now();
        lost = s.server;
        emit(marker('reconnecting', `disconnected from ${names.label(s.server)}; reconnecting. A core subscription misses whatever is published on ${listening} until it is back`, { server: s.server }));
      } else if (s.type === 'reconnect' && downSince !== undefined) {
        names.learn(s.server);
        const secs = ((Date.now() - downSince) / 1000).toFixed(1);
        downSince = undefined;
        // one sentence, no brackets after a named server's "(n2)"
        const moved = lost && lost !== s.server ? `; it was on ${names.label(lost)} before the disconnect` : '';
        emit(marker('resumed', `reconnected to ${names.label(s.server)} after ${secs} s, listening on ${listening} again${moved}; messages published while disconnected were not seen`, { server: s.server }));
      }
    }
  })();
  return () => it.stop?.();
}

/**
 * A tail whose connection dropped while it was opening (or was down, reconnecting, then), and
 * whose opening then failed: the server went away under it (its request was lost with the
 * connection, so it timed out or failed). `server` is the host:port it was on; the message
 * names it and the failure.
 */
export class TailOpenInterrupted extends Error {
  override name = 'TailOpenInterrupted';
  constructor(
    /** host:port of the server the connection lost. */
    readonly server: string,
    /** Its name, for the message: "127.0.0.1:4222 (n1)". */
    readonly label: string,
    /** What the opening failed with. */
    readonly reason: string,
  ) {
    super(`lost the connection to ${label}: the server went away or closed it while the tail was opening, so it did not start (${reason})`);
  }
}

/**
 * Watches the connection while a tail opens: `interrupted(err)` turns the opening's failure
 * into a TailOpenInterrupted when the connection dropped meanwhile, or was down (nats.js
 * trying to reconnect) while it opened, else returns `err`.
 */
export function watchOpening(nc: NatsConnection): { interrupted(err: unknown): Promise<unknown>; stop(): void } {
  const it = nc.status() as AsyncIterable<Status> & { stop?: () => void };
  const names = new ServerNames(nc);
  let lost: string | undefined;
  let sawDrop!: () => void;
  const dropped = new Promise<void>((r) => (sawDrop = r));
  void (async () => {
    for await (const s of it) {
      // a drop while opening, or (reconnect attempts) a connection that was already down
      if ((s.type === 'disconnect' || s.type === 'reconnecting') && lost === undefined) {
        lost = s.type === 'disconnect' ? s.server : names.current;
        sawDrop();
      }
    }
  })().catch(() => undefined);
  return {
    async interrupted(err) {
      const reason = err instanceof Error ? err.message : String(err);
      // nats.js fails a pending flush ("connection disconnected") a few ms before it reports
      // the disconnect: a failure that reads like a lost connection waits briefly for it
      if (lost === undefined && /disconnect|connection closed|timeout|timed out/i.test(reason)) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([dropped, new Promise((r) => (timer = setTimeout(r, DROP_REPORT_WAIT_MS)))]);
        clearTimeout(timer);
      }
      if (lost === undefined) return err;
      return new TailOpenInterrupted(lost, names.label(lost), reason);
    },
    stop: () => it.stop?.(),
  };
}

/** How long an opening that failed like a lost connection waits for nats.js to report the drop. */
const DROP_REPORT_WAIT_MS = 250;

import type { NatsConnection } from '@nats-io/transport-node';
import type { CliIO } from './command';

/**
 * Watches the connections one CLI run opens without reconnecting (ls, pub, req, apply, …).
 * When the server goes away mid-command, nats.js closes such a connection, and what the
 * command waits on either fails with a bare "connection closed" or never settles at all (a
 * flush waits for a PONG that never comes, and node then exits 0 with the work undone).
 * main races the command against `dropped`, and on any failure asks `lost()`, so the user
 * reads which server went away and gets exit 1 either way.
 */
export interface RunConnections {
  /** Rejects as soon as a watched connection drops; never resolves. */
  dropped: Promise<never>;
  /** After the command ended: the drop, said for a person, or undefined if none dropped. */
  lost(): Promise<string | undefined>;
}

interface Watched {
  nc: NatsConnection;
  servers: string;
  /** "host:port" from the disconnect status, once the connection dropped. */
  droppedFrom?: string;
  /** Settles when the status loop has seen everything up to the close. */
  ended: Promise<void>;
}

const runs = new WeakMap<CliIO, { watched: Watched[]; drop(): void; dropped: Promise<never> }>();

/** Starts watching for this run (keyed by its io); main calls it before running a command. */
export function watchRunConnections(io: CliIO): RunConnections {
  let drop!: () => void;
  const dropped = new Promise<never>((_resolve, reject) => {
    drop = () => reject(new ConnectionDropped());
  });
  // nobody may be racing it (a command that never connects): no unhandled rejection
  dropped.catch(() => undefined);
  const run = { watched: [] as Watched[], drop, dropped };
  runs.set(io, run);
  return {
    dropped,
    async lost() {
      for (const w of run.watched) {
        // the status iterator ends at the close, after every event queued before it
        if (w.nc.isClosed()) await w.ended;
        if (w.droppedFrom !== undefined) return lostText(w);
      }
      return undefined;
    },
  };
}

/** Registers a connection that does not reconnect; `servers` is how messages name it. */
export function watchConnection(io: CliIO, nc: NatsConnection, servers: string): void {
  const run = runs.get(io);
  if (!run) return; // a command run on its own, outside runCli (unit tests)
  const w: Watched = { nc, servers, ended: Promise.resolve() };
  w.ended = (async () => {
    // our own close() emits only "close"; a "disconnect" means the server side went away
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' && w.droppedFrom === undefined) {
        w.droppedFrom = s.server;
        run.drop();
      }
    }
  })().catch(() => undefined);
  run.watched.push(w);
}

function lostText(w: Watched): string {
  // several URLs: say which one it was connected to (the status names it as host:port)
  const where = w.servers.includes(', ') && w.droppedFrom ? `${w.droppedFrom} (of ${w.servers})` : w.servers;
  return `lost the connection to ${where} (the server went away or closed it) before the command finished; it may have done only part of its work`;
}

class ConnectionDropped extends Error {
  override name = 'ConnectionDropped';
}

/**
 * For commands that keep reconnecting (tail): one line on stderr when the connection drops
 * and one when it is back, naming the server, as natscli's ">>> Disconnected …" line does
 * (stdout keeps the tail's own reconnecting/resumed markers). Ends with the connection.
 */
export function reportReconnects(io: CliIO, nc: NatsConnection, servers: string, command: string): void {
  let downSince: number | undefined;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' && downSince === undefined) {
        downSince = Date.now();
        io.err(`nats-flow ${command}: lost the connection to ${servers}; reconnecting until it is back (Ctrl-C stops)\n`);
      } else if (s.type === 'reconnect' && downSince !== undefined) {
        io.err(`nats-flow ${command}: reconnected to ${servers} after ${((Date.now() - downSince) / 1000).toFixed(1)} s\n`);
        downSince = undefined;
      }
    }
  })().catch(() => undefined);
}

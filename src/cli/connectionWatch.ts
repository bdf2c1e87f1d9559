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

/**
 * The server a connection was on, as the user gave it (`servers`, from describeServers); of
 * several URLs, the one it was on; a server the cluster told the client about (nats.js adds
 * those to its pool, so a reconnect may land there) is said to be one.
 */
export function serverText(servers: string, at: string | undefined): string {
  if (!at) return servers;
  const given = servers.split(', ');
  if (!given.some((u) => hostPort(u) === at.toLowerCase())) return `${at} (a server of the cluster behind ${servers})`;
  return given.length > 1 ? `${at} (of ${servers})` : servers;
}

/** host:port of a server URL as nats.js's status events name it (port 4222 when none is given). */
function hostPort(url: string): string {
  const rest = url.replace(/^[a-z]+:\/\//i, '').replace(/^[^@/]*@/, '').replace(/\/.*$/, '');
  return (/:\d+$/.test(rest) ? rest : `${rest}:4222`).toLowerCase();
}

function lostText(w: Watched): string {
  return `lost the connection to ${serverText(w.servers, w.droppedFrom)}: the server went away or closed it before the command finished; it may have done only part of its work`;
}

class ConnectionDropped extends Error {
  override name = 'ConnectionDropped';
}

/**
 * For commands that keep reconnecting (tail): one line on stderr when the connection drops
 * and one when it is back, naming the server, as natscli's ">>> Disconnected …" line does
 * (stdout keeps the tail's own reconnecting/resumed markers). Of several URLs it names the
 * one it lost and the one it is back on, which in a cluster may be another. Ends with the
 * connection.
 *
 * Quiet until `started()`: a drop while the command is still opening fails it (with its own
 * message naming the server), so "reconnecting until it is back" would not be true then. A
 * drop that the opening survived is said at `started()` if the connection is still down.
 */
export function reportReconnects(io: CliIO, nc: NatsConnection, servers: string, command: string): { started(): void; droppedWhileStarting(): string | undefined } {
  let downSince: number | undefined;
  let lostFrom: string | undefined;
  /** host:port of the first drop before `started()`. */
  let droppedEarly: string | undefined;
  let said = false;
  let started = false;
  const sayLost = () => {
    said = true;
    io.err(`nats-flow ${command}: lost the connection to ${serverText(servers, lostFrom)}; reconnecting until it is back (Ctrl-C stops)\n`);
  };
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' && downSince === undefined) {
        downSince = Date.now();
        lostFrom = s.server;
        if (started) sayLost();
        else droppedEarly ??= s.server;
      } else if (s.type === 'reconnect' && downSince !== undefined) {
        const elsewhere = lostFrom && s.server !== lostFrom ? `; it was on ${lostFrom}` : '';
        if (said) io.err(`nats-flow ${command}: reconnected to ${serverText(servers, s.server)} after ${((Date.now() - downSince) / 1000).toFixed(1)} s${elsewhere}\n`);
        downSince = undefined;
        said = false;
      }
    }
  })().catch(() => undefined);
  return {
    started() {
      started = true;
      if (downSince !== undefined && !said) sayLost();
    },
    // the command's own watch of its opening starts later (tail: inside openTail), so a drop
    // right after connecting is only seen here
    droppedWhileStarting: () => droppedEarly,
  };
}

import { parseCliArgs, wholeNumberFlag } from '../args';
import type { NatsConnection } from '@nats-io/transport-node';
import { UsageError, type CliCommand, type CliIO } from '../command';
import { connectFromFlags, connectionOptions, connectionUsage, CliFailure, type ConnectionFlagValues } from '../connectionFlags';
import { Catalog, type ClusterSummary, type StreamSummary } from '../../nats/catalog';
// pure formatting shared with the explorer (no vscode import in it)
import { formatDuration } from '../../core/units';
import { jetStreamOptions } from '../../nats/profile';
import { AdminError, kvKeyProblem, nameProblem, subjectProblem } from '../../nats/admin';

const usage = `Usage: nats-flow ls [streams | consumers STREAM | kv | keys BUCKET | objects [STORE] | account] [flags]

Lists what the NATS Flow explorer shows, through the same code.

  streams            streams (KV_/OBJ_ backing streams hidden unless --all); the default
  consumers STREAM   consumers of a stream
  kv                 KV buckets
  keys BUCKET        current keys of a KV bucket (--filter orders.>)
  objects            object stores; with STORE, the objects in it
  account            JetStream usage against the account limits

Flags:
  -a, --all            include KV_ and OBJ_ backing streams (as nats stream ls --all)
      --filter SUBJ    streams capturing SUBJ; keys matching SUBJ
  -j, --json           print an array of summaries (stable field names) instead of a table
      --limit N        at most N rows

${connectionUsage}
`;

type Row = Record<string, string | number>;

export const lsCommand: CliCommand = {
  name: 'ls',
  summary: 'List streams, consumers, KV buckets/keys and object stores',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCliArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...connectionOptions,
        all: { type: 'boolean', short: 'a' },
        filter: { type: 'string' },
        json: { type: 'boolean', short: 'j' },
        limit: { type: 'string' },
      },
    });
    const [what = 'streams', arg, ...extra] = positionals;
    const needsArg = what === 'consumers' || what === 'keys';
    const known = ['streams', 'consumers', 'kv', 'keys', 'objects', 'account'];
    if (!known.includes(what)) throw new UsageError(`unknown listing "${what}"; use one of ${known.join(', ')}`);
    if (needsArg && !arg) throw new UsageError(`ls ${what} needs a ${what === 'keys' ? 'BUCKET' : 'STREAM'} name`);
    if (!needsArg && what !== 'objects' && arg !== undefined) throw new UsageError(`ls ${what} takes no name (got "${arg}")`);
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const limit = wholeNumberFlag('--limit', values.limit) ?? Infinity;

    // names and filters are checked before connecting: a "." or a wildcard would change the
    // API subject, and an overlong name would only come back as "connection closed"
    const kind = what === 'consumers' ? 'stream' : what === 'keys' ? 'KV bucket' : what === 'objects' ? 'object store' : undefined;
    const bad =
      (kind && arg !== undefined ? nameProblem(kind, arg) : undefined) ??
      (values.filter !== undefined ? (what === 'keys' ? kvKeyProblem(values.filter, { filter: true }) : subjectProblem(values.filter, { what: '--filter' })) : undefined);
    if (bad) throw new UsageError(bad);

    const { nc, profile, timeoutMs } = await connectFromFlags(values as ConnectionFlagValues, io);
    try {
      // --timeout bounds every request, not only the connect
      const catalog = new Catalog(nc, { ...jetStreamOptions(profile), timeoutMs });
      const { rows, json, empty } = await list(catalog, what, arg, { all: values.all ?? false, filter: values.filter, limit });
      if (values.json) io.out(JSON.stringify(json, null, 2) + '\n');
      else io.out(rows.length ? table(rows) : `${empty}\n`);
      return 0;
    } catch (err) {
      if (err instanceof AdminError) throw new CliFailure(`${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}`);
      throw err;
    } finally {
      await closeQuietly(nc);
    }
  },
};

async function closeQuietly(nc: NatsConnection): Promise<void> {
  await nc.close().catch(() => undefined);
}

async function pages<T>(limit: number, fetch: (offset: number) => Promise<{ items: T[]; next?: number }>): Promise<T[]> {
  const out: T[] = [];
  let offset: number | undefined = 0;
  while (offset !== undefined && out.length < limit) {
    const page: { items: T[]; next?: number } = await fetch(offset);
    out.push(...page.items);
    offset = page.next;
  }
  return out.slice(0, limit);
}

async function list(
  catalog: Catalog,
  what: string,
  arg: string | undefined,
  o: { all: boolean; filter?: string; limit: number },
): Promise<{ rows: Row[]; json: unknown; empty: string }> {
  switch (what) {
    case 'streams': {
      const items = await pages(o.limit, (offset) => catalog.streams({ offset, includeSystem: o.all, filter: o.filter }));
      const clustered = items.some((s) => s.cluster);
      return {
        json: items,
        empty: 'No streams found',
        rows: items.map((s) => ({
          Name: s.name,
          Subjects: streamSubjects(s),
          Storage: s.storage,
          Replicas: s.replicas,
          ...(clustered ? { Leader: leaderText(s.cluster) } : {}),
          Messages: s.messages,
          Size: bytes(s.bytes),
          Consumers: s.consumers,
          'Last Message': s.lastTime ? ago(s.lastTime) : 'never',
        })),
      };
    }
    case 'consumers': {
      const items = await pages(o.limit, (offset) => catalog.consumers(arg!, { offset }));
      return {
        json: items,
        empty: `No consumers on stream ${arg}`,
        rows: items.map((c) => ({
          Name: c.name,
          Kind: `${c.durable ? 'durable' : 'ephemeral'} ${c.kind}`,
          Filter: c.filterSubjects.join(', ') || '>',
          Ack: c.ackPolicy,
          Pending: c.numPending,
          'Ack Pending': c.numAckPending,
          Redelivered: c.numRedelivered,
          Waiting: c.numWaiting,
          Health: c.health,
          'Last Active': c.lastActive ? ago(c.lastActive) : 'never',
        })),
      };
    }
    case 'kv': {
      const items = (await catalog.kvBuckets()).slice(0, o.limit);
      return {
        json: items,
        empty: 'No KV buckets found',
        rows: items.map((b) => ({ Bucket: b.bucket, History: b.history, TTL: b.ttlMs ? formatDuration(b.ttlMs) : '-', Values: b.values, Size: bytes(b.bytes), Storage: b.storage, Replicas: b.replicas })),
      };
    }
    case 'keys': {
      const items = await pages(o.limit, (offset) => catalog.kvKeys(arg!, { offset, filter: o.filter }));
      return { json: items, empty: `No keys in bucket ${arg}`, rows: items.map((k) => ({ Key: k })) };
    }
    case 'objects': {
      if (!arg) {
        const items = (await catalog.objectStores()).slice(0, o.limit);
        return {
          json: items,
          empty: 'No object stores found',
          rows: items.map((s) => ({ Store: s.bucket, Size: bytes(s.bytes), Storage: s.storage, Replicas: s.replicas, Sealed: s.sealed ? 'yes' : 'no' })),
        };
      }
      const items = await pages(o.limit, (offset) => catalog.objects(arg, { offset }));
      return {
        json: items,
        empty: `No objects in store ${arg}`,
        rows: items.map((x) => ({ Name: x.name, Size: bytes(x.size), Chunks: x.chunks, Modified: ago(x.modified) })),
      };
    }
    default: {
      const a = await catalog.accountInfo();
      const lim = (n: number) => (n < 0 ? 'unlimited' : String(n));
      return {
        json: a,
        empty: '',
        rows: [
          { Resource: 'Memory', Used: bytes(a.memory), Limit: a.limits.maxMemory < 0 ? 'unlimited' : bytes(a.limits.maxMemory) },
          { Resource: 'Storage', Used: bytes(a.storage), Limit: a.limits.maxStorage < 0 ? 'unlimited' : bytes(a.limits.maxStorage) },
          { Resource: 'Streams', Used: a.streams, Limit: lim(a.limits.maxStreams) },
          { Resource: 'Consumers', Used: a.consumers, Limit: lim(a.limits.maxConsumers) },
        ],
      };
    }
  }
}

/** What a stream takes in: its subjects, or where a mirror or sources copy from. */
function streamSubjects(s: StreamSummary): string {
  const parts = [...(s.mirror ? [`mirror of ${s.mirror}`] : []), ...(s.subjects.length ? [s.subjects.join(', ')] : []), ...(s.sources?.length ? [`sources ${s.sources.join(', ')}`] : [])];
  return parts.join('; ') || '-';
}

/** The leader and any replica that is offline or behind, for clustered streams. */
function leaderText(c: ClusterSummary | undefined): string {
  if (!c) return '-';
  const off = c.replicas.filter((r) => r.offline).map((r) => r.name);
  const behind = c.replicas.filter((r) => !r.offline && !r.current).map((r) => r.name);
  return [c.leader ?? 'no leader', ...(off.length ? [`offline: ${off.join(', ')}`] : []), ...(behind.length ? [`behind: ${behind.join(', ')}`] : [])].join('; ');
}

/** Aligned columns, numbers right-aligned. */
export function table(rows: Row[]): string {
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: (string | number)[]) =>
    cells
      .map((v, i) => (typeof v === 'number' ? String(v).padStart(width[i]) : String(v).padEnd(width[i])))
      .join('  ')
      .trimEnd();
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => r[c])))].join('\n') + '\n';
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

function ago(iso: string): string {
  const ms = Date.now() - Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

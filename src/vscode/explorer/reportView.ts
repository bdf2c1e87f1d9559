/**
 * What the report panel shows (ReportViewState, src/shared/protocol.ts), built from Catalog
 * summaries: natscli's `nats stream report` / `nats consumer report` columns, each cell with
 * its shown text and the raw value it sorts by, and health flags. Pure (no `vscode`), so unit
 * tests and the Chromium tests build real states from real summaries.
 */
import type { ConsumerSummary, StreamSummary } from '../../nats/catalog';
import type { ReportCell, ReportColumnView, ReportFlag, ReportRowView, ReportSort, ReportViewState } from '../../shared/protocol';
import { findColumn, sortRows } from '../../shared/reportValidate';
import { formatAge, formatBytes, formatCount, formatDuration, formatTimestamp, maxLag, NEAR_LIMIT } from './format';

interface ColumnDef<T> extends ReportColumnView {
  cell: (row: T) => ReportCell;
}

const count = (n: number): ReportCell => ({ text: formatCount(n), sort: n });
const text = (s: string, title?: string): ReportCell => ({ text: s, sort: s, ...(title ? { title } : {}) });
// relative in the cell, the exact local time in its tooltip (format.ts's one time format)
const when = (iso: string | undefined, now: number): ReportCell => ({ text: formatAge(iso, now), sort: iso ? Date.parse(iso) : 0, ...(iso ? { title: formatTimestamp(iso) } : {}) });

/** Whether the rows live in a cluster (a standalone server reports itself as leader with no peers). */
function isClustered(items: { cluster?: { name?: string; replicas: unknown[] } }[]): boolean {
  return items.some((s) => Boolean(s.cluster?.name) || (s.cluster?.replicas.length ?? 0) > 0);
}

function replicasTitle(c: StreamSummary['cluster']): string | undefined {
  if (!c) return undefined;
  const peers = c.replicas.map((p) => `${p.name}: ${p.offline ? 'offline' : p.current ? 'current' : `behind ${formatCount(p.lag)} ops`}, seen ${formatDuration(p.activeMs)} ago`);
  return [`leader ${c.leader ?? 'none'}${c.name ? ` in cluster ${c.name}` : ''}`, ...peers].join('\n');
}

function lagCell(c: StreamSummary['cluster']): ReportCell {
  const lag = maxLag(c);
  if (lag === Infinity) return { text: 'offline', sort: Number.MAX_SAFE_INTEGER, title: replicasTitle(c) };
  return { text: lag ? formatCount(lag) : '-', sort: lag, ...(c ? { title: replicasTitle(c) } : {}) };
}

function clusterColumns<T extends { cluster?: StreamSummary['cluster'] }>(): ColumnDef<T>[] {
  return [
    { id: 'leader', title: 'Leader', numeric: false, tooltip: 'The server leading this RAFT group', cell: (s) => text(s.cluster?.leader ?? 'none', replicasTitle(s.cluster)) },
    { id: 'lag', title: 'Lag', numeric: true, tooltip: 'Operations the furthest-behind replica trails the leader', cell: (s) => lagCell(s.cluster) },
  ];
}

function clusterFlags(c: StreamSummary['cluster']): ReportFlag[] {
  const out: ReportFlag[] = [];
  const offline = c?.replicas.filter((r) => r.offline) ?? [];
  if (offline.length) out.push({ kind: 'replicaOffline', label: `replica ${offline.map((r) => r.name).join(', ')} offline` });
  const behind = c?.replicas.filter((r) => !r.offline && !r.current) ?? [];
  if (behind.length) out.push({ kind: 'replicaLag', label: `replica ${behind.map((r) => `${r.name} behind ${formatCount(r.lag)}`).join(', ')}` });
  return out;
}

// ---- streams --------------------------------------------------------------------------------

export function streamColumns(clustered: boolean, now = Date.now()): ColumnDef<StreamSummary>[] {
  return [
    { id: 'name', title: 'Stream', numeric: false, cell: (s) => text(s.name) },
    { id: 'subjects', title: 'Subjects', numeric: false, cell: (s) => text(s.subjects.length ? s.subjects.join(', ') : s.mirror ? `mirror of ${s.mirror}` : s.sources?.length ? `sources ${s.sources.join(', ')}` : '-') },
    { id: 'storage', title: 'Storage', numeric: false, cell: (s) => text(s.storage) },
    { id: 'replicas', title: 'Replicas', numeric: true, cell: (s) => count(s.replicas) },
    { id: 'consumers', title: 'Consumers', numeric: true, cell: (s) => count(s.consumers) },
    { id: 'messages', title: 'Messages', numeric: true, cell: (s) => ({ ...count(s.messages), ...(s.limits.maxMsgs > 0 ? { title: `${formatCount(s.messages)} of max ${formatCount(s.limits.maxMsgs)}` } : {}) }) },
    { id: 'bytes', title: 'Bytes', numeric: true, cell: (s) => ({ text: formatBytes(s.bytes), sort: s.bytes, title: `${formatCount(s.bytes)} bytes${s.limits.maxBytes > 0 ? ` of max ${formatBytes(s.limits.maxBytes)}` : ''}` }) },
    { id: 'firstSeq', title: 'First seq', numeric: true, cell: (s) => ({ ...count(s.firstSeq), ...(s.firstTime ? { title: formatTimestamp(s.firstTime) } : {}) }) },
    { id: 'lastSeq', title: 'Last seq', numeric: true, cell: (s) => ({ ...count(s.lastSeq), ...(s.lastTime ? { title: formatTimestamp(s.lastTime) } : {}) }) },
    { id: 'lastMessage', title: 'Last message', numeric: true, tooltip: 'Time since the newest message', cell: (s) => when(s.lastTime, now) },
    { id: 'deleted', title: 'Deleted', numeric: true, tooltip: 'Interior deletes (messages removed from the middle)', cell: (s) => count(s.numDeleted) },
    { id: 'lost', title: 'Lost', numeric: true, tooltip: 'Messages the server found damaged and could not recover', cell: (s) => ({ text: s.lostMsgs ? `${formatCount(s.lostMsgs)} (${formatBytes(s.lostBytes)})` : '0', sort: s.lostMsgs }) },
    ...(clustered ? clusterColumns<StreamSummary>() : []),
  ];
}

export function streamFlags(s: StreamSummary): ReportFlag[] {
  const out: ReportFlag[] = [];
  if (s.nearLimit >= NEAR_LIMIT) {
    const which = s.limits.maxBytes > 0 && s.bytes / s.limits.maxBytes >= NEAR_LIMIT ? 'max_bytes' : 'max_msgs';
    out.push({ kind: 'nearLimit', label: `${Math.round(s.nearLimit * 100)}% of ${which}; discard ${s.limits.discard} ${s.limits.discard === 'new' ? 'refuses new messages' : 'drops the oldest'}` });
  }
  if (s.lostMsgs) out.push({ kind: 'lost', label: `${formatCount(s.lostMsgs)} messages lost` });
  if (s.sealed) out.push({ kind: 'sealed', label: 'sealed: no writes or deletes' });
  return [...out, ...clusterFlags(s.cluster)];
}

// ---- consumers ------------------------------------------------------------------------------

export function consumerColumns(clustered: boolean, now = Date.now()): ColumnDef<ConsumerSummary>[] {
  return [
    { id: 'name', title: 'Consumer', numeric: false, cell: (c) => text(c.name) },
    { id: 'mode', title: 'Mode', numeric: false, tooltip: 'Durable, or ephemeral (removed after its inactive threshold)', cell: (c) => text(c.durable ? 'durable' : 'ephemeral') },
    { id: 'type', title: 'Type', numeric: false, cell: (c) => text(c.kind, c.kind === 'push' ? `delivers to ${c.deliverSubject ?? '?'}${c.deliverGroup ? ` (queue ${c.deliverGroup})` : ''}` : undefined) },
    { id: 'ackPolicy', title: 'Ack policy', numeric: false, cell: (c) => text(c.ackPolicy, c.ackPolicy !== 'none' ? `ack wait ${formatDuration(c.ackWaitMs)}, max deliver ${c.maxDeliver < 0 ? 'unlimited' : c.maxDeliver}` : undefined) },
    { id: 'filter', title: 'Filter', numeric: false, cell: (c) => text(c.filterSubjects.length ? c.filterSubjects.join(', ') : '-') },
    { id: 'pending', title: 'Pending', numeric: true, tooltip: 'Messages not yet delivered (num_pending)', cell: (c) => count(c.numPending) },
    { id: 'ackPending', title: 'Ack pending', numeric: true, tooltip: 'Delivered, awaiting an ack', cell: (c) => ({ ...count(c.numAckPending), ...(c.maxAckPending > 0 ? { title: `${formatCount(c.numAckPending)} of max_ack_pending ${formatCount(c.maxAckPending)}` } : {}) }) },
    { id: 'redelivered', title: 'Redelivered', numeric: true, cell: (c) => count(c.numRedelivered) },
    { id: 'waiting', title: 'Waiting', numeric: true, tooltip: 'Pull requests waiting for messages', cell: (c) => (c.kind === 'pull' ? count(c.numWaiting) : { text: '-', sort: -1 }) },
    { id: 'lastActive', title: 'Last active', numeric: true, tooltip: 'Time since the last delivery', cell: (c) => when(c.lastActive, now) },
    { id: 'paused', title: 'Paused', numeric: false, cell: (c) => (c.paused ? { text: c.pauseUntil ? formatAge(c.pauseUntil, now).replace(/^in /, 'for ') : 'yes', sort: `1 ${c.pauseUntil ?? ''}`, ...(c.pauseUntil ? { title: `until ${formatTimestamp(c.pauseUntil)}` } : {}) } : { text: c.paused === undefined ? '-' : 'no', sort: '0' }) },
    ...(clustered ? clusterColumns<ConsumerSummary>() : []),
  ];
}

export function consumerFlags(c: ConsumerSummary): ReportFlag[] {
  const out: ReportFlag[] = [];
  if (c.paused) out.push({ kind: 'paused', label: c.pauseUntil ? `paused until ${c.pauseUntil}` : 'paused' });
  if (c.health === 'behind') out.push({ kind: 'behind', label: c.healthReason ?? 'pending is growing' });
  if (c.health === 'ackPendingNearMax') out.push({ kind: 'ackPendingNearMax', label: c.healthReason ?? 'ack pending near max_ack_pending' });
  return [...out, ...clusterFlags(c.cluster)];
}

// ---- the state ------------------------------------------------------------------------------

function build<T extends { name: string; description?: string }>(
  columns: ColumnDef<T>[],
  items: T[],
  flags: (row: T) => ReportFlag[],
): { columns: ReportColumnView[]; rows: ReportRowView[] } {
  return {
    columns: columns.map(({ cell: _cell, ...c }) => c),
    rows: items.map((it) => ({ id: it.name, ...(it.description ? { description: it.description } : {}), cells: columns.map((c) => c.cell(it)), flags: flags(it) })),
  };
}

/**
 * The order to start in: the `sort` argument (a column id or title), else by name. Numeric
 * columns default to descending, as natscli's `--sort` does. An unknown column is an error
 * naming the columns, so a typo in a script is not silently ignored.
 */
export function initialSort(columns: ReportColumnView[], sort?: { by: string; descending?: boolean }): ReportSort {
  if (!sort) return { column: 'name', descending: false };
  const i = findColumn(columns, sort.by);
  if (i < 0) throw new Error(`cannot sort by "${sort.by}": columns are ${columns.map((c) => `${c.id} (${c.title})`).join(', ')}`);
  const col = columns[i]!;
  return { column: col.id, descending: sort.descending ?? col.numeric };
}

export function streamReport(streams: StreamSummary[], opts: { subtitle: string; sort?: { by: string; descending?: boolean }; now?: number }): ReportViewState {
  const now = opts.now ?? Date.now();
  const clustered = isClustered(streams);
  const { columns, rows } = build(streamColumns(clustered, now), streams, streamFlags);
  const sort = initialSort(columns, opts.sort);
  return { kind: 'streams', title: 'Stream report', subtitle: opts.subtitle, stream: '', generatedAt: new Date(now).toISOString(), clustered, columns, rows: sortRows(columns, rows, sort), sort };
}

export function consumerReport(stream: string, consumers: ConsumerSummary[], opts: { subtitle: string; sort?: { by: string; descending?: boolean }; now?: number }): ReportViewState {
  const now = opts.now ?? Date.now();
  const clustered = isClustered(consumers);
  const { columns, rows } = build(consumerColumns(clustered, now), consumers, consumerFlags);
  const sort = initialSort(columns, opts.sort);
  return { kind: 'consumers', title: `Consumer report: ${stream}`, subtitle: opts.subtitle, stream, generatedAt: new Date(now).toISOString(), clustered, columns, rows: sortRows(columns, rows, sort), sort };
}

/**
 * The words and numbers the Explorer shows: tree descriptions, markdown tooltips and the
 * report tables. Pure functions over the Catalog summaries (no `vscode`, no network), so unit
 * tests run them in plain Node and the CLI could reuse them.
 */
import type { AccountSummary, ClusterSummary, ConsumerSummary, KvBucketSummary, ObjectStoreSummary, ObjectSummary, StreamSummary } from '../../nats/catalog';

/** A stream counts as "near its limits" from this fill ratio on (warning colour). */
export const NEAR_LIMIT = 0.9;

/** 1536 → "1.5 KiB"; binary units as natscli prints them. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (n < 0) return 'unlimited';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** 1234567 → "1,234,567"; -1 (a limit) → "unlimited". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (n < 0) return 'unlimited';
  return Math.round(n).toLocaleString('en-US');
}

/** Milliseconds as the largest whole units: 90_000 → "1m30s", 0 → "0s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let s = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join('');
}

/** natscli-style durations to milliseconds: 90s, 30m, 2h, 1d, 1h30m. */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  const s = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(re)) ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms']!;
  return ms;
}

/** "3m ago" / "in 2h" relative to `now`; undefined in → "never". */
export function formatAge(iso: string | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '?';
  const d = now - t;
  if (Math.abs(d) < 1000) return 'just now';
  return d >= 0 ? `${formatDuration(d)} ago` : `in ${formatDuration(-d)}`;
}

/** used of max with a percentage, "-1" max meaning unlimited. */
export function formatUsage(used: number, max: number, fmt: (n: number) => string = formatCount): string {
  if (max < 0 || max === 0) return `${fmt(used)} (no limit)`;
  return `${fmt(used)} of ${fmt(max)} (${Math.round((used / max) * 100)}%)`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** Markdown-safe inline code: backticks in names cannot break out. */
export function code(s: string): string {
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
}

function clusterLines(c: ClusterSummary | undefined, replicas: number): string[] {
  if (!c) return [`**Replicas** ${replicas}`];
  const followers = c.replicas.map((p) => `${p.name}${p.offline ? ' (offline)' : p.current ? '' : ` (behind ${formatCount(p.lag)} ops)`}`);
  return [`**Replicas** ${replicas}${c.name ? ` in cluster ${c.name}` : ''} · leader ${c.leader ?? 'none'}${followers.length ? ` · followers ${followers.join(', ')}` : ''}`];
}

/** The worst replica lag, for a short description ("lag 12"). */
export function maxLag(c: ClusterSummary | undefined): number {
  return Math.max(0, ...(c?.replicas ?? []).map((r) => (r.offline ? Infinity : r.lag)));
}

// ---- streams -----------------------------------------------------------------------------

export function streamDescription(s: StreamSummary): string {
  const parts = [`${formatCount(s.messages)} msgs`, formatBytes(s.bytes), plural(s.consumers, 'consumer')];
  if (s.replicas > 1) parts.push(`R${s.replicas}${s.cluster && maxLag(s.cluster) > 0 ? ` lag ${maxLag(s.cluster) === Infinity ? 'offline' : formatCount(maxLag(s.cluster))}` : ''}`);
  if (s.nearLimit >= NEAR_LIMIT) parts.push(`${Math.round(s.nearLimit * 100)}% full`);
  if (s.sealed) parts.push('sealed');
  return parts.join(' · ');
}

export function streamTooltip(s: StreamSummary, now = Date.now()): string {
  const l = s.limits;
  const lines = [
    `**Stream ${s.name}**${s.system ? ` (${s.system === 'kv' ? 'KV bucket' : 'object store'} backing stream)` : ''}${s.sealed ? ' · sealed' : ''}`,
    ...(s.description ? [s.description] : []),
    `**Subjects** ${s.subjects.length ? s.subjects.map(code).join(', ') : s.mirror ? `mirror of ${s.mirror}` : '(none)'}`,
    ...(s.sources?.length ? [`**Sources** ${s.sources.join(', ')}`] : []),
    `**Retention** ${s.retention} · **Storage** ${s.storage} · **Discard** ${l.discard}`,
    ...clusterLines(s.cluster, s.replicas),
    `**Messages** ${formatUsage(s.messages, l.maxMsgs)} · **Bytes** ${formatUsage(s.bytes, l.maxBytes, formatBytes)}`,
    ...(l.maxAgeMs > 0 ? [`**Max age** ${formatDuration(l.maxAgeMs)}`] : []),
    ...(l.maxMsgsPerSubject > 0 ? [`**Max per subject** ${formatCount(l.maxMsgsPerSubject)}`] : []),
    s.messages > 0
      ? `**First** #${formatCount(s.firstSeq)} ${s.firstTime ? `${s.firstTime} (${formatAge(s.firstTime, now)})` : ''} · **Last** #${formatCount(s.lastSeq)} ${s.lastTime ? `${s.lastTime} (${formatAge(s.lastTime, now)})` : ''}`
      : `**Empty** (last sequence #${formatCount(s.lastSeq)})`,
    ...(s.numSubjects !== undefined ? [`**Subjects with messages** ${formatCount(s.numSubjects)}`] : []),
    ...(s.numDeleted ? [`**Deleted (interior)** ${formatCount(s.numDeleted)}`] : []),
    `**Consumers** ${formatCount(s.consumers)}${l.maxConsumers > 0 ? ` of ${formatCount(l.maxConsumers)}` : ''}`,
    ...(s.nearLimit >= NEAR_LIMIT ? [`$(warning) **${Math.round(s.nearLimit * 100)}% of its message/byte limit** — discard ${l.discard} ${l.discard === 'new' ? 'will refuse new messages' : 'drops the oldest'}`] : []),
    ...(s.metadata ? [`**Metadata** ${Object.entries(s.metadata).map(([k, v]) => `${k}=${v}`).join(', ')}`] : []),
    `Created ${s.created}`,
  ];
  return lines.join('\n\n');
}

// ---- consumers ---------------------------------------------------------------------------

export function consumerDescription(c: ConsumerSummary, now = Date.now()): string {
  const parts = [
    `${c.durable ? 'durable' : 'ephemeral'} ${c.kind}`,
    `${formatCount(c.numPending)} pending`,
    `${formatCount(c.numAckPending)} ack pending`,
  ];
  if (c.numRedelivered) parts.push(`${formatCount(c.numRedelivered)} redelivered`);
  if (c.kind === 'pull' && c.numWaiting) parts.push(`${formatCount(c.numWaiting)} waiting`);
  if (c.paused) parts.push(c.pauseUntil ? `paused ${formatAge(c.pauseUntil, now).replace(/^in /, 'for ')}` : 'paused');
  return parts.join(' · ');
}

export function consumerTooltip(c: ConsumerSummary, now = Date.now()): string {
  const lines = [
    `**Consumer ${c.name}** on ${c.stream} · ${c.durable ? 'durable' : 'ephemeral'} ${c.kind}${c.kind === 'push' ? ` to ${code(c.deliverSubject ?? '?')}${c.deliverGroup ? ` (queue ${c.deliverGroup})` : ''}${c.pushBound ? ', bound' : ', not bound'}` : ''}`,
    ...(c.description ? [c.description] : []),
    `**Ack** ${c.ackPolicy}${c.ackPolicy !== 'none' ? `, wait ${formatDuration(c.ackWaitMs)}` : ''} · **Max deliver** ${c.maxDeliver < 0 ? 'unlimited' : c.maxDeliver} · **Max ack pending** ${formatCount(c.maxAckPending)}`,
    `**Deliver** ${c.deliverPolicy}${c.optStartSeq ? ` from #${c.optStartSeq}` : ''}${c.optStartTime ? ` from ${c.optStartTime}` : ''}`,
    `**Filter** ${c.filterSubjects.length ? c.filterSubjects.map(code).join(', ') : 'all subjects'}`,
    `**Pending** ${formatCount(c.numPending)} · **Ack pending** ${formatCount(c.numAckPending)} · **Redelivered** ${formatCount(c.numRedelivered)}${c.kind === 'pull' ? ` · **Waiting pulls** ${formatCount(c.numWaiting)}` : ''}`,
    `**Delivered** up to #${formatCount(c.deliveredStreamSeq)} · **Ack floor** #${formatCount(c.ackFloorStreamSeq)} · last active ${formatAge(c.lastActive, now)}`,
    ...(c.paused ? [`$(debug-pause) **Paused**${c.pauseUntil ? ` until ${c.pauseUntil} (${formatAge(c.pauseUntil, now)})` : ''}`] : []),
    ...(c.health !== 'ok' && c.health !== 'paused' ? [`$(warning) ${c.healthReason ?? c.health}`] : []),
    ...(c.cluster ? clusterLines(c.cluster, c.cluster.replicas.length + 1) : []),
    ...(c.metadata ? [`**Metadata** ${Object.entries(c.metadata).map(([k, v]) => `${k}=${v}`).join(', ')}`] : []),
    `Created ${c.created}`,
  ];
  return lines.join('\n\n');
}

/** Which codicon and colour a consumer gets (the tree maps the colour id to a ThemeColor). */
export function consumerLook(c: ConsumerSummary): { icon: string; color?: string } {
  if (c.paused) return { icon: 'debug-pause', color: 'charts.yellow' };
  if (c.health === 'behind' || c.health === 'ackPendingNearMax') return { icon: 'warning', color: 'list.warningForeground' };
  if (c.health === 'replicaOffline') return { icon: 'warning', color: 'list.errorForeground' };
  return { icon: c.kind === 'push' ? 'radio-tower' : 'arrow-circle-down' };
}

// ---- KV and object stores ----------------------------------------------------------------

export function kvDescription(b: KvBucketSummary): string {
  return [`${formatCount(b.values)} values`, formatBytes(b.bytes), `history ${b.history}`, ...(b.ttlMs ? [`TTL ${formatDuration(b.ttlMs)}`] : []), ...(b.replicas > 1 ? [`R${b.replicas}`] : [])].join(' · ');
}

export function kvTooltip(b: KvBucketSummary): string {
  return [
    `**KV bucket ${b.bucket}** (stream ${b.stream})${b.sealed ? ' · sealed' : ''}`,
    ...(b.description ? [b.description] : []),
    `**History** ${b.history} per key · **TTL** ${b.ttlMs ? formatDuration(b.ttlMs) : 'none'}`,
    `**Values** ${formatCount(b.values)} (every kept revision and delete marker) · **Bytes** ${formatUsage(b.bytes, b.maxBucketSize, formatBytes)}`,
    `**Storage** ${b.storage} · **Max value size** ${b.maxValueSize < 0 ? 'unlimited' : formatBytes(b.maxValueSize)}`,
    ...clusterLines(b.cluster, b.replicas),
    ...(b.metadata ? [`**Metadata** ${Object.entries(b.metadata).map(([k, v]) => `${k}=${v}`).join(', ')}`] : []),
    `Created ${b.created}`,
  ].join('\n\n');
}

export function objStoreDescription(o: ObjectStoreSummary): string {
  return [formatBytes(o.bytes), ...(o.ttlMs ? [`TTL ${formatDuration(o.ttlMs)}`] : []), ...(o.replicas > 1 ? [`R${o.replicas}`] : []), ...(o.sealed ? ['sealed'] : [])].join(' · ');
}

export function objStoreTooltip(o: ObjectStoreSummary): string {
  return [
    `**Object store ${o.bucket}** (stream ${o.stream})${o.sealed ? ' · sealed' : ''}`,
    ...(o.description ? [o.description] : []),
    `**Bytes** ${formatBytes(o.bytes)} · **Storage** ${o.storage} · **TTL** ${o.ttlMs ? formatDuration(o.ttlMs) : 'none'}`,
    ...clusterLines(o.cluster, o.replicas),
    `Created ${o.created}`,
  ].join('\n\n');
}

export function objectDescription(o: ObjectSummary, now = Date.now()): string {
  return o.link ? `link → ${o.link.bucket}${o.link.name ? `/${o.link.name}` : ''}` : `${formatBytes(o.size)} · ${formatAge(o.modified, now)}`;
}

export function objectTooltip(o: ObjectSummary): string {
  return [
    `**${o.name}** in ${o.store}`,
    ...(o.description ? [o.description] : []),
    `**Size** ${formatBytes(o.size)} in ${plural(o.chunks, 'chunk')} · **Modified** ${o.modified} · revision ${o.revision}`,
    `**Digest** ${code(o.digest)}`,
  ].join('\n\n');
}

// ---- server ------------------------------------------------------------------------------

/** "streams 3/∞ · storage 1.2 MiB of 10 GiB (12%)" style account usage, short. */
export function accountDescription(a: AccountSummary): string {
  const lim = a.limits;
  const pct = (u: number, m: number) => (m > 0 ? ` (${Math.round((u / m) * 100)}%)` : '');
  return `${plural(a.streams, 'stream')}${pct(a.streams, lim.maxStreams)} · ${formatBytes(a.storage)} file${pct(a.storage, lim.maxStorage)} · ${formatBytes(a.memory)} mem${pct(a.memory, lim.maxMemory)}`;
}

export function accountTooltip(a: AccountSummary): string {
  const lim = a.limits;
  return [
    `**JetStream account usage**${a.domain ? ` (domain ${a.domain})` : ''}`,
    `**Streams** ${formatUsage(a.streams, lim.maxStreams)}`,
    `**Consumers** ${formatUsage(a.consumers, lim.maxConsumers)}`,
    `**File storage** ${formatUsage(a.storage, lim.maxStorage, formatBytes)}`,
    `**Memory** ${formatUsage(a.memory, lim.maxMemory, formatBytes)}`,
    `**API** ${formatCount(a.apiTotal)} requests, ${formatCount(a.apiErrors)} errors${a.apiLevel !== undefined ? ` · API level ${a.apiLevel}` : ''}`,
    ...Object.entries(a.tiers ?? {}).map(([t, u]) => `**Tier ${t}** ${formatUsage(u.storage, u.limits.maxStorage, formatBytes)} file, ${formatUsage(u.streams, u.limits.maxStreams)} streams`),
  ].join('\n\n');
}

/** Whether any account limit is ≥ NEAR_LIMIT used. */
export function accountNearLimit(a: AccountSummary): boolean {
  const l = a.limits;
  return [
    [a.streams, l.maxStreams],
    [a.consumers, l.maxConsumers],
    [a.storage, l.maxStorage],
    [a.memory, l.maxMemory],
  ].some(([u, m]) => m > 0 && u / m >= NEAR_LIMIT);
}

// ---- reports (like `nats stream report` / `nats consumer report`) ------------------------

export interface ReportColumn<T> {
  title: string;
  /** The value sorted on. */
  value: (row: T) => number | string;
  /** What is shown (default: value as text, numbers with separators). */
  text?: (row: T) => string;
  align?: 'left' | 'right';
}

export interface ReportTable {
  title: string;
  columns: { title: string; align: 'left' | 'right' }[];
  rows: string[][];
}

/**
 * Rows sorted on one column (by title, case-insensitive; numbers numerically, descending
 * for numbers as natscli's `--sort` does), then rendered as text cells.
 */
export function buildReport<T>(title: string, columns: ReportColumn<T>[], items: T[], sort?: { by: string; descending?: boolean }): ReportTable {
  let rows = [...items];
  if (sort) {
    const col = columns.find((c) => c.title.toLowerCase() === sort.by.toLowerCase());
    if (!col) throw new Error(`cannot sort by "${sort.by}": columns are ${columns.map((c) => c.title).join(', ')}`);
    rows.sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.descending ? -cmp : cmp;
    });
  }
  return {
    title,
    columns: columns.map((c) => ({ title: c.title, align: c.align ?? (typeof (items[0] && c.value(items[0])) === 'number' ? 'right' : 'left') })),
    rows: rows.map((r) => columns.map((c) => (c.text ? c.text(r) : (() => {
      const v = c.value(r);
      return typeof v === 'number' ? formatCount(v) : v;
    })()))),
  };
}

/** A GitHub-flavoured markdown table (pipes in cells escaped). */
export function reportMarkdown(t: ReportTable): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const head = `| ${t.columns.map((c) => esc(c.title)).join(' | ')} |`;
  const sep = `| ${t.columns.map((c) => (c.align === 'right' ? '---:' : ':---')).join(' | ')} |`;
  const body = t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`);
  return [`# ${t.title}`, '', head, sep, ...body, ''].join('\n');
}

export function streamReportColumns(now = Date.now()): ReportColumn<StreamSummary>[] {
  return [
    { title: 'Stream', value: (s) => s.name },
    { title: 'Storage', value: (s) => s.storage },
    { title: 'Replicas', value: (s) => s.replicas },
    { title: 'Consumers', value: (s) => s.consumers },
    { title: 'Messages', value: (s) => s.messages },
    { title: 'Bytes', value: (s) => s.bytes, text: (s) => formatBytes(s.bytes) },
    { title: 'Deleted', value: (s) => s.numDeleted },
    { title: 'Last message', value: (s) => (s.lastTime ? Date.parse(s.lastTime) : 0), text: (s) => formatAge(s.lastTime, now), align: 'right' },
    { title: 'Full', value: (s) => s.nearLimit, text: (s) => (s.nearLimit ? `${Math.round(s.nearLimit * 100)}%` : '-') },
    { title: 'Cluster', value: (s) => (s.cluster ? `${s.cluster.leader ?? '?'}${s.cluster.replicas.map((r) => `, ${r.name}${r.offline ? '!' : r.current ? '' : `(lag ${r.lag})`}`).join('')}` : '') },
  ];
}

export function consumerReportColumns(now = Date.now()): ReportColumn<ConsumerSummary>[] {
  return [
    { title: 'Consumer', value: (c) => c.name },
    { title: 'Mode', value: (c) => `${c.durable ? '' : 'ephemeral '}${c.kind}` },
    { title: 'Ack policy', value: (c) => c.ackPolicy },
    { title: 'Ack wait', value: (c) => c.ackWaitMs, text: (c) => formatDuration(c.ackWaitMs) },
    { title: 'Ack pending', value: (c) => c.numAckPending },
    { title: 'Redelivered', value: (c) => c.numRedelivered },
    { title: 'Unprocessed', value: (c) => c.numPending },
    { title: 'Waiting', value: (c) => c.numWaiting },
    { title: 'Last delivery', value: (c) => (c.lastActive ? Date.parse(c.lastActive) : 0), text: (c) => formatAge(c.lastActive, now), align: 'right' },
    { title: 'State', value: (c) => (c.paused ? `paused${c.pauseUntil ? ` until ${c.pauseUntil}` : ''}` : c.health === 'ok' ? 'ok' : c.health) },
  ];
}

/**
 * The words and numbers the Explorer shows: tree descriptions, markdown tooltips and the
 * report cells (reportView.ts). Pure functions over the Catalog summaries (no `vscode`, no network), so unit
 * tests run them in plain Node and the CLI could reuse them.
 */
import type { AccountSummary, ClusterSummary, ConsumerSummary, KvBucketSummary, KvKeySummary, ObjectStoreSummary, ObjectSummary, StreamSummary } from '../../nats/catalog';

/** A stream counts as "near its limits" from this fill ratio on (warning colour). */
export const NEAR_LIMIT = 0.9;

// the unit formatters live in src/core so the CLI shares them without reaching into vscode/
import { formatBytes, formatCount, formatDuration, parseDuration } from '../../core/units';
export { formatBytes, formatCount, formatDuration, parseDuration };

// one time format for the whole product: the tail webview shares it, so it lives in src/core
import { formatTimestamp, setDisplayLocale } from '../../core/time';
export { formatTimestamp, setDisplayLocale };

/** "Nov 22, 2026, 11:57:05 AM (3m ago)": the exact time with the relative one, for tooltips. */
export function formatTimeWithAge(iso: string | undefined, now: number = Date.now()): string {
  const exact = formatTimestamp(iso);
  return exact ? `${exact} (${formatAge(iso, now)})` : 'never';
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
      ? `**First** #${formatCount(s.firstSeq)} ${s.firstTime ? formatTimeWithAge(s.firstTime, now) : ''} · **Last** #${formatCount(s.lastSeq)} ${s.lastTime ? formatTimeWithAge(s.lastTime, now) : ''}`
      : `**Empty** (last sequence #${formatCount(s.lastSeq)})`,
    ...(s.numSubjects !== undefined ? [`**Subjects with messages** ${formatCount(s.numSubjects)}`] : []),
    ...(s.numDeleted ? [`**Deleted (interior)** ${formatCount(s.numDeleted)}`] : []),
    `**Consumers** ${formatCount(s.consumers)}${l.maxConsumers > 0 ? ` of ${formatCount(l.maxConsumers)}` : ''}`,
    ...(s.nearLimit >= NEAR_LIMIT ? [`$(warning) **${Math.round(s.nearLimit * 100)}% of its message/byte limit** — discard ${l.discard} ${l.discard === 'new' ? 'will refuse new messages' : 'drops the oldest'}`] : []),
    ...(s.metadata ? [`**Metadata** ${Object.entries(s.metadata).map(([k, v]) => `${k}=${v}`).join(', ')}`] : []),
    `Created ${formatTimeWithAge(s.created, now)}`,
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
    `**Deliver** ${c.deliverPolicy}${c.optStartSeq ? ` from #${c.optStartSeq}` : ''}${c.optStartTime ? ` from ${formatTimestamp(c.optStartTime)}` : ''}`,
    ...(c.backoffMs?.length ? [`**Backoff** ${c.backoffMs.map(formatDuration).join(', ')} before redeliveries 1–${c.backoffMs.length}${c.maxDeliver > c.backoffMs.length + 1 ? `, then ${formatDuration(c.backoffMs[c.backoffMs.length - 1])}` : ''}`] : []),
    `**Filter** ${c.filterSubjects.length ? c.filterSubjects.map(code).join(', ') : 'all subjects'}`,
    `**Pending** ${formatCount(c.numPending)} · **Ack pending** ${formatCount(c.numAckPending)} · **Redelivered** ${formatCount(c.numRedelivered)}${c.kind === 'pull' ? ` · **Waiting pulls** ${formatCount(c.numWaiting)}` : ''}`,
    `**Delivered** up to #${formatCount(c.deliveredStreamSeq)} · **Ack floor** #${formatCount(c.ackFloorStreamSeq)} · last active ${formatTimeWithAge(c.lastActive, now)}`,
    ...(c.paused ? [`$(debug-pause) **Paused**${c.pauseUntil ? ` until ${formatTimeWithAge(c.pauseUntil, now)}` : ''}`] : []),
    ...(c.health !== 'ok' && c.health !== 'paused' ? [`$(warning) ${c.healthReason ?? c.health}`] : []),
    ...(c.cluster ? clusterLines(c.cluster, c.cluster.replicas.length + 1) : []),
    ...(c.metadata ? [`**Metadata** ${Object.entries(c.metadata).map(([k, v]) => `${k}=${v}`).join(', ')}`] : []),
    `Created ${formatTimeWithAge(c.created, now)}`,
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
  return [plural(b.values, 'value'), formatBytes(b.bytes), `history ${b.history}`, ...(b.ttlMs ? [`TTL ${formatDuration(b.ttlMs)}`] : []), ...(b.replicas > 1 ? [`R${b.replicas}`] : [])].join(' · ');
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
    `Created ${formatTimestamp(b.created)}`,
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
    `Created ${formatTimestamp(o.created)}`,
  ].join('\n\n');
}

export function objectDescription(o: ObjectSummary, now = Date.now()): string {
  return o.link ? `link → ${o.link.bucket}${o.link.name ? `/${o.link.name}` : ''}` : `${formatBytes(o.size)} · ${formatAge(o.modified, now)}`;
}

export function objectTooltip(o: ObjectSummary, now = Date.now()): string {
  return [
    `**${o.name}** in ${o.store}`,
    ...(o.description ? [o.description] : []),
    `**Size** ${formatBytes(o.size)} in ${plural(o.chunks, 'chunk')} · **Modified** ${formatTimeWithAge(o.modified, now)} · revision ${o.revision}`,
    `**Digest** ${code(o.digest)}`,
  ].join('\n\n');
}

export function kvKeyTooltip(bucket: string, k: KvKeySummary, now = Date.now()): string {
  return [`**${k.key}** in KV bucket ${bucket}`, `**Revision** ${formatCount(k.revision)} · **Written** ${formatTimeWithAge(k.modified, now)}`, 'Click to open the value.'].join('\n\n');
}

// ---- server ------------------------------------------------------------------------------

/** "streams 3/∞ · storage 1.2 MiB of 10 GiB (12%)" style account usage, short. */
export function accountDescription(a: AccountSummary): string {
  const lim = a.limits;
  const pct = (u: number, m: number) => (m > 0 ? ` (${Math.round((u / m) * 100)}%)` : '');
  // streams as the Streams node counts them (KV_/OBJ_ backing streams apart), the limit on all
  const sys = a.systemStreams ?? 0;
  const streams = `${plural(a.streams - sys, 'stream')}${sys ? ` (+${formatCount(sys)} KV/object)` : ''}`;
  return `${streams}${pct(a.streams, lim.maxStreams)} · ${formatBytes(a.storage)} file${pct(a.storage, lim.maxStorage)} · ${formatBytes(a.memory)} mem${pct(a.memory, lim.maxMemory)}`;
}

export function accountTooltip(a: AccountSummary): string {
  const lim = a.limits;
  return [
    `**JetStream account usage**${a.domain ? ` (domain ${a.domain})` : ''}`,
    `**Streams** ${formatUsage(a.streams, lim.maxStreams)}${a.systemStreams ? ` (${formatCount(a.systemStreams)} of them back KV buckets and object stores)` : ''}`,
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

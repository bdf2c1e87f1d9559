import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsumerSummary, StreamSummary } from '../../src/nats/catalog';
import * as fmt from '../../src/vscode/explorer/format';
import { consumerReport, streamReport } from '../../src/vscode/explorer/reportView';
import { checkReportViewState, sortRows } from '../../src/shared/reportValidate';

// times show in local time and the display locale: pin both for the assertions
process.env.TZ = 'UTC';
fmt.setDisplayLocale('en-US');

const NOW = Date.parse('2026-11-22T12:00:00Z');

function stream(over: Partial<StreamSummary> = {}): StreamSummary {
  return {
    name: 'ORDERS',
    subjects: ['orders.>'],
    retention: 'limits',
    storage: 'file',
    replicas: 1,
    messages: 1500,
    bytes: 2048,
    firstSeq: 1,
    lastSeq: 1500,
    firstTime: '2026-11-22T11:00:00Z',
    lastTime: '2026-11-22T11:59:00Z',
    numDeleted: 0,
    lostMsgs: 0,
    lostBytes: 0,
    consumers: 2,
    created: '2026-11-01T00:00:00Z',
    sealed: false,
    system: false,
    limits: { maxMsgs: -1, maxBytes: -1, maxAgeMs: 0, maxMsgsPerSubject: -1, maxMsgSize: -1, maxConsumers: -1, discard: 'old' },
    nearLimit: 0,
    ...over,
  };
}

function consumer(over: Partial<ConsumerSummary> = {}): ConsumerSummary {
  return {
    stream: 'ORDERS',
    name: 'PROCESSOR',
    durable: true,
    kind: 'pull',
    ackPolicy: 'explicit',
    deliverPolicy: 'all',
    filterSubjects: ['orders.eu.>'],
    ackWaitMs: 30_000,
    maxDeliver: 5,
    maxAckPending: 1000,
    numPending: 42,
    numAckPending: 3,
    numRedelivered: 1,
    numWaiting: 2,
    deliveredStreamSeq: 10,
    ackFloorStreamSeq: 7,
    created: '2026-11-01T00:00:00Z',
    health: 'ok',
    ...over,
  };
}

test('bytes, counts and durations read like natscli', () => {
  assert.equal(fmt.formatBytes(512), '512 B');
  assert.equal(fmt.formatBytes(1536), '1.5 KiB');
  assert.equal(fmt.formatBytes(10 * 1024 * 1024 * 1024), '10 GiB');
  assert.equal(fmt.formatBytes(-1), 'unlimited');
  assert.equal(fmt.formatCount(1234567), '1,234,567');
  assert.equal(fmt.formatCount(-1), 'unlimited');
  assert.equal(fmt.formatDuration(90_000), '1m30s');
  assert.equal(fmt.formatDuration(0), '0s');
  assert.equal(fmt.formatDuration(250), '250ms');
  assert.equal(fmt.formatDuration(26 * 3_600_000 + 5000), '1d2h');
});

test('ages are relative and say "never" for absent times', () => {
  assert.equal(fmt.formatAge('2026-11-22T11:57:00Z', NOW), '3m ago');
  assert.equal(fmt.formatAge('2026-11-22T14:00:00Z', NOW), 'in 2h');
  assert.equal(fmt.formatAge(undefined, NOW), 'never');
});

test('durations typed by users parse to milliseconds, nonsense does not', () => {
  assert.equal(fmt.parseDuration('30m'), 1_800_000);
  assert.equal(fmt.parseDuration('1h30m'), 5_400_000);
  assert.equal(fmt.parseDuration('500ms'), 500);
  assert.equal(fmt.parseDuration('soon'), undefined);
  assert.equal(fmt.parseDuration('10'), undefined);
});

test('stream description carries messages, bytes, consumers and a full warning near the limit', () => {
  assert.equal(fmt.streamDescription(stream()), '1,500 msgs · 2.0 KiB · 2 consumers');
  const full = stream({ nearLimit: 0.95, limits: { ...stream().limits, maxMsgs: 1579 } });
  assert.match(fmt.streamDescription(full), /95% full/);
  const r3 = stream({ replicas: 3, cluster: { name: 'c1', leader: 'n1', replicas: [{ name: 'n2', current: false, offline: false, lag: 12, activeMs: 5 }, { name: 'n3', current: true, offline: false, lag: 0, activeMs: 1 }] } });
  assert.match(fmt.streamDescription(r3), /R3 lag 12/);
});

test('stream tooltip has subjects, retention, storage, replicas with leader and lag, first/last with time, consumers', () => {
  const t = fmt.streamTooltip(stream({ replicas: 3, cluster: { name: 'c1', leader: 'n1', replicas: [{ name: 'n2', current: false, offline: false, lag: 12, activeMs: 5 }] } }), NOW);
  for (const part of ['`orders.>`', '**Retention** limits', '**Storage** file', 'leader n1', 'n2 (behind 12 ops)', '#1 Nov 22, 2026, 11:00:00 AM (1h ago)', '#1,500', '(1m ago)', '**Consumers** 2']) {
    assert.ok(t.includes(part), `tooltip lacks ${part}:\n${t}`);
  }
  assert.match(fmt.streamTooltip(stream({ messages: 0, firstTime: undefined, lastTime: undefined }), NOW), /\*\*Empty\*\*/);
});

test('consumer description and look: durable/ephemeral, pull/push, pending, paused icon, behind in warning colour', () => {
  assert.equal(fmt.consumerDescription(consumer(), NOW), 'durable pull · 42 pending · 3 ack pending · 1 redelivered · 2 waiting');
  const paused = consumer({ paused: true, pauseUntil: '2026-11-22T12:30:00Z', health: 'paused' });
  assert.match(fmt.consumerDescription(paused, NOW), /paused for 30m/);
  assert.deepEqual(fmt.consumerLook(paused), { icon: 'debug-pause', color: 'charts.yellow' });
  assert.deepEqual(fmt.consumerLook(consumer({ health: 'behind' })), { icon: 'warning', color: 'list.warningForeground' });
  assert.equal(fmt.consumerLook(consumer()).color, undefined);
  const tip = fmt.consumerTooltip(consumer({ kind: 'push', durable: false, deliverSubject: 'deliver.x', backoffMs: [300_000, 600_000] }), NOW);
  for (const part of ['ephemeral push', '`deliver.x`', '**Ack** explicit, wait 30s', '`orders.eu.>`', '**Pending** 42', '**Ack pending** 3', '**Redelivered** 1', '**Backoff** 5m, 10m']) assert.ok(tip.includes(part), `tooltip lacks ${part}:\n${tip}`);
  const pausedTip = fmt.consumerTooltip(paused, NOW);
  assert.ok(pausedTip.includes('until Nov 22, 2026, 12:30:00 PM (in 30m)'), pausedTip);
  assert.doesNotMatch(pausedTip, /2026-11-22T/, 'no raw ISO times');
});

test('account usage shows percentages of limits and flags ≥90 %', () => {
  const a = { memory: 0, storage: 950, streams: 3, consumers: 1, limits: { maxMemory: -1, maxStorage: 1000, maxStreams: 10, maxConsumers: -1 }, apiTotal: 5, apiErrors: 0 };
  assert.equal(fmt.accountDescription(a), '3 streams (30%) · 950 B file (95%) · 0 B mem');
  // KV_/OBJ_ backing streams are counted apart, as the Streams node hides them
  assert.equal(fmt.accountDescription({ ...a, streams: 8, systemStreams: 4 }), '4 streams (+4 KV/object) (80%) · 950 B file (95%) · 0 B mem');
  assert.equal(fmt.accountNearLimit(a), true);
  assert.equal(fmt.accountNearLimit({ ...a, storage: 10 }), false);
  assert.match(fmt.accountTooltip(a), /\*\*File storage\*\* 950 B of 1000 B \(95%\)/);
});

test('reports sort numerically (descending by default) or by text, with sizes humanised but sorted raw', () => {
  const rows = [stream({ name: 'A', messages: 5, bytes: 2_000_000 }), stream({ name: 'B|x', messages: 50, bytes: 900 }), stream({ name: 'C', messages: 7, bytes: 40_000 })];
  const r = streamReport(rows, { subtitle: 'test', sort: { by: 'messages' }, now: NOW });
  assert.deepEqual(r.sort, { column: 'messages', descending: true });
  assert.deepEqual(r.rows.map((x) => x.id), ['B|x', 'C', 'A']);
  assert.deepEqual(streamReport(rows, { subtitle: 'test', sort: { by: 'Stream' }, now: NOW }).rows.map((x) => x.id), ['A', 'B|x', 'C']);
  const bytes = r.columns.findIndex((c) => c.id === 'bytes');
  const bySize = sortRows(r.columns, r.rows, { column: 'bytes', descending: false });
  assert.deepEqual(bySize.map((x) => x.cells[bytes]!.text), ['900 B', '39 KiB', '1.9 MiB'], 'KiB/MiB text, raw-byte order');
  assert.throws(() => streamReport(rows, { subtitle: 'test', sort: { by: 'nope' } }), /cannot sort by "nope"/);
  assert.equal(r.clustered, false);
  assert.ok(!r.columns.some((c) => c.id === 'leader'), 'no leader column on a single server');
  // natural order for names: S2 before S10
  assert.deepEqual(sortRows(r.columns, [stream({ name: 'S10' }), stream({ name: 'S2' })].map((s) => streamReport([s], { subtitle: '' }).rows[0]!), { column: 'name', descending: false }).map((x) => x.id), ['S2', 'S10']);
});

test('report flags: near limits, replica lag, paused, behind; leader/lag columns only when clustered', () => {
  const full = stream({ name: 'FULL', bytes: 950, nearLimit: 0.95, limits: { ...stream().limits, maxBytes: 1000 }, replicas: 3, cluster: { name: 'c1', leader: 'n1', replicas: [{ name: 'n2', current: true, offline: false, lag: 0, activeMs: 5 }, { name: 'n3', current: false, offline: false, lag: 12, activeMs: 5 }] } });
  const r = streamReport([full, stream()], { subtitle: '', now: NOW });
  assert.equal(r.clustered, true);
  assert.deepEqual(r.columns.slice(-2).map((c) => c.id), ['leader', 'lag']);
  const row = r.rows.find((x) => x.id === 'FULL')!;
  assert.deepEqual(row.flags.map((f) => f.kind), ['nearLimit', 'replicaLag']);
  assert.match(row.flags[0]!.label, /95% of max_bytes/);
  assert.equal(row.cells.at(-1)!.text, '12');
  assert.equal(row.cells.at(-2)!.text, 'n1');
  const c = consumerReport('ORDERS', [consumer({ name: 'P', paused: true, pauseUntil: '2026-11-22T12:30:00Z', health: 'paused' }), consumer({ name: 'B', health: 'behind', healthReason: 'pending grew from 1 to 9 since the last refresh' })], { subtitle: '', now: NOW });
  assert.deepEqual(c.columns.map((x) => x.id), ['name', 'mode', 'type', 'ackPolicy', 'filter', 'pending', 'ackPending', 'redelivered', 'waiting', 'lastActive', 'paused']);
  assert.deepEqual(c.rows.map((x) => [x.id, x.flags.map((f) => f.kind)]), [['B', ['behind']], ['P', ['paused']]]);
  assert.equal(checkReportViewState(JSON.parse(JSON.stringify(c)), '').rows.length, 2, 'what the host builds passes the webview check');
});

test('server timestamps read as local time in the display locale; anything else passes through', async () => {
  const { formatTimestamp, formatTimeWithAge, setDisplayLocale } = await import('../../src/vscode/explorer/format');
  assert.equal(formatTimestamp('2026-11-22T10:57:05.320052623Z'), 'Nov 22, 2026, 10:57:05 AM');
  assert.equal(formatTimestamp('2026-11-22T10:57:05Z'), 'Nov 22, 2026, 10:57:05 AM');
  assert.equal(formatTimestamp('yesterday'), 'yesterday');
  assert.equal(formatTimestamp(undefined), '');
  assert.equal(formatTimestamp('0001-01-01T00:00:00Z'), '', 'the zero time is no time');
  assert.equal(formatTimeWithAge('2026-11-22T11:57:00Z', NOW), 'Nov 22, 2026, 11:57:00 AM (3m ago)');
  setDisplayLocale('de');
  assert.equal(formatTimestamp('2026-11-22T10:57:05Z'), '22.11.2026, 10:57:05');
  setDisplayLocale('en-US');
});

test('object and key tooltips: exact local time with the age, and the revision', () => {
  const o = fmt.objectTooltip({ store: 's', name: 'a.txt', size: 5, chunks: 1, digest: 'SHA-256=x', modified: '2026-11-22T11:00:00Z', revision: 7 }, NOW);
  assert.ok(o.includes('**Modified** Nov 22, 2026, 11:00:00 AM (1h ago) · revision 7'), o);
  const k = fmt.kvKeyTooltip('cfg', { key: 'orders.limit', revision: 12, modified: '2026-11-22T11:59:00Z' }, NOW);
  assert.ok(k.includes('**Revision** 12') && k.includes('(1m ago)'), k);
});

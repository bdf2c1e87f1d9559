/**
 * Tail events → the rows the panel shows (payloads as base64, big ones cut at 1 MiB), and a
 * spec read back from a saved panel. No vscode import: unit tests use it from plain Node.
 */
import { marker, type TailEvent, type TailMarker } from '../../core/tail/events';
import { toBase64 } from '../../core/tail/payload';
import type { TailSpec } from '../../core/tail/spec';
import type { TailRowView } from '../../shared/protocol';
import { MAX_ROW_BYTES } from '../../shared/tailValidate';

function b64(data: Uint8Array): { data: string; truncated?: number } {
  if (data.length <= MAX_ROW_BYTES) return { data: toBase64(data) };
  return { data: toBase64(data.subarray(0, MAX_ROW_BYTES)), truncated: data.length - MAX_ROW_BYTES };
}

export function toRow(id: number, e: TailEvent): TailRowView {
  if (e.kind === 'marker') {
    return { id, kind: 'marker', time: e.time, subject: '', size: 0, headers: [], data: '', marker: e.marker, text: e.text, ...(e.seq !== undefined ? { seq: e.seq } : {}), ...(e.missed !== undefined ? { missed: e.missed } : {}) };
  }
  if (e.kind === 'kv') {
    const value = e.value ?? new Uint8Array(0);
    const row: TailRowView = {
      id,
      kind: 'kv',
      time: e.time,
      subject: e.key,
      seq: e.revision,
      size: value.length,
      headers: [],
      ...b64(value),
      op: e.op,
      phase: e.phase,
      prev: e.prev ? { revision: e.prev.revision, data: e.prev.value ? b64(e.prev.value).data : null } : null,
      stream: e.bucket,
    };
    if (e.reason) row.reason = e.reason;
    return row;
  }
  const row: TailRowView = { id, kind: 'msg', time: e.time, subject: e.subject, size: e.data.length, headers: e.headers ?? [], ...b64(e.data) };
  if (e.seq !== undefined) row.seq = e.seq;
  if (e.stream) row.stream = e.stream;
  if (e.reply) row.reply = e.reply;
  if (e.link) row.link = e.link;
  if (e.advisory) row.advisory = e.advisory;
  return row;
}

/** A spec from saved panel state, or undefined when it is not one. */
export function specFromJson(json: string): TailSpec | undefined {
  try {
    return specFromValue(JSON.parse(json));
  } catch {
    return undefined;
  }
}

/**
 * A spec from a command argument or saved state, or undefined when it is not one. Takes the
 * engine's own `{ kind, … }` and the `{ source, … }` shape code lenses and the designer send
 * (`{ source: 'stream', stream, filter? } | { source: 'subject', subject } | { source: 'kv', bucket, key? }`).
 */
export function specFromValue(v: unknown): TailSpec | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const s = v as Record<string, unknown>;
  const str = (k: string) => typeof s[k] === 'string' && (s[k] as string) !== '';
  if (s.kind === undefined && typeof s.source === 'string') {
    if (s.source === 'stream' && str('stream')) return { kind: 'stream', stream: s.stream as string, ...(str('filter') ? { filters: [s.filter as string] } : {}) };
    if (s.source === 'subject' && str('subject')) return { kind: 'subject', subject: s.subject as string };
    if (s.source === 'kv' && str('bucket')) return { kind: 'kv', bucket: s.bucket as string, ...(str('key') ? { key: s.key as string } : {}) };
    return undefined;
  }
  switch (s.kind) {
    case 'stream':
      return str('stream') ? (s as TailSpec) : undefined;
    case 'subject':
      return str('subject') ? (s as TailSpec) : undefined;
    case 'kv':
      return str('bucket') ? (s as TailSpec) : undefined;
    case 'advisories':
      return { kind: 'advisories' };
    default:
      return undefined;
  }
}

/** Where a restored tail picks up: after the last sequence (stream) or revision (KV) the panel showed. */
export function resumeSpec(spec: TailSpec, lastSeq: number | undefined): TailSpec {
  if (!lastSeq || lastSeq < 1) return spec;
  if (spec.kind === 'stream' && !spec.pendingOf) return { ...spec, from: `seq:${lastSeq + 1}` };
  if (spec.kind === 'kv') {
    // changes made while the window was closed are shown too (as replayed, before the live
    // marker), also for an "updates only" watch: they are updates the panel has not shown
    const { include: _include, ...rest } = spec;
    return { ...rest, fromRevision: lastSeq + 1 };
  }
  return spec;
}

/** What a panel saved (webview setState) that a restore needs, read defensively. */
export interface SavedTail {
  spec: TailSpec;
  /** Last stream sequence / KV revision the panel showed. */
  lastSeq?: number;
  /** Time of the last row the panel showed (ISO). */
  lastTime?: string;
}

export function savedTail(saved: unknown): SavedTail | undefined {
  const s = saved as { view?: { specJson?: unknown }; lastSeq?: unknown; lastTime?: unknown } | undefined;
  const spec = typeof s?.view?.specJson === 'string' ? specFromJson(s.view.specJson) : undefined;
  if (!spec) return undefined;
  const lastSeq = typeof s?.lastSeq === 'number' && Number.isSafeInteger(s.lastSeq) && s.lastSeq > 0 ? s.lastSeq : undefined;
  const lastTime = typeof s?.lastTime === 'string' && !Number.isNaN(Date.parse(s.lastTime)) ? s.lastTime : undefined;
  return { spec, ...(lastSeq ? { lastSeq } : {}), ...(lastTime ? { lastTime } : {}) };
}

/** The marker a restored tail starts with: where it picked up, and what it cannot have seen. */
export function restoredMarker(saved: SavedTail, formatTime: (iso: string) => string): TailMarker | undefined {
  const { spec, lastSeq, lastTime } = saved;
  if (spec.kind === 'subject') {
    const since = lastTime ? ` (the last message shown arrived at ${formatTime(lastTime)})` : '';
    return marker('gap', `reopened after VS Code reloaded: messages published on ${spec.subject} while the window was closed were not seen${since}; a core subscription cannot replay them`);
  }
  if (!lastSeq) return undefined;
  if (spec.kind === 'kv') return marker('resumed', `resumed after VS Code reloaded, from revision ${lastSeq + 1}: changes made while the window was closed come first, as replayed (not live), with the values they replaced`, { seq: lastSeq + 1 });
  if (spec.kind === 'stream' && !spec.pendingOf) return marker('resumed', `resumed after VS Code reloaded, from sequence ${lastSeq + 1}`, { seq: lastSeq + 1 });
  return undefined;
}

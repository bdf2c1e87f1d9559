/**
 * The tail's line formats: one JSON object per line (`nats-flow tail --json` and the panel's
 * NDJSON export use the same shapes) and a readable form for terminals.
 *
 *   stream:  {stream, seq, subject, time, headers, data[, encoding:"base64"]}
 *   subject: {subject, time, headers, data[, encoding][, reply]}
 *   kv:      {bucket, key, revision, op, phase, prev: {revision, value[, encoding]} | null, value[, encoding], time}
 *   marker:  {"marker":"live"} or {"marker":"reconnecting"|"resumed"|…, text, time[, seq][, missed][, server]}
 */
import type { KvChange, TailEvent, TailHeaders, TailMarker, TailMessage } from './events';
import { asText, encodePayload } from './payload';

/** Headers as natscli prints them in JSON: name → values. */
export function headersObject(headers: TailHeaders | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!headers) return out;
  for (const [k, v] of headers) (out[k] ??= []).push(v);
  return out;
}

export function messageLine(m: TailMessage): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (m.stream !== undefined) o.stream = m.stream;
  if (m.seq !== undefined) o.seq = m.seq;
  o.subject = m.subject;
  o.time = m.time;
  o.headers = headersObject(m.headers);
  Object.assign(o, encodePayload(m.data));
  if (m.reply) o.reply = m.reply;
  if (m.link) o.link = m.link;
  return o;
}

function valueFields(value: Uint8Array | null): { value: string | null; encoding?: 'base64' } {
  if (value === null) return { value: null };
  const p = encodePayload(value);
  return p.encoding ? { value: p.data, encoding: p.encoding } : { value: p.data };
}

export function kvLine(c: KvChange): Record<string, unknown> {
  const { value, encoding } = valueFields(c.value);
  const o: Record<string, unknown> = {
    bucket: c.bucket,
    key: c.key,
    revision: c.revision,
    op: c.op,
    phase: c.phase,
    prev: c.prev ? { revision: c.prev.revision, ...valueFields(c.prev.value) } : null,
    value,
  };
  if (encoding) o.encoding = encoding;
  o.time = c.time;
  if (c.reason) o.reason = c.reason;
  return o;
}

export function markerLine(m: TailMarker): Record<string, unknown> {
  if (m.marker === 'live') return { marker: 'live' };
  const o: Record<string, unknown> = { marker: m.marker, text: m.text, time: m.time };
  if (m.seq !== undefined) o.seq = m.seq;
  if (m.missed !== undefined) o.missed = m.missed;
  if (m.server !== undefined) o.server = m.server;
  return o;
}

export function eventLine(e: TailEvent): Record<string, unknown> {
  return e.kind === 'msg' ? messageLine(e) : e.kind === 'kv' ? kvLine(e) : markerLine(e);
}

/** The NDJSON line (no trailing newline). */
export function toNdjson(e: TailEvent): string {
  return JSON.stringify(eventLine(e));
}

const OP_LABEL: Record<KvChange['op'], string> = { put: 'PUT', delete: 'DEL', purge: 'PURGE', expired: 'EXPIRED' };

/** Text for a terminal: control characters escaped so a payload cannot drive the terminal. */
export function printable(data: Uint8Array | null, max = 4096): string {
  if (data === null) return '∅';
  const text = asText(data);
  if (text === undefined) return `<${data.length} bytes binary>`;
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
  return escapeControls(cut);
}

export function escapeControls(text: string): string {
  // keep \n and \t; everything else in C0/C1 and DEL shows as \xNN / \u…, bidi controls too
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const c = ch.charCodeAt(0);
    return c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
  });
}

/** natscli-like human output (several lines per message). */
export function humanLines(e: TailEvent): string {
  if (e.kind === 'marker') return `--- ${e.marker}: ${e.text}`;
  if (e.kind === 'kv') {
    const prev = e.prev ? `@${e.prev.revision} ${printable(e.prev.value, 200)} → ` : '';
    const now = e.op === 'put' ? printable(e.value) : `(${e.op}${e.reason ? `: ${e.reason}` : ''})`;
    return `[${e.phase}] ${escapeControls(e.bucket)} > ${escapeControls(e.key)} @${e.revision} ${OP_LABEL[e.op]} ${e.time}\n  ${prev}${now}`;
  }
  const where = e.seq !== undefined ? `[#${e.seq}] ` : '';
  const head = `${where}Received on "${escapeControls(e.subject)}"${e.stream ? ` (stream ${e.stream})` : ''} ${e.time}${e.reply ? ` reply: ${escapeControls(e.reply)}` : ''}`;
  const hdrs = (e.headers ?? []).map(([k, v]) => `${escapeControls(k)}: ${escapeControls(v)}`);
  const link = e.link ? [`→ stream ${e.link.stream} message #${e.link.seq}`] : [];
  return [head, ...hdrs, ...link, '', printable(e.data), ''].join('\n');
}

/** The webview's rows: the host's row plus what the list needs precomputed once. */
import type { TailRowView } from '../../src/shared/protocol';
import { subjectMatches } from '../../src/core/tail/spec';
import { fromBase64, preview } from './payload-views';

export interface ShownRow {
  row: TailRowView;
  /** Made when the row is first drawn: rows that scroll past unseen cost nothing. */
  preview?: string;
  /** Lower-case text of payload and headers for the text filter (first 64 KiB), made on first use. */
  haystack?: string;
  bytes?: Uint8Array;
}

const latin = new TextDecoder('utf-8');

export function shownRow(row: TailRowView): ShownRow {
  return { row };
}

export function previewOf(r: ShownRow): string {
  r.preview ??= makePreview(r.row);
  return r.preview;
}

function makePreview(row: TailRowView): string {
  if (row.kind === 'marker') return '';
  const bytes = fromBase64(row.data.length > 600 ? row.data.slice(0, 600) : row.data);
  let p = preview(bytes, row.size);
  if (row.kind === 'kv') {
    const prev = row.prev ? (row.prev.data === null ? '∅' : preview(fromBase64(row.prev.data))) : '';
    const now = row.op === 'put' ? p : `(${row.op}${row.reason ? `: ${row.reason}` : ''})`;
    p = row.prev ? `@${row.prev.revision} ${prev.slice(0, 60)} → ${now}` : now;
  }
  if (row.link) p = `→ ${row.link.stream} #${row.link.seq} ${p}`;
  return p;
}

function haystack(r: ShownRow): string {
  if (r.haystack === undefined) {
    const bytes = fromBase64(r.row.data);
    r.haystack = `${r.row.subject}\n${r.row.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n${latin.decode(bytes.subarray(0, 64 * 1024))}`.toLowerCase();
  }
  return r.haystack;
}

export function matches(r: ShownRow, subjectPattern: string, text: string): boolean {
  if (r.row.kind === 'marker') return true;
  if (subjectPattern && !subjectMatches(subjectPattern, r.row.subject)) return false;
  if (text && !haystack(r).includes(text.toLowerCase())) return false;
  return true;
}

/** The webview's rows: the host's row plus what the list needs precomputed once. */
import type { TailRowView } from '../../src/shared/protocol';
import { subjectMatches } from '../../src/core/tail/spec';
import { fromBase64, preview } from './payload-views';

export interface ShownRow {
  row: TailRowView;
  preview: string;
  /** Lower-case text of payload and headers for the text filter (first 64 KiB). */
  haystack: string;
}

const latin = new TextDecoder('utf-8');

export function shownRow(row: TailRowView): ShownRow {
  if (row.kind === 'marker') return { row, preview: '', haystack: (row.text ?? '').toLowerCase() };
  const bytes = fromBase64(row.data);
  let p = preview(bytes);
  if (row.kind === 'kv') {
    const prev = row.prev ? (row.prev.data === null ? '∅' : preview(fromBase64(row.prev.data))) : '';
    const now = row.op === 'put' ? p : `(${row.op}${row.reason ? `: ${row.reason}` : ''})`;
    p = row.prev ? `@${row.prev.revision} ${prev.slice(0, 60)} → ${now}` : now;
  }
  if (row.link) p = `→ ${row.link.stream} #${row.link.seq} ${p}`;
  const hay = `${row.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n${latin.decode(bytes.subarray(0, 64 * 1024))}`.toLowerCase();
  return { row, preview: p, haystack: hay };
}

export function matches(r: ShownRow, subjectPattern: string, text: string): boolean {
  if (r.row.kind === 'marker') return true;
  if (subjectPattern && !subjectMatches(subjectPattern, r.row.subject)) return false;
  if (text && !r.haystack.includes(text.toLowerCase()) && !r.row.subject.toLowerCase().includes(text.toLowerCase())) return false;
  return true;
}

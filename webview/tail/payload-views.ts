/**
 * How the detail pane shows a payload: JSON (parsed, for the foldable tree), text with
 * invalid UTF-8 bytes and control/bidi characters made visible (never silently replaced),
 * hex dump, base64, MessagePack decoded. Everything here returns data; React renders it as text.
 */
import { decode as decodeMsgpack } from '@msgpack/msgpack';
import { asText, fromBase64, hexDump } from '../../src/core/tail/payload';

export type PayloadView = 'auto' | 'json' | 'text' | 'hex' | 'base64' | 'msgpack';

/** A run of text, or a run of bytes that are not valid UTF-8 (shown as \xNN…, marked). */
export type TextPart = { text: string } | { bad: string };

/** What the text view shows at most; the hex view and the export have the rest. */
export const TEXT_VIEW_BYTES = 256 * 1024;

/** Decodes UTF-8 by hand so every invalid byte is kept and shown, not replaced by U+FFFD. */
export function faithfulText(bytes: Uint8Array, max = TEXT_VIEW_BYTES): TextPart[] {
  const parts: TextPart[] = [];
  let run = '';
  let bad = '';
  const n = Math.min(bytes.length, max);
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    let len = 0;
    let cp = 0;
    if (b < 0x80) {
      len = 1;
      cp = b;
    } else if (b >= 0xc2 && b <= 0xdf) {
      len = 2;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      cp = b & 0x07;
    }
    let ok = len > 0 && i + len <= n;
    for (let k = 1; ok && k < len; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && ((len === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len === 4 && (cp < 0x10000 || cp > 0x10ffff)))) ok = false;
    if (!ok) {
      if (run) parts.push({ text: run });
      run = '';
      bad += `\\x${b.toString(16).padStart(2, '0')}`;
      i++;
      continue;
    }
    if (bad) parts.push({ bad });
    bad = '';
    run += String.fromCodePoint(cp);
    i += len;
  }
  if (bad) parts.push({ bad });
  if (run) parts.push({ text: run });
  return parts;
}

/** Control, zero-width and bidi characters as visible escapes (so "‮evil" cannot reorder the view). */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, (ch) => {
    const c = ch.codePointAt(0)!;
    return c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u{${c.toString(16)}}`;
  });
}

export function tryJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  const t = asText(bytes);
  if (t === undefined) return { ok: false };
  const s = t.trim();
  if (!s || !'{["'.includes(s[0]!) && !/^-?\d/.test(s) && !/^(true|false|null)$/.test(s)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(s) };
  } catch {
    return { ok: false };
  }
}

/** MessagePack when the bytes decode completely to a map or array (not to a lone scalar). */
export function tryMsgpack(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  if (bytes.length === 0 || asText(bytes) !== undefined) return { ok: false };
  try {
    const value = decodeMsgpack(bytes, { useBigInt64: true });
    if (value === null || typeof value !== 'object') return { ok: false };
    return { ok: true, value: toPlain(value) };
  } catch {
    return { ok: false };
  }
}

function toPlain(v: unknown, depth = 0): unknown {
  if (depth > 32) return '…';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => toPlain(x, depth + 1));
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), toPlain(x, depth + 1)]));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x, depth + 1)]));
  return v;
}

export function autoView(bytes: Uint8Array): Exclude<PayloadView, 'auto'> {
  if (tryJson(bytes).ok) return 'json';
  if (asText(bytes) !== undefined) return 'text';
  if (tryMsgpack(bytes).ok) return 'msgpack';
  return 'hex';
}

export { fromBase64, hexDump };

/** List preview: one line, escaped, short. */
export function preview(bytes: Uint8Array, size = bytes.length): string {
  if (bytes.length === 0) return '';
  const head = bytes.subarray(0, 300);
  // a cut can split a character: try a few shorter heads before calling it binary
  const t = asText(head) ?? asText(head.subarray(0, 299)) ?? asText(head.subarray(0, 298)) ?? asText(head.subarray(0, 297));
  if (t === undefined) return `<binary ${size} bytes>`;
  return visible(t.replace(/[\r\n\t]+/g, ' ')).slice(0, 200);
}

/**
 * How a payload is shown without mangling it: UTF-8 text when it is valid UTF-8, base64
 * otherwise (NDJSON), plus hex dumps for the detail pane. Pure, so the CLI, the host and the
 * webview agree byte for byte.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Node's Buffer when there is one (CLI, host): much faster than the browser fallbacks. */
interface NodeBufferLike {
  from(data: ArrayBufferLike, offset: number, length: number): { toString(encoding: string): string };
  from(text: string, encoding: string): Uint8Array;
}
const NodeBuffer = (globalThis as unknown as { Buffer?: NodeBufferLike }).Buffer;

/** The text of `data` when it is valid UTF-8 without NUL bytes, else undefined. */
export function asText(data: Uint8Array): string | undefined {
  if (data.length === 0) return '';
  // fast path: printable ASCII needs no decoder checks beyond this loop
  let ascii = true;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === 0) return undefined;
    if (b > 0x7e) {
      ascii = false;
      break;
    }
  }
  if (ascii) return latin1(data);
  try {
    return strictUtf8.decode(data);
  } catch {
    return undefined;
  }
}

function latin1(data: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
  let s = '';
  for (let i = 0; i < data.length; i += 8192) s += String.fromCharCode(...data.subarray(i, i + 8192));
  return s;
}

export function toBase64(data: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  let s = '';
  for (let i = 0; i < data.length; i += 8192) s += String.fromCharCode(...data.subarray(i, i + 8192));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(text, 'base64'));
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** `{data}` or `{data, encoding: 'base64'}`: the NDJSON payload fields. */
export function encodePayload(data: Uint8Array): { data: string; encoding?: 'base64' } {
  const text = asText(data);
  return text === undefined ? { data: toBase64(data), encoding: 'base64' } : { data: text };
}

/** Classic 16-bytes-a-line hex dump with an ASCII column (non-printables as '.'). */
export function hexDump(data: Uint8Array, maxBytes = 64 * 1024): string {
  const n = Math.min(data.length, maxBytes);
  const lines: string[] = [];
  for (let off = 0; off < n; off += 16) {
    const row = data.subarray(off, Math.min(off + 16, n));
    let hex = '';
    let txt = '';
    for (let i = 0; i < 16; i++) {
      if (i < row.length) {
        const b = row[i]!;
        hex += b.toString(16).padStart(2, '0') + (i === 7 ? '  ' : ' ');
        txt += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else hex += i === 7 ? '    ' : '   ';
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex} |${txt}|`);
  }
  if (data.length > n) lines.push(`… ${data.length - n} more bytes`);
  return lines.join('\n');
}

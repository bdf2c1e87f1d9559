/**
 * Runtime checks for the tail panel's messages (types in protocol.ts). Dependency-free: the
 * webview bundle imports it. Payloads are base64 strings; a row may carry up to 1 MiB of data.
 */
import type { TailAppend, TailPublishParams, TailRowView, TailStateView } from './protocol';
import { arrayOf, bool, emptyParams, nullable, num, object, oneOf, optional, str, type Check } from './validate';

export const MAX_ROW_BYTES = 1024 * 1024;
const B64 = Math.ceil(MAX_ROW_BYTES / 3) * 4 + 8;
export const MAX_APPEND_ROWS = 5_000;

const header = ((v, path) => {
  const pair = arrayOf(str(MAX_ROW_BYTES), 2)(v, path);
  if (pair.length !== 2) throw new Error(`${path}: a header is [name, value]`);
  return pair as [string, string];
}) as Check<[string, string]>;

const rowShape = {
  id: num,
  kind: oneOf('msg', 'kv', 'marker'),
  time: str(100),
  subject: str(MAX_ROW_BYTES),
  seq: optional(num),
  size: num,
  headers: arrayOf(header, 1_000),
  data: str(B64),
  truncated: optional(num),
  reply: optional(str(10_000)),
  stream: optional(str(1_000)),
  op: optional(oneOf('put', 'delete', 'purge', 'expired')),
  phase: optional(oneOf('bootstrap', 'live')),
  prev: optional(nullable(object({ revision: num, data: nullable(str(B64)) }))),
  reason: optional(str(1_000)),
  marker: optional(str(40)),
  text: optional(str(10_000)),
  missed: optional(num),
  link: optional(object({ stream: str(1_000), seq: num })),
  advisory: optional(str(1_000)),
};
export const checkTailRow = object(rowShape) as Check<TailRowView>;
const rowChecks = Object.entries(rowShape) as [keyof TailRowView, Check<unknown>][];

/** Every field checked in place: no copy, no path strings (those cost more than the check at 50,000 rows/s). */
function rowIsValid(r: unknown): boolean {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return false;
  for (const k in r) if (!Object.hasOwn(rowShape, k)) return false;
  for (const [k, check] of rowChecks) check((r as Record<string, unknown>)[k], '');
  return true;
}

export const checkTailState = object({
  title: str(1_000),
  source: str(10_000),
  kind: oneOf('stream', 'subject', 'kv', 'advisories'),
  mode: str(10_000),
  bufferSize: num,
  defaultSubject: str(10_000),
  specJson: str(100_000),
  locale: optional(str(100)),
  error: optional(str(10_000)),
}) as Check<TailStateView>;

const checkTailAppendFully = object({ rows: arrayOf(checkTailRow, MAX_APPEND_ROWS), received: num, skipped: num }) as Check<TailAppend>;

/**
 * The same check as checkTailAppendFully, fast for what the host really sends: a batch whose
 * every row passes in place is taken as is; anything else goes through the full checker, which
 * names the bad field (and drops unknown keys).
 */
export const checkTailAppend: Check<TailAppend> = (v, path) => {
  try {
    const a = v as Record<string, unknown>;
    if (typeof a === 'object' && a !== null && Object.keys(a).length === 3 && Array.isArray(a.rows) && a.rows.length <= MAX_APPEND_ROWS) {
      num(a.received, '');
      num(a.skipped, '');
      if (a.rows.every(rowIsValid)) return a as unknown as TailAppend;
    }
  } catch {
    /* the full check below says what is wrong */
  }
  return checkTailAppendFully(v, path);
};

export const checkPublishParams = object({
  subject: str(10_000),
  headers: arrayOf(header, 100),
  data: str(MAX_ROW_BYTES * 4),
  request: bool,
  timeoutMs: num,
}) as Check<TailPublishParams>;

export const checkTailRendered = object({ rows: num, shown: num, paused: bool, held: num, live: bool, lastSeq: optional(num), lastTime: optional(str(100)) });
export const checkIdParams = object({ id: num });

export const tailHostChecks = {
  requests: {
    'tail/publish': checkPublishParams,
    'tail/export': emptyParams,
    'tail/openJson': checkIdParams,
    'tail/activeEditorText': emptyParams,
    'tail/clear': emptyParams,
  },
  toHost: { 'tail/rendered': checkTailRendered },
};

export const tailWebviewChecks = {
  toWebview: { 'tail/state': checkTailState, 'tail/append': checkTailAppend, 'tail/pause': object({ paused: bool }) },
  results: {
    'tail/publish': object({ ok: bool, message: str(10_000) }),
    'tail/export': object({ saved: bool, lines: num, message: str(10_000) }),
    'tail/openJson': object({ opened: bool }),
    'tail/activeEditorText': object({ text: str(MAX_ROW_BYTES * 4), name: str(10_000) }),
    'tail/clear': object({ cleared: bool }),
  },
};

/**
 * What a tail reads, as plain data: the CLI builds it from flags, the panel stores it (so a
 * restored panel resumes), code lenses pass it in. Parsing and checks are pure.
 */
export type StreamFrom = 'new' | 'all' | 'last' | 'last-per-subject' | `seq:${number}` | `time:${string}`;

export type TailSpec =
  | {
      kind: 'stream';
      stream: string;
      /** Default `new`. */
      from?: StreamFrom;
      filters?: string[];
      /** `auto` (default): a consumer on limits streams, a view on WorkQueue/Interest streams. */
      read?: 'auto' | 'consumer' | 'view';
      /** Peek the messages a consumer has not had acknowledged: a view from its ack floor with its filters. */
      pendingOf?: string;
    }
  | { kind: 'subject'; subject: string; queue?: string }
  | {
      kind: 'kv';
      bucket: string;
      /** Key or pattern (`orders.*`, `>`); default all keys. */
      key?: string;
      /** `last` (default): current values then updates; `history`: every revision kept; `updates`: only changes from now. */
      include?: 'last' | 'history' | 'updates';
      fromRevision?: number;
    }
  | { kind: 'advisories'; subject?: string };

export const ADVISORY_SUBJECT = '$JS.EVENT.ADVISORY.>';

/** Parses `--from`: new, all, last, last-per-subject, seq:N, time:ISO (or a duration ago: time:-5m). */
export function parseStreamFrom(value: string, now = Date.now()): StreamFrom {
  const v = value.trim();
  if (v === 'new' || v === 'all' || v === 'last' || v === 'last-per-subject') return v;
  const seq = /^seq:(\d+)$/.exec(v);
  if (seq) {
    const n = Number(seq[1]);
    if (n < 1) throw new Error(`--from ${value}: sequences start at 1`);
    return `seq:${n}`;
  }
  const ago = /^time:-(\d+)(s|m|h|d)$/.exec(v);
  if (ago) {
    const ms = Number(ago[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[ago[2] as 's']!;
    return `time:${new Date(now - ms).toISOString()}`;
  }
  const time = /^time:(.+)$/.exec(v);
  if (time) {
    const t = Date.parse(time[1]!);
    if (Number.isNaN(t)) throw new Error(`--from ${value}: "${time[1]}" is not an ISO time (e.g. 2026-11-30T12:00:00Z) or a duration ago (time:-5m)`);
    return `time:${new Date(t).toISOString()}`;
  }
  throw new Error(`--from "${value}" is not one of new, all, last, last-per-subject, seq:N, time:ISO`);
}

/** A NATS subject or pattern: non-empty tokens, `*` whole tokens, `>` only last. Returns the problem or undefined. */
export function subjectProblem(subject: string, allowWildcards = true): string | undefined {
  if (!subject) return 'is empty';
  if (/\s/.test(subject)) return 'contains white space';
  const tokens = subject.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '') return 'has an empty token (two dots, or a dot at an end)';
    if (t.includes('*') || t.includes('>')) {
      if (!allowWildcards) return 'contains a wildcard (* or >) where a concrete subject is needed';
      if (t !== '*' && t !== '>') return `token "${t}" mixes a wildcard with other characters`;
      if (t === '>' && i !== tokens.length - 1) return '">" can only be the last token';
    }
  }
  return undefined;
}

/** Does `subject` match `pattern` (NATS wildcards)? */
export function subjectMatches(pattern: string, subject: string): boolean {
  if (pattern === '>' || pattern === subject) return true;
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const t = p[i];
    if (t === '>') return s.length > i;
    if (i >= s.length) return false;
    if (t !== '*' && t !== s[i]) return false;
  }
  return p.length === s.length;
}

/** A short title: "stream ORDERS (all)", "kv config > app.*", "subject orders.>", "advisories". */
export function describeSpec(spec: TailSpec): string {
  switch (spec.kind) {
    case 'stream':
      return spec.pendingOf
        ? `pending of ${spec.stream} > ${spec.pendingOf}`
        : `stream ${spec.stream} (${spec.from ?? 'new'}${spec.filters?.length ? `; ${spec.filters.join(', ')}` : ''})`;
    case 'subject':
      return `subject ${spec.subject}${spec.queue ? ` (queue ${spec.queue})` : ''}`;
    case 'kv':
      return `kv ${spec.bucket}${spec.key && spec.key !== '>' ? ` > ${spec.key}` : ''}${spec.include && spec.include !== 'last' ? ` (${spec.include})` : ''}${spec.fromRevision ? ` from revision ${spec.fromRevision}` : ''}`;
    case 'advisories':
      return `advisories ${spec.subject ?? ADVISORY_SUBJECT}`;
  }
}

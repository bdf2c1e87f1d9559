/**
 * Management of streams, consumers, KV buckets and object stores: what the Explorer's
 * create/edit/delete/purge actions and the CLI call.
 *
 * Every method checks names and subjects before any request leaves, and says which rule was
 * broken; a server refusal becomes an `AdminError` with the server's code and, for the
 * common ones, a hint that says what to do (and names the clashing stream or consumer).
 */
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
  type StoredMsg,
} from '@nats-io/jetstream';
import type { KV, KvEntry } from '@nats-io/kv';
import type { ObjectInfo, ObjectStore } from '@nats-io/obj';
import type { ObjectSummary } from './catalog';
import type { ServerFeature } from './serverInfo';
import { JetStreamClient, type JetStreamClientOptions } from './jetstreamClient';
import { diffConfig, type ConfigChange } from './configDiff';
import { subjectsOverlap } from '../core/decide';

export { AdminError, JsErrCodes, toAdminError, type AdminErrorCode } from './adminError';
import { AdminError, JsErrCodes, toAdminError } from './adminError';
import { jetStreamReplicaLimit } from './clusterSize';
import type { ReplicaLimit } from '../core/design/replicas';

// ---------------------------------------------------------------------------------------
// Validation (before any request)

export type NameKind = 'stream' | 'consumer' | 'KV bucket' | 'object store';

/** Why `name` is not a valid name of `kind`, or undefined when it is. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return `${kind} name is empty`;
  if ([...name].length > 255) return `${kind} name is ${[...name].length} characters long; the limit is 255`;
  const bad = [...name].find((ch) => /[\s.*>/\\]/.test(ch) || /[\p{Cc}\p{Cf}]/u.test(ch));
  if (bad !== undefined) {
    const shown = /[\p{Cc}\p{Cf}\s]/u.test(bad) ? `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : `"${bad}"`;
    return `${kind} name "${printable(name)}" contains ${shown}: names cannot contain spaces, ".", "*", ">", "/", "\\" or control characters (they become subject tokens and file names)`;
  }
  if ((kind === 'KV bucket' || kind === 'object store') && !/^[-\w]+$/.test(name)) {
    return `${kind} name "${printable(name)}" may only use letters, digits, "-" and "_"`;
  }
  return undefined;
}

export function validateName(kind: NameKind, name: string): void {
  const p = nameProblem(kind, name);
  if (p) throw new AdminError('invalid', p);
}

/** Why `subject` is not a valid subject (or, with `wildcards`, filter), or undefined. */
export function subjectProblem(subject: string, opts: { wildcards?: boolean; what?: string } = {}): string | undefined {
  const what = opts.what ?? 'subject';
  const wildcards = opts.wildcards ?? true;
  if (typeof subject !== 'string' || subject.length === 0) return `${what} is empty`;
  if (/\s/.test(subject)) return `${what} "${printable(subject)}" contains whitespace`;
  if (/[\p{Cc}]/u.test(subject)) return `${what} "${printable(subject)}" contains a control character`;
  const tokens = subject.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '') return `${what} "${subject}" has an empty token (at position ${i + 1}): no leading, trailing or double dots`;
    if (t.includes('>') && (t !== '>' || i !== tokens.length - 1)) return `${what} "${subject}": ">" must be a whole token and the last one`;
    if (t.includes('*') && t !== '*') return `${what} "${subject}": "*" must be a whole token`;
    if (!wildcards && (t === '*' || t === '>')) return `${what} "${subject}" cannot contain wildcards`;
  }
  return undefined;
}

export function validateSubject(subject: string, opts: { wildcards?: boolean; what?: string } = {}): void {
  const p = subjectProblem(subject, opts);
  if (p) throw new AdminError('invalid', p);
}

/** KV keys: letters, digits and `-/_=.`, no leading/trailing dot; filters may use `*`/`>`. */
export function kvKeyProblem(key: string, opts: { filter?: boolean } = {}): string | undefined {
  if (!key) return 'key is empty';
  if (key.startsWith('.') || key.endsWith('.')) return `key "${printable(key)}" cannot start or end with "."`;
  const re = opts.filter ? /^[-/=.>*\w]+$/ : /^[-/=.\w]+$/;
  if (!re.test(key)) return `key "${printable(key)}" may only use letters, digits and - / _ = .${opts.filter ? ' (and * > as wildcards)' : ''}`;
  return opts.filter ? subjectProblem(key, { what: 'key filter' }) : subjectProblem(key, { wildcards: false, what: 'key' });
}

function validateKey(key: string, opts: { filter?: boolean } = {}): void {
  const p = kvKeyProblem(key, opts);
  if (p) throw new AdminError('invalid', p);
}

function printable(s: string): string {
  return s.replace(/[\p{Cc}\p{Cf}]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

function validateSeq(what: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new AdminError('invalid', `${what} must be a positive whole number, got ${n}`);
}

// ---------------------------------------------------------------------------------------
// Plain results

export interface MessageSummary {
  stream: string;
  subject: string;
  seq: number;
  time: string;
  headers?: Record<string, string[]>;
  size: number;
  /** The payload as UTF-8 text when it is valid UTF-8. */
  text?: string;
  /** The payload in base64 when it is not valid UTF-8. */
  base64?: string;
}

export interface KvEntrySummary {
  bucket: string;
  key: string;
  revision: number;
  operation: 'PUT' | 'DEL' | 'PURGE';
  created: string;
  length: number;
  text?: string;
  base64?: string;
}

export interface KvBucketConfig {
  bucket: string;
  description?: string;
  /** Revisions kept per key (1–64). Default 1. */
  history?: number;
  /** Milliseconds; 0/absent = forever. */
  ttlMs?: number;
  storage?: 'file' | 'memory';
  replicas?: number;
  maxValueSize?: number;
  maxBucketSize?: number;
  metadata?: Record<string, string>;
}

export interface ObjectStoreConfig {
  bucket: string;
  description?: string;
  ttlMs?: number;
  storage?: 'file' | 'memory';
  replicas?: number;
  maxBucketSize?: number;
  metadata?: Record<string, string>;
}

export interface PurgeOptions {
  /** Only messages on subjects matching this filter. */
  filter?: string;
  /** Keep the newest N (per filter, when given). */
  keep?: number;
  /** Remove messages with a sequence below this one (server semantics, as natscli `--seq`). */
  untilSeq?: number;
}

export type AdminOptions = JetStreamClientOptions;

/** What an update left on the server, and the fields it did not take as asked (`before` = asked). */
export interface UpdateResult<T> {
  info: T;
  notTaken: ConfigChange[];
}

/** A bucket's config in the editable KV shape, from its stream config. */
export function kvConfigOf(bucket: string, c: StreamConfig): KvBucketConfig {
  return {
    bucket,
    ...(c.description ? { description: c.description } : {}),
    history: c.max_msgs_per_subject,
    ttlMs: Math.round(c.max_age / 1e6),
    storage: c.storage as never,
    replicas: c.num_replicas,
    maxValueSize: c.max_msg_size,
    maxBucketSize: c.max_bytes,
    ...userMetadataOf(c.metadata),
  };
}

/** A store's config in the editable object store shape, from its stream config. */
export function objConfigOf(bucket: string, c: StreamConfig): ObjectStoreConfig {
  return {
    bucket,
    ...(c.description ? { description: c.description } : {}),
    ttlMs: Math.round(c.max_age / 1e6),
    storage: c.storage as never,
    replicas: c.num_replicas,
    maxBucketSize: c.max_bytes,
    ...userMetadataOf(c.metadata),
  };
}

/** Metadata without the server's reserved `_nats.*` keys (2.11+ adds e.g. `_nats.req.level`). */
export function userMetadataOf(m: Record<string, string> | undefined): { metadata?: Record<string, string> } {
  const entries = Object.entries(m ?? {}).filter(([k]) => !k.startsWith('_nats.'));
  return entries.length ? { metadata: Object.fromEntries(entries) } : {};
}

/** nats.js lets a source name a `domain`; the API wants the external API prefix it stands for. */
function externalSource<T extends { domain?: string; external?: unknown }>(s: T): T {
  if (!s.domain) return s;
  const { domain, ...rest } = s;
  return { ...rest, external: { api: `$JS.${domain}.API` } } as unknown as T;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function payload(data: Uint8Array): { text?: string; base64?: string } {
  try {
    return { text: utf8.decode(data) };
  } catch {
    return { base64: Buffer.from(data).toString('base64') };
  }
}

function headersOf(h: { keys(): string[]; values(k: string): string[] } | undefined): Record<string, string[]> | undefined {
  if (!h) return undefined;
  const out: Record<string, string[]> = {};
  for (const k of h.keys()) out[k] = h.values(k);
  return Object.keys(out).length ? out : undefined;
}

function entrySummary(e: KvEntry): KvEntrySummary {
  return {
    bucket: e.bucket,
    key: e.key,
    revision: e.revision,
    operation: e.operation,
    created: e.created.toISOString(),
    length: e.length,
    ...(e.operation === 'PUT' ? payload(e.value) : {}),
  };
}

function messageSummary(stream: string, m: StoredMsg): MessageSummary {
  const headers = headersOf(m.header as never);
  return { stream, subject: m.subject, seq: m.seq, time: m.time.toISOString(), ...(headers ? { headers } : {}), size: m.data.length, ...payload(m.data) };
}

const msToNs = (ms: number | undefined) => Math.round((ms ?? 0) * 1e6);

/** An object store metadata message as the server keeps it (JSON, headers as a record). */
export interface ObjectMeta {
  name: string;
  description?: string;
  size: number;
  chunks: number;
  digest: string;
  mtime?: string;
  deleted?: boolean;
  headers?: Record<string, string[]>;
  options?: { link?: { bucket: string; name?: string } };
}

const isZeroTime = (t: string | undefined) => !t || t.startsWith('0001-01-01');

/**
 * An object's metadata as the Explorer and the CLI show it. `seq` and `time` are those of
 * the metadata message: the revision, and the modification time when the writer left
 * `mtime` zero (natscli and Go clients do).
 */
export function objectMetaSummary(store: string, o: ObjectMeta, seq: number, time: Date | undefined): ObjectSummary {
  const modified = !isZeroTime(o.mtime) ? o.mtime! : time ? time.toISOString() : '';
  const headers = Object.entries(o.headers ?? {});
  return {
    store,
    name: o.name,
    ...(o.description ? { description: o.description } : {}),
    size: o.size ?? 0,
    chunks: o.chunks ?? 0,
    digest: o.digest ?? '',
    modified,
    revision: seq,
    ...(headers.length ? { headers: Object.fromEntries(headers) } : {}),
    ...(o.options?.link ? { link: { bucket: o.options.link.bucket, ...(o.options.link.name ? { name: o.options.link.name } : {}) } } : {}),
  };
}

/** nats.js's ObjectInfo (headers as MsgHdrs) in the same summary shape. */
export function objectSummary(store: string, o: ObjectInfo, time?: Date): ObjectSummary {
  const headers = o.headers && o.headers.keys().length ? Object.fromEntries(o.headers.keys().map((k) => [k, o.headers!.values(k)])) : undefined;
  // ObjectInfo is a class with getters: pick the fields, a spread would drop them
  const meta: ObjectMeta = {
    name: o.name,
    description: o.description,
    size: o.size,
    chunks: o.chunks,
    digest: o.digest,
    mtime: o.mtime,
    deleted: o.deleted,
    ...(headers ? { headers } : {}),
    options: o.options as ObjectMeta['options'],
  };
  return objectMetaSummary(store, meta, o.revision, time);
}

/**
 * Why `name` is not a usable object name, or undefined. The store base64-encodes names into
 * subjects, so any text works on the wire; empty names and control characters are refused
 * because natscli and file systems cannot round-trip them.
 */
export function objectNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'object name is empty';
  if (name.length > 1024) return `object name is ${name.length} characters long; keep it to 1024`;
  if (/[\p{Cc}]/u.test(name)) return `object name "${printable(name)}" contains a control character`;
  return undefined;
}

function validateObjectName(name: string): void {
  const p = objectNameProblem(name);
  if (p) throw new AdminError('invalid', p);
}

/** An object's content with its metadata; `text` when the bytes are valid UTF-8. */
export interface ObjectContent {
  info: ObjectSummary;
  data: Uint8Array;
  text?: string;
}

// ---------------------------------------------------------------------------------------

export class Admin extends JetStreamClient {
  /** Whether the server is part of a cluster (INFO names one): templates pick R3 then. */
  get clustered(): boolean {
    return Boolean(this.nc.info?.cluster);
  }

  /** How many replicas the JetStream server can hold, as far as the connection tells (src/nats/clusterSize.ts). */
  replicaLimit(): ReplicaLimit {
    return jetStreamReplicaLimit(this.nc, this.prefix === '$JS.API' ? {} : { apiPrefix: this.prefix });
  }

  /** Refuses, before any request, what the JetStream server that answers lacks (call ready() first). */
  private need(feature: ServerFeature, what: string): void {
    const f = this.features[feature];
    if (!f.supported) throw new AdminError('unsupported', `${what} ${f.reason}`);
  }

  private async call<T>(fn: (jsm: JetStreamManager) => Promise<T>): Promise<T> {
    const jsm = await this.jsm();
    try {
      return await fn(jsm);
    } catch (err) {
      throw toAdminError(err);
    }
  }

  // ----- streams ------------------------------------------------------------------------

  private checkStreamConfig(cfg: Partial<StreamConfig> & { name: string }): void {
    validateName('stream', cfg.name);
    for (const s of cfg.subjects ?? []) validateSubject(s, { what: `stream ${cfg.name} subject` });
    if (cfg.metadata && Object.keys(cfg.metadata).length) this.need('metadata', 'stream metadata');
    if (cfg.num_replicas !== undefined && (!Number.isInteger(cfg.num_replicas) || cfg.num_replicas < 1 || cfg.num_replicas > 5)) {
      throw new AdminError('invalid', `replicas must be 1 to 5, got ${cfg.num_replicas}`);
    }
  }

  async addStream(cfg: Partial<StreamConfig> & { name: string }): Promise<StreamInfo> {
    await this.ready();
    this.checkStreamConfig(cfg);
    try {
      return await this.call((jsm) => jsm.streams.add(cfg));
    } catch (err) {
      throw await this.explainOverlap(err as AdminError, cfg);
    }
  }

  /**
   * Updates with exactly this config: fields left out go back to the server's defaults (a
   * removed description, source or metadata key is removed). nats.js's update merges onto the
   * live config, so the request is sent as is. The stream is then read again and every field
   * the server did not take as asked is returned in `notTaken`.
   */
  async updateStream(cfg: Partial<StreamConfig> & { name: string }): Promise<UpdateResult<StreamInfo>> {
    await this.ready();
    this.checkStreamConfig(cfg);
    const body = { ...cfg, ...(cfg.mirror ? { mirror: externalSource(cfg.mirror) } : {}), ...(cfg.sources ? { sources: cfg.sources.map(externalSource) } : {}) };
    try {
      await this.api<StreamInfo>(`STREAM.UPDATE.${cfg.name}`, body);
    } catch (err) {
      throw await this.explainOverlap(toAdminError(err), cfg);
    }
    const info = await this.api<StreamInfo>(`STREAM.INFO.${cfg.name}`, undefined);
    return { info, notTaken: diffConfig('stream', body, info.config) };
  }

  /** For an overlap refusal, finds and names the stream(s) that already hold the subjects. */
  private async explainOverlap(err: AdminError, cfg: Partial<StreamConfig> & { name: string }): Promise<AdminError> {
    if (err.code !== 'overlap') return err;
    try {
      const clashes = new Set<string>();
      const jsm = await this.jsm();
      for (const subject of cfg.subjects ?? []) {
        for await (const name of jsm.streams.names(subject)) if (name !== cfg.name) clashes.add(name);
      }
      if (clashes.size === 0) return err;
      const names = [...clashes].map((n) => `"${n}"`).join(', ');
      return new AdminError('overlap', `${err.message}: stream ${names} already captures some of ${JSON.stringify(cfg.subjects)}`, err.errCode, err.hint, { cause: err });
    } catch {
      return err;
    }
  }

  async deleteStream(name: string): Promise<void> {
    validateName('stream', name);
    await this.call((jsm) => jsm.streams.delete(name));
  }

  /** Purges all, by subject filter, keeping the newest N, or below a sequence. Returns how many went. */
  async purgeStream(name: string, opts: PurgeOptions = {}): Promise<number> {
    validateName('stream', name);
    if (opts.filter !== undefined) validateSubject(opts.filter, { what: 'purge filter' });
    if (opts.keep !== undefined && opts.untilSeq !== undefined) throw new AdminError('invalid', 'purge takes keep or untilSeq, not both');
    if (opts.keep !== undefined && (!Number.isSafeInteger(opts.keep) || opts.keep < 0)) throw new AdminError('invalid', `keep must be a whole number ≥ 0, got ${opts.keep}`);
    if (opts.untilSeq !== undefined) validateSeq('untilSeq', opts.untilSeq);
    const body =
      opts.keep !== undefined
        ? { keep: opts.keep, ...(opts.filter ? { filter: opts.filter } : {}) }
        : opts.untilSeq !== undefined
          ? { seq: opts.untilSeq, ...(opts.filter ? { filter: opts.filter } : {}) }
          : opts.filter
            ? { filter: opts.filter }
            : undefined;
    const r = await this.call((jsm) => jsm.streams.purge(name, body as never));
    return r.purged;
  }

  /** Deletes one message; `erase` overwrites its bytes on disk (slower). */
  async deleteMessage(stream: string, seq: number, opts: { erase?: boolean } = {}): Promise<void> {
    validateName('stream', stream);
    validateSeq('sequence', seq);
    await this.call((jsm) => jsm.streams.deleteMessage(stream, seq, opts.erase ?? false));
  }

  async getMessage(stream: string, seq: number): Promise<MessageSummary> {
    validateName('stream', stream);
    validateSeq('sequence', seq);
    const m = await this.call((jsm) => jsm.streams.getMessage(stream, { seq }));
    if (!m) throw new AdminError('notFound', `stream ${stream} has no message with sequence ${seq}`, JsErrCodes.NoMessageFound, 'it may have been deleted, purged or expired by a limit');
    return messageSummary(stream, m);
  }

  async getLastMessage(stream: string, subject: string): Promise<MessageSummary> {
    validateName('stream', stream);
    validateSubject(subject, { what: 'subject' });
    const m = await this.call((jsm) => jsm.streams.getMessage(stream, { last_by_subj: subject }));
    if (!m) throw new AdminError('notFound', `stream ${stream} has no message on ${subject}`, JsErrCodes.NoMessageFound);
    return messageSummary(stream, m);
  }

  // ----- consumers ----------------------------------------------------------------------

  private checkConsumerConfig(stream: string, cfg: Partial<ConsumerConfig>): string {
    validateName('stream', stream);
    const name = cfg.durable_name ?? cfg.name;
    if (name !== undefined) validateName('consumer', name);
    if (cfg.durable_name && cfg.name && cfg.durable_name !== cfg.name) {
      throw new AdminError('invalid', `consumer name "${cfg.name}" and durable_name "${cfg.durable_name}" differ; give one, or the same in both`);
    }
    if (cfg.filter_subject) validateSubject(cfg.filter_subject, { what: 'filter subject' });
    for (const f of cfg.filter_subjects ?? []) validateSubject(f, { what: 'filter subject' });
    if (cfg.filter_subject && cfg.filter_subjects?.length) throw new AdminError('invalid', 'give filter_subject or filter_subjects, not both');
    if ((cfg.filter_subjects?.length ?? 0) > 0) this.need('multiFilter', 'filter_subjects (several filters on one consumer)');
    if (cfg.metadata && Object.keys(cfg.metadata).length) this.need('metadata', 'consumer metadata');
    if (cfg.pause_until) this.need('pause', 'creating a paused consumer');
    if (cfg.deliver_subject) validateSubject(cfg.deliver_subject, { wildcards: false, what: 'deliver subject' });
    return name ?? '';
  }

  async addConsumer(stream: string, cfg: Partial<ConsumerConfig>): Promise<ConsumerInfo> {
    await this.ready();
    this.checkConsumerConfig(stream, cfg);
    const full = { ack_policy: AckPolicy.Explicit, ...cfg } as Partial<ConsumerConfig>;
    try {
      return await this.call((jsm) => jsm.consumers.add(stream, full));
    } catch (err) {
      throw await this.explainWorkQueueClash(err as AdminError, stream, cfg);
    }
  }

  /**
   * Updates with exactly this config (as updateStream: nothing is merged from the live
   * config), then reads the consumer again and returns what the server did not take.
   */
  async updateConsumer(stream: string, cfg: Partial<ConsumerConfig>): Promise<UpdateResult<ConsumerInfo>> {
    await this.ready();
    const name = this.checkConsumerConfig(stream, cfg);
    if (!name) throw new AdminError('invalid', 'updating a consumer needs its name (durable_name or name)');
    const subject = cfg.durable_name ? `CONSUMER.DURABLE.CREATE.${stream}.${cfg.durable_name}` : `CONSUMER.CREATE.${stream}.${name}`;
    try {
      await this.api<ConsumerInfo>(subject, { stream_name: stream, config: cfg, action: 'update' });
    } catch (err) {
      throw await this.explainWorkQueueClash(toAdminError(err), stream, cfg);
    }
    const info = await this.api<ConsumerInfo>(`CONSUMER.INFO.${stream}.${name}`, undefined);
    return { info, notTaken: diffConfig('consumer', cfg, info.config) };
  }

  /** For "filtered consumer not unique", names the consumer(s) whose filters overlap. */
  private async explainWorkQueueClash(err: AdminError, stream: string, cfg: Partial<ConsumerConfig>): Promise<AdminError> {
    if (err.errCode !== JsErrCodes.WorkQueueConsumerNotUnique) return err;
    try {
      const mine = [...(cfg.filter_subject ? [cfg.filter_subject] : []), ...(cfg.filter_subjects ?? [])];
      const own = cfg.durable_name ?? cfg.name;
      const clashes: string[] = [];
      const jsm = await this.jsm();
      for await (const ci of jsm.consumers.list(stream)) {
        if (ci.name === own) continue;
        const theirs = [...(ci.config.filter_subject ? [ci.config.filter_subject] : []), ...(ci.config.filter_subjects ?? [])];
        const overlap = mine.length === 0 || theirs.length === 0 || mine.some((a) => theirs.some((b) => subjectsCollide(a, b)));
        if (overlap) clashes.push(`"${ci.name}" (${theirs.length ? theirs.join(', ') : 'no filter: all subjects'})`);
      }
      if (clashes.length === 0) return err;
      return new AdminError(
        'conflict',
        `${err.message}: on workqueue stream ${stream}, consumer ${clashes.join(', ')} already takes ${mine.length ? mine.join(', ') : 'these subjects'}`,
        err.errCode,
        err.hint,
        { cause: err },
      );
    } catch {
      return err;
    }
  }

  async deleteConsumer(stream: string, name: string): Promise<void> {
    validateName('stream', stream);
    validateName('consumer', name);
    await this.call((jsm) => jsm.consumers.delete(stream, name));
  }

  /** Pauses delivery until `until` (2.11+). Refused on older servers before any request. */
  async pauseConsumer(stream: string, name: string, until: Date): Promise<{ paused: boolean; pauseUntil?: string }> {
    await this.ready();
    validateName('stream', stream);
    validateName('consumer', name);
    this.need('pause', 'consumer pause');
    if (!(until instanceof Date) || Number.isNaN(until.getTime())) throw new AdminError('invalid', 'pause needs a valid end time');
    if (until.getTime() <= Date.now()) throw new AdminError('invalid', `pause end ${until.toISOString()} is in the past; use resume to resume now`);
    const r = await this.call((jsm) => jsm.consumers.pause(stream, name, until));
    return { paused: r.paused, ...(r.pause_until ? { pauseUntil: r.pause_until } : {}) };
  }

  async resumeConsumer(stream: string, name: string): Promise<{ paused: boolean }> {
    await this.ready();
    validateName('stream', stream);
    validateName('consumer', name);
    this.need('pause', 'consumer resume');
    const r = await this.call((jsm) => jsm.consumers.resume(stream, name));
    return { paused: r.paused };
  }

  /**
   * Resets the consumer's delivery state (2.14+, `$JS.API.CONSUMER.RESET.<stream>.<consumer>`):
   * with `seq`, delivery restarts at that stream sequence; without, at ack floor + 1. The
   * server allows it only for deliver policy all, by_start_sequence or by_start_time.
   */
  async resetConsumer(stream: string, name: string, seq?: number): Promise<{ resetSeq: number; info: ConsumerInfo }> {
    await this.ready();
    validateName('stream', stream);
    validateName('consumer', name);
    this.need('consumerReset', 'consumer reset');
    if (seq !== undefined) validateSeq('reset sequence', seq);
    const r = await this.call((jsm) => jsm.consumers.reset(stream, name, seq));
    const { reset_seq, ...rest } = r;
    const { type: _type, ...info } = rest as typeof rest & { type?: string };
    return { resetSeq: reset_seq, info: info as ConsumerInfo };
  }

  // ----- KV -----------------------------------------------------------------------------

  /** The stream fields a KV config sets; left-out fields take their defaults (full config). */
  private kvStreamConfig(cfg: KvBucketConfig): Partial<StreamConfig> {
    return {
      description: cfg.description ?? '',
      max_msgs_per_subject: cfg.history ?? 1,
      max_age: msToNs(cfg.ttlMs),
      ...(cfg.storage ? { storage: cfg.storage as never } : {}),
      num_replicas: cfg.replicas ?? 1,
      max_msg_size: cfg.maxValueSize ?? -1,
      max_bytes: cfg.maxBucketSize ?? -1,
      metadata: cfg.metadata ?? {},
    };
  }

  private checkKvConfig(cfg: KvBucketConfig): void {
    validateName('KV bucket', cfg.bucket);
    if (cfg.history !== undefined && (!Number.isInteger(cfg.history) || cfg.history < 1 || cfg.history > 64)) {
      throw new AdminError('invalid', `history must be 1 to 64 revisions per key, got ${cfg.history}`);
    }
    if (cfg.metadata && Object.keys(cfg.metadata).length) this.need('metadata', 'KV metadata');
  }

  /** Creates a bucket; an existing bucket with another config is refused (10058). */
  async createKv(cfg: KvBucketConfig): Promise<void> {
    await this.ready();
    this.checkKvConfig(cfg);
    const kvm = await this.kvm();
    try {
      await kvm.create(cfg.bucket, {
        ...(cfg.description !== undefined ? { description: cfg.description } : {}),
        history: cfg.history ?? 1,
        ttl: cfg.ttlMs ?? 0,
        ...(cfg.storage ? { storage: cfg.storage as never } : {}),
        replicas: cfg.replicas ?? 1,
        ...(cfg.maxValueSize !== undefined ? { maxValueSize: cfg.maxValueSize } : {}),
        ...(cfg.maxBucketSize !== undefined ? { max_bytes: cfg.maxBucketSize } : {}),
        ...(cfg.metadata ? { metadata: cfg.metadata } : {}),
      });
    } catch (err) {
      throw toAdminError(err);
    }
  }

  /**
   * Sets history, ttl, limits, description, metadata and replicas of an existing bucket to
   * exactly `cfg` (left-out fields go back to their defaults; storage stays), then reads the
   * bucket again and returns what the server did not take.
   */
  async updateKv(cfg: KvBucketConfig): Promise<UpdateResult<KvBucketConfig>> {
    await this.ready();
    this.checkKvConfig(cfg);
    const stream = `KV_${cfg.bucket}`;
    const live = await this.api<StreamInfo>(`STREAM.INFO.${stream}`, undefined);
    await this.api(`STREAM.UPDATE.${stream}`, { ...live.config, ...this.kvStreamConfig(cfg) });
    const info = kvConfigOf(cfg.bucket, (await this.api<StreamInfo>(`STREAM.INFO.${stream}`, undefined)).config);
    return { info, notTaken: diffConfig('kv', { storage: live.config.storage, ...cfg }, info) };
  }

  async deleteKv(bucket: string): Promise<void> {
    validateName('KV bucket', bucket);
    await this.call((jsm) => jsm.streams.delete(`KV_${bucket}`));
  }

  private async openKv(bucket: string): Promise<KV> {
    validateName('KV bucket', bucket);
    try {
      return await (await this.kvm()).open(bucket);
    } catch (err) {
      throw toAdminError(err);
    }
  }

  /** The current value (or a given revision); undefined when the key has none. */
  async kvGet(bucket: string, key: string, opts: { revision?: number } = {}): Promise<KvEntrySummary | undefined> {
    validateName('KV bucket', bucket);
    validateKey(key);
    if (opts.revision !== undefined) validateSeq('revision', opts.revision);
    const kv = await this.openKv(bucket);
    try {
      const e = await kv.get(key, opts.revision !== undefined ? { revision: opts.revision } : undefined);
      return e ? entrySummary(e) : undefined;
    } catch (err) {
      throw toAdminError(err);
    }
  }

  /**
   * Writes a value. With `expectedRevision` it is a compare-and-set: refused, naming the key
   * and both revisions, when someone wrote the key since that revision. Returns the new revision.
   */
  async kvPut(bucket: string, key: string, value: string | Uint8Array, opts: { expectedRevision?: number } = {}): Promise<number> {
    if (opts.expectedRevision !== undefined) return this.kvUpdate(bucket, key, value, opts.expectedRevision);
    validateName('KV bucket', bucket);
    validateKey(key);
    const kv = await this.openKv(bucket);
    try {
      return await kv.put(key, toBytes(value));
    } catch (err) {
      throw toAdminError(err);
    }
  }

  /** Writes only if the key has no current value; refused with the existing revision otherwise. */
  async kvCreate(bucket: string, key: string, value: string | Uint8Array): Promise<number> {
    validateName('KV bucket', bucket);
    validateKey(key);
    const kv = await this.openKv(bucket);
    try {
      return await kv.create(key, toBytes(value));
    } catch (err) {
      const ae = toAdminError(err);
      if (ae.code !== 'casMismatch') throw ae;
      const current = await kv.get(key).catch(() => null);
      throw new AdminError(
        'casMismatch',
        `key "${key}" in bucket ${bucket} already exists${current ? ` at revision ${current.revision}` : ''}; create only writes new keys`,
        ae.errCode,
        'use update with the current revision to change it',
        { cause: err },
      );
    }
  }

  /** Compare-and-set: writes only if the key's latest revision is `expectedRevision`. */
  async kvUpdate(bucket: string, key: string, value: string | Uint8Array, expectedRevision: number): Promise<number> {
    validateName('KV bucket', bucket);
    validateKey(key);
    validateSeq('expected revision', expectedRevision);
    const kv = await this.openKv(bucket);
    try {
      return await kv.update(key, toBytes(value), expectedRevision);
    } catch (err) {
      throw await this.casError(err, kv, bucket, key, expectedRevision);
    }
  }

  private async casError(err: unknown, kv: KV, bucket: string, key: string, expected: number): Promise<AdminError> {
    const ae = toAdminError(err);
    if (ae.code !== 'casMismatch') return ae;
    // the server says only "wrong last sequence: N"; N is the stream's last sequence for the
    // subject, which is the key's current revision, but ask to be sure (and to see a delete)
    const current = await kv.get(key).catch(() => null);
    const now = current ? `${current.revision}${current.operation !== 'PUT' ? ` (a ${current.operation})` : ''}` : /wrong last sequence: (\d+)/.exec(ae.message)?.[1] ?? 'unknown';
    return new AdminError(
      'casMismatch',
      `key "${key}" in bucket ${bucket} changed: expected revision ${expected}, current revision is ${now}`,
      ae.errCode,
      'someone else wrote this key since you read it: reload the value, reapply your change and save with the new revision',
      { cause: err },
    );
  }

  /** Puts a delete marker (history kept). With `expectedRevision`, only if unchanged since. */
  async kvDelete(bucket: string, key: string, opts: { expectedRevision?: number } = {}): Promise<void> {
    validateName('KV bucket', bucket);
    validateKey(key);
    if (opts.expectedRevision !== undefined) validateSeq('expected revision', opts.expectedRevision);
    const kv = await this.openKv(bucket);
    try {
      await kv.delete(key, opts.expectedRevision !== undefined ? { previousSeq: opts.expectedRevision } : undefined);
    } catch (err) {
      throw opts.expectedRevision !== undefined ? await this.casError(err, kv, bucket, key, opts.expectedRevision) : toAdminError(err);
    }
  }

  /** Removes every revision of the key, leaving one purge marker. */
  async kvPurge(bucket: string, key: string): Promise<void> {
    validateName('KV bucket', bucket);
    validateKey(key);
    const kv = await this.openKv(bucket);
    try {
      await kv.purge(key);
    } catch (err) {
      throw toAdminError(err);
    }
  }

  /** Every kept revision of a key, oldest first, with its operation (PUT/DEL/PURGE). */
  async kvHistory(bucket: string, key: string): Promise<KvEntrySummary[]> {
    validateName('KV bucket', bucket);
    validateKey(key, { filter: true });
    const kv = await this.openKv(bucket);
    const out: KvEntrySummary[] = [];
    try {
      const iter = await kv.history({ key });
      for await (const e of iter) out.push(entrySummary(e));
    } catch (err) {
      throw toAdminError(err);
    }
    return out;
  }

  // ----- object stores ------------------------------------------------------------------

  async createObjectStore(cfg: ObjectStoreConfig): Promise<void> {
    await this.ready();
    validateName('object store', cfg.bucket);
    if (cfg.metadata && Object.keys(cfg.metadata).length) this.need('metadata', 'object store metadata');
    const objm = await this.objm();
    try {
      await objm.create(cfg.bucket, {
        ...(cfg.description !== undefined ? { description: cfg.description } : {}),
        ...(cfg.ttlMs ? { ttl: msToNs(cfg.ttlMs) } : {}),
        ...(cfg.storage ? { storage: cfg.storage as never } : {}),
        replicas: cfg.replicas ?? 1,
        ...(cfg.maxBucketSize !== undefined ? { max_bytes: cfg.maxBucketSize } : {}),
        ...(cfg.metadata ? { metadata: cfg.metadata } : {}),
      });
    } catch (err) {
      throw toAdminError(err);
    }
  }

  /** As updateKv, for an object store: exactly `cfg`, then what the server did not take. */
  async updateObjectStore(cfg: ObjectStoreConfig): Promise<UpdateResult<ObjectStoreConfig>> {
    await this.ready();
    validateName('object store', cfg.bucket);
    if (cfg.metadata && Object.keys(cfg.metadata).length) this.need('metadata', 'object store metadata');
    const stream = `OBJ_${cfg.bucket}`;
    const live = await this.api<StreamInfo>(`STREAM.INFO.${stream}`, undefined);
    await this.api(`STREAM.UPDATE.${stream}`, {
      ...live.config,
      description: cfg.description ?? '',
      max_age: msToNs(cfg.ttlMs),
      num_replicas: cfg.replicas ?? 1,
      max_bytes: cfg.maxBucketSize ?? -1,
      metadata: cfg.metadata ?? {},
    });
    const info = objConfigOf(cfg.bucket, (await this.api<StreamInfo>(`STREAM.INFO.${stream}`, undefined)).config);
    return { info, notTaken: diffConfig('obj', { storage: live.config.storage, ...cfg }, info) };
  }

  async deleteObjectStore(bucket: string): Promise<void> {
    validateName('object store', bucket);
    await this.call((jsm) => jsm.streams.delete(`OBJ_${bucket}`));
  }

  private async openObjectStore(store: string): Promise<ObjectStore> {
    validateName('object store', store);
    try {
      return await (await this.objm()).open(store);
    } catch (err) {
      throw toAdminError(err);
    }
  }

  /** The object's metadata, or undefined when the store has no (undeleted) object of that name. */
  async objectInfo(store: string, name: string): Promise<ObjectSummary | undefined> {
    validateObjectName(name);
    const os = await this.openObjectStore(store);
    try {
      const info = await os.info(name);
      return info && !info.deleted ? await this.objectSummaryOf(store, info) : undefined;
    } catch (err) {
      throw toAdminError(err);
    }
  }

  /** The summary, with the metadata message's own time when the writer left mtime zero. */
  private async objectSummaryOf(store: string, info: ObjectInfo): Promise<ObjectSummary> {
    if (!isZeroTime(info.mtime) || !info.revision) return objectSummary(store, info);
    const m = await (await this.jsm()).streams.getMessage(`OBJ_${store}`, { seq: info.revision }).catch(() => null);
    return objectSummary(store, info, m?.time);
  }

  /** Reads a whole object (links are followed by the client). Refused with notFound when absent. */
  async getObject(store: string, name: string): Promise<ObjectContent> {
    validateObjectName(name);
    const os = await this.openObjectStore(store);
    try {
      const info = await os.info(name);
      if (!info || info.deleted) throw new AdminError('notFound', `object store ${store} has no object "${printable(name)}"`, undefined, 'it may have been deleted; refresh the explorer');
      const data = await os.getBlob(name);
      if (!data) throw new AdminError('notFound', `object "${printable(name)}" in ${store} has no data`);
      return { info: await this.objectSummaryOf(store, info), data, ...payload(data) };
    } catch (err) {
      throw toAdminError(err);
    }
  }

  /** Stores (or replaces) an object; returns its metadata as the server now holds it. */
  async putObject(store: string, name: string, data: Uint8Array | string, opts: { description?: string } = {}): Promise<ObjectSummary> {
    validateObjectName(name);
    const os = await this.openObjectStore(store);
    try {
      const info = await os.putBlob({ name, ...(opts.description ? { description: opts.description } : {}) }, toBytes(data));
      return objectSummary(store, info);
    } catch (err) {
      throw toAdminError(err);
    }
  }

  /** Deletes an object (its chunks are purged; a delete marker stays). Refused when absent. */
  async deleteObject(store: string, name: string): Promise<void> {
    validateObjectName(name);
    const os = await this.openObjectStore(store);
    try {
      const info = await os.info(name);
      if (!info || info.deleted) throw new AdminError('notFound', `object store ${store} has no object "${printable(name)}"`);
      await os.delete(name);
    } catch (err) {
      throw toAdminError(err);
    }
  }
}

function toBytes(v: string | Uint8Array): Uint8Array {
  return typeof v === 'string' ? encoder.encode(v) : v;
}

/** Whether two subjects (with wildcards) can match a common subject (one rule, in src/core). */
export const subjectsCollide = subjectsOverlap;

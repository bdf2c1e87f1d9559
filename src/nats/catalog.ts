/**
 * What the Explorer lists: streams, consumers, KV buckets and keys, object stores and their
 * objects, and the account's JetStream usage. The CLI's `ls` runs the same code.
 *
 * Built for big accounts (10,000 streams): every list is a page, fetched with one
 * `$JS.API.*.LIST` request at a server offset, so the first page costs one round trip
 * whatever the total; nothing here asks for per-item info of things nobody expanded.
 * Every summary is a plain JSON object (the CLI prints them with --json, the tree renders them).
 */
import type { ConsumerInfo, JetStreamAccountStats, StreamInfo } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { JetStreamClient, type JetStreamClientOptions } from './jetstreamClient';
import { AdminError, kvKeyProblem, nameProblem, objectMetaSummary, toAdminError, userMetadataOf, type ObjectMeta } from './admin';
import { kvOperation, readLastPerSubject, type LastMessage } from './lastPerSubject';

// ---------------------------------------------------------------------------------------
// Summary types (JSON-serialisable; times are ISO strings, durations milliseconds)

export interface PeerSummary {
  name: string;
  current: boolean;
  offline: boolean;
  /** Operations this replica is behind the leader. */
  lag: number;
  /** Milliseconds since the leader last heard from this replica. */
  activeMs: number;
}

export interface ClusterSummary {
  name?: string;
  leader?: string;
  /** The followers (the leader is not in this list, as in the server's answer). */
  replicas: PeerSummary[];
}

export interface StreamLimits {
  /** -1 = unlimited, as in the config. */
  maxMsgs: number;
  maxBytes: number;
  /** Milliseconds; 0 = unlimited. */
  maxAgeMs: number;
  maxMsgsPerSubject: number;
  maxMsgSize: number;
  maxConsumers: number;
  discard: 'old' | 'new';
}

export interface StreamSummary {
  name: string;
  description?: string;
  subjects: string[];
  retention: 'limits' | 'interest' | 'workqueue';
  storage: 'file' | 'memory';
  replicas: number;
  messages: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  /** Absent when the stream is empty. */
  firstTime?: string;
  lastTime?: string;
  /** Distinct subjects with messages (server 2.10+ reports it). */
  numSubjects?: number;
  numDeleted: number;
  /** Messages the server found damaged and could not recover (`state.lost`); 0 normally. */
  lostMsgs: number;
  lostBytes: number;
  consumers: number;
  created: string;
  sealed: boolean;
  mirror?: string;
  sources?: string[];
  /** KV_ or OBJ_ backing stream (hidden unless includeSystem, like `nats stream ls`). */
  system: 'kv' | 'obj' | false;
  limits: StreamLimits;
  /**
   * How full the stream is against its count and size limits: the larger of
   * messages/max_msgs and bytes/max_bytes, 0 when neither is set. max_age is left out on
   * purpose: an age-limited stream in steady state always sits at its age limit.
   */
  nearLimit: number;
  cluster?: ClusterSummary;
  metadata?: Record<string, string>;
}

export type ConsumerHealth = 'ok' | 'behind' | 'ackPendingNearMax' | 'paused' | 'replicaOffline';

export interface ConsumerSummary {
  stream: string;
  name: string;
  description?: string;
  durable: boolean;
  kind: 'pull' | 'push';
  deliverSubject?: string;
  deliverGroup?: string;
  ackPolicy: 'none' | 'all' | 'explicit';
  deliverPolicy: string;
  optStartSeq?: number;
  optStartTime?: string;
  /** filter_subject and filter_subjects merged (a consumer uses one or the other). */
  filterSubjects: string[];
  ackWaitMs: number;
  /** Waits before each redelivery (ms), when the consumer has a backoff list. */
  backoffMs?: number[];
  maxDeliver: number;
  maxAckPending: number;
  numPending: number;
  numAckPending: number;
  numRedelivered: number;
  numWaiting: number;
  deliveredStreamSeq: number;
  ackFloorStreamSeq: number;
  /** When the consumer last delivered a message (absent if never). */
  lastActive?: string;
  /** 2.11+: absent on older servers. */
  paused?: boolean;
  pauseUntil?: string;
  created: string;
  pushBound?: boolean;
  /**
   * `behind` when num_pending grew since this Catalog last looked at the consumer (the first
   * look cannot tell, so it is `ok`); `ackPendingNearMax` when ack pending is ≥ 80 % of
   * max_ack_pending, where the server stops delivering.
   */
  health: ConsumerHealth;
  healthReason?: string;
  cluster?: ClusterSummary;
  metadata?: Record<string, string>;
}

export interface KvBucketSummary {
  bucket: string;
  stream: string;
  description?: string;
  /** Revisions kept per key. */
  history: number;
  /** Milliseconds; 0 = keep forever. */
  ttlMs: number;
  /** Messages in the bucket (values and delete markers of every kept revision). */
  values: number;
  bytes: number;
  storage: 'file' | 'memory';
  replicas: number;
  maxValueSize: number;
  maxBucketSize: number;
  created: string;
  sealed: boolean;
  cluster?: ClusterSummary;
  metadata?: Record<string, string>;
}

/** A current key with its latest revision and when that was written. */
export interface KvKeySummary {
  key: string;
  revision: number;
  modified: string;
}

export interface ObjectStoreSummary {
  bucket: string;
  stream: string;
  description?: string;
  ttlMs: number;
  bytes: number;
  storage: 'file' | 'memory';
  replicas: number;
  sealed: boolean;
  created: string;
  cluster?: ClusterSummary;
  metadata?: Record<string, string>;
}

export interface ObjectSummary {
  store: string;
  name: string;
  description?: string;
  size: number;
  chunks: number;
  digest: string;
  modified: string;
  revision: number;
  headers?: Record<string, string[]>;
  /** Links point at another object or store instead of holding data. */
  link?: { bucket: string; name?: string };
}

export interface UsageSummary {
  memory: number;
  storage: number;
  streams: number;
  consumers: number;
  /** -1 = unlimited. */
  limits: { maxMemory: number; maxStorage: number; maxStreams: number; maxConsumers: number; maxAckPending?: number };
}

export interface AccountSummary extends UsageSummary {
  /** Of `streams`, how many back KV buckets and object stores (hidden like `nats stream ls`). */
  systemStreams?: number;
  domain?: string;
  apiLevel?: number;
  apiTotal: number;
  apiErrors: number;
  /** Per replica tier (R1, R3…) when the account has tiered limits. */
  tiers?: Record<string, UsageSummary>;
}

/** One page of a list. `next` is the offset to pass for the following page, absent at the end. */
export interface Page<T> {
  items: T[];
  /** The offset this page started at. */
  offset: number;
  next?: number;
  /**
   * Items the whole list has. For streams with system streams hidden this is what remains
   * after hiding KV_/OBJ_ streams. For KV keys (which the server cannot count without
   * reading them all) it is absent unless this page reached the end.
   */
  total?: number;
}

export interface PageOptions {
  offset?: number;
  /** Default and maximum: 256, the JetStream API page size. */
  limit?: number;
}

export interface StreamListOptions extends PageOptions {
  /** Show KV_/OBJ_ backing streams too (natscli `stream ls --all`). Default false. */
  includeSystem?: boolean;
  /** Only streams that capture a subject matching this (may be wildcarded). */
  filter?: string;
}

export interface KvKeysOptions extends PageOptions {
  /** e.g. `orders.>`. Default `>`. */
  filter?: string;
}

export type CatalogOptions = JetStreamClientOptions;

export const PAGE_SIZE = 256;

const decoder = new TextDecoder();

/** Plain code-point order, so the order does not depend on the locale of the machine. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------

interface ApiPagedResponse {
  type?: string;
  total: number;
  offset: number;
  limit: number;
  error?: { code: number; err_code: number; description: string };
}

export class Catalog extends JetStreamClient {
  /** Last num_pending seen per `stream/consumer`, to tell a growing backlog from a steady one. */
  private readonly lastPending = new Map<string, number>();
  private hiddenCount?: { at: number; count: Promise<number> };
  /** Sorted current keys per bucket and filter, from the last full read. */
  private readonly keyLists = new Map<string, Promise<KvKeySummary[]>>();
  private readonly objectLists = new Map<string, Promise<ObjectSummary[]>>();

  // ----- streams ------------------------------------------------------------------------

  /**
   * One page of streams, in the server's order (by name). Costs one STREAM.LIST request (plus,
   * when system streams are hidden, two cheap STREAM.NAMES requests in parallel to count
   * them for `total`). When hiding leaves a server page short, the next server page is
   * fetched so the caller still gets `limit` items where there are that many.
   */
  async streams(opts: StreamListOptions = {}): Promise<Page<StreamSummary>> {
    const limit = clampLimit(opts.limit);
    const start = opts.offset ?? 0;
    const includeSystem = opts.includeSystem ?? false;
    const hiddenCount = includeSystem || opts.filter ? Promise.resolve(undefined) : this.systemStreamCount(start === 0);
    hiddenCount.catch(() => undefined);
    const items: StreamSummary[] = [];
    let offset = start;
    let serverTotal = 0;
    let hiddenSeen = 0;
    for (;;) {
      const r = await this.api<ApiPagedResponse & { streams?: StreamInfo[] | null }>('STREAM.LIST', {
        offset,
        ...(opts.filter ? { subject: opts.filter } : {}),
      });
      serverTotal = r.total;
      const infos = r.streams ?? [];
      let i = 0;
      for (; i < infos.length && items.length < limit; i++) {
        const s = streamSummary(infos[i]);
        if (!includeSystem && s.system) {
          hiddenSeen++;
          continue;
        }
        items.push(s);
      }
      offset += i;
      if (items.length >= limit || infos.length === 0 || offset >= serverTotal) break;
    }
    let total = serverTotal;
    if (!includeSystem) {
      const hidden = await hiddenCount.catch(() => undefined);
      // with a subject filter (or when counting failed) the hidden count is unknown: report
      // what this page saw, which is exact when the page reached the end
      total = hidden !== undefined ? Math.max(0, serverTotal - hidden) : serverTotal - hiddenSeen;
    }
    return { items, offset: start, total, ...(offset < serverTotal ? { next: offset } : {}) };
  }

  /** Every stream, page by page (for the CLI and tests; the tree pages itself). */
  async allStreams(opts: Omit<StreamListOptions, 'offset' | 'limit'> = {}): Promise<StreamSummary[]> {
    const out: StreamSummary[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const page: Page<StreamSummary> = await this.streams({ ...opts, offset, limit: PAGE_SIZE });
      out.push(...page.items);
      offset = page.next;
    }
    return out;
  }

  /**
   * Stream names only (STREAM.NAMES pages by 1024 and carries no state), for pickers and
   * completion. KV_/OBJ_ names are left out unless includeSystem.
   */
  async streamNames(opts: { includeSystem?: boolean; filter?: string } = {}): Promise<string[]> {
    const out: string[] = [];
    let offset = 0;
    for (;;) {
      const r = await this.api<ApiPagedResponse & { streams?: string[] | null }>('STREAM.NAMES', {
        offset,
        ...(opts.filter ? { subject: opts.filter } : {}),
      });
      const names = r.streams ?? [];
      out.push(...names);
      offset += names.length;
      if (names.length === 0 || offset >= r.total) break;
    }
    return opts.includeSystem ? out : out.filter((n) => !systemKind(n));
  }

  /** Info of one stream (for an expanded node or a details view). */
  async stream(name: string): Promise<StreamSummary> {
    return streamSummary(await this.named(`stream ${name}`, () => this.api<StreamInfo>(`STREAM.INFO.${checkedName('stream', name)}`, undefined)));
  }

  /** Runs a request for one named thing, saying "<what> does not exist" when it is not found. */
  private async named<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = toAdminError(err);
      if (e.code === 'notFound') throw new AdminError('notFound', `${what} does not exist`, e.errCode, 'check the name (names are case-sensitive), or refresh the explorer', { cause: err });
      throw e;
    }
  }

  /**
   * How many KV_/OBJ_ streams there are: names filtered on their subject spaces (a small
   * set), counted by name prefix as natscli hides them, so no stream infos are transferred.
   */
  private systemStreamCount(refresh: boolean): Promise<number> {
    // counted again for each first page (a refresh), reused while the caller pages on
    if (refresh || !this.hiddenCount || Date.now() - this.hiddenCount.at > 30_000) {
      const count = this.countSystemStreams();
      count.catch(() => (this.hiddenCount = undefined));
      this.hiddenCount = { at: Date.now(), count };
    }
    return this.hiddenCount.count;
  }

  private async countSystemStreams(): Promise<number> {
    const [kv, obj] = await Promise.all(['$KV.>', '$O.>'].map((filter) => this.streamNames({ includeSystem: true, filter })));
    return new Set([...kv, ...obj].filter((n) => systemKind(n))).size;
  }

  // ----- consumers ----------------------------------------------------------------------

  async consumers(stream: string, opts: PageOptions = {}): Promise<Page<ConsumerSummary>> {
    const limit = clampLimit(opts.limit);
    const start = opts.offset ?? 0;
    const r = await this.named(`stream ${stream}`, () => this.api<ApiPagedResponse & { consumers?: ConsumerInfo[] | null }>(`CONSUMER.LIST.${checkedName('stream', stream)}`, { offset: start }));
    const infos = (r.consumers ?? []).slice(0, limit);
    const items = infos.map((c) => this.consumerSummary(c));
    const next = start + infos.length;
    return { items, offset: start, total: r.total, ...(next < r.total && infos.length > 0 ? { next } : {}) };
  }

  async allConsumers(stream: string): Promise<ConsumerSummary[]> {
    const out: ConsumerSummary[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const page: Page<ConsumerSummary> = await this.consumers(stream, { offset, limit: PAGE_SIZE });
      out.push(...page.items);
      offset = page.next;
    }
    return out;
  }

  async consumer(stream: string, name: string): Promise<ConsumerSummary> {
    return this.consumerSummary(
      await this.named(`consumer ${name} on stream ${stream}`, () => this.api<ConsumerInfo>(`CONSUMER.INFO.${checkedName('stream', stream)}.${checkedName('consumer', name)}`, undefined)),
    );
  }

  private consumerSummary(c: ConsumerInfo): ConsumerSummary {
    const s = consumerSummary(c);
    const key = `${c.stream_name}/${c.name}`;
    const before = this.lastPending.get(key);
    this.lastPending.set(key, c.num_pending);
    if (s.health === 'ok' && before !== undefined && c.num_pending > before) {
      s.health = 'behind';
      s.healthReason = `pending grew from ${before} to ${c.num_pending} since the last refresh`;
    }
    return s;
  }

  // ----- KV -----------------------------------------------------------------------------

  /** KV buckets, from one stream list filtered on the `$KV` subject space. */
  async kvBuckets(): Promise<KvBucketSummary[]> {
    const infos = await this.listInfos('$KV.>');
    return infos.filter((si) => si.config.name.startsWith('KV_')).map(kvSummary);
  }

  async kvBucket(bucket: string): Promise<KvBucketSummary> {
    return kvSummary(await this.named(`KV bucket ${bucket}`, () => this.api<StreamInfo>(`STREAM.INFO.KV_${checkedName('KV bucket', bucket)}`, undefined)));
  }

  /**
   * One page of current keys, sorted (deleted, purged and expired keys are not listed). The
   * server has no paged key listing, so the first page (offset 0, which is also what a refresh
   * asks for) reads every key once through one short-lived consumer that is deleted at the
   * end; later pages slice that list, so paging costs no more consumers or reads.
   */
  async kvKeys(bucket: string, opts: KvKeysOptions = {}): Promise<Page<string>> {
    const page = await this.kvKeyEntries(bucket, opts);
    return { ...page, items: page.items.map((e) => e.key) };
  }

  /** kvKeys with each key's current revision and when it was written (for tooltips). */
  async kvKeyEntries(bucket: string, opts: KvKeysOptions = {}): Promise<Page<KvKeySummary>> {
    const limit = clampLimit(opts.limit, 10_000);
    const start = opts.offset ?? 0;
    const filter = opts.filter ?? '>';
    const invalid = nameProblem('KV bucket', bucket) ?? kvKeyProblem(filter, { filter: true });
    if (invalid) throw new AdminError('invalid', invalid);
    const all = await this.cachedList(this.keyLists, `${bucket}\u0000${filter}`, start === 0, () => this.readKeys(bucket, filter));
    const items = all.slice(start, start + limit);
    const next = start + items.length;
    return { items, offset: start, total: all.length, ...(next < all.length ? { next } : {}) };
  }

  private async readKeys(bucket: string, filter: string): Promise<KvKeySummary[]> {
    const prefix = `$KV.${bucket}.`;
    const msgs = await this.lastPerSubject(`KV_${bucket}`, `${prefix}${filter}`, true, `KV bucket ${bucket}`);
    return msgs
      .filter((m) => kvOperation(m.headers) === 'PUT')
      .map((m) => ({ key: m.subject.slice(prefix.length), revision: m.seq, modified: m.time.toISOString() }))
      .sort((a, b) => compareNames(a.key, b.key));
  }

  /** readLastPerSubject with "not found" said in terms of what the user asked for. */
  private lastPerSubject(stream: string, filter: string, headersOnly: boolean, what: string): Promise<LastMessage[]> {
    return this.named(what, () => readLastPerSubject(this.nc, { prefix: this.prefix, stream, filter, headersOnly, timeoutMs: this.timeoutMs }));
  }

  /**
   * A full list read once per refresh and paged from memory. `refresh` re-reads; a few lists
   * are kept (the tree pages several buckets at once), the oldest dropped first.
   */
  private async cachedList<T>(cache: Map<string, Promise<T[]>>, key: string, refresh: boolean, read: () => Promise<T[]>): Promise<T[]> {
    let p = refresh ? undefined : cache.get(key);
    if (!p) {
      p = read();
      cache.delete(key);
      cache.set(key, p);
      p.catch(() => cache.get(key) === p && cache.delete(key));
      while (cache.size > 16) cache.delete(cache.keys().next().value!);
    }
    return p;
  }

  async openKv(bucket: string): Promise<KV> {
    return (await this.kvm()).open(bucket);
  }

  // ----- object stores ------------------------------------------------------------------

  async objectStores(): Promise<ObjectStoreSummary[]> {
    const infos = await this.listInfos('$O.>');
    return infos.filter((si) => si.config.name.startsWith('OBJ_')).map(objSummary);
  }

  /**
   * One page of objects in a store (deleted ones left out), sorted by name. The store keeps
   * one metadata message per object: the first page (and a refresh) reads them all through
   * one short-lived consumer, later pages slice that list. Times and revisions come from the
   * metadata message itself, since natscli and Go clients leave `mtime` zero.
   */
  async objects(store: string, opts: PageOptions = {}): Promise<Page<ObjectSummary>> {
    const limit = clampLimit(opts.limit, 10_000);
    const start = opts.offset ?? 0;
    const invalid = nameProblem('object store', store);
    if (invalid) throw new AdminError('invalid', invalid);
    const all = await this.cachedList(this.objectLists, store, start === 0, async () => {
      const msgs = await this.lastPerSubject(`OBJ_${store}`, `$O.${store}.M.>`, false, `object store ${store}`);
      const out: ObjectSummary[] = [];
      for (const m of msgs) {
        let meta: ObjectMeta;
        try {
          meta = JSON.parse(decoder.decode(m.data)) as ObjectMeta;
        } catch {
          continue; // not an object store metadata message
        }
        if (!meta.deleted) out.push(objectMetaSummary(store, meta, m.seq, m.time));
      }
      return out.sort((a, b) => compareNames(a.name, b.name));
    });
    const items = all.slice(start, start + limit);
    const next = start + items.length;
    return { items, offset: start, total: all.length, ...(next < all.length ? { next } : {}) };
  }

  // ----- account ------------------------------------------------------------------------

  async accountInfo(): Promise<AccountSummary> {
    const [a, systemStreams] = await Promise.all([this.api<JetStreamAccountStats>('INFO', undefined), this.systemStreamCount(true).catch(() => undefined)]);
    const usage = (u: { memory: number; storage: number; streams: number; consumers: number; limits: Record<string, number> }): UsageSummary => ({
      memory: u.memory,
      storage: u.storage,
      streams: u.streams,
      consumers: u.consumers,
      limits: {
        maxMemory: u.limits.max_memory,
        maxStorage: u.limits.max_storage,
        maxStreams: u.limits.max_streams,
        maxConsumers: u.limits.max_consumers,
        ...(u.limits.max_ack_pending !== undefined ? { maxAckPending: u.limits.max_ack_pending } : {}),
      },
    });
    const out: AccountSummary = {
      ...usage(a as never),
      ...(systemStreams !== undefined ? { systemStreams } : {}),
      ...(a.domain ? { domain: a.domain } : {}),
      ...(a.api.level !== undefined ? { apiLevel: a.api.level } : {}),
      apiTotal: a.api.total,
      apiErrors: a.api.errors,
    };
    if (a.tiers && Object.keys(a.tiers).length > 0) {
      out.tiers = Object.fromEntries(Object.entries(a.tiers).map(([k, v]) => [k, usage(v as never)]));
    }
    return out;
  }

  /** All stream infos for a subject filter (used for the small KV/OBJ sets). */
  private async listInfos(subject: string): Promise<StreamInfo[]> {
    const out: StreamInfo[] = [];
    let offset = 0;
    for (;;) {
      const r = await this.api<ApiPagedResponse & { streams?: StreamInfo[] | null }>('STREAM.LIST', { offset, subject });
      const infos = r.streams ?? [];
      out.push(...infos);
      offset += infos.length;
      if (infos.length === 0 || offset >= r.total) break;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------
// Mapping server answers to summaries (exported for tests and for callers holding an info)

/** The name, after checking it is one (a `.` or wildcard would change the API subject). */
function checkedName(kind: Parameters<typeof nameProblem>[0], name: string): string {
  const p = nameProblem(kind, name);
  if (p) throw new AdminError('invalid', p);
  return name;
}

function clampLimit(limit: number | undefined, max = PAGE_SIZE): number {
  if (limit === undefined) return Math.min(PAGE_SIZE, max);
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return Math.min(limit, max);
}

export function systemKind(name: string): 'kv' | 'obj' | false {
  // natscli hides by name prefix, so do we (nats-facts.md)
  if (name.startsWith('KV_')) return 'kv';
  if (name.startsWith('OBJ_')) return 'obj';
  return false;
}

const nsToMs = (ns: number | undefined) => Math.round((ns ?? 0) / 1e6);
/** The server uses the zero time for "never"; an ISO string otherwise. */
const realTime = (t: string | undefined) => (t && !t.startsWith('0001-01-01') ? t : undefined);

export function clusterSummary(c: StreamInfo['cluster'] | undefined): ClusterSummary | undefined {
  if (!c || (!c.leader && !c.replicas?.length)) return undefined;
  return {
    ...(c.name ? { name: c.name } : {}),
    ...(c.leader ? { leader: c.leader } : {}),
    replicas: (c.replicas ?? []).map((p) => ({ name: p.name, current: p.current, offline: p.offline ?? false, lag: p.lag ?? 0, activeMs: nsToMs(p.active) })),
  };
}

const userMetadata = userMetadataOf;

function fraction(used: number, max: number): number {
  return max > 0 ? used / max : 0;
}

export function streamSummary(si: StreamInfo): StreamSummary {
  const c = si.config;
  const st = si.state;
  const limits: StreamLimits = {
    maxMsgs: c.max_msgs,
    maxBytes: c.max_bytes,
    maxAgeMs: nsToMs(c.max_age),
    maxMsgsPerSubject: c.max_msgs_per_subject,
    maxMsgSize: c.max_msg_size,
    maxConsumers: c.max_consumers,
    discard: c.discard as 'old' | 'new',
  };
  const cluster = clusterSummary(si.cluster);
  const firstTime = st.messages > 0 ? realTime(st.first_ts) : undefined;
  const lastTime = st.messages > 0 ? realTime(st.last_ts) : undefined;
  return {
    name: c.name,
    ...(c.description ? { description: c.description } : {}),
    subjects: c.subjects ?? [],
    retention: c.retention as StreamSummary['retention'],
    storage: c.storage as StreamSummary['storage'],
    replicas: c.num_replicas,
    messages: st.messages,
    bytes: st.bytes,
    firstSeq: st.first_seq,
    lastSeq: st.last_seq,
    ...(firstTime ? { firstTime } : {}),
    ...(lastTime ? { lastTime } : {}),
    ...(st.num_subjects !== undefined ? { numSubjects: st.num_subjects } : {}),
    numDeleted: st.num_deleted ?? 0,
    lostMsgs: st.lost?.msgs?.length ?? 0,
    lostBytes: st.lost?.bytes ?? 0,
    consumers: st.consumer_count,
    created: si.created,
    sealed: c.sealed ?? false,
    ...(c.mirror ? { mirror: c.mirror.name } : {}),
    ...(c.sources?.length ? { sources: c.sources.map((s) => s.name) } : {}),
    system: systemKind(c.name),
    limits,
    nearLimit: Math.max(fraction(st.messages, c.max_msgs), fraction(st.bytes, c.max_bytes)),
    ...(cluster ? { cluster } : {}),
    ...userMetadata(c.metadata),
  };
}

/** The consumer's health from one snapshot; trend-based `behind` is added by Catalog. */
export function consumerSummary(ci: ConsumerInfo): ConsumerSummary {
  const c = ci.config;
  const filters = [...(c.filter_subject ? [c.filter_subject] : []), ...(c.filter_subjects ?? [])];
  const cluster = clusterSummary(ci.cluster);
  // nats.js types last_active as nanos, but the server sends an RFC 3339 time
  const lastActive = realTime(ci.delivered.last_active as unknown as string | undefined);
  const paused = ci.paused;
  const pauseUntil = paused ? realTime(c.pause_until) : undefined;
  let health: ConsumerHealth = 'ok';
  let healthReason: string | undefined;
  const maxAck = c.max_ack_pending ?? -1;
  if (paused) {
    health = 'paused';
    healthReason = pauseUntil ? `paused until ${pauseUntil}` : 'paused';
  } else if (maxAck > 0 && ci.num_ack_pending >= 0.8 * maxAck) {
    health = 'ackPendingNearMax';
    healthReason = `${ci.num_ack_pending} of max_ack_pending ${maxAck} awaiting ack; delivery stops at the limit`;
  } else if (cluster?.replicas.some((r) => r.offline)) {
    health = 'replicaOffline';
    healthReason = `replica ${cluster.replicas.filter((r) => r.offline).map((r) => r.name).join(', ')} offline`;
  }
  return {
    stream: ci.stream_name,
    name: ci.name,
    ...(c.description ? { description: c.description } : {}),
    durable: Boolean(c.durable_name),
    kind: c.deliver_subject ? 'push' : 'pull',
    ...(c.deliver_subject ? { deliverSubject: c.deliver_subject } : {}),
    ...(c.deliver_group ? { deliverGroup: c.deliver_group } : {}),
    ackPolicy: c.ack_policy as ConsumerSummary['ackPolicy'],
    deliverPolicy: c.deliver_policy,
    ...(c.opt_start_seq ? { optStartSeq: c.opt_start_seq } : {}),
    ...(c.opt_start_time ? { optStartTime: c.opt_start_time } : {}),
    filterSubjects: filters,
    ackWaitMs: nsToMs(c.ack_wait),
    ...(c.backoff?.length ? { backoffMs: c.backoff.map(nsToMs) } : {}),
    maxDeliver: c.max_deliver ?? -1,
    maxAckPending: maxAck,
    numPending: ci.num_pending,
    numAckPending: ci.num_ack_pending,
    numRedelivered: ci.num_redelivered,
    numWaiting: ci.num_waiting,
    deliveredStreamSeq: ci.delivered.stream_seq,
    ackFloorStreamSeq: ci.ack_floor.stream_seq,
    ...(lastActive ? { lastActive } : {}),
    ...(paused !== undefined ? { paused } : {}),
    ...(pauseUntil ? { pauseUntil } : {}),
    created: ci.created,
    ...(c.deliver_subject ? { pushBound: ci.push_bound ?? false } : {}),
    health,
    ...(healthReason ? { healthReason } : {}),
    ...(cluster ? { cluster } : {}),
    ...userMetadata(c.metadata),
  };
}

export function kvSummary(si: StreamInfo): KvBucketSummary {
  const c = si.config;
  const cluster = clusterSummary(si.cluster);
  return {
    bucket: c.name.slice(3),
    stream: c.name,
    ...(c.description ? { description: c.description } : {}),
    history: c.max_msgs_per_subject,
    ttlMs: nsToMs(c.max_age),
    values: si.state.messages,
    bytes: si.state.bytes,
    storage: c.storage as KvBucketSummary['storage'],
    replicas: c.num_replicas,
    maxValueSize: c.max_msg_size,
    maxBucketSize: c.max_bytes,
    created: si.created,
    sealed: c.sealed ?? false,
    ...(cluster ? { cluster } : {}),
    ...userMetadata(c.metadata),
  };
}

export function objSummary(si: StreamInfo): ObjectStoreSummary {
  const c = si.config;
  const cluster = clusterSummary(si.cluster);
  return {
    bucket: c.name.slice(4),
    stream: c.name,
    ...(c.description ? { description: c.description } : {}),
    ttlMs: nsToMs(c.max_age),
    bytes: si.state.bytes,
    storage: c.storage as ObjectStoreSummary['storage'],
    replicas: c.num_replicas,
    sealed: c.sealed ?? false,
    created: si.created,
    ...(cluster ? { cluster } : {}),
    ...userMetadata(c.metadata),
  };
}

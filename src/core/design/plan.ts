/**
 * The planner: a design → the streams, consumers and KV buckets that carry it, applying the
 * principles of seed 001_4f8404f30db3dc6a.txt:
 *   - one stream per bounded context (the subject's first token) with hierarchical subjects;
 *   - worker queues: pull consumers with AckExplicit, MaxDeliver, backoff and a dead-letter
 *     stream fed by the max-deliveries advisory;
 *   - listeners: a durable consumer each;
 *   - facts: KV buckets (history, TTL) — the KV twofer of seed 000_0a057cbac6a60a0d.txt;
 *   - file storage, R3 in production and R1 in development, a duplicate window.
 * Explicit overrides in the design win over every planned value. Output uses the JetStream
 * API's JSON field names (nanoseconds, bytes), so a stream or consumer config can be written
 * as a `nats stream add --config` file as it is. Every value says where it comes from.
 * Deterministic: the same design gives the same plan, byte for byte.
 */
import { decide, suggestConfig, formatDuration, type AnswersByTest, type Environment, type Primitive, type TestId } from '../decide';
import { consumerKey, contextOf, type FlowDesign, type FlowPath, type Overrides } from './model';
import { OBJECT_STORE_FIELDS, OVERRIDE_FIELDS, normalizeField, type FieldKind, type OverrideTarget } from './fields';
import { formatSize, parseDuration } from './units';

const S = 1_000_000_000;
const MINUTE = 60 * S;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface PlanStreamConfig {
  name: string;
  description?: string;
  subjects: string[];
  retention: 'limits' | 'interest' | 'workqueue';
  storage: 'file' | 'memory';
  num_replicas: number;
  discard: 'old' | 'new';
  max_age: number;
  max_bytes: number;
  max_msgs: number;
  max_msgs_per_subject: number;
  max_msg_size: number;
  max_consumers: number;
  duplicate_window: number;
  [field: string]: unknown;
}

export interface PlanConsumerConfig {
  durable_name: string;
  description?: string;
  filter_subject?: string;
  deliver_policy: 'all' | 'new' | 'last' | 'last_per_subject';
  ack_policy: 'explicit' | 'all' | 'none';
  ack_wait: number;
  max_deliver: number;
  backoff?: number[];
  max_ack_pending: number;
  [field: string]: unknown;
}

/** A KV bucket in API-like names (`ttl` in ns), as `nats kv add` flags and NACK KeyValue take them. */
export interface PlanBucketConfig {
  bucket: string;
  description?: string;
  history: number;
  ttl: number;
  storage: 'file' | 'memory';
  replicas: number;
  max_value_size?: number;
  max_bytes?: number;
}

/** Field → where its value comes from. */
export type Why = Record<string, string>;

export interface PlannedStream {
  config: PlanStreamConfig;
  /** The bounded context (subject's first token); for a dead-letter stream, its source's context. */
  context: string;
  role: 'context' | 'dead-letter';
  /** Paths carried by it (or, for a dead-letter stream, the worker paths it backs). */
  paths: string[];
  why: Why;
}

export interface PlannedConsumer {
  stream: string;
  config: PlanConsumerConfig;
  path: string;
  receiver: string;
  role: 'worker' | 'listener';
  why: Why;
}

export interface PlannedBucket {
  config: PlanBucketConfig;
  context: string;
  paths: string[];
  why: Why;
}

/** An object store in the plan: `ttl` in ns, `max_bytes` in bytes. */
export interface PlanObjectStoreConfig {
  bucket: string;
  description?: string;
  ttl: number;
  storage: 'file' | 'memory';
  replicas: number;
  max_bytes?: number;
}

export interface PlannedObjectStore {
  config: PlanObjectStoreConfig;
  components: string[];
  why: Why;
}

export interface PathClassification {
  path: string;
  /** What the heuristic says from the stored answers. */
  derived: Primitive | 'undecided';
  /** What the planner uses: the override when there is one. */
  primitive: Primitive | 'core' | 'undecided';
  conflict: boolean;
  disagree: TestId[];
  decidedBy: TestId | null;
  advice: string | null;
  overridden: boolean;
  worker: boolean;
}

export interface Plan {
  design: string;
  environment: Environment;
  paths: PathClassification[];
  streams: PlannedStream[];
  consumers: PlannedConsumer[];
  buckets: PlannedBucket[];
  objectStores: PlannedObjectStore[];
  /**
   * Objects whose replicas a cap (`maxReplicas`) lowered, each with what the design asked
   * for: set whenever a cap is given, so callers can say so and never lower them silently.
   */
  replicasCapped?: ReplicasCapped[];
}

/** One object whose replicas `maxReplicas` lowered. */
export interface ReplicasCapped {
  /** `stream NAME`, `bucket NAME`, `object store NAME` (dead-letter streams included). */
  object: string;
  /** What the environment or the design's overrides asked for. */
  planned: number;
  /** What the plan now holds. */
  capped: number;
}

export interface PlanOptions {
  /** Overrides the design's environment (the CLI's --env). */
  environment?: Environment;
  /** Caps replicas (a single-server target such as docker-compose, or `--replicas-cap N`). */
  maxReplicas?: number;
  /** Why replicas are capped, for the explanations; default "the target is a single server". */
  maxReplicasReason?: string;
}

/** Nanoseconds → "2m", "7d" for explanations. */
const dur = (ns: number) => (ns === 0 ? 'no limit' : formatDuration(ns));

function normalized(target: OverrideTarget | Record<string, FieldKind>, fields: Overrides | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const catalogue = typeof target === 'string' ? OVERRIDE_FIELDS[target] : target;
  for (const [k, v] of Object.entries(fields ?? {})) {
    const kind = catalogue[k];
    if (!kind) continue;
    const r = normalizeField(kind, v);
    if ('value' in r) out[k] = r.value;
  }
  return out;
}

/** The config with its fields in the catalogue's order, whatever set them: stable files, small diffs. */
function inFieldOrder<T extends Record<string, unknown>>(target: OverrideTarget, config: T): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(OVERRIDE_FIELDS[target])) if (config[k] !== undefined) out[k] = config[k];
  for (const k of Object.keys(config)) if (!(k in out) && config[k] !== undefined) out[k] = config[k];
  return out as T;
}

function applyOverrides<T extends Record<string, unknown>>(config: T, why: Why, over: Record<string, unknown>, where: string): T {
  for (const [k, v] of Object.entries(over)) {
    (config as Record<string, unknown>)[k] = v;
    why[k] = `explicit override in the design (${where})`;
  }
  return config;
}

const fullAnswers = (a: FlowPath['answers']): AnswersByTest => ({
  restart: a.restart ?? 'unsure',
  fanout: a.fanout ?? 'unsure',
  processing: a.processing ?? 'unsure',
  nature: a.nature ?? 'unsure',
});

/**
 * A worker queue: only one receiver instance handles each message (fan-out test: one), or
 * the receiver is a worker pool. Seed 001: "Use pull consumers for worker queues".
 */
function isWorkerPath(design: FlowDesign, path: FlowPath): boolean {
  if (path.answers.fanout === 'one') return true;
  return path.to.some((id) => design.components.find((c) => c.id === id)?.kind === 'workerPool');
}

/** Classifies every path with the heuristic (seed 000) from its stored answers only, so plans never drift with the description classifier. */
export function classifyPaths(design: FlowDesign): PathClassification[] {
  // the decision depends on the answers alone (81 combinations): decide each once
  const decisions = new Map<string, ReturnType<typeof decide>>();
  return design.paths.map((p) => {
    const key = `${p.answers.restart}|${p.answers.fanout}|${p.answers.processing}|${p.answers.nature}`;
    let d = decisions.get(key);
    if (!d) decisions.set(key, (d = decide({ answers: p.answers })));
    return {
      path: p.id,
      derived: d.primitive,
      primitive: p.override?.primitive ?? d.primitive,
      conflict: d.conflict,
      disagree: d.disagree,
      decidedBy: d.decidedBy,
      advice: d.advice,
      overridden: Boolean(p.override),
      worker: isWorkerPath(design, p),
    };
  });
}

function streamNameFor(context: string): string {
  return context.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

function deadLetterName(stream: string): string {
  return /[a-z]/.test(stream) ? `${stream}-dlq` : `${stream}_DLQ`;
}

const NO_LIMIT = 'no limit (-1), written out so a --config file says it too';
const NO_LIMIT_WHY: Why = { max_bytes: NO_LIMIT, max_msgs: NO_LIMIT, max_msgs_per_subject: NO_LIMIT, max_msg_size: NO_LIMIT, max_consumers: NO_LIMIT };

/**
 * The durable consumer a scaffolded worker runs on the dead-letter stream to copy each failed
 * message there (src/core/scaffold): part of the design's dead-letter plan, so apply neither
 * lists it as foreign nor prunes it.
 */
export function deadLetterCopierName(durable: string): string {
  return `${durable}-dlq-copier`;
}

export const MAX_DELIVERIES_ADVISORY = '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES';
export const TERMINATED_ADVISORY = '$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED';

/** A file-storage stream with no limits but the ones given, limits stated explicitly (-1) so a `--config` file says them too. */
function fileStream(c: Pick<PlanStreamConfig, 'name' | 'description' | 'subjects' | 'retention' | 'num_replicas' | 'max_age'>): PlanStreamConfig {
  return {
    name: c.name,
    description: c.description,
    subjects: c.subjects,
    retention: c.retention,
    storage: 'file',
    num_replicas: c.num_replicas,
    discard: 'old',
    max_age: c.max_age,
    max_bytes: -1,
    max_msgs: -1,
    max_msgs_per_subject: -1,
    max_msg_size: -1,
    max_consumers: -1,
    duplicate_window: 2 * MINUTE,
  };
}

export function planDesign(design: FlowDesign, opts: PlanOptions = {}): Plan {
  const environment = opts.environment ?? design.environment;
  const production = environment === 'production';
  const replicasWanted = production ? 3 : 1;
  const replicasCapped: ReplicasCapped[] = [];
  const capWhy = (wanted: number) => `${opts.maxReplicas}: capped from ${wanted} (${opts.maxReplicasReason ?? `the target is a single server; R${wanted} would be refused there`})`;
  /** Lowers one object's replicas to the cap, noting it; returns the value to keep. */
  const capReplicas = (object: string, wanted: number, why: Why, field: string): number => {
    if (opts.maxReplicas === undefined || wanted <= opts.maxReplicas) return wanted;
    replicasCapped.push({ object, planned: wanted, capped: opts.maxReplicas });
    why[field] = capWhy(wanted);
    return opts.maxReplicas;
  };
  const replicas = replicasWanted;
  const replicasWhy = `${environment}: seed 001 "Set Replicas: 3 for production streams — R1 is only for development"`;
  const classes = classifyPaths(design);
  const classOf = new Map(classes.map((c) => [c.path, c]));
  const overrides = design.overrides ?? {};

  // group by bounded context, in the order paths appear (deterministic)
  const streamContexts = new Map<string, FlowPath[]>();
  const kvContexts = new Map<string, FlowPath[]>();
  for (const p of design.paths) {
    const prim = classOf.get(p.id)!.primitive;
    const map = prim === 'stream' ? streamContexts : prim === 'kv' ? kvContexts : undefined;
    if (!map) continue;
    const ctx = contextOf(p.subject);
    map.set(ctx, [...(map.get(ctx) ?? []), p]);
  }

  const streams: PlannedStream[] = [];
  const consumers: PlannedConsumer[] = [];
  const deadLetters: PlannedStream[] = [];

  for (const [ctx, paths] of streamContexts) {
    const why: Why = {};
    const queueOnly = paths.every((p) => classOf.get(p.id)!.worker && p.answers.nature === 'request' && p.to.length <= 1);
    const retention = queueOnly ? 'workqueue' : 'limits';
    const name = streamNameFor(ctx);
    why.name = `one stream per bounded context "${ctx}" (seed 001: "Prefer one stream per bounded context")`;
    why.subjects = `"${ctx}.>" takes every {domain}.{entity}.{event} subject of the context (seed 001: hierarchical subjects)`;
    why.retention = queueOnly
      ? 'workqueue: every path here is a request only one receiver handles (fan-out test: one), so a message goes once it is acked (seed 001 work-queue pattern)'
      : 'limits: messages stay for every consumer and for replay (seed 001 fan-out pattern)';
    why.storage = 'file: seed 001 "Prefer FileStorage for durability"';
    why.num_replicas = replicasWhy;
    why.discard = 'old: when a limit is hit the oldest messages go, publishers are never refused';
    const maxAge = queueOnly ? 0 : 7 * DAY;
    why.max_age = queueOnly ? 'no limit: work items leave when acked' : `${dur(maxAge)}: a week of history for replay; set max_age in the design's overrides to change it`;
    why.duplicate_window = '2m: seed 001 "Use DuplicateWindow for publish-side deduplication (default 2 minutes)"; publish with a Nats-Msg-Id header';
    Object.assign(why, NO_LIMIT_WHY);
    const description = paths.map((p) => p.description).join('; ').slice(0, 200);
    const config = fileStream({ name, description, subjects: [`${ctx}.>`], retention, num_replicas: replicas, max_age: maxAge });
    why.description = 'the descriptions of the paths it carries';
    applyOverrides(config, why, normalized('streams', overrides.streams?.[ctx]), `overrides.streams.${ctx}`);
    const wantedReplicas = config.num_replicas;
    config.num_replicas = capReplicas(`stream ${config.name}`, wantedReplicas, why, 'num_replicas');
    streams.push({ config: inFieldOrder('streams', config), context: ctx, role: 'context', paths: paths.map((p) => p.id), why });

    const workerPaths: string[] = [];
    for (const p of paths) {
      const worker = classOf.get(p.id)!.worker;
      const processing = parseDuration(p.processingTime) ?? 0;
      for (const receiver of p.to) {
        const cwhy: Why = {};
        const ackWait = Math.max(30 * S, Math.ceil((2 * processing) / S) * S);
        const c: PlanConsumerConfig = {
          durable_name: `${p.id}-${receiver}`,
          filter_subject: p.subject,
          deliver_policy: 'all',
          ack_policy: 'explicit',
          ack_wait: ackWait,
          max_deliver: 5,
          max_ack_pending: worker && p.answers.processing === 'slow' ? 100 : 1000,
        };
        cwhy.durable_name = worker
          ? `one durable pull consumer per receiving component; its instances share it (seed 001: "Use pull consumers for worker queues")`
          : 'one durable consumer per listening component: each gets every message and resumes from its last ack after a restart (seed 000)';
        cwhy.filter_subject = "the path's subject";
        cwhy.deliver_policy = 'all: a new durable starts with what the stream holds';
        cwhy.ack_policy = 'explicit: seed 001 "Always use AckExplicit in production"';
        cwhy.ack_wait = processing
          ? `${dur(ackWait)}: twice the declared processing time ${dur(processing)} (at least 30s), so work is not redelivered mid-flight`
          : `${dur(ackWait)}: no processing time declared; declare one (processingTime) to size it`;
        cwhy.max_deliver = '5: seed 001 "Set MaxDeliver with a dead letter strategy — don\'t retry forever"';
        cwhy.max_ack_pending = c.max_ack_pending === 100 ? '100: slow work, keep in-flight messages bounded' : '1000: the server default for pull consumers, said explicitly';
        const key = consumerKey(p.id, receiver);
        applyOverrides(c, cwhy, normalized('consumers', overrides.consumers?.[key]), `overrides.consumers["${key}"]`);
        if (worker && c.backoff === undefined && c.max_deliver > 1) {
          // the server uses backoff[0] as the first ack wait, and wants max_deliver > backoff.length
          c.backoff = Array.from({ length: Math.min(c.max_deliver - 1, 4) }, (_v, i) => c.ack_wait * 2 ** i);
          cwhy.backoff = `${c.backoff.map(dur).join(', ')}: growing waits between redeliveries, starting at ack_wait (a bare nak would burn MaxDeliver at once)`;
        }
        if (c.backoff?.length && c.ack_wait !== c.backoff[0]) {
          // the server replaces ack_wait with backoff[0]; planning anything else would never converge
          c.ack_wait = c.backoff[0]!;
          cwhy.ack_wait = `${dur(c.ack_wait)}: the first backoff value, which the server uses as the ack wait`;
        }
        consumers.push({ stream: config.name, config: inFieldOrder('consumers', c), path: p.id, receiver, role: worker ? 'worker' : 'listener', why: cwhy });
      }
      if (worker && (p.deadLetter?.mode ?? 'stream') === 'stream' && p.to.length) workerPaths.push(p.id);
    }
    if (workerPaths.length) {
      const dlq = deadLetterName(config.name);
      const dwhy: Why = {
        name: `dead letters of ${config.name}: JetStream has no DLQ; the server publishes an advisory when a message runs out of deliveries (seed 001: MaxDeliver with a dead letter strategy)`,
        subjects: 'the max-deliveries and terminated advisories of every consumer of the stream (each names the stream sequence to fetch the original), and dlq.<stream>.<consumer>, where the scaffolded workers copy the failed message itself',
        retention: 'limits: keep the advisories for inspection',
        storage: 'file: seed 001',
        num_replicas: `${wantedReplicas}: as ${config.name}, whose failures it keeps`,
        max_age: '14d: time to look at and replay failed messages',
        duplicate_window: '2m: seed 001',
        ...NO_LIMIT_WHY,
      };
      deadLetters.push({
        config: fileStream({
          name: dlq,
          description: `Dead letters of ${config.name}: max-deliveries and terminated advisories, and copies of the failed messages`,
          subjects: [`${MAX_DELIVERIES_ADVISORY}.${config.name}.*`, `${TERMINATED_ADVISORY}.${config.name}.*`, `dlq.${config.name}.>`],
          retention: 'limits',
          num_replicas: capReplicas(`stream ${dlq}`, wantedReplicas, dwhy, 'num_replicas'),
          max_age: 14 * DAY,
        }),
        context: ctx,
        role: 'dead-letter',
        paths: workerPaths,
        why: dwhy,
      });
    }
  }

  const buckets: PlannedBucket[] = [];
  for (const [ctx, paths] of kvContexts) {
    const first = paths[0]!;
    const suggestion = suggestConfig('kv', { description: paths.map((p) => p.description).join(' '), answers: fullAnswers(first.answers), environment });
    const suggested = suggestion.kind === 'kv' ? suggestion.bucket : undefined;
    const why: Why = {
      bucket: `one bucket per bounded context "${ctx}" (the KV path subject's first token); keys are the rest of the subject`,
      history: `${suggested?.history ?? 5}: suggested from the paths' descriptions (the KV twofer keeps history for audit, seed 000)`,
      ttl: suggested?.ttl ? `${dur(suggested.ttl)}: suggested from the descriptions (sessions, presence and caches expire)` : 'no expiry: facts stay until replaced or deleted',
      storage: 'file: seed 001 "Prefer FileStorage for durability"',
      replicas: replicasWhy,
      description: 'the descriptions of the paths it carries',
    };
    const config: PlanBucketConfig = {
      bucket: ctx,
      description: paths.map((p) => p.description).join('; ').slice(0, 200),
      history: suggested?.history ?? 5,
      ttl: suggested?.ttl ?? 0,
      storage: 'file',
      replicas,
    };
    applyOverrides(config as unknown as Record<string, unknown>, why, normalized('buckets', overrides.buckets?.[ctx]), `overrides.buckets.${ctx}`);
    config.replicas = capReplicas(`bucket ${config.bucket}`, config.replicas, why, 'replicas');
    buckets.push({ config: inFieldOrder('buckets', config as unknown as Record<string, unknown>) as unknown as PlanBucketConfig, context: ctx, paths: paths.map((p) => p.id), why });
  }

  const objectStores: PlannedObjectStore[] = (design.objectStores ?? []).map((os) => {
    const why: Why = {
      bucket: 'declared in the design (objectStores)',
      ttl: 'no expiry unless the design sets one',
      storage: 'file: seed 001 "Prefer FileStorage for durability"; objects are too large for memory',
      replicas: replicasWhy,
    };
    const config: PlanObjectStoreConfig = { bucket: os.bucket, ttl: 0, storage: 'file', replicas };
    const { bucket: _b, components: _c, ...settings } = os;
    applyOverrides(config as unknown as Record<string, unknown>, why, normalized(OBJECT_STORE_FIELDS, settings as Overrides), `objectStores "${os.bucket}"`);
    config.replicas = capReplicas(`object store ${config.bucket}`, config.replicas, why, 'replicas');
    const ordered = Object.fromEntries(['bucket', 'description', 'ttl', 'storage', 'replicas', 'max_bytes'].filter((k) => (config as unknown as Record<string, unknown>)[k] !== undefined).map((k) => [k, (config as unknown as Record<string, unknown>)[k]]));
    return { config: ordered as unknown as PlanObjectStoreConfig, components: os.components ?? [], why };
  });

  return { design: design.name, environment, paths: classes, streams: [...streams, ...deadLetters], consumers, buckets, objectStores, ...(opts.maxReplicas !== undefined ? { replicasCapped } : {}) };
}

export interface Explanation {
  /** `stream NAME`, `consumer STREAM/NAME`, `bucket NAME`. */
  object: string;
  field: string;
  value: unknown;
  why: string;
}

/** Every planned value with the reason for it, for `plan --json` and the text report. */
export function explainPlan(plan: Plan): Explanation[] {
  const out: Explanation[] = [];
  const add = (object: string, config: Record<string, unknown>, why: Why) => {
    for (const [field, value] of Object.entries(config)) if (why[field]) out.push({ object, field, value, why: why[field] });
  };
  for (const s of plan.streams) add(`stream ${s.config.name}`, s.config, s.why);
  for (const c of plan.consumers) add(`consumer ${c.stream}/${c.config.durable_name}`, c.config, c.why);
  for (const b of plan.buckets) add(`bucket ${b.config.bucket}`, b.config as unknown as Record<string, unknown>, b.why);
  for (const o of plan.objectStores) add(`object store ${o.config.bucket}`, o.config as unknown as Record<string, unknown>, o.why);
  return out;
}

/** A value as people read it, for the text plan: durations and sizes spelled out. */
export function showValue(field: string, value: unknown): string {
  if (typeof value === 'number' && /(^|_)(age|wait|window|ttl|threshold)$/.test(field)) return dur(value);
  if (Array.isArray(value) && field === 'backoff') return value.map((v) => dur(v as number)).join(', ');
  if (typeof value === 'number' && /bytes|size/.test(field)) return formatSize(value);
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * Applies a planned design to a live server through Admin: first a diff of every planned
 * stream, consumer and bucket against what the server holds (create / update / unchanged /
 * cannot change, with the reason), then, after the caller confirms, the changes in order
 * (streams, consumers, buckets). Nothing is deleted unless `prune` is asked for, and then
 * only what the preview listed. Each step is independent, so an apply cut off halfway
 * reports what was done and the next apply completes the rest; a second apply finds
 * everything unchanged.
 */
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import { checkReplicas, deadLetterCopierName, planWithReplicasCap, type Finding, type FlowDesign, type Plan, type PlanBucketConfig, type PlanConsumerConfig, type PlanObjectStoreConfig, type PlanStreamConfig, type ReplicaCheck, type ReplicasCapOptions } from '../core/design';
import { AdminError, toAdminError, type Admin, type KvBucketConfig, type ObjectStoreConfig } from './admin';
import { diffConfig, type ConfigChange } from './templates';

export type DesignObjectKind = 'stream' | 'consumer' | 'bucket' | 'object store';
export type ChangeAction = 'create' | 'update' | 'unchanged' | 'cannot-change' | 'extra' | 'delete';

export interface DesignChange {
  kind: DesignObjectKind;
  name: string;
  /** The consumer's stream. */
  stream?: string;
  action: ChangeAction;
  /** Field changes for update / cannot-change. */
  changes: ConfigChange[];
  /** Why it cannot change, or what `extra` means. */
  reason?: string;
}

export interface ApplyStep {
  change: DesignChange;
  status: 'done' | 'failed' | 'skipped';
  error?: { code: string; message: string; hint?: string };
}

export interface ApplyReport {
  steps: ApplyStep[];
  done: number;
  failed: number;
  skipped: number;
}

const ID = (c: Pick<DesignChange, 'kind' | 'name' | 'stream'>) => (c.kind === 'consumer' ? `consumer ${c.stream}/${c.name}` : `${c.kind} ${c.name}`);
export const changeLabel = ID;

/**
 * The plan to apply on the connected server and what the server can hold: the plan and
 * findings as `planWithReplicasCap` makes them (`nats-flow plan --replicas-cap` shows the
 * same), `replicas.over` naming every object the server cannot hold (apply refuses while it
 * is not empty) and `replicas.capped` every object the cap lowered.
 */
export function planForServer(design: FlowDesign, admin: Pick<Admin, 'replicaLimit'>, opts: ReplicasCapOptions = {}): { plan: Plan; findings: Finding[]; replicas: ReplicaCheck } {
  const { plan, findings } = planWithReplicasCap(design, opts);
  return { plan, findings, replicas: checkReplicas(plan, admin.replicaLimit(), opts.replicasCap) };
}

/** The live values of just the fields the plan sets: fields the plan leaves to the server are not compared. */
function project(live: Record<string, unknown>, planned: object): Record<string, unknown> {
  return Object.fromEntries(Object.keys(planned).map((k) => [k, live[k]]));
}

function classify(kind: DesignObjectKind, name: string, stream: string | undefined, changes: ConfigChange[]): DesignChange {
  const base = { kind, name, ...(stream ? { stream } : {}), changes };
  const fixed = changes.filter((c) => c.immutable);
  if (fixed.length) return { ...base, action: 'cannot-change', reason: fixed.map((c) => `${c.field}: ${c.reason}`).join('; ') + ' — create a new one and move the data, or change the design to match' };
  return { ...base, action: changes.length ? 'update' : 'unchanged' };
}

function isNotFound(err: unknown): boolean {
  const e = toAdminError(err);
  return e.code === 'notFound';
}

/** The bucket's settings as the plan names them, read from its backing stream `KV_<bucket>`. */
export function bucketFromStream(bucket: string, c: StreamConfig): PlanBucketConfig {
  return {
    bucket,
    ...(c.description ? { description: c.description } : {}),
    history: c.max_msgs_per_subject,
    ttl: c.max_age,
    storage: c.storage as PlanBucketConfig['storage'],
    replicas: c.num_replicas,
    max_value_size: c.max_msg_size,
    max_bytes: c.max_bytes,
  };
}

/** The Admin shape of a planned bucket (TTL in ms, camelCase limits). */
export function bucketToAdmin(b: PlanBucketConfig): KvBucketConfig {
  return {
    bucket: b.bucket,
    ...(b.description ? { description: b.description } : {}),
    history: b.history,
    ttlMs: Math.round(b.ttl / 1e6),
    storage: b.storage,
    replicas: b.replicas,
    ...(b.max_value_size !== undefined ? { maxValueSize: b.max_value_size } : {}),
    ...(b.max_bytes !== undefined ? { maxBucketSize: b.max_bytes } : {}),
  };
}

/** An object store's settings as the plan names them, read from its backing stream `OBJ_<bucket>`. */
export function objectStoreFromStream(bucket: string, c: StreamConfig): PlanObjectStoreConfig {
  return { bucket, ...(c.description ? { description: c.description } : {}), ttl: c.max_age, storage: c.storage as PlanObjectStoreConfig['storage'], replicas: c.num_replicas, max_bytes: c.max_bytes };
}

export function objectStoreToAdmin(o: PlanObjectStoreConfig): ObjectStoreConfig {
  return {
    bucket: o.bucket,
    ...(o.description ? { description: o.description } : {}),
    ttlMs: Math.round(o.ttl / 1e6),
    storage: o.storage,
    replicas: o.replicas,
    ...(o.max_bytes !== undefined ? { maxBucketSize: o.max_bytes } : {}),
  };
}

/** What applying the plan would do on the connected server. Reads only. */
export async function diffPlan(admin: Admin, plan: Plan, opts: { prune?: boolean } = {}): Promise<DesignChange[]> {
  const jsm = await admin.jsm();
  const out: DesignChange[] = [];
  const liveStreams = new Map<string, StreamConfig | null>();
  for (const s of plan.streams) {
    try {
      const info = await jsm.streams.info(s.config.name);
      liveStreams.set(s.config.name, info.config);
      out.push(classify('stream', s.config.name, undefined, diffConfig('stream', project(info.config as never, s.config), s.config)));
    } catch (err) {
      if (!isNotFound(err)) throw toAdminError(err);
      liveStreams.set(s.config.name, null);
      out.push({ kind: 'stream', name: s.config.name, action: 'create', changes: [] });
    }
  }
  for (const c of plan.consumers) {
    const name = c.config.durable_name;
    if (liveStreams.get(c.stream) === null) {
      out.push({ kind: 'consumer', name, stream: c.stream, action: 'create', changes: [] });
      continue;
    }
    try {
      const info = await jsm.consumers.info(c.stream, name);
      const planned: Record<string, unknown> = { ...c.config };
      // no filter and a filter equal to the stream's only subject select the same messages
      const only = plan.streams.find((s) => s.config.name === c.stream)?.config.subjects;
      if (!info.config.filter_subject && !info.config.filter_subjects?.length && only?.length === 1 && planned.filter_subject === only[0]) delete planned.filter_subject;
      out.push(classify('consumer', name, c.stream, diffConfig('consumer', project(info.config as never, planned), planned)));
    } catch (err) {
      if (!isNotFound(err)) throw toAdminError(err);
      out.push({ kind: 'consumer', name, stream: c.stream, action: 'create', changes: [] });
    }
  }
  // buckets and object stores live in a backing stream: read it in the plan's shape and compare
  const store = async (kind: 'bucket' | 'object store', name: string, planned: object, fromStream: (name: string, c: StreamConfig) => object) => {
    try {
      const info = await jsm.streams.info(`${kind === 'bucket' ? 'KV' : 'OBJ'}_${name}`);
      out.push(classify(kind, name, undefined, diffConfig(kind === 'bucket' ? 'kv' : 'obj', project(fromStream(name, info.config) as never, planned), planned)));
    } catch (err) {
      if (!isNotFound(err)) throw toAdminError(err);
      out.push({ kind, name, action: 'create', changes: [] });
    }
  };
  for (const b of plan.buckets) await store('bucket', b.config.bucket, b.config, bucketFromStream);
  for (const o of plan.objectStores) await store('object store', o.config.bucket, o.config, objectStoreFromStream);

  // what the server has and the design does not: listed, deleted only with prune
  const plannedStreams = new Set(plan.streams.map((s) => s.config.name));
  const plannedBuckets = new Set(plan.buckets.map((b) => b.config.bucket));
  const action: ChangeAction = opts.prune ? 'delete' : 'extra';
  const reason = opts.prune ? 'not in the design: --prune deletes it' : 'not in the design: left alone (--prune would delete it)';
  for await (const si of jsm.streams.list()) {
    const name = si.config.name;
    if (name.startsWith('KV_')) {
      const bucket = name.slice(3);
      if (!plannedBuckets.has(bucket)) out.push({ kind: 'bucket', name: bucket, action, changes: [], reason });
      continue;
    }
    if (name.startsWith('OBJ_')) {
      const store = name.slice(4);
      if (!plan.objectStores.some((o) => o.config.bucket === store)) out.push({ kind: 'object store', name: store, action, changes: [], reason });
      continue;
    }
    if (!plannedStreams.has(name)) {
      out.push({ kind: 'stream', name, action, changes: [], reason });
      continue;
    }
    const plannedConsumers = new Set(plan.consumers.filter((c) => c.stream === name).map((c) => c.config.durable_name));
    // a planned dead-letter stream's copier consumers (made by the scaffolded workers) carry out the design's dead-letter plan
    const dlqOf = plan.streams.find((s) => s.role === 'dead-letter' && s.config.name === name);
    if (dlqOf) for (const c of plan.consumers) if (c.role === 'worker' && dlqOf.paths.includes(c.path)) plannedConsumers.add(deadLetterCopierName(c.config.durable_name));
    for await (const ci of jsm.consumers.list(name)) {
      if (!plannedConsumers.has(ci.name)) out.push({ kind: 'consumer', name: ci.name, stream: name, action, changes: [], reason });
    }
  }
  return out;
}

export function hasWork(changes: readonly DesignChange[]): boolean {
  return changes.some((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete');
}

/**
 * Carries out the diff's creates, updates and (pruned) deletes. `cannot-change` and `extra`
 * are skipped. A failed step does not stop the others unless it is a stream whose consumers
 * then cannot exist: those are skipped with the reason.
 */
export async function applyPlan(admin: Admin, plan: Plan, changes: readonly DesignChange[], opts: { onStep?: (step: ApplyStep, index: number, total: number) => void } = {}): Promise<ApplyReport> {
  const steps: ApplyStep[] = [];
  const failedStreams = new Set<string>();
  const todo = changes.filter((c) => c.action === 'create' || c.action === 'update' || c.action === 'delete');
  // deletes last and consumers before their stream goes
  const ordered = [
    ...todo.filter((c) => c.action !== 'delete' && c.kind === 'stream'),
    ...todo.filter((c) => c.action !== 'delete' && c.kind === 'consumer'),
    ...todo.filter((c) => c.action !== 'delete' && (c.kind === 'bucket' || c.kind === 'object store')),
    ...todo.filter((c) => c.action === 'delete' && c.kind === 'consumer'),
    ...todo.filter((c) => c.action === 'delete' && c.kind !== 'consumer'),
  ];
  const jsm = await admin.jsm();
  for (const change of ordered) {
    let step: ApplyStep;
    if (change.kind === 'consumer' && change.stream && failedStreams.has(change.stream)) {
      step = { change, status: 'skipped', error: { code: 'dependency', message: `stream ${change.stream} could not be created or updated` } };
    } else {
      try {
        await applyOne(admin, jsm, plan, change);
        step = { change, status: 'done' };
      } catch (err) {
        const e = err instanceof AdminError ? err : toAdminError(err);
        if (change.kind === 'stream') failedStreams.add(change.name);
        step = { change, status: 'failed', error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } };
      }
    }
    steps.push(step);
    opts.onStep?.(step, steps.length, ordered.length);
  }
  return {
    steps,
    done: steps.filter((s) => s.status === 'done').length,
    failed: steps.filter((s) => s.status === 'failed').length,
    skipped: steps.filter((s) => s.status === 'skipped').length,
  };
}

async function applyOne(admin: Admin, jsm: Awaited<ReturnType<Admin['jsm']>>, plan: Plan, c: DesignChange): Promise<void> {
  if (c.action === 'delete') {
    if (c.kind === 'stream') return admin.deleteStream(c.name);
    if (c.kind === 'bucket') return admin.deleteKv(c.name);
    if (c.kind === 'object store') return admin.deleteObjectStore(c.name);
    return admin.deleteConsumer(c.stream!, c.name);
  }
  if (c.kind === 'stream') {
    const cfg = plan.streams.find((s) => s.config.name === c.name)!.config as PlanStreamConfig;
    if (c.action === 'create') await admin.addStream(cfg as never);
    else {
      const live = (await jsm.streams.info(c.name)).config;
      await admin.updateStream({ ...live, ...(cfg as object) } as never);
    }
    return;
  }
  if (c.kind === 'consumer') {
    const cfg = plan.consumers.find((x) => x.stream === c.stream && x.config.durable_name === c.name)!.config as PlanConsumerConfig;
    if (c.action === 'create') await admin.addConsumer(c.stream!, cfg as Partial<ConsumerConfig>);
    else await admin.updateConsumer(c.stream!, cfg as Partial<ConsumerConfig>);
    return;
  }
  if (c.kind === 'object store') {
    const o = objectStoreToAdmin(plan.objectStores.find((x) => x.config.bucket === c.name)!.config);
    if (c.action === 'create') await admin.createObjectStore(o);
    else await admin.updateObjectStore(o);
    return;
  }
  const b = plan.buckets.find((x) => x.config.bucket === c.name)!.config;
  if (c.action === 'create') await admin.createKv(bucketToAdmin(b));
  else await admin.updateKv(bucketToAdmin(b));
}

/** One line per change for the preview: `+ create stream ORDERS`, `~ update consumer …: ack_wait 30s → 1m`. */
export function describeChange(c: DesignChange, show: (field: string, v: unknown) => string = (_f, v) => JSON.stringify(v)): string {
  const sign = { create: '+', update: '~', unchanged: '=', 'cannot-change': '!', extra: '?', delete: '-' }[c.action];
  const head = `${sign} ${c.action.padEnd(13)} ${ID(c)}`;
  if (c.action === 'update' || c.action === 'cannot-change') {
    const fields = c.changes.map((x) => `${x.field} ${show(x.field, x.before)} → ${show(x.field, x.after)}${x.immutable ? ' (fixed at creation)' : ''}`).join('; ');
    return `${head}: ${fields}${c.reason ? `\n    ${c.reason}` : ''}`;
  }
  return c.reason ? `${head} (${c.reason})` : head;
}

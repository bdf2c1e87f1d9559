/**
 * A design built from what a server holds (best effort): each stream becomes a bounded
 * context with a guessed publisher, each consumer a receiving component on its own path,
 * each KV bucket a KV path. What the server cannot tell (who publishes, the heuristic
 * answers, descriptions) is guessed and marked so (`guessed`). Settings the planner would
 * not pick by itself become explicit overrides, so planning the imported design gives the
 * server's configuration back: apply → import → apply changes nothing.
 */
import { OVERRIDE_FIELDS, type OverrideTarget } from './fields';
import { consumerKey, contextOf, type Component, type FlowDesign, type FlowPath, type ObjectStoreDesign, type OverrideValue, type Overrides } from './model';
import { planDesign, MAX_DELIVERIES_ADVISORY, TERMINATED_ADVISORY, type PlanObjectStoreConfig } from './plan';
import { goDuration } from './units';

/** The parts of the server's stream / consumer configs the import reads (JetStream API names). */
export interface LiveStream {
  config: Record<string, unknown> & { name: string; subjects?: string[]; retention?: string; num_replicas?: number; description?: string };
  consumers: (Record<string, unknown> & { durable_name?: string; name?: string; filter_subject?: string; filter_subjects?: string[]; backoff?: number[]; description?: string })[];
}

export interface LiveBucket {
  /** In the plan's bucket shape (`ttl` in ns). */
  config: Record<string, unknown> & { bucket: string; description?: string };
}

export interface LiveObjectStore {
  /** In the plan's object store shape (`ttl` in ns). */
  config: PlanObjectStoreConfig;
}

export interface ImportResult {
  design: FlowDesign;
  /** What could not be expressed, or was guessed in a way worth saying. */
  notes: string[];
}

const safeId = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-');

const isAdvisory = (x: string) => x.startsWith(`${MAX_DELIVERIES_ADVISORY}.`) || x.startsWith(`${TERMINATED_ADVISORY}.`);

/** A planned dead-letter stream: advisories of a stream's consumers, and the `dlq.<stream>.>` copies workers write. */
function isDeadLetterStream(s: LiveStream): boolean {
  const subjects = s.config.subjects ?? [];
  return subjects.some(isAdvisory) && subjects.every((x) => isAdvisory(x) || x.startsWith('dlq.'));
}

/** The override value for an API value: durations as Go durations, the rest as they are. */
function overrideValue(target: OverrideTarget, field: string, v: unknown): OverrideValue {
  const kind = OVERRIDE_FIELDS[target][field]!;
  if (kind.type === 'duration') return goDuration(v as number);
  if (kind.type === 'durations') return (v as number[]).map(goDuration);
  return v as OverrideValue;
}

/** The catalogued fields where the live value differs from what the planner would pick. */
function differences(target: OverrideTarget, live: Record<string, unknown>, planned: Record<string, unknown>): Overrides {
  const out: Overrides = {};
  for (const field of Object.keys(OVERRIDE_FIELDS[target])) {
    const lv = live[field];
    const pv = planned[field];
    // the planner writes a description from the paths; the server object has none: say so
    if (field === 'description' && !lv && pv) {
      out[field] = '';
      continue;
    }
    if (lv === undefined || lv === null) continue;
    if ((lv === false || lv === '' || (Array.isArray(lv) && lv.length === 0)) && (pv === undefined || pv === lv)) continue;
    if (JSON.stringify(lv) === JSON.stringify(pv)) continue;
    out[field] = overrideValue(target, field, lv);
  }
  return out;
}

export function designFromServer(input: { name: string; streams: LiveStream[]; buckets: LiveBucket[]; objectStores?: LiveObjectStore[] }): ImportResult {
  const notes: string[] = [];
  const components: Component[] = [];
  const paths: FlowPath[] = [];
  const dlqSources = new Set<string>();
  const byContext = new Map<string, LiveStream>();
  const pathOf = new Map<string, { stream: LiveStream; consumer?: LiveStream['consumers'][number] }>();
  const addComponent = (c: Component) => {
    if (!components.some((x) => x.id === c.id)) components.push(c);
    return c.id;
  };
  let row = 0;

  for (const s of input.streams) {
    if (!isDeadLetterStream(s)) continue;
    for (const subj of s.config.subjects ?? []) if (isAdvisory(subj)) dlqSources.add(subj.split('.')[5] ?? '');
  }

  for (const s of input.streams) {
    const name = s.config.name;
    if (isDeadLetterStream(s)) continue;
    const subjects = s.config.subjects ?? [];
    if (subjects.length === 0) {
      notes.push(`stream ${name} has no subjects (a mirror or sourced stream?): not imported`);
      continue;
    }
    const ctx = contextOf(subjects[0]!);
    if (byContext.has(ctx) || ctx === '*' || ctx === '>') {
      notes.push(`stream ${name}: its subjects (${subjects.join(', ')}) start with "${ctx}", ${byContext.has(ctx) ? `already the context of stream ${byContext.get(ctx)!.config.name}` : 'a wildcard'}; one stream per bounded context cannot express it: not imported`);
      continue;
    }
    byContext.set(ctx, s);
    const publisher = addComponent({ id: safeId(`${ctx}-publisher`), kind: 'service', name: `Publishers to ${name}`, position: { x: 0, y: row * 160 }, guessed: true });
    const worker = s.config.retention === 'workqueue' || dlqSources.has(name);
    const consumers = s.consumers.filter((c) => c.durable_name ?? c.name);
    const base = {
      from: publisher,
      answers: { restart: 'no' as const, fanout: worker ? ('one' as const) : ('all' as const) },
      primitive: 'stream' as const,
      override: { primitive: 'stream' as const, reason: `imported: ${name} is a stream on the server (the heuristic answers are guessed)` },
      ...(worker && !dlqSources.has(name) ? { deadLetter: { mode: 'none' as const } } : {}),
      guessed: ['from', 'answers'],
    };
    if (consumers.length === 0) {
      const id = safeId(name);
      paths.push({ id, ...base, to: [], description: s.config.description || `Messages stored in ${name}`, subject: subjects[0]!, ...(s.config.description ? {} : { guessed: [...base.guessed, 'description'] }) });
      pathOf.set(id, { stream: s });
    }
    for (const c of consumers) {
      const cname = (c.durable_name ?? c.name)!;
      const filter = c.filter_subject ?? (c.filter_subjects?.length === 1 ? c.filter_subjects[0] : undefined);
      if (c.deliver_subject) notes.push(`consumer ${name}/${cname} is a push consumer (deliver subject ${String(c.deliver_subject)}); the design plans pull consumers, so apply would not turn it into one but the design does not describe it exactly`);
      if ((c.filter_subjects?.length ?? 0) > 1) notes.push(`consumer ${name}/${cname} has several filter subjects (${c.filter_subjects!.join(', ')}); the design keeps the stream's first subject as its path subject`);
      const receiver = addComponent({ id: safeId(cname), kind: worker ? 'workerPool' : 'service', name: cname, position: { x: 600, y: row * 160 }, guessed: true });
      row++;
      const id = safeId(`${name}-${cname}`);
      const subject = filter && contextOf(filter) === ctx ? filter : subjects[0]!;
      const description = c.description || s.config.description;
      paths.push({ id, ...base, to: [receiver], description: description || `${cname} reads ${name}`, subject, ...(description ? {} : { guessed: [...base.guessed, 'description'] }) });
      pathOf.set(id, { stream: s, consumer: c });
    }
    row++;
  }

  for (const b of input.buckets) {
    const bucket = b.config.bucket;
    const writer = addComponent({ id: safeId(`${bucket}-writer`), kind: 'service', name: `Writers of ${bucket}`, position: { x: 0, y: row * 160 }, guessed: true });
    row++;
    paths.push({
      id: safeId(`kv-${bucket}`),
      from: writer,
      to: [],
      description: b.config.description || `Facts kept in bucket ${bucket}`,
      subject: `${bucket}.>`,
      answers: { restart: 'yes', fanout: 'all', nature: 'fact' },
      primitive: 'kv',
      guessed: ['from', 'to', 'answers', 'description'],
    });
  }

  const replicas = input.streams.map((s) => s.config.num_replicas ?? 1);
  const environment = replicas.some((r) => r >= 3) ? 'production' : 'development';
  const design: FlowDesign = { version: 1, name: input.name, description: 'Imported from a live server: parts marked "guessed" were inferred, check them.', environment, components, paths };

  // overrides: whatever differs from what the planner picks by itself
  const plan = planDesign(design);
  const overrides: Required<NonNullable<FlowDesign['overrides']>> = { streams: {}, consumers: {}, buckets: {} };
  for (const [ctx, s] of byContext) {
    const planned = plan.streams.find((p) => p.role === 'context' && p.context === ctx)!;
    const o = differences('streams', s.config, planned.config);
    if (Object.keys(o).length) overrides.streams[ctx] = o;
  }
  for (const p of paths) {
    const src = pathOf.get(p.id);
    if (!src?.consumer) continue;
    const receiver = p.to[0]!;
    const planned = plan.consumers.find((c) => c.path === p.id && c.receiver === receiver)!;
    const live = { ...src.consumer, durable_name: src.consumer.durable_name ?? src.consumer.name };
    const o = differences('consumers', live, planned.config);
    if (Object.keys(o).length) overrides.consumers[consumerKey(p.id, receiver)] = o;
  }
  for (const b of input.buckets) {
    const planned = plan.buckets.find((p) => p.config.bucket === b.config.bucket)!;
    const o = differences('buckets', b.config, planned.config as unknown as Record<string, unknown>);
    if (Object.keys(o).length) overrides.buckets[b.config.bucket] = o;
  }
  // object stores: every setting explicit (a design lists them as they are)
  if (input.objectStores?.length) {
    design.objectStores = input.objectStores.map(({ config: o }): ObjectStoreDesign => ({
      bucket: o.bucket,
      ...(o.description ? { description: o.description } : {}),
      ...(o.ttl ? { ttl: goDuration(o.ttl) } : {}),
      ...(o.max_bytes !== undefined && o.max_bytes >= 0 ? { max_bytes: o.max_bytes } : {}),
      storage: o.storage,
      replicas: o.replicas,
    }));
  }
  const used = Object.fromEntries(Object.entries(overrides).filter(([, v]) => Object.keys(v).length));
  if (Object.keys(used).length) design.overrides = used;
  return { design, notes };
}

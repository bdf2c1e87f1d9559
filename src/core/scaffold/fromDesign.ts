/**
 * Scaffolds from a flow design: each path's sender and receivers get the pattern that fits
 * what the planner made for it, with the PLANNED stream, consumer and bucket settings (so the
 * code matches what `nats-flow apply` creates), never the generators' defaults.
 *
 *   stream path  → sender: publisher; each receiver: worker (plan role "worker": one pull
 *                  consumer its instances share) or listener (a durable consumer of its own)
 *   kv path      → each receiver and the writer: kv-watcher (its CAS update helper is the
 *                  writer side)
 *   core path    → request/reply (nature "request"): responder for each receiver, in the
 *                  path's queue group; plain core pub/sub has no scaffold pattern (reported)
 */
import { contextOf, planDesign, replicasAbove, type FlowDesign, type FlowPath, type Plan, type PlanOptions, type ReplicasCapped } from '../design';
import { generate } from './generate';
import { concreteSubject, resolveSpec, ScaffoldInputError, type ScaffoldLang, type ScaffoldOptions, type ScaffoldFile, type ScaffoldPattern, type ScaffoldSpec } from './spec';

export interface DesignScaffoldUnit {
  path: string;
  /** The component whose code this is. */
  component: string;
  side: 'sender' | 'receiver';
  pattern: ScaffoldPattern;
  /** Folder inside the output: `<component>/<path>-<pattern>`. */
  dir: string;
  spec: ScaffoldSpec;
}

export interface DesignScaffold {
  units: DesignScaffoldUnit[];
  /** Paths (or sides) nothing was generated for, and why. */
  skipped: { path: string; reason: string }[];
  /** Most replicas any planned object asks for before a cap, and the cap the code was made with. */
  replicas: { planned: number; cap?: number; capped: ReplicasCapped[] };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** The scaffold options of one side of one path, from the plan. */
function unitsForPath(design: FlowDesign, plan: Plan, path: FlowPath, lang: ScaffoldLang): Omit<DesignScaffold, 'replicas'> {
  const cls = plan.paths.find((c) => c.path === path.id);
  const primitive = cls?.primitive ?? 'undecided';
  const units: DesignScaffoldUnit[] = [];
  const skipped: DesignScaffold['skipped'] = [];
  const source = `design "${design.name}", path "${path.id}" (planned settings)`;
  const add = (component: string, side: 'sender' | 'receiver', pattern: ScaffoldPattern, o: Omit<ScaffoldOptions, 'pattern' | 'lang' | 'project' | 'source'>): void => {
    const project = slug(`${component}-${path.id}-${pattern}`) || pattern;
    const spec = resolveSpec({ ...o, pattern, lang, project, source });
    units.push({ path: path.id, component, side, pattern, dir: `${slug(component) || component}/${slug(`${path.id}-${pattern}`)}`, spec });
  };
  const subject = concreteSubject(path.subject);

  if (primitive === 'stream') {
    const stream = plan.streams.find((s) => s.role === 'context' && s.paths.includes(path.id));
    if (!stream) return { units, skipped: [{ path: path.id, reason: 'the plan has no stream for it' }] };
    const sc = stream.config;
    const streamConfig = { name: sc.name, subjects: sc.subjects, retention: sc.retention, storage: sc.storage, replicas: sc.num_replicas, duplicate_window: sc.duplicate_window, max_age: sc.max_age };
    add(path.from, 'sender', 'publisher', { stream: sc.name, subject, streamConfig });
    for (const c of plan.consumers.filter((pc) => pc.path === path.id)) {
      const cc = c.config;
      if (cc.deliver_policy !== 'all' && cc.deliver_policy !== 'new') {
        skipped.push({ path: path.id, reason: `receiver ${c.receiver}: deliver_policy "${cc.deliver_policy}" is not one the generators write (all, new)` });
        continue;
      }
      add(c.receiver, 'receiver', c.role, {
        stream: sc.name,
        consumer: cc.durable_name,
        subject: concreteSubject(cc.filter_subject ?? path.subject),
        streamConfig,
        consumerConfig: {
          durable_name: cc.durable_name,
          filter_subject: cc.filter_subject ?? path.subject,
          deliver_policy: cc.deliver_policy,
          ack_wait: cc.ack_wait,
          max_deliver: cc.max_deliver,
          backoff: cc.backoff ?? [],
          max_ack_pending: cc.max_ack_pending,
        },
      });
      // the planned dead-letter stream captures this consumer's max-deliveries advisories
      const dlq = plan.streams.find((d) => d.role === 'dead-letter' && d.context === stream.context && d.paths.includes(path.id));
      if (dlq && c.role === 'worker') units[units.length - 1]!.spec.dlq.stream = dlq.config.name;
    }
  } else if (primitive === 'kv') {
    const bucket = plan.buckets.find((b) => b.paths.includes(path.id));
    if (!bucket) return { units, skipped: [{ path: path.id, reason: 'the plan has no bucket for it' }] };
    const bc = bucket.config;
    const key = path.subject.slice(contextOf(path.subject).length + 1) || '>';
    const o = { bucket: bc.bucket, key, bucketConfig: { bucket: bc.bucket, history: bc.history, ttl: bc.ttl, storage: bc.storage, replicas: bc.replicas } };
    add(path.from, 'sender', 'kv-watcher', o);
    for (const r of path.to) add(r, 'receiver', 'kv-watcher', o);
  } else if (primitive === 'core') {
    if (path.answers.nature !== 'request') {
      skipped.push({ path: path.id, reason: 'core pub/sub that is not request/reply: no scaffold pattern for it (make it a stream path for durable receivers)' });
    } else {
      for (const r of path.to) {
        add(r, 'receiver', 'responder', { subject });
        const u = units[units.length - 1]!;
        if (path.queueGroup) u.spec.queue = path.queueGroup;
      }
    }
  } else {
    skipped.push({ path: path.id, reason: 'undecided: answer the four questions (or override the primitive) first' });
  }
  return { units, skipped };
}

/** Scaffold one path (`pathId`) or, without it, every path of the design. */
export function scaffoldDesign(design: FlowDesign, lang: ScaffoldLang, pathId?: string, planOptions: PlanOptions = {}): DesignScaffold {
  const plan = planDesign(design, planOptions);
  const asWritten = planOptions.maxReplicas === undefined ? plan : planDesign(design, { ...planOptions, maxReplicas: undefined });
  const replicas = { planned: Math.max(1, ...replicasAbove(asWritten, 1).map((o) => o.planned)), ...(planOptions.maxReplicas !== undefined ? { cap: planOptions.maxReplicas } : {}), capped: plan.replicasCapped ?? [] };
  const paths = pathId === undefined ? design.paths : design.paths.filter((p) => p.id === pathId);
  if (pathId !== undefined && !paths.length) {
    throw new ScaffoldInputError(`design "${design.name}" has no path "${pathId}" (paths: ${design.paths.map((p) => p.id).join(', ') || 'none'})`);
  }
  const out: DesignScaffold = { units: [], skipped: [], replicas };
  for (const p of paths) {
    const r = unitsForPath(design, plan, p, lang);
    out.units.push(...r.units);
    out.skipped.push(...r.skipped);
  }
  return out;
}

/** The README at the root of a whole-design scaffold: what is where and how to run it against the sandbox. */
export function designScaffoldReadme(design: FlowDesign, result: DesignScaffold, designFile = 'design.natsflow.json'): string {
  const byComponent = new Map<string, DesignScaffoldUnit[]>();
  for (const u of result.units) byComponent.set(u.component, [...(byComponent.get(u.component) ?? []), u]);
  const sections = [...byComponent].map(
    ([component, units]) => `## ${component}\n\n${units.map((u) => `- \`${u.dir}/\`: ${u.side} of path \`${u.path}\` (${u.pattern}; ${u.pattern === 'kv-watcher' ? `bucket ${u.spec.bucket.bucket}` : u.pattern === 'responder' ? `subject ${u.spec.subject}` : `stream ${u.spec.stream.name}${u.side === 'receiver' ? `, consumer ${u.spec.consumer.durable_name}` : ''}`})`).join('\n')}`,
  );
  const { planned, cap } = result.replicas;
  // the sandbox is one server: more than one replica is refused there, so apply caps them (and says which)
  const capFlag = planned > 1 ? ' --replicas-cap 1' : '';
  const replicasNote =
    planned === 1
      ? ''
      : cap !== undefined
        ? `\nThe plan asks for ${planned} replicas, which the single-server sandbox refuses: \`--replicas-cap 1\` above applies every stream and bucket with 1 (and names each). These projects were scaffolded with \`--replicas-cap ${cap}\`, so the objects their code creates when missing have ${cap} too.\n`
        : `\nThe plan asks for ${planned} replicas, which the single-server sandbox refuses: \`--replicas-cap 1\` above applies every stream and bucket with 1 (and names each). The projects' code creates a missing object with the planned ${planned} replicas; apply first as above, or scaffold again with \`--replicas-cap 1\`.\n`;
  const skipped = result.skipped.length ? `\n## Not generated\n\n${result.skipped.map((s) => `- path \`${s.path}\`: ${s.reason}`).join('\n')}\n` : '';
  return `# ${design.name}: scaffolded code

One folder per component, one project per path side, with the settings NATS Flow planned for
the design (\`nats-flow plan\`). Each project's README says how to build and run it.

## Run against the sandbox

\`\`\`bash
npm run sandbox                          # in the NATS Flow repository: a local server on 14222
nats-flow apply ${designFile} --server nats://127.0.0.1:14222${capFlag}   # create the planned streams, consumers, buckets
export NATS_URL=nats://127.0.0.1:14222
\`\`\`

Then build and start each project below in its folder (see its README).
${replicasNote}
${sections.join('\n\n')}
${skipped}`;
}

/** Every file of a scaffold, paths prefixed with the unit's folder; a whole design also gets the root README. */
export function designScaffoldFiles(design: FlowDesign, result: DesignScaffold, opts: { designFile?: string; whole: boolean }): ScaffoldFile[] {
  const files: ScaffoldFile[] = [];
  const single = !opts.whole && result.units.length === 1;
  for (const u of result.units) for (const f of generate(u.spec)) files.push({ path: single ? f.path : `${u.dir}/${f.path}`, content: f.content });
  if (!single) files.push({ path: 'README.md', content: designScaffoldReadme(design, result, opts.designFile) });
  return files;
}

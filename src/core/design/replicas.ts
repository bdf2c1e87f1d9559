/**
 * Replicas against the server a plan goes to. Production designs plan R3 (seed 001), which a
 * single server refuses ("replicas > 1 not supported in non-clustered mode") and a cluster
 * smaller than three cannot place. Apply finds out before it changes anything: it names
 * every object that asks for more replicas than the server can hold and refuses, unless the
 * user caps them (`--replicas-cap N`, the designer's checkbox); then each lowered object is
 * named again. Replicas are never lowered silently.
 */
import type { Plan, ReplicasCapped } from './plan';

/** What the target can hold, as far as the connection tells (see src/nats/clusterSize.ts). */
export interface ReplicaLimit {
  /** Most replicas an object can have there; undefined when it cannot be told from here. */
  max?: number;
  /** "a single server (not clustered)", "cluster \"c1\" of 3 servers". */
  describe: string;
}

/** Every planned stream, bucket and object store whose replicas exceed `max`. */
export function replicasAbove(plan: Plan, max: number): ReplicasCapped[] {
  const out: ReplicasCapped[] = [];
  for (const s of plan.streams) if (s.config.num_replicas > max) out.push({ object: `stream ${s.config.name}`, planned: s.config.num_replicas, capped: max });
  for (const b of plan.buckets) if (b.config.replicas > max) out.push({ object: `bucket ${b.config.bucket}`, planned: b.config.replicas, capped: max });
  for (const o of plan.objectStores) if (o.config.replicas > max) out.push({ object: `object store ${o.config.bucket}`, planned: o.config.replicas, capped: max });
  return out;
}

export interface ReplicaCheck {
  limit: ReplicaLimit;
  /** Objects asking for more replicas than the server holds: apply refuses while any is left. */
  over: ReplicasCapped[];
  /** Objects the cap lowered, for the warning. */
  capped: ReplicasCapped[];
  /** The cap the plan was made with, if any. */
  cap?: number;
}

/** Compares a (possibly capped) plan with what the server can hold. */
export function checkReplicas(plan: Plan, limit: ReplicaLimit, cap?: number): ReplicaCheck {
  return { limit, over: limit.max === undefined ? [] : replicasAbove(plan, limit.max), capped: plan.replicasCapped ?? [], ...(cap !== undefined ? { cap } : {}) };
}

/** Why apply stops, naming each object and the way out; `flag` is how the caller's UI spells the cap. */
export function replicasRefusal(check: ReplicaCheck, flag: (n: number) => string = (n) => `--replicas-cap ${n}`): string {
  const max = check.limit.max ?? 1;
  const most = Math.max(...check.over.map((o) => o.planned));
  return (
    `${check.limit.describe} holds at most ${max} replica${max === 1 ? '' : 's'}, and the plan asks for more:\n` +
    check.over.map((o) => `  ${o.object}: ${o.planned} replicas`).join('\n') +
    `\nNothing was applied. ${flag(max)} applies ${check.over.length === 1 ? 'it' : 'them'} with ${max} replica${max === 1 ? '' : 's'} (the design keeps asking for ${most}), or apply to a cluster of at least ${most} servers.`
  );
}

/** The warning for what a cap lowered: one line per object. */
export function replicasCappedText(check: ReplicaCheck): string {
  if (!check.capped.length) return '';
  return `Replicas capped at ${check.cap ?? check.capped[0]!.capped} as asked (the server: ${check.limit.describe}); the design asks for more:\n${check.capped.map((o) => `  ${o.object}: ${o.planned} → ${o.capped} replica${o.capped === 1 ? '' : 's'}`).join('\n')}\n`;
}

/** A cap argument (`--replicas-cap`, the designer's field): a whole number 1..5, or a message. */
export function parseReplicasCap(value: string | number | undefined): { cap?: number; error?: string } {
  if (value === undefined || value === '') return {};
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 5) return { error: `the replicas cap must be a whole number from 1 to 5 (JetStream's limit), got "${value}"` };
  return { cap: n };
}

/**
 * Replicas against the server a plan goes to. Production designs plan R3 (seed 001), which a
 * single server refuses ("replicas > 1 not supported in non-clustered mode") and a cluster
 * smaller than three cannot place. Apply finds out before it changes anything: it names
 * every object that asks for more replicas than the server can hold and refuses, unless the
 * user caps them (`--replicas-cap N`, the designer's checkbox); then each lowered object is
 * named again. Replicas are never lowered silently.
 */
import type { Environment } from '../decide';
import { planAndLint, type Finding } from './lint';
import type { FlowDesign } from './model';
import { planDesign, type Plan, type ReplicasCapped } from './plan';

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

/**
 * The most replicas any object of the plan asks for, counting what a cap lowered at its
 * planned value: the highest cap that would still change something (the designer offers caps
 * below it).
 */
export function mostReplicasAsked(plan: Plan): number {
  return Math.max(1, ...replicasAbove(plan, 0).map((o) => o.planned), ...(plan.replicasCapped ?? []).map((o) => o.planned));
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

export interface ReplicasCapOptions {
  /** Overrides the design's environment (--env). */
  environment?: Environment;
  /** The cap (`--replicas-cap N`, the designer's field), already checked by parseReplicasCap. */
  replicasCap?: number;
  /** How the plan's explanations name the cap; default "--replicas-cap N". */
  capReason?: string;
}

/**
 * The plan for a cap, as apply and `nats-flow plan --replicas-cap N` make it: the lint findings
 * come from the design as written (a cap is the user's choice for one target, not a design
 * flaw: capping R3 to R1 must not raise "R1 in production"), the plan from the design with
 * every replicas value above `replicasCap` lowered and listed in `plan.replicasCapped`.
 */
export function planWithReplicasCap(design: FlowDesign, opts: ReplicasCapOptions = {}): { plan: Plan; findings: Finding[] } {
  const env = opts.environment ? { environment: opts.environment } : {};
  const { plan: asWritten, findings } = planAndLint(design, env);
  if (opts.replicasCap === undefined) return { plan: asWritten, findings };
  return { plan: planDesign(design, { ...env, maxReplicas: opts.replicasCap, maxReplicasReason: opts.capReason ?? `--replicas-cap ${opts.replicasCap}` }), findings };
}

/** The objects over the server's size, one a line, and the ways out ("{flag} {verb} them with N replicas…"). */
function replicasOver(check: ReplicaCheck, verdict: string, flag: (n: number) => string): string {
  const max = check.limit.max ?? 1;
  const most = Math.max(...check.over.map((o) => o.planned));
  return (
    `${check.limit.describe} holds at most ${max} replica${max === 1 ? '' : 's'}, and the plan asks for more:\n` +
    check.over.map((o) => `  ${o.object}: ${o.planned} replicas`).join('\n') +
    `\n${verdict} ${flag(max)} applies ${check.over.length === 1 ? 'it' : 'them'} with ${max} replica${max === 1 ? '' : 's'} (the design keeps asking for ${most}), or apply to a cluster of at least ${most} servers.`
  );
}

const CAP_FLAG = (n: number) => `--replicas-cap ${n}`;

/** Why apply stops, naming each object and the way out; `flag` is how the caller's UI spells the cap. */
export function replicasRefusal(check: ReplicaCheck, flag: (n: number) => string = CAP_FLAG): string {
  return replicasOver(check, 'Nothing was applied.', flag);
}

/** What `nats-flow plan` says (and does not fail on) when the plan asks for more than the server it checked holds. */
export function replicasWarning(check: ReplicaCheck, flag: (n: number) => string = CAP_FLAG): string {
  return replicasOver(check, 'Apply would refuse this plan there before changing anything;', flag);
}

/**
 * The warning for what a cap lowered: one line per object. Without a server (`nats-flow plan`
 * offline) there is no server to name.
 */
export function replicasCappedText(check: Pick<ReplicaCheck, 'capped' | 'cap'> & { limit?: ReplicaLimit }): string {
  if (!check.capped.length) return '';
  return `Replicas capped at ${check.cap ?? check.capped[0]!.capped} as asked${check.limit ? ` (the server: ${check.limit.describe})` : ''}; the design asks for more:\n${check.capped.map((o) => `  ${o.object}: ${o.planned} → ${o.capped} replica${o.capped === 1 ? '' : 's'}`).join('\n')}\n`;
}

/** A cap argument (`--replicas-cap`, the designer's field): a whole number 1..5, or a message (an empty `--replicas-cap ""` too). */
export function parseReplicasCap(value: string | number | undefined): { cap?: number; error?: string } {
  if (value === undefined) return {};
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 5) return { error: `the replicas cap must be a whole number from 1 to 5 (JetStream's limit), got "${value}"` };
  return { cap: n };
}

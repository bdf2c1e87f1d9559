/**
 * `nats-flow plan FILE [--env development|production] [--replicas-cap N] [--json] [--explain]
 * [connection flags]`: the streams, consumers and buckets a design becomes. Offline unless a
 * connection flag is given; then it also checks the plan's replicas against that server's
 * size, the way apply does, but only says so (apply is where it refuses).
 */
import { parseCliArgs } from '../args';
import { UsageError, type CliCommand, type CliIO } from '../command';
import { connectFromFlags, connectionOptions, connectionUsage, type ConnectionFlagValues } from '../connectionFlags';
import { explainPlan, formatPlanText, planWithReplicasCap, replicasCappedText, replicasWarning, type Finding, type FlowDesign, type Plan, type ReplicaCheck, type ReplicasCapOptions } from '../../core/design';
import { Admin } from '../../nats/admin';
import { jetStreamOptions } from '../../nats/profile';
import { planForServer } from '../../nats/designApply';
import { formatFindings, parseEnv, parseReplicasCapFlag, readDesign, usageErrors } from './designFile';

const usage = `Usage: nats-flow plan FILE [--env development|production] [--replicas-cap N] [--json] [--explain] [connection flags]

Plans a flow design (*.natsflow.json): the streams, consumers and KV buckets it needs, in the
JetStream API's own field names (nanoseconds, bytes), with the lint findings. It works offline;
given any connection flag it also checks the plan's replicas against that server's size.

  --env ENV     development (R1) or production (R3); default: the design's environment
  --replicas-cap N
                give no stream, bucket or object store more than N replicas (1 to 5), as
                apply --replicas-cap N does: each lowered one is named
  -j, --json    {"streams": [...], "consumers": [{"stream", "config"}], "buckets": [...], "findings": [...], "explain": [...],
                 "replicas": {"cap", "capped": [{"object", "planned", "capped"}], "limit", "over"}}
                ("limit" and "over" only with a server)
  --explain     say where every planned value comes from

With any connection flag, plan connects and warns on stderr (still exit 0) when an object asks
for more replicas than the server holds, which apply would refuse.

${connectionUsage}
`;

/** Replicas as far as plan knows them: without a server only the cap and what it lowered. */
type PlanReplicas = Pick<ReplicaCheck, 'capped' | 'cap'> & Partial<Pick<ReplicaCheck, 'limit' | 'over'>>;

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'Plan the streams, consumers and KV buckets of a flow design',
  usage,
  async run(argv, io) {
    const { values, positionals } = usageErrors(() =>
      parseCliArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: { ...connectionOptions, env: { type: 'string' }, 'replicas-cap': { type: 'string' }, json: { type: 'boolean', short: 'j' }, explain: { type: 'boolean' } },
      }),
    );
    const env = parseEnv(values.env);
    const cap = parseReplicasCapFlag(values['replicas-cap']);
    const file = positionals[0];
    const design = readDesign(file);
    const opts: ReplicasCapOptions = { ...(env ? { environment: env } : {}), ...(cap !== undefined ? { replicasCap: cap } : {}) };
    const serverGiven = Object.keys(connectionOptions).some((k) => values[k as keyof typeof connectionOptions] !== undefined);
    const { plan, findings, replicas } = serverGiven ? await planOnServer(design, values as ConnectionFlagValues, io, opts) : planOffline(design, opts);
    const warning = replicas.limit && replicas.over?.length ? replicasWarning({ ...replicas, limit: replicas.limit, over: replicas.over }) : '';
    // stderr, so --json output stays one document; plan does not fail on it (apply refuses)
    if (warning) io.err(`nats-flow plan: warning: ${warning}\n`);
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            design: plan.design,
            environment: plan.environment,
            streams: plan.streams.map((s) => s.config),
            consumers: plan.consumers.map((c) => ({ stream: c.stream, config: c.config })),
            buckets: plan.buckets.map((b) => b.config),
            objectStores: plan.objectStores.map((o) => o.config),
            paths: plan.paths,
            findings,
            explain: explainPlan(plan),
            replicas,
          },
          null,
          2,
        ) + '\n',
      );
      return 0;
    }
    const capped = replicasCappedText(replicas);
    const unknown = replicas.limit && replicas.limit.max === undefined ? `Replicas not checked against the server: ${replicas.limit.describe}.\n` : '';
    io.out((capped ? `${capped}\n` : '') + unknown + formatPlanText(plan, { explain: values.explain }) + formatFindings(file!, findings));
    return 0;
  },
};

function planOffline(design: FlowDesign, opts: ReplicasCapOptions): { plan: Plan; findings: Finding[]; replicas: PlanReplicas } {
  const { plan, findings } = planWithReplicasCap(design, opts);
  return { plan, findings, replicas: { capped: plan.replicasCapped ?? [], ...(opts.replicasCap !== undefined ? { cap: opts.replicasCap } : {}) } };
}

/** The plan exactly as apply makes it for that server (planForServer), then the connection is closed. */
async function planOnServer(design: FlowDesign, flags: ConnectionFlagValues, io: CliIO, opts: ReplicasCapOptions): Promise<{ plan: Plan; findings: Finding[]; replicas: PlanReplicas }> {
  const { nc, profile } = await connectFromFlags(flags, io);
  try {
    return planForServer(design, new Admin(nc, jetStreamOptions(profile)), opts);
  } finally {
    await nc.close().catch(() => undefined);
  }
}

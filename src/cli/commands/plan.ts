/** `nats-flow plan FILE [--env development|production] [--json]`: the streams, consumers and buckets a design becomes. */
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command';
import { explainPlan, formatPlanText, planAndLint } from '../../core/design';
import { formatFindings, parseEnv, readDesign, usageErrors } from './designFile';

const usage = `Usage: nats-flow plan FILE [--env development|production] [--json] [--explain]

Plans a flow design (*.natsflow.json): the streams, consumers and KV buckets it needs, in the
JetStream API's own field names (nanoseconds, bytes), with the lint findings.

  --env ENV     development (R1) or production (R3); default: the design's environment
  -j, --json    {"streams": [...], "consumers": [{"stream", "config"}], "buckets": [...], "findings": [...], "explain": [...]}
  --explain     say where every planned value comes from
`;

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'Plan the streams, consumers and KV buckets of a flow design',
  usage,
  async run(argv, io) {
    const { values, positionals } = usageErrors(() =>
      parseArgs({ args: argv, allowPositionals: true, strict: true, options: { env: { type: 'string' }, json: { type: 'boolean', short: 'j' }, explain: { type: 'boolean' } } }),
    );
    const file = positionals[0];
    const design = readDesign(file);
    const env = parseEnv(values.env);
    const { plan, findings } = planAndLint(design, env ? { environment: env } : {});
    const explain = explainPlan(plan);
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
            explain,
          },
          null,
          2,
        ) + '\n',
      );
      return 0;
    }
    io.out(formatPlanText(plan, { explain: values.explain }) + formatFindings(file!, findings));
    return 0;
  },
};

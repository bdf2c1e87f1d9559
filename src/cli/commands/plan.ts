/** `nats-flow plan FILE [--env development|production] [--json]`: the streams, consumers and buckets a design becomes. */
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command';
import { explainPlan, planAndLint, showValue } from '../../core/design';
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
    const out: string[] = [`Plan for ${plan.design} (${plan.environment})`, ''];
    const block = (title: string, object: string, config: Record<string, unknown>) => {
      out.push(title);
      for (const [k, v] of Object.entries(config)) {
        const why = values.explain ? explain.find((e) => e.object === object && e.field === k)?.why : undefined;
        out.push(`  ${k.padEnd(22)} ${showValue(k, v)}${why ? `\n  ${''.padEnd(22)} ↳ ${why}` : ''}`);
      }
      out.push('');
    };
    for (const s of plan.streams) block(`stream ${s.config.name}${s.role === 'dead-letter' ? ' (dead letters)' : ''}`, `stream ${s.config.name}`, s.config);
    for (const c of plan.consumers) block(`consumer ${c.stream}/${c.config.durable_name} (${c.role}, path ${c.path} → ${c.receiver})`, `consumer ${c.stream}/${c.config.durable_name}`, c.config);
    for (const b of plan.buckets) block(`KV bucket ${b.config.bucket}`, `bucket ${b.config.bucket}`, b.config as unknown as Record<string, unknown>);
    for (const o of plan.objectStores) block(`object store ${o.config.bucket}`, `object store ${o.config.bucket}`, o.config as unknown as Record<string, unknown>);
    for (const p of plan.paths.filter((x) => x.primitive === 'core')) out.push(`path ${p.path}: core pub/sub, nothing to create`);
    io.out(out.join('\n') + '\n' + formatFindings(file!, findings));
    return 0;
  },
};

/** A plan as readable text: what `nats-flow plan` prints and the "Plan" code lens shows. */
import { explainPlan, showValue, type Plan } from './plan';

export function formatPlanText(plan: Plan, opts: { explain?: boolean } = {}): string {
  const explain = opts.explain ? explainPlan(plan) : [];
  const out: string[] = [`Plan for ${plan.design} (${plan.environment})`, ''];
  const block = (title: string, object: string, config: Record<string, unknown>) => {
    out.push(title);
    for (const [k, v] of Object.entries(config)) {
      const why = opts.explain ? explain.find((e) => e.object === object && e.field === k)?.why : undefined;
      out.push(`  ${k.padEnd(22)} ${showValue(k, v)}${why ? `\n  ${''.padEnd(22)} ↳ ${why}` : ''}`);
    }
    out.push('');
  };
  for (const s of plan.streams) block(`stream ${s.config.name}${s.role === 'dead-letter' ? ' (dead letters)' : ''}`, `stream ${s.config.name}`, s.config);
  for (const c of plan.consumers) block(`consumer ${c.stream}/${c.config.durable_name} (${c.role}, path ${c.path} → ${c.receiver})`, `consumer ${c.stream}/${c.config.durable_name}`, c.config);
  for (const b of plan.buckets) block(`KV bucket ${b.config.bucket}`, `bucket ${b.config.bucket}`, b.config as unknown as Record<string, unknown>);
  for (const o of plan.objectStores) block(`object store ${o.config.bucket}`, `object store ${o.config.bucket}`, o.config as unknown as Record<string, unknown>);
  for (const p of plan.paths.filter((x) => x.primitive === 'core')) out.push(`path ${p.path}: core pub/sub, nothing to create`);
  return out.join('\n') + '\n';
}

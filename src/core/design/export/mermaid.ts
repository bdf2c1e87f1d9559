/**
 * Markdown with a Mermaid flowchart of the design: components, the streams and buckets that
 * carry their paths, consumers on the edges, and a table of paths with their verdicts.
 */
import { PRIMITIVE_LABELS } from '../../decide';
import type { FlowDesign } from '../model';
import { showValue, type Plan } from '../plan';

const id = (prefix: string, s: string) => `${prefix}_${s.replace(/[^A-Za-z0-9_]/g, '_')}`;
/** Mermaid labels in quotes: a quote becomes #quot; so user text cannot break out of the label. */
const label = (s: string) => `"${s.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'))}"`;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function exportMermaid(design: FlowDesign, plan: Plan): string {
  const lines = ['flowchart LR'];
  for (const c of design.components) {
    const shape = c.kind === 'client' ? ['([', '])'] : c.kind === 'external' ? ['[/', '/]'] : c.kind === 'workerPool' ? ['[[', ']]'] : ['[', ']'];
    lines.push(`  ${id('c', c.id)}${shape[0]}${label(c.name)}${shape[1]}`);
  }
  for (const s of plan.streams) lines.push(`  ${id('s', s.config.name)}[(${label(`${s.role === 'dead-letter' ? 'DLQ ' : 'stream '}${s.config.name}`)})]`);
  for (const b of plan.buckets) lines.push(`  ${id('b', b.config.bucket)}[(${label(`KV ${b.config.bucket}`)})]`);
  for (const o of plan.objectStores) {
    lines.push(`  ${id('o', o.config.bucket)}[(${label(`objects ${o.config.bucket}`)})]`);
    for (const c of o.components) lines.push(`  ${id('c', c)} <-.-> ${id('o', o.config.bucket)}`);
  }
  const cls = new Map(plan.paths.map((p) => [p.path, p]));
  for (const p of design.paths) {
    const prim = cls.get(p.id)!.primitive;
    if (prim === 'stream') {
      const stream = plan.consumers.find((c) => c.path === p.id)?.stream ?? plan.streams.find((s) => s.paths.includes(p.id))?.config.name;
      if (!stream) continue;
      lines.push(`  ${id('c', p.from)} -->|${label(p.subject)}| ${id('s', stream)}`);
      for (const c of plan.consumers.filter((x) => x.path === p.id)) lines.push(`  ${id('s', stream)} -->|${label(`${c.config.durable_name} (${c.role})`)}| ${id('c', c.receiver)}`);
    } else if (prim === 'kv') {
      const bucket = plan.buckets.find((b) => b.paths.includes(p.id))!.config.bucket;
      lines.push(`  ${id('c', p.from)} -->|${label(`put ${p.subject}`)}| ${id('b', bucket)}`);
      for (const r of p.to) lines.push(`  ${id('b', bucket)} -.->|${label('watch')}| ${id('c', r)}`);
    } else {
      for (const r of p.to) lines.push(`  ${id('c', p.from)} -.->|${label(`${p.subject}${prim === 'core' ? ' (core pub/sub)' : ' (undecided)'}`)}| ${id('c', r)}`);
    }
  }
  for (const s of plan.streams.filter((x) => x.role === 'dead-letter')) {
    const src = plan.streams.find((x) => x.role === 'context' && x.context === s.context);
    if (src) lines.push(`  ${id('s', src.config.name)} -.->|${label('max deliveries')}| ${id('s', s.config.name)}`);
  }

  const name = (cid: string) => design.components.find((c) => c.id === cid)?.name ?? cid;
  const out = [`# ${design.name}`, '', ...(design.description ? [design.description, ''] : []), `Environment: ${plan.environment}.`, '', '```mermaid', ...lines, '```', '', '## Paths', ''];
  out.push('| path | from → to | subject | primitive | why |', '|---|---|---|---|---|');
  for (const p of design.paths) {
    const c = cls.get(p.id)!;
    const prim = c.primitive === 'core' ? 'core pub/sub' : PRIMITIVE_LABELS[c.primitive];
    const why = p.override ? `override: ${p.override.reason}` : c.decidedBy ? `decided by the ${c.decidedBy} test${c.conflict ? ' (tests disagree)' : ''}` : 'no clear answer';
    out.push(`| ${cell(p.id)} | ${cell(name(p.from))} → ${cell(p.to.map(name).join(', ') || '—')} | \`${cell(p.subject)}\` | ${prim} | ${cell(why)} |`);
  }
  out.push('', '## Planned objects', '');
  for (const s of plan.streams) {
    const c = s.config;
    out.push(`- **stream ${c.name}**: ${c.subjects.map((x) => `\`${x}\``).join(', ')}; ${c.retention}, ${c.storage}, R${c.num_replicas}, max age ${showValue('max_age', c.max_age)}, max bytes ${showValue('max_bytes', c.max_bytes)}`);
  }
  for (const x of plan.consumers) {
    const c = x.config;
    out.push(`- **consumer ${x.stream}/${c.durable_name}** (${x.role}): filter \`${c.filter_subject ?? '>'}\`, ack ${c.ack_policy}, ack wait ${showValue('ack_wait', c.ack_wait)}, max deliver ${c.max_deliver}${c.backoff ? `, backoff ${showValue('backoff', c.backoff)}` : ''}`);
  }
  for (const o of plan.objectStores) out.push(`- **object store ${o.config.bucket}**: TTL ${showValue('ttl', o.config.ttl)}, ${o.config.storage}, R${o.config.replicas}${o.config.max_bytes !== undefined ? `, max ${showValue('max_bytes', o.config.max_bytes)}` : ''}`);
  for (const b of plan.buckets) out.push(`- **KV ${b.config.bucket}**: history ${b.config.history}, TTL ${showValue('ttl', b.config.ttl)}, ${b.config.storage}, R${b.config.replicas}`);
  return out.join('\n') + '\n';
}

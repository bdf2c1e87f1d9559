/**
 * Quick fixes for lint findings (lint.ts), as pure design → design transforms: the designer's
 * Problems list and inspector and VS Code's code actions on the JSON apply the same ones.
 * A rule gets a fix only where the change follows from the finding without a human decision;
 * NO_FIX says for the others why not (they show their advice only).
 */
import { consumerKey, type FlowDesign, type Overrides } from './model';
import type { Finding, LintRuleId } from './lint';
import type { Plan } from './plan';
import { parseDuration } from './units';

export interface DesignFix {
  title: string;
  apply(design: FlowDesign): FlowDesign;
}

/** The rules that have a quick fix. */
export const FIXABLE_RULES: readonly LintRuleId[] = [
  'subject-uncaptured',
  'interest-no-consumers',
  'worker-ack-explicit',
  'worker-max-deliver',
  'worker-dead-letter',
  'backoff-too-long',
  'ack-wait-short',
  'production-durability',
  'filter-outside-stream',
  'primitive-stale',
  'override-unused',
];

/** The rules without one, and why. */
export const NO_FIX: Readonly<Partial<Record<LintRuleId, string>>> = {
  'subject-flat': 'the domain, entity and event names are the designer\'s to choose (the inspector suggests some)',
  'subject-overlap': 'which bounded context gives up which subjects is a design decision',
  'workqueue-filter-overlap': 'disjoint filters, one shared consumer or limits retention each make a different system',
  'kv-slow-path': 'moving the work to a stream splits one concept into state and work: a redesign',
  'heuristic-conflict': 'splitting the concept, or keeping one primitive with a reason, needs the person who knows the path',
  'path-undecided': 'only the person who knows the path can answer the four tests',
};

const S = 1_000_000_000;

const decode = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');
const pointerSegs = (f: Finding) => (f.location.pointer ?? '').split('/').slice(1).map(decode);

type Group = 'streams' | 'consumers' | 'buckets';

/** A copy of the design with `edit` applied to its override for `key` (created when missing, dropped when left empty). */
function withOverride(design: FlowDesign, group: Group, key: string, edit: (o: Overrides) => void): FlowDesign {
  const d = structuredClone(design);
  const overrides = (d.overrides ??= {});
  const byKey = (overrides[group] ??= {});
  const o = (byKey[key] ??= {});
  edit(o);
  if (!Object.keys(o).length) delete byKey[key];
  if (!Object.keys(byKey).length) delete overrides[group];
  if (!Object.keys(overrides).length) delete d.overrides;
  return d;
}

const consumerOf = (f: Finding, plan: Plan) => (f.location.path && f.location.component ? plan.consumers.find((c) => c.path === f.location.path && c.receiver === f.location.component) : undefined);
const overrideOf = (design: FlowDesign, group: Group, key: string): Overrides | undefined => design.overrides?.[group]?.[key];

/** The fixes for one finding, given the design and the plan it was found in. */
export function fixesFor(finding: Finding, design: FlowDesign, plan: Plan): DesignFix[] {
  const pathId = finding.location.path;
  const path = pathId ? design.paths.find((p) => p.id === pathId) : undefined;
  const segs = pointerSegs(finding);
  switch (finding.rule) {
    case 'primitive-stale': {
      const cls = plan.paths.find((c) => c.path === pathId);
      if (!cls || !path) return [];
      return [{ title: `Set "primitive" to "${cls.primitive}"`, apply: (d) => ({ ...d, paths: d.paths.map((p) => (p.id === pathId ? { ...p, primitive: cls.primitive } : p)) }) }];
    }
    case 'override-unused': {
      if (segs[0] !== 'overrides' || segs.length !== 3) return [];
      const [, group, key] = segs as [string, Group, string];
      return [{ title: `Remove the unused override ${group}.${key}`, apply: (d) => withOverride(d, group, key, (o) => Object.keys(o).forEach((k) => delete o[k])) }];
    }
    case 'worker-dead-letter': {
      if (path?.deadLetter?.mode !== 'none') return [];
      return [
        {
          title: 'Plan a dead-letter stream (remove deadLetter "none")',
          apply: (d) => ({ ...d, paths: d.paths.map((p) => (p.id === pathId ? (({ deadLetter: _d, ...rest }) => rest)(p) : p)) }),
        },
      ];
    }
    case 'subject-uncaptured': {
      if (!path) return [];
      const stream = plan.streams.find((s) => s.role === 'context' && s.paths.includes(path.id));
      if (!stream) return [];
      return [
        {
          title: `Capture "${path.subject}" in stream ${stream.config.name} (overrides.streams.${stream.context}.subjects)`,
          apply: (d) => withOverride(d, 'streams', stream.context, (o) => (o.subjects = [...new Set([...stream.config.subjects, path.subject])])),
        },
      ];
    }
    case 'interest-no-consumers': {
      const ctx = segs[2];
      if (segs[0] !== 'overrides' || !ctx) return [];
      return [{ title: `Keep the messages: limits retention for stream ${finding.location.object?.split(' ')[1] ?? ctx}`, apply: (d) => withOverride(d, 'streams', ctx, (o) => (o.retention = 'limits')) }];
    }
    case 'worker-ack-explicit': {
      const c = consumerOf(finding, plan);
      if (!c) return [];
      const key = consumerKey(c.path, c.receiver);
      return [{ title: `Use ack_policy "explicit" for ${c.config.durable_name} (the planned worker default)`, apply: (d) => withOverride(d, 'consumers', key, (o) => delete o.ack_policy) }];
    }
    case 'worker-max-deliver': {
      const c = consumerOf(finding, plan);
      if (!c) return [];
      const key = consumerKey(c.path, c.receiver);
      const backoff = overrideOf(design, 'consumers', key)?.backoff;
      const max = Math.max(5, (Array.isArray(backoff) ? backoff.length : 0) + 1);
      return [
        {
          title: `Retry ${c.config.durable_name} at most ${max} times (max_deliver ${max}, seed 001)`,
          apply: (d) => withOverride(d, 'consumers', key, (o) => (Array.isArray(o.backoff) ? (o.max_deliver = max) : delete o.max_deliver)),
        },
      ];
    }
    case 'backoff-too-long': {
      const c = consumerOf(finding, plan);
      if (!c?.config.backoff) return [];
      const key = consumerKey(c.path, c.receiver);
      const max = c.config.backoff.length + 1;
      return [{ title: `Raise max_deliver of ${c.config.durable_name} to ${max} (one more than its ${c.config.backoff.length} backoff values)`, apply: (d) => withOverride(d, 'consumers', key, (o) => (o.max_deliver = max)) }];
    }
    case 'ack-wait-short': {
      const c = consumerOf(finding, plan);
      if (!c || !path) return [];
      const fixes: DesignFix[] = [
        {
          title: `Send in-progress acks while working ("inProgressAcks": true on path ${path.id})`,
          apply: (d) => ({ ...d, paths: d.paths.map((p) => (p.id === path.id ? { ...p, inProgressAcks: true } : p)) }),
        },
      ];
      // raising ack_wait fixes it only when no backoff override sets the first wait instead
      const key = consumerKey(c.path, c.receiver);
      const processing = parseDuration(path.processingTime);
      if (processing !== undefined && overrideOf(design, 'consumers', key)?.backoff === undefined) {
        const seconds = Math.max(30, Math.ceil((2 * processing) / S));
        fixes.push({ title: `Raise ack_wait of ${c.config.durable_name} to ${seconds}s (twice the processing time ${path.processingTime})`, apply: (d) => withOverride(d, 'consumers', key, (o) => (o.ack_wait = `${seconds}s`)) });
      }
      return fixes;
    }
    case 'production-durability': {
      // memory storage goes (file is the default) and the replicas are set to 3
      const durable = (o: Record<string, unknown>, replicas: 'num_replicas' | 'replicas') => {
        if (o.storage === 'memory') delete o.storage;
        o[replicas] = 3;
      };
      if (segs[0] === 'objectStores' && segs[1] !== undefined) {
        const i = Number(segs[1]);
        const name = design.objectStores?.[i]?.bucket;
        if (name === undefined) return [];
        return [
          {
            title: `Use file storage and 3 replicas for object store ${name} (seed 001)`,
            apply: (d) => {
              const next = structuredClone(d);
              durable(next.objectStores![i]! as unknown as Record<string, unknown>, 'replicas');
              return next;
            },
          },
        ];
      }
      const [, group, ctx] = segs as [string, Group, string | undefined];
      if (segs[0] !== 'overrides' || (group !== 'streams' && group !== 'buckets') || !ctx) return [];
      return [{ title: `Use file storage and 3 replicas for ${finding.location.object ?? `${group}.${ctx}`} (seed 001)`, apply: (d) => withOverride(d, group, ctx, (o) => durable(o, group === 'streams' ? 'num_replicas' : 'replicas')) }];
    }
    case 'filter-outside-stream': {
      const c = consumerOf(finding, plan);
      if (!c) return [];
      const key = consumerKey(c.path, c.receiver);
      if (overrideOf(design, 'consumers', key)?.filter_subject === undefined) return [];
      return [{ title: `Filter ${c.config.durable_name} on the path's subject (remove the filter_subject override)`, apply: (d) => withOverride(d, 'consumers', key, (o) => delete o.filter_subject) }];
    }
    default:
      return [];
  }
}

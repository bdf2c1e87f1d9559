/**
 * The design linter: the classic JetStream mistakes (nats-facts.md "What JetStream users get
 * wrong", seeds 000 and 001), each with a rule id, a severity, where it is (path, component,
 * planned object, JSON pointer) and what to do about it. Runs on the design and its plan, so
 * it sees what would really be created.
 */
import { PRIMITIVE_LABELS } from '../decide';
import { consumerKey, type FlowDesign } from './model';
import { planDesign, MAX_DELIVERIES_ADVISORY, type Plan, type PlanOptions } from './plan';
import { PatternTrie } from './patternTrie';
import { patternsOverlap, SubjectIndex } from './subjects';
import { parseDuration, goDuration } from './units';

export type Severity = 'error' | 'warning' | 'info';

export interface FindingLocation {
  path?: string;
  component?: string;
  /** `stream NAME`, `consumer STREAM/NAME`, `bucket NAME`. */
  object?: string;
  /** JSON pointer into the design file. */
  pointer?: string;
}

export interface Finding {
  rule: LintRuleId;
  severity: Severity;
  message: string;
  fix: string;
  location: FindingLocation;
}

export const LINT_RULES = {
  'subject-flat': 'a subject without hierarchy ({domain}.{entity}.{event}, seed 001)',
  'subject-overlap': 'two streams capture the same subjects (the server refuses the second)',
  'subject-uncaptured': 'a publisher sends on a subject no stream captures (messages are lost)',
  'workqueue-filter-overlap': 'consumers of a work-queue stream with overlapping filters (refused: "filtered consumer not unique")',
  'interest-no-consumers': 'interest retention with no consumer (messages are dropped at once)',
  'worker-ack-explicit': 'a worker queue without explicit acks',
  'worker-max-deliver': 'a worker queue that retries forever (no MaxDeliver)',
  'worker-dead-letter': 'MaxDeliver with no dead-letter plan (failed work vanishes)',
  'backoff-too-long': 'more backoff values than redeliveries (the server refuses the consumer)',
  'ack-wait-short': 'ack wait below the processing time without in-progress acks (redelivery mid-work)',
  'production-durability': 'R1 or memory storage for durable production data',
  'kv-slow-path': 'slow or side-effecting work on a KV watch (re-run on every restart)',
  'heuristic-conflict': 'the four tests disagree (seed 000: the concept may be two things conflated)',
  'path-undecided': 'a path the heuristic cannot decide (nothing is planned for it)',
  'filter-outside-stream': 'a consumer whose filter matches nothing its stream captures',
  'primitive-stale': 'the primitive stored in the file is not what the answers give',
  'override-unused': 'an override that names no planned object',
} as const;
export type LintRuleId = keyof typeof LINT_RULES;

const pathPointer = (design: FlowDesign, id: string) => `/paths/${design.paths.findIndex((p) => p.id === id)}`;

export function lintDesign(design: FlowDesign, plan: Plan = planDesign(design)): Finding[] {
  const out: Finding[] = [];
  const add = (rule: LintRuleId, severity: Severity, message: string, fix: string, location: FindingLocation) => out.push({ rule, severity, message, fix, location });
  const classOf = new Map(plan.paths.map((c) => [c.path, c]));
  const production = plan.environment === 'production';

  for (const [i, p] of design.paths.entries()) {
    const cls = classOf.get(p.id)!;
    const at = `/paths/${i}`;
    const tokens = p.subject.split('.');
    if (tokens.length < 2 || tokens[0] === '*' || tokens[0] === '>') {
      add('subject-flat', 'warning', `path "${p.id}" uses the flat subject "${p.subject}"`, `use {domain}.{entity}.{event}, e.g. "${tokens[0] === '*' || tokens[0] === '>' ? 'orders' : tokens[0]}.order.created" (seed 001): the first token names the bounded context and its stream`, { path: p.id, pointer: `${at}/subject` });
    }
    if (cls.primitive === 'undecided') {
      add('path-undecided', 'error', `path "${p.id}" is undecided: no test has a clear answer, so nothing is planned for it`, 'answer at least one of restart, fanout, processing, nature (seed 000), or set override.primitive with a reason', { path: p.id, pointer: `${at}/answers` });
    }
    if (cls.conflict && !cls.overridden) {
      add('heuristic-conflict', 'warning', `path "${p.id}": ${cls.advice}`, `split the concept into two paths (state as a KV entry others watch, the work as a stream), or keep ${PRIMITIVE_LABELS[cls.derived]} and record why in override.reason`, { path: p.id, pointer: `${at}/answers` });
    }
    if (p.primitive !== undefined && p.primitive !== cls.primitive) {
      add('primitive-stale', 'info', `path "${p.id}" says primitive "${p.primitive}" but its answers${cls.overridden ? ' and override' : ''} give "${cls.primitive}"`, `set "primitive": "${cls.primitive}" (the planner uses "${cls.primitive}")`, { path: p.id, pointer: `${at}/primitive` });
    }
    if (cls.primitive === 'kv') {
      const slowTime = (parseDuration(p.processingTime) ?? 0) > 5 * 1_000_000_000;
      if (p.answers.processing === 'slow' || slowTime) {
        add('kv-slow-path', 'warning', `path "${p.id}" is a KV watch but its processing is ${p.answers.processing === 'slow' ? 'slow or has side effects' : `long (${p.processingTime})`}: every watcher restart replays every current value and re-runs that work`, 'keep the state in KV and move the work to a stream with a worker consumer (seed 000: "Slow or has side effects → JetStream Stream")', { path: p.id, pointer: `${at}/answers/processing` });
      }
    }
  }

  // subjects: overlapping streams, uncaptured publishers
  const streams = plan.streams;
  // only the pairs the trie names as candidates are compared (the same findings, in the same order, as comparing all pairs)
  for (const [a, b] of overlappingPairs(streams.map((s) => s.config.subjects))) {
    const sa = streams[a]!;
    const sb = streams[b]!;
    const clash = sa.config.subjects.flatMap((x) => sb.config.subjects.filter((y) => patternsOverlap(x, y)).map((y) => `${x} / ${y}`));
    if (clash.length) {
      add('subject-overlap', 'error', `streams ${sa.config.name} and ${sb.config.name} capture overlapping subjects (${clash.join(', ')}): the server refuses the second`, 'give each bounded context its own first subject token, or narrow the subjects in overrides.streams', { object: `stream ${sb.config.name}`, pointer: `/overrides/streams/${sb.context}` });
    }
  }
  const index = new SubjectIndex<string>();
  for (const s of streams) for (const subj of s.config.subjects) index.add(subj, s.config.name);
  for (const [i, p] of design.paths.entries()) {
    if (classOf.get(p.id)!.primitive !== 'stream') continue;
    if (!index.captures(p.subject)) {
      const partly = index.overlaps(p.subject);
      add('subject-uncaptured', 'error', `"${design.components.find((c) => c.id === p.from)?.name ?? p.from}" publishes on "${p.subject}" (path "${p.id}") but ${partly ? 'no stream captures all of it' : 'no stream captures it'}: those messages are not stored`, `make the stream subjects cover "${p.subject}" (overrides.streams) or change the path's subject`, { path: p.id, component: p.from, pointer: `/paths/${i}/subject` });
    }
  }

  // consumers
  const consumersOf = new Map<string, Plan['consumers']>();
  for (const c of plan.consumers) consumersOf.set(c.stream, [...(consumersOf.get(c.stream) ?? []), c]);
  for (const s of streams) {
    const mine = consumersOf.get(s.config.name) ?? [];
    if (s.config.retention === 'interest' && mine.length === 0) {
      add('interest-no-consumers', 'error', `stream ${s.config.name} has interest retention but no consumer: every message is dropped as soon as it is stored`, 'add a receiving component to its paths, or use limits retention', { object: `stream ${s.config.name}`, pointer: `/overrides/streams/${s.context}/retention` });
    }
    if (s.config.retention === 'workqueue') {
      for (const [a, b] of overlappingPairs(mine.map((c) => [c.config.filter_subject ?? '>']))) {
        const ca = mine[a]!;
        const cb = mine[b]!;
        const fa = ca.config.filter_subject ?? '>';
        const fb = cb.config.filter_subject ?? '>';
        add('workqueue-filter-overlap', 'error', `work-queue stream ${s.config.name}: consumers ${ca.config.durable_name} (${fa}) and ${cb.config.durable_name} (${fb}) overlap; the server refuses the second ("filtered consumer not unique")`, 'give the consumers disjoint filters, share one consumer between the workers, or use limits retention with one consumer per reader', { path: cb.path, component: cb.receiver, object: `consumer ${s.config.name}/${cb.config.durable_name}`, pointer: pathPointer(design, cb.path) });
      }
    }
  }
  const pathById = new Map(design.paths.map((p) => [p.id, p]));
  const streamByName = new Map(streams.map((s) => [s.config.name, s]));
  const streamTries = new Map<string, PatternTrie<true>>();
  const streamTrie = (s: (typeof streams)[number]) => {
    let t = streamTries.get(s.config.name);
    if (!t) {
      t = new PatternTrie<true>();
      for (const subj of s.config.subjects) t.add(subj, true);
      streamTries.set(s.config.name, t);
    }
    return t;
  };
  for (const c of plan.consumers) {
    const path = pathById.get(c.path)!;
    const object = `consumer ${c.stream}/${c.config.durable_name}`;
    const key = consumerKey(c.path, c.receiver);
    const loc = { path: c.path, component: c.receiver, object, pointer: `/overrides/consumers/${key.replace(/~/g, '~0').replace(/\//g, '~1')}` };
    const stream = streamByName.get(c.stream)!;
    const filter = c.config.filter_subject;
    if (filter && !streamTrie(stream).overlapsAny(filter)) {
      add('filter-outside-stream', 'error', `${object} filters on "${filter}", which nothing in stream ${c.stream} (${stream.config.subjects.join(', ')}) matches: it would never receive a message`, `use a filter inside ${stream.config.subjects.join(', ')}`, loc);
    }
    if (c.role === 'worker') {
      if (c.config.ack_policy !== 'explicit') {
        add('worker-ack-explicit', 'error', `${object} is a worker queue with ack policy "${c.config.ack_policy}": a crash loses the work in hand`, 'use ack_policy "explicit" and ack after the work is done (seed 001: "Always use AckExplicit")', loc);
      }
      if (!(c.config.max_deliver > 0)) {
        add('worker-max-deliver', 'warning', `${object} retries forever (max_deliver ${c.config.max_deliver}): a poison message loops`, 'set max_deliver (e.g. 5) with a dead-letter plan (seed 001: "don\'t retry forever")', loc);
      } else {
        const advisory = `${MAX_DELIVERIES_ADVISORY}.${c.stream}.${c.config.durable_name}`;
        if (!index.captures(advisory) && path.deadLetter?.mode !== 'external') {
          add('worker-dead-letter', 'warning', `${object} gives up after ${c.config.max_deliver} deliveries but nothing captures ${advisory}: failed work disappears silently`, 'remove deadLetter "none" so the planner adds a dead-letter stream, or set deadLetter {"mode": "external", "reason": …}', { ...loc, pointer: `${pathPointer(design, c.path)}/deadLetter` });
        }
      }
    }
    if (c.config.backoff?.length && c.config.max_deliver > 0 && c.config.max_deliver <= c.config.backoff.length) {
      add('backoff-too-long', 'error', `${object} has ${c.config.backoff.length} backoff values but max_deliver ${c.config.max_deliver}: the server refuses it (max_deliver must be greater than the number of backoff values)`, `raise max_deliver to at least ${c.config.backoff.length + 1}, or shorten backoff`, loc);
    }
    const processing = parseDuration(path.processingTime);
    const firstWait = c.config.backoff?.length ? c.config.backoff[0]! : c.config.ack_wait;
    if (processing !== undefined && firstWait < processing && !path.inProgressAcks && c.config.ack_policy !== 'none') {
      add('ack-wait-short', 'error', `${object} waits ${goDuration(firstWait)} for an ack but path "${c.path}" declares ${path.processingTime} of processing: the message is redelivered while still being worked on`, `raise ack_wait above ${path.processingTime}, or send in-progress acks (msg.working()) and set "inProgressAcks": true`, loc);
    }
  }

  if (production) {
    for (const s of streams) {
      if (s.config.num_replicas < 3 || s.config.storage === 'memory') {
        add('production-durability', 'warning', `stream ${s.config.name} keeps production data with ${s.config.storage === 'memory' ? 'memory storage' : `R${s.config.num_replicas}`}: ${s.config.storage === 'memory' ? 'a restart loses it' : 'losing one server loses it'}`, 'use file storage and 3 replicas in production (seed 001), or mark the design "development"', { object: `stream ${s.config.name}`, pointer: `/overrides/streams/${s.context}` });
      }
    }
    for (const b of plan.buckets) {
      if (b.config.replicas < 3 || b.config.storage === 'memory') {
        add('production-durability', 'warning', `bucket ${b.config.bucket} keeps production data with ${b.config.storage === 'memory' ? 'memory storage' : `R${b.config.replicas}`}`, 'use file storage and 3 replicas in production (seed 001)', { object: `bucket ${b.config.bucket}`, pointer: `/overrides/buckets/${b.context}` });
      }
    }
    for (const [i, o] of plan.objectStores.entries()) {
      if (o.config.replicas < 3 || o.config.storage === 'memory') {
        add('production-durability', 'warning', `object store ${o.config.bucket} keeps production data with ${o.config.storage === 'memory' ? 'memory storage' : `R${o.config.replicas}`}`, 'use file storage and 3 replicas in production (seed 001)', { object: `object store ${o.config.bucket}`, pointer: `/objectStores/${i}` });
      }
    }
  }

  // overrides that name nothing
  const o = design.overrides ?? {};
  for (const ctx of Object.keys(o.streams ?? {})) {
    if (!streams.some((s) => s.role === 'context' && s.context === ctx)) {
      add('override-unused', 'warning', `overrides.streams.${ctx} names no planned stream (no stream path has a subject starting "${ctx}.")`, 'fix the context name (the first subject token) or remove the override', { pointer: `/overrides/streams/${ctx}` });
    }
  }
  for (const ctx of Object.keys(o.buckets ?? {})) {
    if (!plan.buckets.some((b) => b.context === ctx)) {
      add('override-unused', 'warning', `overrides.buckets.${ctx} names no planned bucket`, 'fix the context name or remove the override', { pointer: `/overrides/buckets/${ctx}` });
    }
  }
  for (const key of Object.keys(o.consumers ?? {})) {
    if (!plan.consumers.some((c) => consumerKey(c.path, c.receiver) === key)) {
      add('override-unused', 'warning', `overrides.consumers["${key}"] names no planned consumer (the path is not a stream path)`, 'remove it, or make the path a stream', { pointer: `/overrides/consumers/${key.replace(/~/g, '~0').replace(/\//g, '~1')}` });
    }
  }

  const rank = { error: 0, warning: 1, info: 2 };
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}

/**
 * The pairs [a, b] (a < b, in the order two nested loops would visit them) of pattern groups
 * where some pattern of group a overlaps some pattern of group b, found through a trie
 * rather than by comparing every pair.
 */
export function overlappingPairs(groups: readonly (readonly string[])[]): [number, number][] {
  const trie = new PatternTrie<number>();
  groups.forEach((g, i) => g.forEach((p) => trie.add(p, i)));
  const pairs: [number, number][] = [];
  groups.forEach((g, a) => {
    const later = new Set<number>();
    for (const p of g) for (const b of trie.overlapping(p)) if (b > a) later.add(b);
    for (const b of [...later].sort((x, y) => x - y)) pairs.push([a, b]);
  });
  return pairs;
}

/** Plan and lint in one go, as the CLI and the extension want them. */
export function planAndLint(design: FlowDesign, opts: PlanOptions = {}): { plan: Plan; findings: Finding[] } {
  const plan = planDesign(design, opts);
  return { plan, findings: lintDesign(design, plan) };
}

/**
 * The seed's Common Cases Reference (seed 000_0a057cbac6a60a0d.txt), built in, and the
 * "nearest case" lookup the engine uses to say "this looks like <case>".
 */
import type { Primitive, TestId, TestResult } from './engine';

export interface CommonCase {
  /** The seed's "Communication" column, verbatim. */
  communication: string;
  /** The seed's "Primitive" column, verbatim ("KV Write (others watch)", "KV", …). */
  label: string;
  primitive: Primitive;
  /** The seed's "Reason" column, verbatim. */
  reason: string;
  /**
   * The verdict each test gives for this case, read off the reason: Fact → nature KV,
   * fan-out → fanout KV, fast/idempotent → processing KV, recoverable/latest-value →
   * restart KV (re-reading the current value is correct recovery); Request → nature
   * Stream, queue → fanout Stream, slow/expensive/costly/side effects → processing
   * Stream, once → restart Stream. Tests the reason does not speak to are absent.
   */
  pattern: Partial<Record<TestId, Primitive>>;
  /** Words that name the case in a description, with a weight each. */
  keywords: readonly { re: RegExp; weight: number }[];
}

const kw = (re: RegExp, weight = 2) => ({ re, weight });

export const COMMON_CASES: readonly CommonCase[] = [
  {
    communication: 'Entity state changed',
    label: 'KV Watch',
    primitive: 'kv',
    reason: 'Fact; fan-out; fast; idempotent',
    pattern: { restart: 'kv', fanout: 'kv', processing: 'kv', nature: 'kv' },
    keywords: [kw(/\bentit(?:y|ies)\b/), kw(/\b(?:state|status)\b/, 1), kw(/\b(?:changed?|changes|updated)\b/, 1)],
  },
  {
    communication: 'New task to execute',
    label: 'JetStream Stream',
    primitive: 'stream',
    reason: 'Request; queue; expensive; side effects',
    pattern: { fanout: 'stream', processing: 'stream', nature: 'stream' },
    keywords: [kw(/\b(?:tasks?|jobs?)\b/), kw(/\bexecute\b/, 1), kw(/\bnew\b/, 1)],
  },
  {
    communication: 'Index update',
    label: 'KV Write (others watch)',
    primitive: 'kv',
    reason: 'Fact; fan-out; fast',
    pattern: { fanout: 'kv', processing: 'kv', nature: 'kv' },
    keywords: [kw(/\bind(?:ex|exes|ices|exed|exing)\b/, 3), kw(/\bupdates?\b/, 1)],
  },
  {
    communication: 'LLM call',
    label: 'JetStream Stream',
    primitive: 'stream',
    reason: 'Request; queue; slow; costly',
    pattern: { fanout: 'stream', processing: 'stream', nature: 'stream' },
    keywords: [
      kw(/\bllms?\b/, 3),
      kw(/\b(?:language model|openai|anthropic|gpt|completion|inference|prompt|embeddings?)\b/),
      kw(/\bcalls?\b/, 1),
    ],
  },
  {
    communication: 'Loop current state',
    label: 'KV',
    primitive: 'kv',
    reason: 'Fact; queryable; recoverable',
    pattern: { restart: 'kv', nature: 'kv' },
    keywords: [kw(/\bloops?\b/, 3), kw(/\bcurrent\b/, 1), kw(/\bstate\b/, 1)],
  },
  {
    communication: 'Tool execution request',
    label: 'JetStream Stream',
    primitive: 'stream',
    reason: 'Request; queue; side effects',
    pattern: { fanout: 'stream', processing: 'stream', nature: 'stream' },
    keywords: [kw(/\btools?\b/), kw(/\b(?:execution|execute|run|invoke|call)\b/, 1), kw(/\brequests?\b/, 1)],
  },
  {
    communication: 'Tool result returned',
    label: 'JetStream Stream',
    primitive: 'stream',
    reason: 'Response; once; push delivery',
    pattern: { restart: 'stream' },
    keywords: [kw(/\btools?\b/), kw(/\b(?:results?|outputs?|responses?)\b/), kw(/\breturn(?:s|ed)?\b/, 1)],
  },
  {
    communication: 'Workflow trigger',
    label: 'JetStream Stream',
    primitive: 'stream',
    reason: 'Request; queue; expensive',
    pattern: { fanout: 'stream', processing: 'stream', nature: 'stream' },
    keywords: [kw(/\bworkflows?\b/), kw(/\b(?:trigger(?:s|ed)?|kick(?:s|ed)? off|start(?:s|ed)?)\b/)],
  },
  {
    communication: 'Workflow execution state',
    label: 'KV',
    primitive: 'kv',
    reason: 'Fact; queryable; recoverable',
    pattern: { restart: 'kv', nature: 'kv' },
    keywords: [kw(/\bworkflows?\b/), kw(/\b(?:state|status|progress|step)\b/), kw(/\bexecution\b/, 1)],
  },
  {
    communication: 'Sensor telemetry',
    label: 'KV Write',
    primitive: 'kv',
    reason: 'Fact; latest-value semantics',
    pattern: { restart: 'kv', nature: 'kv' },
    keywords: [
      kw(/\bsensors?\b/, 3),
      kw(/\btelemetry\b/, 3),
      kw(/\b(?:readings?|temperature|humidity|gauge|iot|devices?|metrics?)\b/),
      kw(/\blatest\b/, 1),
    ],
  },
];

export interface CaseMatch {
  communication: string;
  label: string;
  primitive: Primitive;
  reason: string;
  /** What made it the nearest: description words, verdict pattern or both. */
  matchedBy: ('words' | 'pattern')[];
  /** Words of the description that named the case. */
  words: string[];
  score: number;
}

/**
 * The nearest common case, or null when nothing is near. A case is a candidate only when
 * its primitive is the decision's (a case with the other primitive would contradict the
 * verdict); any primitive goes when undecided. Score = keyword weights found in the
 * description + 1 per clear test verdict matching the case pattern − 2 per clear verdict
 * against it. "Near" means at least 2 keyword weight, or at least 2 pattern matches with
 * no mismatch. Ties go to the earlier row, and the table lists the generic rows first.
 */
export function nearestCase(
  description: string,
  tests: readonly Pick<TestResult, 'id' | 'verdict'>[],
  primitive: Primitive | 'undecided',
): CaseMatch | null {
  const text = description.toLowerCase();
  let best: CaseMatch | null = null;
  for (const c of COMMON_CASES) {
    if (primitive !== 'undecided' && c.primitive !== primitive) continue;
    const words: string[] = [];
    let wordScore = 0;
    for (const k of c.keywords) {
      const m = k.re.exec(text);
      if (m) {
        words.push(m[0]);
        wordScore += k.weight;
      }
    }
    let matches = 0;
    let mismatches = 0;
    for (const t of tests) {
      const expected = c.pattern[t.id];
      if (!expected || t.verdict === null) continue;
      if (t.verdict === expected) matches++;
      else mismatches++;
    }
    const near = wordScore >= 2 || (matches >= 2 && mismatches === 0);
    if (!near) continue;
    const score = wordScore + matches - 2 * mismatches;
    if (best === null || score > best.score) {
      const matchedBy: CaseMatch['matchedBy'] = [];
      if (wordScore > 0) matchedBy.push('words');
      if (matches > 0) matchedBy.push('pattern');
      best = { communication: c.communication, label: c.label, primitive: c.primitive, reason: c.reason, matchedBy, words, score };
    }
  }
  return best;
}

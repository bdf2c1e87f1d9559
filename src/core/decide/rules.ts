/**
 * Phrase rules for the seed's four tests (seed 000_0a057cbac6a60a0d.txt): precise phrases
 * over the lower-cased text, with clause-local negation ("should not re-process", "no side
 * effects", "no other service"). They no longer decide on their own: classify.ts feeds
 * their verdicts as features to the trained model, which weighs them against the words.
 */
import type { Answer, TestId } from './engine';

export interface RuleHit {
  answer: Answer;
  /**
   * True when the answer rests on an explicit statement about the test (a weight-3 phrase
   * such as "exactly one worker", "re-processing is fine", "no side effects") and beats the
   * other side by at least that much: such phrases settle the test on their own.
   */
  explicit: boolean;
  /** The phrases of the description (lower-cased) that led to the answer. */
  evidence: string[];
}
export type RuleHits = { [K in TestId]?: RuleHit };

interface Rule {
  test: TestId;
  re: RegExp;
  /** Answer when the phrase is not negated; null: the phrase alone says nothing. */
  answer: Answer | null;
  /** Answer when a negator precedes it in the same clause; null: ignore it then. */
  negated: Answer | null;
  weight: number;
}

const flip: Record<string, Answer> = {
  yes: 'no', no: 'yes', all: 'one', one: 'all', fast: 'slow', slow: 'fast', fact: 'request', request: 'fact',
};

function rule(test: TestId, source: string, answer: Answer | null, opts: { negated?: Answer | null; weight?: number } = {}): Rule {
  const negated = opts.negated !== undefined ? opts.negated : answer ? flip[answer]! : null;
  return { test, re: new RegExp(`\\b(?:${source})\\b`, 'g'), answer, negated, weight: opts.weight ?? 2 };
}

// ---- shared fragments -------------------------------------------------------------------

/** Doing the same work again. */
const REPEAT =
  "re-?process(?:es|ed|ing)?|re-?handl(?:e|es|ed|ing)|re-?play(?:s|ed|ing)?|re-?run(?:s|ning)?|re-?execut(?:e|es|ed|ing)|" +
  're-?send(?:s|ing)?|re-?sent|re-?deliver(?:s|ed|y|ing)?|re-?appl(?:y|ies|ied|ying)|re-?read(?:s|ing)?|' +
  '(?:process|handl|appl|execut|deliver|receiv|send|sent|run|do|charg|see)\\w* (?:\\w+ ){0,3}?(?:again|twice|more than once)';
const GOOD = 'fine|ok|okay|safe|harmless|correct|acceptable|expected|intended|desired|the right (?:thing|recovery)|idempotent';
const BAD =
  'wrong|bad|harmful|unacceptable|dangerous|a bug|a problem|a disaster|costly|expensive|catastrophic|unsafe|' +
  'confus\\w+|annoy\\w+|spam\\w*|wasteful|wastes?|duplicat\\w+|double\\w*';
/** Whoever could receive a message (workers and handlers are queue words, kept apart). */
const AUDIENCE =
  'services?|consumers?|subscribers?|components?|instances?|nodes?|listeners?|processors?|replicas?|dashboards?|' +
  'clients?|apps?|applications?|teams?|systems?|microservices?|modules?|pods?|agents?|watchers?|caches?|uis?|' +
  'frontends?|screens?|gateways?|servers?|regions?|sidecars?|browsers?|devices?|readers?|parties|projections?|views?|pages?';
const QUEUE_ROLE = 'workers?|handlers?|consumers?|instances?|processors?|nodes?|services?|replicas?|executors?|runners?';

/** Verbs that ask for work, not report a fact. */
const IMPERATIVE =
  'send|charge|run|call|generate|ask|create|provision|crawl|render|transcode|deploy|execute|invoke|book|reserve|' +
  'schedule|notify|fetch|compute|export|import|sync|refund|ship|print|score|summari[sz]e|translate|classify|' +
  'resize|convert|upload|download|delete|migrate|backfill|reindex|retrain|train|launch|start|kick off';

const RULES: readonly Rule[] = [
  // ---- Test 1: restart ------------------------------------------------------------------
  // Evaluations first: longer spans win and the bare phrases inside them are then skipped.
  rule('restart', `(?:${REPEAT})[\\w\\s'-]{0,40}?(?:is|are|would be|will be|'s|be) not (?:${GOOD})`, 'no', { weight: 3 }),
  rule('restart', `(?:${REPEAT})[\\w\\s'-]{0,40}?(?:is|are|would be|will be|'s|be) not (?:${BAD})`, 'yes', { weight: 3 }),
  rule('restart', `(?:${REPEAT})[\\w\\s'-]{0,40}?(?:${GOOD}|no harm|does no harm|doesn't matter|does not matter|not a problem)`, 'yes', { weight: 3 }),
  rule('restart', `(?:${REPEAT})[\\w\\s'-]{0,40}?(?:${BAD})`, 'no', { weight: 3 }),
  rule('restart', `(?:${GOOD}|no harm in|nothing breaks if (?:we|it|they)) (?:to |if (?:we|it|they|you) )?(?:${REPEAT})`, 'yes', { weight: 3 }),
  // "it doesn't matter if a reader sees the same value twice", "nobody minds if it is applied again"
  rule('restart', `(?:(?:doesn't|does not|won't|will not|wouldn't|would not) matter|nobody minds|no one minds|we don't mind) (?:if|when|whether) (?:[\\w'-]+ ){0,3}?(?:${REPEAT})`, 'yes', { weight: 3 }),
  rule(
    'restart',
    '(?:on|after|at) (?:a |every |each )?(?:re)?start(?:up)?,? (?:it |they |we |the \\w+ )?(?:just |simply |should |can |will )?' +
      '(?:re-?reads?|reloads?|rebuilds?|replays?|loads?|reads?|fetch(?:es)?|gets?|restores?) (?:all |the |its |their )?(?:current|latest|state|everything|all|values)',
    'yes',
    { weight: 3 },
  ),
  rule(
    'restart',
    '(?:rebuilds?|reloads?|re-?reads?|restores?|replays?|recomputes?) (?:all |the |its |their )?(?:\\w+ )?(?:state|values?|view|cache|entries|keys|snapshot|map|table|index|config\\w*|settings|list)' +
      '(?: from \\w+)? (?:on|after|at) (?:a |every |each )?(?:re)?start(?:up|s)?',
    'yes',
    { weight: 3 },
  ),
  rule('restart', '(?:exactly|only|at most) once|once and only once|more than once|twice', 'no', { negated: 'no', weight: 3 }),
  rule('restart', '(?:processed|handled|executed|run|sent|charged|delivered|applied|performed|done|go out|goes out|happen|happens|fire|fires) (?:exactly |only )?once', 'no', { negated: 'no', weight: 3 }),
  rule(
    'restart',
    'double[- ](?:charg|book|bill|send|ship|process|spend|pay)\\w*|duplicate (?:charges?|emails?|payments?|shipments?|orders?|sends?|notifications?|executions?|runs?|bookings?|calls?|invoices?|refunds?|transfers?|jobs?|tasks?)',
    'no',
    { negated: 'no', weight: 3 },
  ),
  rule('restart', '(?:two|2) (?:\\w+ ){0,2}?\\w+s for (?:one|a single|the same|each)', 'no', { negated: null, weight: 3 }),
  rule('restart', "(?:resum(?:e|es|ed|ing)|pick(?:s|ed)? up|continu(?:e|es)) (?:from |where )(?:it |they |we )?(?:left off|stopped|the last ack\\w*)|from the last ack(?:ed|nowledged)?", 'no', { weight: 3 }),
  rule('restart', REPEAT, null, { negated: 'no', weight: 3 }),

  // ---- Test 2: fan-out vs queue ---------------------------------------------------------
  rule('fanout', `(?:nobody|no one|no other (?:${AUDIENCE})) (?:else )?(?:cares|needs it|reads it|watches|listens|reacts)`, 'one', { negated: null, weight: 3 }),
  rule('fanout', `(?:only|exactly|just) (?:one|a single) (?:\\w+ )?(?:${QUEUE_ROLE}|${AUDIENCE}|of them|recipient)`, 'one', { weight: 3 }),
  rule('fanout', `by (?:exactly |only |just )?(?:one|a single) (?:\\w+ )?(?:${QUEUE_ROLE}|${AUDIENCE})`, 'one', { weight: 3 }),
  rule(
    'fanout',
    `(?:one|a single|a|any|the next|an available|whichever|some) (?:free |idle |available |\\w+ )?(?:worker|handler|processor|executor|runner) ` +
      '(?:should |must |will |may |can )?(?:picks?|takes?|claims?|grabs?|handles?|process(?:es)?|runs?|executes?|performs?)',
    'one',
    { weight: 3 },
  ),
  rule('fanout', `(?:picked|taken|claimed|grabbed|handled|processed) (?:up )?by (?:a|one|any|the next|an available|some|whichever) (?:\\w+ )?(?:${QUEUE_ROLE})`, 'one', { weight: 3 }),
  rule('fanout', '(?:work|job|task) ?queues?|queue groups?|worker pools?|pool of (?:\\w+ )?workers|competing (?:consumers|workers)|load[- ]balanc\\w*', 'one', { weight: 3 }),
  rule(
    'fanout',
    '(?:returned|return|sent back|delivered|routed|reply|replies|replied|respond\\w*|handed back) (?:back )?to (?:the |its )?(?:caller|requester|agent|loop|client|user|sender|requesting \\w+|\\w+ (?:that|who) (?:asked|requested|called|invoked))',
    'one',
    { negated: null, weight: 2 },
  ),
  // a result or reply goes back to whoever asked: one receiver (seed table, "Tool result returned")
  rule('fanout', '(?:results?|responses?|replies|outputs?|answers?) (?:is |are |gets? |get )?(?:returned|sent back|handed back|delivered back)', 'one', { negated: null, weight: 2 }),
  rule('fanout', `(?:every|each|all(?: the| of the| our)?|many|several|multiple|various|numerous|other|downstream|interested|any number of) (?:\\w+ )?(?:${AUDIENCE})`, 'all', { weight: 3 }),
  rule(
    'fanout',
    'fan[- ]?out|fans out|broadcast\\w*|multicast\\w*|(?:everyone|everybody|anyone|whoever)(?: who| that)? (?:cares|is interested|needs it)|' +
      '(?:all|everyone|everybody|they all) (?:should |need to |must |can |will )?(?:react|see|know|hear|watch|be notified|get notified|update|listen|refresh)|' +
      '(?:watch(?:es|ed|ing)?|subscrib\\w+) (?:to |for )?(?:the |its |these |those )?(?:changes|updates)|(?:others|everyone else) (?:watch|react|listen|subscribe)',
    'all',
    { weight: 3 },
  ),
  rule('fanout', `(?:shown|displayed|rendered|visible|used|read) (?:in|on|by) (?:every|each|all|both|many|several|multiple|various)|(?:${AUDIENCE}) (?:in|on|at|across) (?:every|each|all) \\w+`, 'all', { weight: 3 }),
  // two named receivers ("the mobile app and the web app") means more than one reacts
  rule('fanout', `(?:${AUDIENCE}) and (?:the |a |its )?(?:\\w+ ){0,2}?(?:${AUDIENCE})`, 'all', { negated: null, weight: 2 }),
  rule('fanout', `\\w+ and \\w+ (?:${AUDIENCE})`, 'all', { negated: null, weight: 2 }),
  rule('fanout', 'workers?|queued?|assigned to', 'one', { negated: null, weight: 1 }),
  rule('fanout', 'watch\\w*|subscribers?|listeners?', 'all', { negated: null, weight: 1 }),

  // ---- Test 3: processing time ----------------------------------------------------------
  rule('processing', 'no (?:real |external |other )?side[- ]effects?|side[- ]effect[- ]free|pure functions?', 'fast', { negated: null, weight: 3 }),
  rule('processing', 'non-?idempotent', 'slow', { negated: 'fast', weight: 3 }),
  rule('processing', 'idempotent(?:ly)?', 'fast', { weight: 3 }),
  rule('processing', 'side[- ]effects?', 'slow', { weight: 3 }),
  rule(
    'processing',
    'slow(?:ly)?|long[- ]running|expensive|costly|costs? (?:real )?money|heavy(?:weight)?|time[- ]consuming|' +
      'takes? (?:up to |several |a few |many |about |around |roughly |~)?(?:\\d+ )?(?:seconds|minutes|hours|a while|a minute|an hour)|' +
      '(?<!every )(?<!every \\d+-)(?:several|many|a few|\\d+) (?:seconds|minutes|hours)',
    'slow',
    { weight: 3 },
  ),
  rule('processing', 'fast|quick(?:ly)?|cheap(?:ly)?|instant(?:ly|aneous)?|lightweight|trivial|tiny|in-memory|microseconds?|milliseconds?|\\d+ ?ms|sub-?second', 'fast', { weight: 2 }),
  rule(
    'processing',
    '(?:just|simply|only) (?:overwrites?|updates?|sets?|replaces?|writes?|stores?|flips?|bumps?|recomputes?|refresh\\w*|evicts?|invalidat\\w+|drops?|deletes?|redraw\\w*|re-?render\\w*|caches?|toggles?|records?|upserts?|marks?)',
    'fast',
    { negated: null, weight: 2 },
  ),
  rule('processing', 'overwrit\\w+|upserts?|last[- ]write[- ]wins|recomput\\w+|latest[- ]value|re-?render\\w*|redraw\\w*|invalidat\\w+|evict\\w*', 'fast', { negated: null, weight: 1 }),
  rule(
    'processing',
    '(?:sends?|sending|send out|emails?|e-mails?|texts?) (?:an? |the |out |them )?(?:\\w+ ){0,2}?(?:e-?mails?|sms|text messages?|notifications?|push notifications?|receipts?|invoices?|webhooks?)|' +
      'charg(?:e|es|ed|ing) (?:the |a |their |his |her |each )?(?:\\w+ ){0,2}?(?:customer|card|user|account|buyer|subscription|renewal|fee|invoice|payment)s?|captur\\w+ (?:the )?payments?|refunds?|payouts?|wire transfers?|' +
      'call(?:s|ing)? (?:an? |the |out to )?(?:external|third[- ]party|remote|partner|payment|shipping|llm|model|openai|gpt|vendor|carrier)(?: \\w+)?|' +
      '(?:external|third[- ]party) (?:api|service|provider|system)s?',
    'slow',
    { negated: null, weight: 2 },
  ),
  rule('processing', '(?:push|sms|e-?mail|mobile) notifications?|notifications? to (?:a |the |each )?(?:\\w+ )?(?:user|customer|phone|device)s?', 'slow', { negated: null, weight: 2 }),
  rule(
    'processing',
    'llms?|language models?|inference|gpu|generat(?:e|es|ing) (?:an? |the )?(?:\\w+ )?(?:report|summary|image|video|pdf|embedding|response|answer|completion|thumbnail|invoice)s?|' +
      'transcod\\w+|render(?:s|ing)? (?:an? |the )?(?:video|pdf|report)s?|provision\\w*|deploy\\w*|crawl\\w*|scrap(?:e|es|ing)|batch jobs?|' +
      'ship(?:s|ping)? (?:the )?(?:order|package|parcel|goods)s?|print(?:s|ing)? (?:the )?(?:label|receipt)s?|book(?:s|ing)? (?:a |the )?(?:flight|room|slot)s?',
    'slow',
    { negated: null, weight: 1 },
  ),

  // ---- Test 4: nature -------------------------------------------------------------------
  rule('nature', 'not (?:a |an )?(?:request|command|task|job)s?', 'fact', { negated: null, weight: 3 }),
  rule('nature', 'not (?:a |an )?facts?', 'request', { negated: null, weight: 3 }),
  rule(
    'nature',
    '(?:current|latest|last[- ]known|live|present) (?:\\w+ )?(?:state|status|value|values|position|location|price|level|config\\w*|settings?|reading|count|balance|score|version|snapshot)s?|' +
      '(?:state|status) (?:of|for) |(?:state|status) (?:changed?|changes|updates?|updated)|is now|' +
      '(?:config|configuration|settings?|feature[- ]flags?|flags?|preferences?|prices?|pricing) (?:changes?|changed|updates?|updated|values?)|' +
      'presence|online|offline|heartbeats?|availability|telemetry|sensor readings?|readings?|measurements?|gauges?|' +
      'index (?:entry|entries|updates?)|search index|snapshots?|(?:inventory|stock) (?:levels?|counts?)|leaderboards?|facts?',
    'fact',
    { weight: 2 },
  ),
  rule('nature', '(?:current|latest|last[- ]known) \\w+|currently', 'fact', { negated: null, weight: 2 }),
  rule(
    'nature',
    'state|status|changed|changes|updated|per (?!(?:second|minute|hour|day|request|call|message)s?\\b)\\w+|cache|config\\w*|metrics?|profiles?|position|location|values|(?:routing|lookup|mapping) tables?|registry|catalog|directory|quotas?',
    'fact',
    { negated: null, weight: 1 },
  ),
  rule(
    'nature',
    '(?<!(?:each|every|per|incoming|http|api) )requests?|commands?|instructions?|please|asks? (?:an? |the )?(?:[\\w-]+ ){0,3}?to|(?:tells?|instructs?) (?:an? |the )?\\w+ to|to do (?:something|some work|work)|' +
      '(?:execute|run|invoke|perform|call|trigger|start|kick off|launch)(?:s|ed|ing)? (?:an? |the |this |that )?(?:\\w+ )?(?:tool|task|job|llm|model|workflow|pipeline|command|build|action|script|function|step|call|payment|agent)s?|' +
      'call(?:s|ing)? (?:an? |the )?llms?',
    'request',
    { weight: 2 },
  ),
  // a sentence that opens with an imperative verb asks for work to be done
  rule('nature', `(?<=^|[.:;!?]\\s{1,3})(?:${IMPERATIVE})`, 'request', { negated: null, weight: 2 }),
  rule('nature', `(?:should|must|needs? to|has to|will|may) (?:\\w+ )?(?:${IMPERATIVE})`, 'request', { negated: null, weight: 1 }),
  rule('nature', 'tasks?|jobs?|triggers?|send (?:an? |the )?(?:\\w+ ){0,2}?e-?mail|charge|refund|generate|provision|deploy|transcode', 'request', { negated: null, weight: 1 }),
];

const NEGATOR = /\b(?:not|never|no|without|nor|cannot|neither)\b|n't\b/;

/** True when a negator sits in the same clause within the four words before `index`. */
function negatedAt(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 60), index);
  const clause = before.split(/[.;:!?()\n]|,\s*(?:but|so|and)\b|\bbut\b|\bhowever\b|\bwhile\b/).pop() ?? '';
  const words = clause.trim().split(/\s+/).slice(-4).join(' ');
  return NEGATOR.test(words);
}

/**
 * Infers answers from `description`. A test is absent when nothing in the text speaks to
 * it. When phrases point both ways the heavier side wins; equal weight gives `unsure`
 * (mixed signals) with the evidence of both.
 */
export function classifyByRules(description: string): RuleHits {
  const text = description.toLowerCase().replace(/[\u2018\u2019`]/g, "'").replace(/[\u2013\u2014]/g, '-');
  const tally = new Map<TestId, { score: Map<Answer, number>; strongest: Map<Answer, number>; evidence: Map<Answer, string[]>; spans: [number, number][] }>();

  for (const r of RULES) {
    for (const m of text.matchAll(r.re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      let t = tally.get(r.test);
      if (!t) {
        t = { score: new Map(), strongest: new Map(), evidence: new Map(), spans: [] };
        tally.set(r.test, t);
      }
      // a phrase already read by a stronger (earlier) rule of the same test is not read again
      if (t.spans.some(([s, e]) => start < e && end > s)) continue;
      const answer = negatedAt(text, start) ? r.negated : r.answer;
      if (!answer) continue;
      t.spans.push([start, end]);
      t.score.set(answer, (t.score.get(answer) ?? 0) + r.weight);
      t.strongest.set(answer, Math.max(t.strongest.get(answer) ?? 0, r.weight));
      const phrase = m[0].trim();
      const ev = t.evidence.get(answer) ?? [];
      if (!ev.includes(phrase)) ev.push(phrase);
      t.evidence.set(answer, ev);
    }
  }

  const out: Record<string, RuleHit> = {};
  for (const [test, t] of tally) {
    const ranked = [...t.score.entries()].sort((a, b) => b[1] - a[1]);
    if (ranked.length === 0) continue;
    const [top, second] = ranked;
    if (second && second[1] === top![1]) {
      out[test] = { answer: 'unsure', explicit: false, evidence: ranked.flatMap(([a]) => t.evidence.get(a) ?? []) };
    } else {
      const explicit = (t.strongest.get(top![0]) ?? 0) >= 3 && top![1] - (second?.[1] ?? 0) >= 3;
      out[test] = { answer: top![0], explicit, evidence: t.evidence.get(top![0]) ?? [] };
    }
  }
  return out as RuleHits;
}

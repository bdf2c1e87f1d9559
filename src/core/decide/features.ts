/**
 * Features of a description for the trained pre-classifier (classify.ts, train.ts): word
 * stems, word pairs, negated stems ("not idempot"), word classes written from the seeds'
 * vocabulary (so a word never seen in training still counts when its class is known), each
 * word's cluster of similar words (clusters.json: the same, learnt from GloVe vectors rather
 * than written), sentence shapes, and the verdicts of the precise phrase rules (rules.ts). Each feature remembers the words of
 * the description it came from, so the evidence shown to the user is those words.
 */
import { classifyByRules, type RuleHits } from './rules';
import { shippedClusters } from './shippedModel';

/** word → its cluster of similar words (clusters.json, from GloVe vectors by scripts/decide-clusters.ts) */
let clusterOf: Map<string, number> | undefined;
function cluster(word: string): number | undefined {
  if (!clusterOf) {
    clusterOf = new Map();
    shippedClusters().clusters.forEach((c, i) => {
      for (const w of c.split(' ')) clusterOf!.set(w, i);
    });
  }
  return clusterOf.get(word);
}

export interface FeatureVector {
  /** feature → count */
  counts: Map<string, number>;
  /** feature → the description's words that produced it (first occurrence) */
  phrases: Map<string, string>;
  /** What the precise phrase rules said (classify.ts lets explicit ones settle a test). */
  rules: RuleHits;
}

const STOP = new Set(
  'a an the of to in on at by for from with into and or but is are was were be been being it its this that these those we our us you your they their them he she his her i me my as so if then than there here what which who whom whose when where how do does did has have had will would should can could may might must shall also'.split(' '),
);
const DETERMINERS = new Set(['the', 'a', 'an', 'all', 'each', 'every', 'my', 'our', 'their', 'his', 'her', 'its', 'this', 'that', 'these', 'those', 'some', 'any', 'new', 'one']);
/** Words for any traffic at all (see s:generic). */
const GENERIC = new Set(['stuff', 'thing', 'things', 'whatever', 'message', 'messages', 'event', 'events', 'update', 'updates', 'signal', 'signals', 'data', 'traffic', 'info', 'information', 'payload', 'payloads', 'everything', 'anything', 'communication', 'communications', 'chatter', 'output', 'outputs', 'notifications', 'calls']);
const PARTICLES = new Set(['up', 'down', 'out', 'off', 'back', 'over', 'in']);
/** Words that end a negation's scope: "not a log but the current value", "not … only the latest". */
const CONTRAST = new Set(['but', 'only', 'just', 'instead', 'rather', 'yet', 'though', 'although', 'however', 'while', 'whereas']);
/** How many content words after "not", "never", "without" … a negation reaches. */
const NEGATION_SCOPE = 3;
const NEGATORS = new Set(['not', 'no', 'never', 'without', 'nor', 'cannot', 'neither', 'nobody', 'nothing', 'none', "n't"]);

/**
 * Irregular past forms and participles, so "sent" counts as "send" and "paid" as "pay" (the
 * suffix stripper below only knows regular inflections). "kept" stays apart from "keep":
 * "kept for seven years" is retention, "keep a copy" is state.
 */
const IRREGULAR: Record<string, string> = {
  sent: 'send', paid: 'pay', shown: 'show', built: 'build', ran: 'run', written: 'write', wrote: 'write', made: 'make',
  sold: 'sell', bought: 'buy', held: 'hold', told: 'tell', taken: 'take', took: 'take', given: 'give', gave: 'give',
  saw: 'see', lost: 'lose', got: 'get', gotten: 'get', went: 'go', gone: 'go', chosen: 'choose', chose: 'choose',
  drawn: 'draw', drew: 'draw', thrown: 'throw', broken: 'break', froze: 'freeze', frozen: 'freeze', spun: 'spin',
  fed: 'feed', rebuilt: 'rebuild', rewritten: 'rewrite', overwritten: 'overwrite', spent: 'spend', brought: 'bring',
  caught: 'catch', found: 'find', won: 'win',
};

/** A small suffix stripper: charges/charged/charging → charg, entries/entry → entr. */
export function stem(word: string): string {
  let w = IRREGULAR[word] ?? word;
  if (w.length > 4 && w.endsWith("'s")) w = w.slice(0, -2);
  if (w.length > 5 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ied')) w = w.slice(0, -3) + 'y';
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && /(?:ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ly')) w = w.slice(0, -2);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 3) w = w.slice(0, -1);
  return w;
}

/**
 * Word classes from the seeds' wording (000's tests and common cases, 001's patterns, 004's
 * "what it's for / not for"). Matched on stems, so inflections come for free.
 */
const CLASSES: Record<string, readonly string[]> = {
  // 000 "Fact (entity state, index entry, current status)"; 004 progress a UI renders
  state: ['state', 'statu', 'current', 'latest', 'live', 'now', 'level', 'position', 'location', 'balanc', 'flag', 'toggl', 'config', 'configuration', 'setting', 'preferenc', 'presenc', 'onlin', 'offlin', 'availab', 'mod', 'valu', 'progress', 'percentag', 'whether', 'which', 'count', 'indicator', 'snapshot', 'entr', 'registr', 'catalog', 'catalogu', 'tabl', 'index', 'limit', 'quota', 'plan', 'version', 'health', 'occupanc', 'capacit', 'lock', 'approv', 'on', 'off', 'enabl', 'disabl', 'visibl', 'hidden', 'armed', 'pric', 'rat', 'temperatur', 'reading', 'read', 'telemetr', 'sensor', 'gaug', 'metric', 'eta', 'estimat', 'leaderboard', 'profil', 'list', 'remain', 'left', 'edit', 'switch', 'freez', 'activ', 'inactiv', 'topic', 'descript', 'brightnes', 'colour', 'color', 'size', 'weight', 'owner', 'assign', 'seen', 'unread', 'typ', 'busy', 'idl', 'alive', 'open', 'clos', 'armed', 'synced', 'sync', 'pinn', 'default'],
  // someone looks at it: a UI renders the value (004)
  display: ['show', 'shown', 'display', 'dashboard', 'screen', 'map', 'pag', 'ui', 'widget', 'sidebar', 'badg', 'app', 'render', 'view', 'visibl', 'consol', 'sign', 'bar', 'client', 'browser', 'tab', 'devic', 'phon'],
  // 000 test 2 "All react"
  many: ['every', 'all', 'each', 'several', 'multipl', 'many', 'other', 'everyon', 'both', 'whoever', 'anyon', 'fan', 'broadcast', 'watch', 'subscrib', 'listen'],
  // 000 test 2 "Only one handles it"; 001 work queue
  one: ['one', 'singl', 'exact', 'only', 'worker', 'queu', 'assign', 'claim', 'pick', 'next', 'availabl', 'free', 'handl', 'dispatch'],
  // 000 "Request (execute task, call LLM, run tool)"
  request: ['send', 'charg', 'run', 'execut', 'call', 'generat', 'ask', 'creat', 'provision', 'crawl', 'transcod', 'deploy', 'invok', 'book', 'reserv', 'schedul', 'notif', 'fetch', 'comput', 'export', 'import', 'sync', 'refund', 'ship', 'print', 'summaris', 'summariz', 'translat', 'classif', 'resiz', 'convert', 'upload', 'delet', 'migrat', 'reindex', 'train', 'launch', 'start', 'kick', 'trigger', 'issu', 'submit', 'apply', 'captur', 'grant', 'award', 'ban', 'remov', 'email', 'scan', 'rotat', 'verif', 'publish', 'build', 'optimis', 'optimiz', 'reconcil', 'transcrib', 'emb', 'evaluat', 'retr', 'rebuild', 'purg', 'open', 'actuat', 'reboot', 'calibrat', 'task', 'job', 'command', 'request', 'tool', 'workflow', 'pay', 'payout', 'transfer', 'invit', 'moderat', 'dispatch', 'spin', 'block', 'cancel', 'tell', 'instruct', 'kick', 'sms', 'webhook', 'invoic', 'receipt'],
  // 000 test 3 "Slow or has side effects"
  slow: ['slow', 'expensiv', 'costl', 'cost', 'money', 'gpu', 'llm', 'model', 'api', 'external', 'third', 'stripe', 'heav', 'tak', 'batch', 'nightl', 'minut', 'hour', 'second', 'provider', 'side', 'effect', 'billed', 'bill', 'rate'],
  // 000 test 3 "Fast and idempotent"
  fast: ['overwrit', 'overwritten', 'replac', 'cheap', 'fast', 'quick', 'just', 'simpl', 'redraw', 'reload', 'cach', 'harmless', 'idempot', 'recomput', 'refresh', 'instant', 'millisecond'],
  // 004 "Recording history. That's the journal": every event matters
  history: ['histor', 'log', 'journal', 'audit', 'record', 'kept', 'keep', 'timelin', 'trail', 'complianc', 'lost', 'los', 'lose', 'dropp', 'replay', 'append', 'order', 'regulator', 'investigation', 'analys', 'analyz', 'archive', 'transcript', 'statement', 'graph', 'chart', 'trend', 'inspection', 'inspector', 'warehouse', 'forensic', 'ledger', 'past', 'retain', 'retention'],
  // 000 test 1 "re-process would be wrong"
  once: ['once', 'twic', 'duplicat', 'doubl', 'again', 'never', 'exact', 'repeat', 'more'],
  // occurrences: things that happen, each one its own event rather than a value that is
  // overwritten (004: "Recording history. That's the journal")
  occurrence: ['messag', 'event', 'alert', 'post', 'comment', 'notification', 'reaction', 'trade', 'click', 'vote', 'like', 'move', 'goal', 'bid', 'transaction', 'fill', 'scan', 'swip', 'login', 'attempt', 'sampl', 'incident', 'occurrenc', 'happen', 'arriv', 'incom', 'new', 'reply', 'mention', 'action', 'input', 'frame', 'packet', 'line', 'emit', 'fire', 'fir'],
  // receivers that are many by nature (connected sessions, devices, members)
  audience: ['client', 'subscriber', 'member', 'viewer', 'participant', 'spectator', 'follower', 'listener', 'session', 'tab', 'browser', 'devic', 'terminal', 'consol', 'screen', 'phon', 'reader', 'player', 'bidder', 'user', 'everyon', 'socket', 'websocket', 'connect', 'connection', 'display'],
};
const CLASS_OF = new Map<string, string[]>();
for (const [cls, stems] of Object.entries(CLASSES)) {
  // an entry written as a whole word ("state", "message") also matches its stem ("stat", "messag")
  for (const s of new Set(stems.flatMap((w) => [w, stem(w)]))) {
    const list = CLASS_OF.get(s) ?? [];
    if (!list.includes(cls)) list.push(cls);
    CLASS_OF.set(s, list);
  }
}

/**
 * Whether a feature says something about the description by itself: the length class does
 * not, and neither does a word's cluster alone (clusters.json back a word up with its
 * neighbours; "hello world" has neighbours but says nothing about any test).
 */
export const isInformative = (f: string) => !f.startsWith('len:') && !/^(?:e|fe|he):/.test(f);

export function normalise(description: string): string {
  return description.toLowerCase().replace(/[\u2018\u2019`]/g, "'").replace(/[\u2013\u2014]/g, '-');
}

/** Clauses split on punctuation; words keep their surface form for the evidence. */
function clauses(text: string): string[][] {
  return text
    .replace(/n't\b/g, " n't")
    .split(/[.;:!?()\n,"]+/)
    .map((c) => c.match(/n't|[a-z0-9][a-z0-9'-]*/g) ?? [])
    .filter((c) => c.length > 0);
}

export function featurize(description: string): FeatureVector {
  const text = normalise(description);
  const counts = new Map<string, number>();
  const phrases = new Map<string, string>();
  const add = (f: string, phrase: string) => {
    counts.set(f, (counts.get(f) ?? 0) + 1);
    const had = phrases.get(f);
    if (had === undefined) phrases.set(f, phrase);
    // a word class is evidence through all its words ("whether, flag"), not just the first
    else if (f.startsWith('c:') && phrase && !had.split(', ').includes(phrase) && had.split(', ').length < 3) phrases.set(f, `${had}, ${phrase}`);
  };
  const all = clauses(text);
  // a description that opens with a verb ("Rotate the keys", "Send SMS") asks for work; one
  // that opens with a noun ("Stock levels") names a thing
  const first = all[0]?.find((w) => !STOP.has(w));
  if (first) {
    const st = stem(first);
    add(`f:${st}`, first);
    for (const cls of CLASS_OF.get(st) ?? []) add(`fc:${cls}`, first);
    const e = cluster(first);
    if (e !== undefined) add(`fe:${e}`, first);
  }
  for (const clause of all) {
    let negatedFor = 0;
    let negator = '';
    let prev: { stem: string; word: string } | null = null;
    for (const raw of clause) {
      const word = raw.replace(/^-+|-+$/g, '');
      if (!word) continue;
      // "not just the latest", "not only today's": the contrast word is what is negated
      if (CONTRAST.has(word) && !(negatedFor === NEGATION_SCOPE && prev === null)) negatedFor = 0;
      if (NEGATORS.has(word)) {
        negatedFor = NEGATION_SCOPE;
        negator = word === "n't" ? 'not' : word;
        add('neg', word);
        prev = null;
        continue;
      }
      const st = stem(word.replace(/'s$/, ''));
      if (STOP.has(word)) {
        prev = null;
        continue;
      }
      if (negatedFor > 0) {
        add(`n:${st}`, `${negator} … ${word}`);
        for (const cls of CLASS_OF.get(st) ?? []) add(`nc:${cls}`, `${negator} … ${word}`);
        negatedFor--;
      } else {
        add(`w:${st}`, word);
        for (const cls of CLASS_OF.get(st) ?? []) add(`c:${cls}`, word);
        const e = cluster(word);
        if (e !== undefined) add(`e:${e}`, word);
      }
      if (prev) add(`b:${prev.stem}_${st}`, `${prev.word} ${word}`);
      prev = { stem: st, word };
    }
  }
  // the precise phrase rules speak as features; the model learns how far to trust each
  const rules = classifyByRules(text);
  for (const [test, hit] of Object.entries(rules)) {
    if (!hit || hit.answer === 'unsure') continue;
    add(`r:${test}:${hit.answer}`, hit.evidence.join(', '));
  }
  // sentence shapes that carry over to words never seen in training:
  // "Promote the replica", "Tear down the preview": a verb, then its object → a request;
  // "Which printer…", "Whether…": a question about current state; "X per Y", "for each Y":
  // one value per entity → state (seed 000's "Fact (entity state …)")
  const head = (all[0] ?? []).map((w) => w.replace(/^-+|-+$/g, ''));
  if (head.length >= 2 && !STOP.has(head[0]!) && !DETERMINERS.has(head[0]!)) {
    if (DETERMINERS.has(head[1]!) || (PARTICLES.has(head[1]!) && head[2] !== undefined && DETERMINERS.has(head[2]))) add('s:verb-object', head.slice(0, 3).join(' '));
  }
  if (/^(?:which|whether|who|what|how many|how much)\b/.test(text.trim())) add('s:which', text.trim().split(/\s+/)[0]!);
  // "each chat message", "every admin login": occurrences that each matter, the history a
  // stream keeps (seed 004: "Recording history. That's the journal")
  const each = /\b(?:each|every|all)\s+(?:[a-z-]+\s+){0,2}?(?:messages?|events?|clicks?|views?|votes?|reactions?|likes?|comments?|posts?|transactions?|trades?|fills?|moves?|edits?|actions?|logins?|swipes?|scans?|samples?|frames?|calls?|errors?|reports?|changes?|donations?|bets?|kills?|plays?|accesses|attempts?|entries|entry)\b/.exec(text);
  if (each) add('s:each-occurrence', each[0]);
  // "pushes …to all clients", "goes out to every phone", "all viewers receive": delivered to
  // every receiver. With an occurrence ("each new bid", "every message") it is a fan-out of
  // events, each of which matters, not a value a bucket may overwrite (seed 000 test 1 comes
  // first); without one ("latest price streamed to every screen") it is state shown to many.
  const toAll =
    /\b(?:push|send|sent|deliver|relay|broadcast|forward|fan(?:ned)? out|stream|emit|publish|notif|go(?:es)? out|sent out|pops? up|appears?|shown)\w*\b(?:\s+[a-z'-]+){0,6}?\s+(?:to|on|in|at)\s+(?:all|every|each|everyone|both)\b/.exec(text) ??
    /\b(?:all|every|each)\s+(?:[a-z'-]+\s+){0,5}?(?:receives?|gets?|sees?)\s+(?:each|every|all|the new|new)\b/.exec(text);
  if (toAll) {
    add('s:to-all', toAll[0]);
    const occurrence = each ?? /\b(?:new|incoming|each|every)\s+(?:[a-z-]+\s+)?(?:messages?|events?|alerts?|posts?|comments?|notifications?|reactions?|trades?|bids?|goals?|moves?|orders?|emails?|replies|mentions?|actions?|lines?)\b/.exec(text);
    if (occurrence) add('s:occurrences-to-all', `${occurrence[0]} … ${toAll[0]}`);
  }
  // a series kept for a use that needs every item, not the latest one (seed 004: "Recording
  // history. That's the journal"): "every reading … for the inspection", "one per
  // transaction, for the statement", "who changed it and when", "not only the latest"
  const notLatest = /\b(?:not|never|rather than|instead of)\s+(?:just\s+|only\s+|merely\s+)?(?:the\s+)?(?:latest|newest|current|last)\b|\b(?:latest|current)\s+(?:[a-z-]+\s+){0,2}?(?:alone\s+)?(?:is|are)\s+not\s+enough\b/.exec(text);
  if (notLatest) add('s:not-just-latest', notLatest[0]);
  const forRecord = /\b(?:for|into|in|to)\s+(?:the\s+|a\s+|an\s+|our\s+|their\s+|its\s+)?(?:[a-z'-]+\s+){0,2}?(?:audits?|statements?|graphs?|charts?|inspections?|inspectors?|regulators?|replays?|history|timelines?|trends?|archives?|warehouse|lake|investigations?|reconciliation|forensics|ledger|billing|compliance|post-?mortems?)\b/.exec(text);
  if (forRecord) add('s:for-record', forRecord[0]);
  const series = /\b(?:every|each|all)\s+(?:[a-z'-]+\s+){0,3}?(?:readings?|values?|changes?|versions?|samples?|events?|updates?|steps?|times?|records?|entries|entry|prices?|positions?|states?|statuses)\b|\bone (?:[a-z-]+ )?per (?:[a-z-]+)|\band when\b|\bover (?:the (?:last|past) [a-z0-9 ]+|time)\b/.exec(text);
  if (series) add('s:series', series[0]);
  // "never lose an event", "none may be dropped": each item must be kept (restart: no)
  const noLoss = /\b(?:never|not|no|without|nothing|none)\s+(?:[a-z'-]+\s+){0,3}?(?:los(?:e|t|ing)|dropp?(?:ed|ing)?|miss(?:ed|ing)?|skipp?(?:ed|ing)?|overwritten)\b/.exec(text);
  if (noLoss) add('s:no-loss', noLoss[0]);
  if (series && (forRecord || notLatest)) add('s:series-kept', `${series[0]} … ${(forRecord ?? notLatest)![0]}`);
  const per = /\b(?:per|(?:for|of|at|in|on) (?:each|every))\s+[a-z-]+/.exec(text);
  // "one value per entity" is state; "a record of every price change" is a series (above)
  if (per && !(series && series.index <= per.index + per[0].length && per.index <= series.index + series[0].length)) add('s:per', per[0]);
  // terse names ("Index update", "LLM call") read differently from sentences
  const words = text.match(/[a-z0-9]+/g)?.length ?? 0;
  // "Messages about orders", "Stuff the vendor sends us", "Hospital system events": a short
  // description whose subject is a word for any traffic at all names where it comes from, not
  // what it is, so no test can be read from it (seed 000 asks what it is)
  const content = all.flat().filter((w) => !STOP.has(w) && !NEGATORS.has(w));
  const generic = [content[0], words <= 5 && all.length === 1 ? content.at(-1) : undefined].find((w) => w !== undefined && GENERIC.has(w));
  if (generic && words <= 9) add('s:generic', generic);
  // a terse name is a noun phrase whose last word is its head: "Workflow execution state"
  // is a state, "Workflow trigger" a trigger, whatever the words before it
  const lastWord = head.filter((w) => w && !STOP.has(w)).at(-1);
  if (words <= 5 && all.length === 1 && lastWord) {
    const st = stem(lastWord);
    add(`h:${st}`, lastWord);
    const e = cluster(lastWord);
    if (e !== undefined) add(`he:${e}`, lastWord);
    for (const cls of CLASS_OF.get(st) ?? []) add(`hc:${cls}`, lastWord);
  }
  add(words <= 4 ? 'len:terse' : words <= 12 ? 'len:short' : 'len:long', '');
  return { counts, phrases, rules };
}

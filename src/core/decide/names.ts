/**
 * Names a NATS engineer would write for a described path, following seed
 * 001_4f8404f30db3dc6a.txt's `{domain}.{entity}.{event}` subjects and "one stream per
 * bounded context": the domain is the business area (payments, media, orders), the entity
 * the thing acted on or described (card, video, status), the event the action for a request
 * (`payments.card.charge`) or what happened for a fact (`orders.order.placed`). KV buckets
 * name the entity and its state (`order-status`, `feature-flags`), keyed by the entity.
 */
import type { Primitive } from './engine';

export interface DerivedNames {
  /** Plural business area: the stream (upper-cased) and the subject's first token. */
  domain: string;
  entity: string;
  /** Imperative verb for a request (`charge`), past tense for a fact (`placed`, `changed`). */
  event: string;
  /** KV bucket name: `{entity}-{state}` (`order-status`). */
  bucket: string;
  /** First token of the KV keys (`order` → `order.<id>`). */
  keyPrefix: string;
}

// ---- lexicons ------------------------------------------------------------------------------

/** Verbs that ask for work, in base form (seed 000: "execute task, call LLM, run tool"). */
const VERBS = new Set(
  ('charge refund pay capture send email notify text transcode encode resize render generate summarize translate transcribe classify ' +
    'embed crawl reindex import export sync deploy build provision run execute call invoke schedule book reserve ship print scan score ' +
    'train evaluate back migrate delete purge archive approve reject assign dispatch route review moderate verify rotate issue publish ' +
    'compile sign upload download fulfil fulfill cancel reconcile retry trigger start stop reboot calibrate open create invite grant award ' +
    'ban escalate page reorder settle restock enqueue spawn suspend quarantine promote bisect tear cut post deliver push award compute ' +
    'recompute recalculate calculate optimise optimize analyse analyze detect check validate parse fetch ask apply open close block freeze ' +
    'unsubscribe merge onboard dispute redeem anonymise anonymize snooze pause renew file order bid place top reply transfer install ' +
    'update backfill label tag summarise process handle invoice bill debit credit verify submit spin actuate fix pick reimburse switch halt claim').split(/\s+/),
);
/** British spellings and synonyms folded to one event token. */
const VERB_ALIAS: Record<string, string> = { summarise: 'summarize', optimise: 'optimize', analyse: 'analyze', anonymise: 'anonymize', fulfil: 'fulfill', back: 'backup', top: 'topup', tear: 'teardown' };

/** Words that name a thing's state: the second half of a bucket name. */
const STATE_WORDS = new Set(
  ('status state level levels position location presence flag flags toggle config configuration settings setting preferences preference ' +
    'count counts balance price prices rate rates reading readings progress score scores mode availability health limit limits quota quotas ' +
    'occupancy capacity temperature humidity eta version versions plan tier role roles permissions lock leader owner membership roster ' +
    'schedule calendar layout theme catalog catalogue index registry table list inventory stock usage budget').split(/\s+/),
);

/** Past participles that name a fact's event. */
const EVENTS: Record<string, string> = {
  created: 'created', placed: 'placed', submitted: 'submitted', paid: 'paid', captured: 'captured', refunded: 'refunded', cancelled: 'cancelled',
  canceled: 'cancelled', shipped: 'shipped', deleted: 'deleted', removed: 'removed', completed: 'completed', finished: 'completed', failed: 'failed',
  started: 'started', returned: 'returned', registered: 'registered', uploaded: 'uploaded', approved: 'approved', rejected: 'rejected',
  assigned: 'assigned', joined: 'joined', moved: 'moved', expired: 'expired', consolidated: 'consolidated', changed: 'changed', updated: 'updated',
  opened: 'opened', closed: 'closed', posted: 'posted', added: 'added', made: 'made', edited: 'edited', published: 'published', signup: 'registered',
};

/** Words that place a path in a business area (first match in the description wins). */
const DOMAIN_OF: Record<string, string> = {};
const domains: Record<string, string> = {
  payments: 'payment payments card cards charge refund payout payouts wallet transfer wire chargeback debit fee fees billing',
  invoices: 'invoice invoices',
  orders: 'order orders checkout cart basket fulfilment fulfillment',
  media: 'video videos image images photo photos thumbnail thumbnails audio podcast episode subtitles transcode transcoding album',
  ai: 'llm llms model prompt prompts embedding embeddings completion inference agent agents summary summarize summarise gpt whisper',
  notifications: 'email emails sms notification notifications newsletter digest reminder reminders push',
  devices: 'device devices sensor sensors thermostat firmware tracker trackers meter meters robot',
  users: 'user users profile profiles password signup login',
  deploys: 'deploy deployment deployments release releases rollback canary',
  builds: 'build builds pipeline pipelines runner runners',
  chat: 'chat chats channel channels conversation conversations',
  games: 'player players match matches game games guild lobby clan tournament',
  inventory: 'stock inventory sku skus warehouse warehouses shelf',
  search: 'index search',
  tools: 'tool tools',
  workflows: 'workflow workflows',
  tasks: 'task tasks job jobs',
};
for (const [d, words] of Object.entries(domains)) for (const w of words.split(' ')) DOMAIN_OF[w] ??= d;

const STOP = new Set(
  ('a an the and or but of to in on at by for from with into onto when whenever where which who whom whose that this these those it its is are ' +
    'was were be been being has have had do does did will would should must can could may might shall we our us you your they their them he she ' +
    'his her i me my some any each every all one only just very so then than new also not no never if as about after before once again other ' +
    'others many several multiple same per via up down out over under more most less what how whether there here want wants need needs so ' +
    'message messages event events data info information thing things stuff system service services app component components ' +
    'go goes went come comes leave leaves arrive arrives happen happens reach reaches matter matters two three four five ten hundred ' +
    'against inside outside between across through during within around near behind below above ' +
    'processor processors worker workers consumer consumers handler handlers someone something everyone anyone nobody current latest live ' +
    'right now today tomorrow yesterday nightly daily weekly monthly hourly minute minutes hour hours second seconds day days week weeks time ' +
    'fast slow quick idempotent side effect effects expensive cheap real exactly twice kv stream streams nats jetstream queue subscriber ' +
    'subscribers listener listeners dashboard dashboards screen screens ui page pages web mobile shown displayed visible show shows display displays read ' +
    'appear appears pop pops ' +
    'reads use used using watch watches watched react reacts see sees keep kept like get gets got make makes take takes let lets given ' +
    'via either both such own whole entire lot lots first last next else nobody').split(/\s+/),
);

// ---- words ------------------------------------------------------------------------------

function words(description: string): string[] {
  return description
    .toLowerCase()
    // user stories: the want is the path, the role and the benefit are not
    .replace(/^\s*as an? [^,]+,\s*i want (?:to )?/, '')
    .replace(/,?\s*so that .*$/, '')
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/\bsign(?:s|ed|ing)?[\s-]+up\b/g, 'signup')
    .replace(/\b(tear|back|top)\s+(?:down|up)\b/g, '$1')
    .replace(/[^a-z0-9'\s-]/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^[-']+|[-']+$/g, ''))
    .filter((w) => w.length > 0);
}

export function singular(word: string): string {
  if (/ies$/.test(word) && word.length > 4) return word.slice(0, -3) + 'y';
  if (/(ss|us|is|ics)$/.test(word)) return word;
  if (/(ches|shes|xes|sses)$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word) && word.length > 3) return word.slice(0, -1);
  return word;
}

export function plural(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return word.endsWith('ss') || !word.endsWith('s') ? word + 'es' : word;
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + 'ies';
  return word + 's';
}

/** The base form of a verb in the lexicon ("charges", "charging", "charged" → "charge"), or null. */
export function verbBase(word: string): string | null {
  const w = word.replace(/'s$/, '');
  const candidates = [w, w.replace(/es$/, ''), w.replace(/s$/, ''), w.replace(/ing$/, ''), w.replace(/ing$/, 'e'), w.replace(/ed$/, ''), w.replace(/ed$/, 'e'), w.replace(/d$/, ''), w.replace(/ies$/, 'y'), w.replace(/ied$/, 'y')];
  // doubled consonant: "shipping" → "ship"
  const dbl = /^(.*([bcdfgklmnprstvz]))\2(?:ing|ed)$/.exec(w);
  if (dbl) candidates.push(dbl[1]!);
  for (const c of candidates) if (c.length > 1 && VERBS.has(c)) return VERB_ALIAS[c] ?? c;
  // "bulk-import", "re-embed": the verb is the last part
  if (w.includes('-')) return verbBase(w.slice(w.lastIndexOf('-') + 1));
  return null;
}

const isNounish = (w: string) => !STOP.has(w) && !/^\d/.test(w) && w.length > 1 && !(w.length > 4 && w.endsWith('ly')) && !w.endsWith("'s");
/** Words that qualify a noun without naming it ("current status", "online presence"). */
const ADJECTIVES = new Set('current latest last live known online offline active inactive new old open closed public private remaining available total daily frozen stolen hidden broken chosen given taken'.split(' '));
const UNCOUNTABLE_DOMAINS = new Set(['maintenance', 'inventory', 'media', 'feedback', 'telemetry', 'software', 'hardware', 'equipment', 'analytics', 'billing', 'shipping', 'matchmaking', 'search', 'chat']);
const DETERMINERS = new Set(['the', 'a', 'an', 'all', 'each', 'every', 'my', 'our', 'their', 'his', 'her', 'its', 'this', 'that', 'some', 'any']);
const PARTICLES = new Set(['up', 'down', 'out', 'off', 'back', 'over']);
const slug = (w: string) => w.replace(/[^a-z0-9-]/g, '').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
/** A word that may continue a compound noun ("support ticket", "game server"). */
const compoundable = (w: string | undefined) => w !== undefined && isNounish(w) && !ADJECTIVES.has(w) && !EVENTS[w] && !/(?:ed|ing)$/.test(w) && !verbBase(w);

/** The noun phrase starting at `i`: up to three nouns ("interest calculation batch"). */
function nounPhrase(ws: readonly string[], i: number): string[] {
  const np = [ws[i]!];
  while (np.length < 3 && compoundable(ws[i + np.length])) np.push(ws[i + np.length]!);
  return np;
}

/** The noun a verb acts on: skips articles, possessives ("the customer's card") and participles. */
function objectAfter(ws: readonly string[], index: number): string[] | null {
  for (let i = index + 1; i < Math.min(ws.length, index + 7); i++) {
    const w = ws[i]!;
    if (!isNounish(w) || PARTICLES.has(w) || ADJECTIVES.has(w)) continue;
    if (/(?:ed|en)$/.test(w) && compoundable(ws[i + 1])) continue; // "the uploaded video"
    return nounPhrase(ws, i);
  }
  return null;
}

/** "per API key", "for each tenant", "of each order": the thing a key is per. */
function perWhat(ws: readonly string[]): string | null {
  const text = ws.join(' ');
  const m = /\b(?:per|(?:for|of|on|at|in) (?:each|every)|for (?:a|an|the))\s+([a-z][a-z0-9-]*)(?:\s+([a-z][a-z0-9-]*))?/.exec(text);
  if (!m || !isNounish(m[1]!)) return null;
  // "per API key", "per SKU": a short acronym takes the noun after it
  return m[1]!.length <= 3 && m[2] && compoundable(m[2]) && !/(?:en|ed)$/.test(m[2]) ? `${m[1]}-${singular(m[2])}` : singular(m[1]!);
}

/**
 * `{domain}.{entity}.{event}` names for a description. Deterministic; never throws; falls
 * back to `tasks.task.process` / `entities.entity.changed` for text with no usable words.
 */
export function deriveNames(description: string, primitive: Primitive, nature?: 'fact' | 'request' | 'unsure'): DerivedNames {
  const ws = words(description);
  const content = ws.filter(isNounish);

  // the action: the first lexicon verb in base, 3rd-person or -ing form ("charges", "transcoding");
  // "-ed" forms describe what happened, not what to do. "ask X to Y": Y is the action.
  let verb: string | null = null;
  let verbAt = -1;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    if (w.endsWith('ed') || EVENTS[w]) continue;
    // "an order", "the customer's order": after an article or a possessive it is a noun
    const prev = ws[i - 1];
    if (prev && (DETERMINERS.has(prev) || prev.endsWith("'s"))) continue;
    const base = verbBase(w);
    // "payment status", "inventory level": a word before a state word is a noun, unless it opens the sentence
    if (base && !(i > 0 && base === w && STATE_WORDS.has(ws[i + 1] ?? ''))) {
      verb = base;
      verbAt = i;
      break;
    }
  }
  if (verb && ['ask', 'tell'].includes(verb)) {
    const to = ws.indexOf('to', verbAt);
    const next = to > 0 ? verbBase(ws[to + 1] ?? '') : null;
    if (next) {
      verb = next;
      verbAt = to + 1;
    }
  }
  // "my order to be shipped", "each ticket assigned to one agent": the participle is the action
  if (!verb && primitive === 'stream') {
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      if (!w.endsWith('ed') || compoundable(ws[i + 1])) continue;
      const base = verbBase(w);
      if (base) {
        verb = base;
        break;
      }
    }
  }
  // "Report generation", "Webhook delivery": the action named as a noun
  if (!verb && primitive === 'stream') {
    for (const w of ws) {
      const base = [w.replace(/ation$/, 'ate'), w.replace(/ution$/, 'ute'), w.replace(/ery$/, 'er')].find((c) => c !== w && VERBS.has(c));
      if (base) {
        verb = base;
        break;
      }
    }
  }
  // an imperative never seen before: "Actuate the valve", "Spin up a server"
  if (!verb && ws.length > 1 && isNounish(ws[0]!) && (DETERMINERS.has(ws[1]!) || (PARTICLES.has(ws[1]!) && DETERMINERS.has(ws[2] ?? '')))) {
    verb = ws[0]!;
    verbAt = 0;
  }

  const factEvent = ws.map((w) => EVENTS[w]).find((e) => e !== undefined) ?? null;
  const per = perWhat(ws);

  // KV: the state word and whose state it is ("order status", "status of each order", "the order's status")
  let state: string | null = null;
  let owner: string[] = [];
  // the state word that ends its compound: "rate limiter settings" → settings, "stock level" → level
  const stateAt = ws.findIndex((w, i) => STATE_WORDS.has(w) && !compoundable(ws[i + 1]));
  if (stateAt >= 0) {
    state = ws[stateAt]!;
    let j = stateAt - 1;
    while (j >= 0 && ADJECTIVES.has(ws[j]!)) j--;
    if (j >= 0 && ws[j]!.endsWith("'s")) owner = [ws[j]!.slice(0, -2)];
    else {
      const before: string[] = [];
      while (j >= 0 && before.length < 2 && isNounish(ws[j]!) && !ADJECTIVES.has(ws[j]!) && !ws[j]!.endsWith('ed')) before.unshift(ws[j--]!);
      owner = before;
    }
    // "price of BTC", "status of the order"
    if (owner.length === 0 && ws[stateAt + 1] === 'of') {
      const k = ws.findIndex((w, i) => i > stateAt + 1 && !DETERMINERS.has(w) && !ADJECTIVES.has(w));
      if (k > 0 && isNounish(ws[k]!)) owner = [ws[k]!];
    }
    if (owner.length === 0 && per) owner = [per];
  }

  let np: string[] | null = null;
  if (primitive === 'stream' && verb && verbAt >= 0) np = objectAfter(ws, verbAt);
  if (!np) {
    // a noun: not a verb of the lexicon, unless an article says otherwise ("every order event")
    const at = ws.findIndex((w, i) => isNounish(w) && (!verbBase(w) || DETERMINERS.has(ws[i - 1] ?? '')) && !EVENTS[w] && !ADJECTIVES.has(w) && !w.endsWith('ed'));
    np = at >= 0 ? nounPhrase(ws, at) : content.length ? [content[0]!] : null;
  }
  // "matchmaking request", "tool execution request": the head is generic, the word before names it
  if (np && np.length > 1 && /^(?:requests?|calls?|jobs?|events?)$/.test(np[np.length - 1]!)) np = np.slice(0, -1);
  // "reboot command for a gateway": the command is generic, the gateway is what it acts on
  if (np && np.length === 1 && /^(?:commands?|requests?|jobs?|tasks?)$/.test(np[0]!)) {
    const m = /^(?:for|of|to) (?:each |every |a |an |the )?([a-z][a-z0-9-]*)/.exec(ws.slice(ws.indexOf(np[0]!) + 1).join(' '));
    if (m && isNounish(m[1]!) && !verbBase(m[1]!)) np = [m[1]!];
  }
  const entity = np ? slug(singular(np[np.length - 1]!)) : primitive === 'kv' ? 'entity' : 'task';

  // the business area: "X service" names it; else the first word of a known area; else the phrase's first noun
  let domain: string | null = null;
  const svc = /\b([a-z]+) (?:service|worker|api|team|gateway)\b/.exec(ws.join(' '));
  if (svc && DOMAIN_OF[svc[1]!]) domain = DOMAIN_OF[svc[1]!]!;
  if (!domain) domain = DOMAIN_OF[entity] ?? null;
  if (!domain) for (const w of ws) if ((domain = DOMAIN_OF[w] ?? null)) break;
  if (!domain) {
    const first = np && np.length > 1 && !np[0]!.includes('-') ? singular(np[0]!) : entity;
    domain = UNCOUNTABLE_DOMAINS.has(first) ? first : plural(first);
  }

  let event: string;
  // no action word: a request is processed, an event that happened is recorded
  if (primitive === 'stream') event = verb ?? (nature === 'request' ? 'process' : /\brequests?\b/.test(ws.join(' ')) ? 'request' : factEvent ?? (nature === undefined ? 'process' : 'recorded'));
  else event = factEvent ?? 'changed';

  let bucket: string;
  let keyPrefix: string;
  if (state) {
    const stateWord = /s$/.test(state) || UNCOUNTABLE.has(state) ? state : plural(state);
    const ownerName = owner.map(singular).join('-');
    bucket = ownerName && ownerName !== singular(stateWord) ? `${ownerName}-${stateWord}` : stateWord;
    keyPrefix = per ?? (ownerName ? singular(owner[owner.length - 1]!) : entity);
  } else {
    bucket = (np ?? [entity]).join('-');
    // "smart bulb brightness": one value per bulb
    keyPrefix = per ?? (np && np.length > 1 ? singular(np[np.length - 2]!) : entity);
  }
  return { domain: slug(domain), entity, event: slug(event), bucket: slug(bucket) || 'entities', keyPrefix: slug(keyPrefix) || 'entity' };
}

const UNCOUNTABLE = new Set(['status', 'progress', 'presence', 'health', 'availability', 'occupancy', 'usage', 'inventory', 'stock', 'eta', 'config', 'configuration', 'humidity', 'temperature', 'membership', 'capacity']);

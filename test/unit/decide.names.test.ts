/**
 * Suggested names (src/core/decide/names.ts) read like a NATS engineer's: seed
 * 001_4f8404f30db3dc6a.txt's `{domain}.{entity}.{event}`, a stream per business area, KV
 * buckets named after the entity and its state. Checked on the examples and, with
 * shape rules, on every description of the corpus.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide, type KvSuggestion, type StreamSuggestion } from '../../src/core/decide';
import { deriveNames, verbBase } from '../../src/core/decide/names';

describe('names: the issue examples', () => {
  test("payment service charges the customer's card → PAYMENTS, payments.card.charge", () => {
    const n = deriveNames("payment service charges the customer's card", 'stream');
    assert.deepEqual([n.domain, n.entity, n.event], ['payments', 'card', 'charge']);
    const c = decide({ description: "payment service charges the customer's card", answers: { fanout: 'one' } }).config as StreamSuggestion;
    assert.equal(c.stream.name, 'PAYMENTS');
    assert.equal(c.subject, 'payments.card.charge');
  });

  test('video transcoding is media work on a video, not USERS', () => {
    const n = deriveNames('Transcode the video a user uploaded into 1080p and 720p renditions', 'stream');
    assert.deepEqual([n.domain, n.entity, n.event], ['media', 'video', 'transcode']);
  });

  test('an LLM summary names the thing summarised and the action, not ASKS', () => {
    const n = deriveNames('Ask the LLM to summarise the support ticket', 'stream');
    assert.notEqual(n.domain, 'asks');
    assert.equal(n.event, 'summarize');
    assert.equal(n.entity, 'ticket');
  });

  test('KV buckets name the entity and its state: order-status keyed by order, rate-limiter-settings', () => {
    const a = deriveNames('Dashboards show the current status of each order', 'kv');
    assert.equal(a.bucket, 'order-status');
    assert.equal(a.keyPrefix, 'order');
    const b = deriveNames('Rate limiter settings per API key', 'kv');
    assert.equal(b.bucket, 'rate-limiter-settings');
    assert.equal(b.keyPrefix, 'api-key');
    const c = decide({ description: 'Order status changed', answers: { restart: 'yes' } }).config as KvSuggestion;
    assert.equal(c.bucket.bucket, 'order-status');
    assert.equal(c.watcher.key_pattern, 'order.>');
  });
});

describe('names: shape rules over the whole corpus', () => {
  const dir = join(__dirname, '..', 'fixtures', 'decide-corpus');
  const items = ['train', 'test'].flatMap((n) =>
    readFileSync(join(dir, `${n}.jsonl`), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { description: string; primitive: string; answers: Record<string, string> }),
  );
  // words that never name a domain, entity or bucket part: function words, display verbs,
  // the bad examples (`dashboards-show`, `rates-limiter`, `ASKS`)
  const NOT_NAMES = new Set('the a an of to and or for with show shows display ask asks asked tell watch watches read reads use uses see react reacts should must can will would is are be it this that each every all only just very not no'.split(' '));

  test('streams: subject {domain}.{entity}.{event}; requests end in a verb; names are nouns', () => {
    const problems: string[] = [];
    for (const it of items.filter((i) => i.primitive === 'stream')) {
      const n = deriveNames(it.description, 'stream', it.answers.nature as 'fact' | 'request' | 'unsure');
      const subject = `${n.domain}.${n.entity}.${n.event}`;
      if (!/^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/.test(subject)) problems.push(`${subject}: not {domain}.{entity}.{event} ← ${it.description}`);
      for (const part of [n.domain, n.entity]) if (NOT_NAMES.has(part) || /ly$/.test(part)) problems.push(`${subject}: "${part}" is not a noun ← ${it.description}`);
      // a request names its action in the imperative (`charge`), never a past-tense event
      // ("Tool result returned" is a response, not a request to do something: its event stays)
      const pastTense = n.event.endsWith('ed') && verbBase(n.event) !== n.event;
      if (it.answers.nature === 'request' && pastTense && !/\breturned\b/i.test(it.description)) problems.push(`${subject}: a request named with a past tense ← ${it.description}`);
    }
    assert.deepEqual(problems, []);
  });

  test('KV: bucket {entity}-{state} of nouns, keys {entity}.<id>', () => {
    const problems: string[] = [];
    for (const it of items.filter((i) => i.primitive === 'kv')) {
      const n = deriveNames(it.description, 'kv');
      // a compound the description itself hyphenates ("do-not-disturb", "click-and-collect") is one name part
      const compounds = it.description.toLowerCase().match(/[a-z]+(?:-[a-z]+)+/g) ?? [];
      const parts = compounds.reduce((b, c) => b.replace(c, c.replace(/-/g, '')), n.bucket).split('-');
      if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(n.bucket) || parts.length > 4) problems.push(`bucket ${n.bucket} ← ${it.description}`);
      for (const part of parts) if (NOT_NAMES.has(part) || (/ly$/.test(part) && part.length > 4)) problems.push(`bucket ${n.bucket}: "${part}" ← ${it.description}`);
      if (!/^[a-z0-9][a-z0-9-]*$/.test(n.keyPrefix) || NOT_NAMES.has(n.keyPrefix)) problems.push(`key ${n.keyPrefix} ← ${it.description}`);
    }
    assert.deepEqual(problems, []);
  });

  test('a stream is named after its domain, upper-cased', () => {
    for (const it of items.filter((i) => i.primitive === 'stream').slice(0, 60)) {
      const c = decide({ description: it.description, answers: { restart: 'no' } }).config as StreamSuggestion;
      assert.equal(c.stream.name, c.subject.split('.')[0]!.toUpperCase().replace(/-/g, '_'));
      assert.deepEqual(c.stream.subjects, [`${c.subject.split('.')[0]}.>`]);
    }
  });
});

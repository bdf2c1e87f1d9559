/**
 * The fan-out guard (model.ts fanoutBlocked, classify.ts): when the restart test is unsure, an
 * explicit "every subscriber gets it" must not decide KV on its own while the description as a
 * whole points to a stream (events pushed to every receiver are still events, each of which
 * matters). Tested with small hand-made weights so each case isolates one input.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { classify } from '../../src/core/decide';
import { fanoutBlocked, type HeadWeights, type ModelWeights, type Thresholds } from '../../src/core/decide/model';
import { FANOUT_UNDECIDED } from '../../src/core/decide/classify';

const empty = (classes: string[]): HeadWeights => ({ classes: classes as never, bias: [0, 0, 0], weights: {} });

/** A model whose only opinion is the primitive head's bias: `stream` gets probability p. */
function model(streamP: number, fanoutGuard: number): ModelWeights {
  // softmax over [kv, stream, undecided] with kv = undecided = 0: stream = e^b / (e^b + 2)
  const b = Math.log((2 * streamP) / (1 - streamP));
  const thresholds: Thresholds = { test: 0.7, primitive: 0.7, agreeing: 0.15, fanoutGuard };
  return {
    about: 'test',
    thresholds,
    trainedOn: { items: 0, features: 0 },
    heads: {
      restart: empty(['yes', 'no', 'unsure']),
      fanout: empty(['all', 'one', 'unsure']),
      processing: empty(['fast', 'slow', 'unsure']),
      nature: empty(['fact', 'request', 'unsure']),
    } as ModelWeights['heads'],
    primitive: { classes: ['kv', 'stream', 'undecided'] as never, bias: [0, b, 0], weights: {} },
  };
}

// "all subscribers" is an explicit fan-out phrase (rules.ts); nothing here speaks to restart
const DESCRIPTION = 'It goes to all subscribers.';

describe('fan-out guard', () => {
  test('an explicit fan-out decides when the whole description does not lean to a stream', () => {
    const inf = classify(DESCRIPTION, model(0.3, 0.45));
    assert.equal(inf.restart, undefined);
    assert.equal(inf.fanout?.answer, 'all');
  });

  test('with an unsure restart, a fan-out against a stream-leaning description becomes unsure and says why', () => {
    const inf = classify(DESCRIPTION, model(0.6, 0.45));
    assert.equal(inf.fanout?.answer, 'unsure');
    assert.equal(inf.fanout?.settle, FANOUT_UNDECIDED);
    assert.ok(inf.fanout?.evidence.includes('all subscribers'), JSON.stringify(inf.fanout));
  });

  test('a guard above 1 never blocks', () => {
    assert.equal(classify(DESCRIPTION, model(0.95, 1.01)).fanout?.answer, 'all');
  });

  test('a clear restart answer comes first: the guard never applies then', () => {
    const t: Thresholds = { test: 0.7, primitive: 0.7, agreeing: 0.15, fanoutGuard: 0.3 };
    assert.equal(fanoutBlocked('yes', 'all', [0.1, 0.9, 0], t), false);
    assert.equal(fanoutBlocked('no', 'one', [0.9, 0.1, 0], t), false);
    assert.equal(fanoutBlocked('unsure', 'all', [0.1, 0.9, 0], t), true);
    assert.equal(fanoutBlocked(undefined, 'all', [0.2, 0.8, 0], t), true);
    // "only one handles it" is a queue whatever is queued: never set aside
    assert.equal(fanoutBlocked(undefined, 'one', [0.9, 0.1, 0], t), false);
    assert.equal(fanoutBlocked('unsure', 'one', [0.1, 0.9, 0], t), false);
    assert.equal(fanoutBlocked('unsure', 'unsure', [0.1, 0.9, 0], t), false);
  });
});

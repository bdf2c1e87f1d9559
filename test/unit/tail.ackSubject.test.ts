/** The in-place ack subject reader the ordered pull uses per message (both subject forms). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { msToIso, parseAckSubject, type AckFields } from '../../src/nats/tail/ackSubject';

const fresh = (): AckFields => ({ streamSeq: -1, deliverSeq: -1, timeMs: -1, pending: -1 });

test('reads stream and delivery sequences, the ms timestamp and pending from a v1 ack subject', () => {
  const f = fresh();
  assert.equal(parseAckSubject('$JS.ACK.ORDERS.nf_tail_x.1.12345.67.1796074726123456789.4200', f), true);
  assert.deepEqual(f, { streamSeq: 12345, deliverSeq: 67, timeMs: 1796074726123, pending: 4200 });
});

test('reads the v2 form with domain and account hash in front and a random token at the end', () => {
  const f = fresh();
  assert.equal(parseAckSubject('$JS.ACK.hub.ACCHASH.KV_cfg.nf_tail_y.2.9007199254740.3.1796074726999000001.0.abc123', f), true);
  assert.deepEqual(f, { streamSeq: 9007199254740, deliverSeq: 3, timeMs: 1796074726999, pending: 0 });
});

test('refuses what is not an ack subject', () => {
  for (const s of ['_INBOX.abc.1', '$JS.ACK.S.C.1.2', 'a.b.c.d.e.f.g.h.i']) assert.equal(parseAckSubject(s, fresh()), false, s);
});

test('msToIso gives the ISO time, also when asked twice in a row', () => {
  assert.equal(msToIso(1796074726123), '2026-11-30T21:38:46.123Z');
  assert.equal(msToIso(1796074726123), '2026-11-30T21:38:46.123Z');
  assert.equal(msToIso(0), '1970-01-01T00:00:00.000Z');
});

/** The tail's pure parts: start points, subject patterns, the ring, payload and line formats. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RingBuffer } from '../../src/core/tail/ring';
import { parseStreamFrom, subjectMatches, subjectProblem } from '../../src/core/tail/spec';
import { asText, encodePayload, hexDump } from '../../src/core/tail/payload';
import { escapeControls, humanLines, toNdjson } from '../../src/core/tail/ndjson';

test('--from parses every start point and rejects anything else by name', () => {
  assert.equal(parseStreamFrom('all'), 'all');
  assert.equal(parseStreamFrom('seq:42'), 'seq:42');
  assert.equal(parseStreamFrom('time:2026-01-02T03:04:05Z'), 'time:2026-01-02T03:04:05.000Z');
  assert.equal(parseStreamFrom('time:-5m', Date.parse('2026-01-01T00:10:00Z')), 'time:2026-01-01T00:05:00.000Z');
  assert.throws(() => parseStreamFrom('seq:0'), /sequences start at 1/);
  assert.throws(() => parseStreamFrom('time:soon'), /"soon" is not an ISO time/);
  assert.throws(() => parseStreamFrom('first'), /not one of new, all/);
});

test('subject patterns match like the server, and bad ones say why', () => {
  assert.ok(subjectMatches('orders.*.new', 'orders.eu.new'));
  assert.ok(!subjectMatches('orders.*', 'orders.eu.new'));
  assert.ok(subjectMatches('orders.>', 'orders.eu.new'));
  assert.ok(!subjectMatches('orders.>', 'orders'));
  assert.match(subjectProblem('a..b')!, /empty token/);
  assert.match(subjectProblem('a.>.b')!, /last token/);
  assert.match(subjectProblem('a.b*')!, /mixes a wildcard/);
  assert.match(subjectProblem('a.*', false)!, /wildcard/);
  assert.equal(subjectProblem('a.*.>'), undefined);
});

test('the ring keeps the newest items and counts what it dropped', () => {
  const r = new RingBuffer<number>(3);
  for (let i = 1; i <= 5; i++) r.push(i);
  assert.deepEqual(r.toArray(), [3, 4, 5]);
  assert.equal(r.dropped, 2);
  assert.equal(r.total, 5);
  r.clear();
  assert.deepEqual([r.size, r.dropped], [0, 0]);
});

test('payloads: valid UTF-8 is text, anything else base64, never mangled', () => {
  assert.equal(asText(new TextEncoder().encode('héllo ✓')), 'héllo ✓');
  assert.equal(asText(new Uint8Array([0xc3, 0x28])), undefined, 'invalid UTF-8');
  assert.equal(asText(new Uint8Array([0x41, 0x00])), undefined, 'NUL is binary');
  assert.deepEqual(encodePayload(new Uint8Array([0xff])), { data: '/w==', encoding: 'base64' });
  assert.match(hexDump(new Uint8Array([0x41, 0x00, 0xff])), /^00000000  41 00 ff .*\|A\.\.\|$/);
});

test('NDJSON lines have the documented shapes; the live marker is exactly {"marker":"live"}', () => {
  const data = new TextEncoder().encode('x');
  assert.equal(toNdjson({ kind: 'msg', stream: 'S', seq: 1, subject: 'a', time: 't', headers: [['K', '1'], ['K', '2']], data }), '{"stream":"S","seq":1,"subject":"a","time":"t","headers":{"K":["1","2"]},"data":"x"}');
  assert.equal(toNdjson({ kind: 'marker', marker: 'live', time: 't', text: 'bootstrap done' }), '{"marker":"live"}');
  assert.equal(
    toNdjson({ kind: 'kv', bucket: 'b', key: 'k', revision: 3, op: 'put', phase: 'live', prev: { revision: 2, value: new Uint8Array([0xff]) }, value: data, time: 't' }),
    '{"bucket":"b","key":"k","revision":3,"op":"put","phase":"live","prev":{"revision":2,"value":"/w==","encoding":"base64"},"value":"x","time":"t"}',
  );
});

test('human output escapes control and bidi characters so a payload cannot drive the terminal', () => {
  assert.equal(escapeControls('a\u001b[31mb\u202ec'), 'a\\x1b[31mb\\u202ec');
  const out = humanLines({ kind: 'msg', subject: 'x\u0007', time: 't', data: new TextEncoder().encode('\u001b]0;pwned\u0007') });
  assert.ok(!/[\u0007\u001b]/.test(out));
});

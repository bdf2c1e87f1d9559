/** Host → panel rows and what a restored panel resumes from. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restoredMarker, resumeSpec, savedTail, specFromJson, specFromValue, toRow } from '../../src/vscode/tail/rows';
import { checkTailAppend, checkTailRow } from '../../src/shared/tailValidate';
import { MAX_ROW_BYTES } from '../../src/shared/tailValidate';

test('rows carry payloads as base64, cut at 1 MiB with the cut size said, and pass the webview check', () => {
  const big = new Uint8Array(MAX_ROW_BYTES + 10).fill(0x41);
  const r = toRow(7, { kind: 'msg', stream: 'S', seq: 3, subject: 'a.b', time: 't', headers: [['K', 'v']], data: big });
  assert.equal(r.truncated, 10);
  assert.equal(Buffer.from(r.data, 'base64').length, MAX_ROW_BYTES);
  assert.deepEqual(checkTailRow(r, 'row'), r);
  const kv = toRow(8, { kind: 'kv', bucket: 'b', key: 'k', revision: 4, op: 'delete', phase: 'live', prev: { revision: 2, value: new Uint8Array([0xff]) }, value: null, time: 't' });
  assert.deepEqual([kv.subject, kv.seq, kv.op, kv.phase, kv.prev], ['k', 4, 'delete', 'live', { revision: 2, data: '/w==' }]);
  assert.deepEqual(checkTailRow(kv, 'row'), kv);
});

test('a saved spec is read back only when it is one; a stream tail resumes after the last sequence shown', () => {
  assert.deepEqual(specFromJson('{"kind":"stream","stream":"S","from":"all"}'), { kind: 'stream', stream: 'S', from: 'all' });
  assert.equal(specFromJson('{"kind":"stream"}'), undefined);
  assert.equal(specFromJson('not json'), undefined);
  assert.equal(specFromJson('{"kind":"shell","cmd":"rm"}'), undefined);
  assert.deepEqual(resumeSpec({ kind: 'stream', stream: 'S', from: 'all' }, 41), { kind: 'stream', stream: 'S', from: 'seq:42' });
  assert.deepEqual(resumeSpec({ kind: 'kv', bucket: 'b' }, 41), { kind: 'kv', bucket: 'b', fromRevision: 42 });
  // an "updates only" watch still shows the updates made while the window was closed
  assert.deepEqual(resumeSpec({ kind: 'kv', bucket: 'b', key: 'k', include: 'updates' }, 41), { kind: 'kv', bucket: 'b', key: 'k', fromRevision: 42 });
  assert.deepEqual(resumeSpec({ kind: 'kv', bucket: 'b' }, undefined), { kind: 'kv', bucket: 'b' });
  assert.deepEqual(resumeSpec({ kind: 'subject', subject: 'a.>' }, 41), { kind: 'subject', subject: 'a.>' });
  assert.deepEqual(resumeSpec({ kind: 'stream', stream: 'S', pendingOf: 'c' }, 41), { kind: 'stream', stream: 'S', pendingOf: 'c' });
});

test('the tail command takes the lens/designer { source } shape and the engine { kind } shape, and refuses anything else', () => {
  assert.deepEqual(specFromValue({ source: 'stream', stream: 'ORDERS', filter: 'orders.>' }), { kind: 'stream', stream: 'ORDERS', filters: ['orders.>'] });
  assert.deepEqual(specFromValue({ source: 'stream', stream: 'ORDERS' }), { kind: 'stream', stream: 'ORDERS' });
  assert.deepEqual(specFromValue({ source: 'subject', subject: 'orders.*' }), { kind: 'subject', subject: 'orders.*' });
  assert.deepEqual(specFromValue({ source: 'kv', bucket: 'sessions', key: 'user.1' }), { kind: 'kv', bucket: 'sessions', key: 'user.1' });
  assert.deepEqual(specFromValue({ kind: 'kv', bucket: 'b' }), { kind: 'kv', bucket: 'b' });
  for (const bad of [undefined, null, 'ORDERS', {}, { source: 'stream' }, { source: 'stream', stream: '' }, { source: 'kv', key: 'x' }, { source: 'nope', subject: 'a' }, { kind: 'stream' }]) {
    assert.equal(specFromValue(bad), undefined, JSON.stringify(bad));
  }
});

test('a restored panel reads what its webview saved defensively, and starts with a marker saying where it picked up and what it missed', () => {
  const view = (spec: unknown) => ({ view: { specJson: JSON.stringify(spec) } });
  assert.deepEqual(savedTail({ ...view({ kind: 'kv', bucket: 'b' }), lastSeq: 9, lastTime: '2026-11-30T10:00:00Z' }), { spec: { kind: 'kv', bucket: 'b' }, lastSeq: 9, lastTime: '2026-11-30T10:00:00Z' });
  assert.deepEqual(savedTail({ ...view({ kind: 'kv', bucket: 'b' }), lastSeq: -3, lastTime: 'yesterday' }), { spec: { kind: 'kv', bucket: 'b' } });
  assert.equal(savedTail({ view: { specJson: 42 } }), undefined);
  assert.equal(savedTail(undefined), undefined);
  const fmt = (iso: string) => `<${iso}>`;
  const sub = restoredMarker({ spec: { kind: 'subject', subject: 'orders.>' }, lastTime: '2026-11-30T10:00:00Z' }, fmt)!;
  assert.equal(sub.marker, 'gap');
  assert.match(sub.text, /published on orders\.> while the window was closed were not seen/);
  assert.match(sub.text, /<2026-11-30T10:00:00Z>/);
  assert.equal(restoredMarker({ spec: { kind: 'subject', subject: 'x' } }, fmt)!.marker, 'gap', 'even with nothing shown before');
  const kv = restoredMarker({ spec: { kind: 'kv', bucket: 'b' }, lastSeq: 9 }, fmt)!;
  assert.deepEqual([kv.marker, kv.seq], ['resumed', 10]);
  assert.match(kv.text, /not live/);
  assert.equal(restoredMarker({ spec: { kind: 'kv', bucket: 'b' } }, fmt), undefined, 'nothing shown yet: a fresh watch, nothing to say');
});

test('the batch check is fast for what the host sends (taken as is) and still names what is wrong in anything else', () => {
  const row = toRow(1, { kind: 'msg', stream: 'S', seq: 3, subject: 'a.b', time: '2026-11-30T10:00:00Z', headers: [['K', 'v']], data: new Uint8Array([1, 2]) });
  const batch = { rows: [row, { ...row, id: 2 }], received: 2, skipped: 0 };
  assert.equal(checkTailAppend(batch, ''), batch, 'a valid batch passes in place');
  assert.throws(() => checkTailAppend({ ...batch, rows: [row, { ...row, id: 'two' }] }, ''), /rows\[1\]\.id: expected a number/);
  assert.throws(() => checkTailAppend({ ...batch, rows: [{ ...row, kind: 'html' }] }, ''), /rows\[0\]\.kind: expected one of msg\|kv\|marker/);
  assert.throws(() => checkTailAppend({ ...batch, received: 'x' }, ''), /received: expected a number/);
  assert.throws(() => checkTailAppend({ ...batch, rows: [{ ...row, headers: [['only-name']] }] }, ''), /rows\[0\]\.headers\[0\]/);
  // unknown fields are not passed on (the full check copies only what it knows)
  const extra = checkTailAppend({ ...batch, rows: [{ ...row, onclick: 'x' }] }, '');
  assert.ok(!('onclick' in extra.rows[0]!));
  assert.deepEqual(extra.rows[0], row);
});

/** Host → panel rows and what a restored panel resumes from. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resumeSpec, specFromJson, specFromValue, toRow } from '../../src/vscode/tail/rows';
import { checkTailRow } from '../../src/shared/tailValidate';
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
  assert.deepEqual(resumeSpec({ kind: 'kv', bucket: 'b' }, 41), { kind: 'kv', bucket: 'b' });
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

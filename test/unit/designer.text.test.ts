import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDesign, loadDesign, type FlowDesign } from '../../src/core/design';
import { minimalReplace, pointerRange, positionAt } from '../../src/vscode/designer/textEdits';
import { checkDesignValue, checkEdit, checkTailTarget } from '../../src/shared/designValidate';
import { attempt } from '../../src/shared/validate';

const overmind = readFileSync(join(__dirname, '../../examples/overmind.natsflow.json'), 'utf8');
const design = (): FlowDesign => {
  const l = loadDesign(overmind);
  assert.ok(l.ok);
  return l.design;
};

test('moving one component on the canvas replaces one line of the canonical text', () => {
  const d = design();
  d.components[1]!.position = { x: 123, y: 456 };
  const next = formatDesign(d);
  const r = minimalReplace(overmind, next)!;
  assert.ok(r);
  assert.equal(overmind.slice(0, r.start) + r.text + overmind.slice(r.end), next, 'applying the replacement gives the new text');
  assert.ok(!r.text.includes('\n'), `one line changed, got ${JSON.stringify(r.text)}`);
  assert.match(r.text, /123.*456/);
  assert.equal(minimalReplace(overmind, overmind), undefined, 'no change, no edit');
});

test('a JSON pointer maps to the text range of its value (Problems ranges)', () => {
  const d = design();
  const ptr = `/paths/1/subject`;
  const r = pointerRange(overmind, ptr)!;
  assert.equal(overmind.slice(r.offset, r.offset + r.length), JSON.stringify(d.paths[1]!.subject));
  const line = positionAt(overmind, r.offset).line + 1;
  assert.equal(overmind.split('\n')[line - 1]!.trim().startsWith('"subject"'), true);
  // a pointer into something missing falls back to its deepest existing parent
  const missing = pointerRange(overmind, '/paths/1/override/reason')!;
  assert.ok(overmind.slice(missing.offset, missing.offset + missing.length).length > 0);
});

test('designer messages: a design edit is bounded JSON; tail targets are one of three shapes', () => {
  assert.ok(attempt(checkEdit, { design: design(), label: 'move', baseVersion: 3 }).ok);
  assert.ok(!attempt(checkDesignValue, { name: 'x' }).ok, 'no components/paths lists');
  assert.ok(!attempt(checkEdit, { design: design(), label: 'x'.repeat(500), baseVersion: 1 }).ok);
  assert.ok(attempt(checkTailTarget, { source: 'stream', stream: 'ORDERS', filter: 'orders.>' }).ok);
  assert.ok(attempt(checkTailTarget, { source: 'kv', bucket: 'sessions' }).ok);
  assert.ok(!attempt(checkTailTarget, { source: 'file', path: '/etc/passwd' }).ok);
});

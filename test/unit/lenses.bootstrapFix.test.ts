/**
 * The kv-watch-no-bootstrap quick fix on the fixture of each language: it inserts the scaffold's
 * bootstrap/live check (src/core/scaffold bootstrap), and the fixed loop is no longer flagged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParserPool, recogniseText } from '../../src/treesitter';
import { diagnose, languageOfFile, type TextEdit } from '../../src/core/lenses';
import { endOfBootstrapCheck, tsLiveCheck } from '../../src/core/scaffold';

const fixtures = join(__dirname, '../fixtures/lenses');
const pool = new ParserPool();

function apply(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  for (const e of [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.col - a.range.start.col)) {
    assert.deepEqual(e.range.start, e.range.end, 'insertions only');
    const l = lines[e.range.start.line]!;
    lines[e.range.start.line] = l.slice(0, e.range.start.col) + e.newText + l.slice(e.range.start.col);
  }
  return lines.join('\n');
}

async function fixOnce(file: string): Promise<{ before: string; after: string; stillFlagged: boolean }> {
  const before = readFileSync(join(fixtures, file), 'utf8');
  const lang = languageOfFile(file)!;
  const found = diagnose(await recogniseText(pool, lang, before), { text: before }).filter((f) => f.rule === 'kv-watch-no-bootstrap');
  assert.equal(found.length, 1, `${file}: one unchecked watch loop`);
  const fix = found[0]!.fixes[0];
  assert.ok(fix?.edits, `${file}: a textual fix`);
  assert.match(fix.title, /bootstrap/);
  const after = apply(before, fix.edits);
  const stillFlagged = diagnose(await recogniseText(pool, lang, after), { text: after }).some((f) => f.rule === 'kv-watch-no-bootstrap');
  return { before, after, stillFlagged };
}

test('Go: live := false before the loop, the scaffold\'s nil-marker check first in the body', async () => {
  const { after, stillFlagged } = await fixOnce('orders.go');
  assert.ok(!stillFlagged);
  const check = endOfBootstrapCheck('go', 'e').map((l) => '\t\t' + l).join('\n');
  assert.ok(after.includes(`\tlive := false\n\tfor e := range w.Updates() {\n${check}\n\t\tfmt.Println(e.Key())`), after);
});

test('Python: live = False before the loop, the scaffold\'s None check first in the body', async () => {
  const { after, stillFlagged } = await fixOnce('orders.py');
  assert.ok(!stillFlagged);
  const check = endOfBootstrapCheck('python', 'e').map((l) => '        ' + l).join('\n');
  assert.ok(after.includes(`    live = False\n    async for e in w:\n${check}\n        print(e.key)`), after);
});

test('TypeScript: let live = false before the loop, the scaffold\'s delta check last in the body', async () => {
  const { after, stillFlagged } = await fixOnce('orders.ts');
  assert.ok(!stillFlagged);
  assert.ok(after.includes(`  let live = false;\n  for await (const e of w) {\n    console.log(e.key, e.string());\n    ${tsLiveCheck('e', 'live = true')}`), after);
});

test('the scaffold and the fix share the check: the generated Go watcher holds the same lines', async () => {
  const { scaffold } = await import('../../src/core/scaffold');
  const go = scaffold({ pattern: 'kv-watcher', lang: 'go', bucket: 'app-state' }).files.map((f) => f.content).join('\n');
  assert.ok(go.includes(endOfBootstrapCheck('go', 'e', ['on.Ready(len(state))']).map((l) => '\t\t' + l).join('\n')));
  const ts = scaffold({ pattern: 'kv-watcher', lang: 'ts', bucket: 'app-state' }).files.map((f) => f.content).join('\n');
  assert.ok(ts.includes(tsLiveCheck('e', 'await goLive()')));
});

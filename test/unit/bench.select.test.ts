// `npm run bench [NAME] [ARGS]`: which bench files run and with which arguments
// (scripts/lib/benchSelect.mjs), checked on the real bench/ folder and through the runner's
// --dry-run, which runs neither the set-up nor any benchmark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchNames, selectBenches } from '../../scripts/lib/benchSelect.mjs';

const root = join(import.meta.dirname, '..', '..');
const listing = readdirSync(join(root, 'bench'));

function runner(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'bench.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('a name picks exactly the bench file of that name, not the others it is a prefix of', () => {
  // tail is a prefix of tailPanel and tailReconnect, design of designer
  assert.ok(listing.includes('tailPanel.bench.ts') && listing.includes('tailReconnect.bench.ts') && listing.includes('designer.bench.ts'));
  assert.deepEqual(selectBenches(listing, ['tail', '--only', 'kv']), { files: ['tail.bench.ts'], args: ['--only', 'kv'] });
  assert.deepEqual(selectBenches(listing, ['design']), { files: ['design.bench.ts'], args: [] });
  assert.deepEqual(selectBenches(listing, ['tailPanel', '--dev']), { files: ['tailPanel.bench.ts'], args: ['--dev'] });
});

test('no name runs every bench file, each with all the arguments', () => {
  const all = listing.filter((f) => f.endsWith('.bench.ts')).sort();
  assert.ok(all.length >= 8);
  assert.deepEqual(selectBenches(listing, []), { files: all, args: [] });
  assert.deepEqual(selectBenches(listing, ['--json']), { files: all, args: ['--json'] });
});

test('a name matching no bench file (a part of one, or no file at all) lists the available names', () => {
  for (const name of ['tai', 'Tail', 'nosuch']) {
    const r = selectBenches(listing, [name, '--only', 'kv']);
    assert.equal(r.files, undefined);
    assert.equal(r.error, `no benchmark named "${name}" in bench/. Available: ${benchNames(listing).join(', ')}`);
    assert.match(r.error!, /Available: .*\btail, tailPanel, tailReconnect\b/);
  }
});

test('the runner with --dry-run prints what it would run; a name matching none exits 2 naming the choices', () => {
  const one = runner('tail', '--only', 'kv', '--dry-run');
  assert.equal(one.status, 0, one.err);
  assert.equal(one.out, 'bench/tail.bench.ts --only kv\n');
  const all = runner('--dry-run');
  assert.equal(all.status, 0, all.err);
  assert.deepEqual(all.out.trim().split('\n'), benchNames(listing).map((n) => `bench/${n}.bench.ts`));
  const none = runner('tai', '--only', 'kv', '--dry-run');
  assert.equal(none.status, 2);
  assert.equal(none.out, '');
  assert.match(none.err, /^no benchmark named "tai" in bench\/\. Available: .*\btail\b.*\btailPanel\b/);
});

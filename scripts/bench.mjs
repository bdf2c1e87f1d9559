// `npm run bench`: the set-up step (deps and NATS tools), then every bench/*.bench.ts in turn,
// or the one a name picks (`npm run bench -- explorer` runs bench/explorer.bench.ts; the
// arguments after the name go to it). A name matching no benchmark lists them and exits 2.
// `--dry-run` prints what would run, with which arguments, and runs nothing (not even the
// set-up). Each benchmark compares ours with raw nats.js and natscli in the same run and
// prints ratios.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBenches } from './lib/benchSelect.mjs';
import { runSetup } from './lib/setup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dryRun = argv.includes('--dry-run');
const picked = selectBenches(readdirSync(join(root, 'bench')), argv.filter((a) => a !== '--dry-run'));
if (picked.error !== undefined) {
  console.error(picked.error);
  process.exit(2);
}
const { files, args } = picked;
if (dryRun) {
  for (const f of files) console.log(['bench/' + f, ...args].join(' '));
  process.exit(0);
}
await runSetup('bench');
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join('bench', f), ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

// `npm run bench`: the set-up step (deps and NATS tools), then every bench/*.bench.ts in turn,
// or only those whose name contains an argument (`npm run bench -- explorer`). Each benchmark
// compares ours with raw nats.js and natscli in the same run and prints ratios.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSetup } from './lib/setup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [filter, ...rest] = process.argv.slice(2);
const names = filter && !filter.startsWith('-') ? [filter] : [];
const args = names.length ? rest : process.argv.slice(2);
await runSetup('bench');
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts') && (!names.length || names.some((n) => f.includes(n))))
  .sort();
if (!files.length) {
  console.error(`no benchmark in bench/ matches "${names.join(' ')}"`);
  process.exit(2);
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join('bench', f), ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

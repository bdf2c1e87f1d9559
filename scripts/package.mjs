// Packages the production build into nats-flow-<version>.vsix with vsce. Everything is
// bundled by esbuild, so no node_modules go in (--no-dependencies); .vscodeignore keeps
// sources, tests, maps and caches out. Prints the size and the file list.
import { execFileSync } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version, name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = process.argv[2] ?? join(root, `${name}-${version}.vsix`);
execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', out], { cwd: root, stdio: 'inherit' });
const files = execFileSync('npx', ['vsce', 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
// only what the extension needs at run time: no sources, tests, maps or dependencies
const stray = files.filter((f) => /\.map$|\.ts$|^(src|test|scripts|webview|node_modules|bench)\//.test(f));
if (stray.length) {
  console.error(`[package] the .vsix would ship files it does not need: ${stray.join(', ')}`);
  process.exit(1);
}
console.log(`[package] ${out}: ${(statSync(out).size / 1024).toFixed(0)} KiB, ${files.length} files: ${files.join(', ')}`);

// `npm run sandbox`: the set-up step first (plain Node: npm ci, nats-server, and code-server
// unless desktop `code` is installed), then the sandbox itself (scripts/sandbox.ts), which
// needs the dependencies set-up has just installed. Arguments pass through (`-- --check`).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSetup } from './lib/setup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const { skipped } = await runSetup(args.includes('--check') ? 'sandbox-check' : 'sandbox-open');
if (skipped.includes('vscode')) {
  console.error('[sandbox] NATS_FLOW_SKIP_VSCODE=1 is set, but the sandbox is VS Code with the extension: unset it.');
  process.exit(1);
}
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'sandbox.ts'), ...args], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches the whole process group, the sandbox too: it stops what it started, and this
// waits for it. A SIGTERM sent to this process alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));

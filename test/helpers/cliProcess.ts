/**
 * The built CLI (`node dist/cli.js …`) as a real process, for tests of what a user sees while
 * it runs: its output so far, waiting for a line, its exit code and when it ended. No
 * developer natscli context or NATS_URL leaks in.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
export const cliJs = join(root, 'dist', 'cli.js');

/** Builds dist/cli.js when a test file runs on its own before any build. */
export function ensureBuiltCli(): void {
  if (!existsSync(cliJs)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--no-tests'], { cwd: root, stdio: 'inherit' });
}
const env = { ...process.env, HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent', NATS_URL: '' };

/** A running `node dist/cli.js …`: its output so far, and how it ended. */
export class CliProcess {
  out = '';
  err = '';
  code: number | null | undefined;
  endedAt = 0;
  readonly ended: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(readonly args: string[]) {
    this.child = spawn(process.execPath, [cliJs, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d) => (this.out += d));
    this.child.stderr!.on('data', (d) => (this.err += d));
    this.ended = new Promise((resolve) =>
      this.child.on('close', (code, signal) => {
        this.code = code ?? (signal ? -1 : null);
        this.endedAt = Date.now();
        resolve(this.code);
      }),
    );
  }

  /** Waits until `re` matches stdout or stderr, failing after `ms` with what it printed. */
  async waitFor(re: RegExp, ms: number, what = re.source): Promise<number> {
    const until = Date.now() + ms;
    while (!re.test(this.out) && !re.test(this.err)) {
      if (this.code !== undefined) assert.fail(`${this.args.slice(0, 3).join(' ')} ended (${this.code}) before "${what}".\nstdout: ${this.out.slice(-800)}\nstderr: ${this.err}`);
      if (Date.now() > until) assert.fail(`no "${what}" within ${ms} ms from ${this.args.slice(0, 3).join(' ')}.\nstdout: ${this.out.slice(-800)}\nstderr: ${this.err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return Date.now();
  }

  /** Waits for the exit, at most `ms`; kills and fails after that. */
  async exit(ms: number): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const code = await this.ended;
    clearTimeout(timer);
    assert.notEqual(code, -1, `${this.args.slice(0, 3).join(' ')} did not end within ${ms} ms.\nstderr: ${this.err}`);
    return code;
  }

  interrupt(): void {
    this.child.kill('SIGINT');
  }

  kill(): void {
    if (this.code === undefined) this.child.kill('SIGKILL');
  }
}

/**
 * Builds and runs scaffolded projects for real: writes a generated project into a temp dir,
 * compiles it with the language's own toolchain (tsc strict against this repository's
 * @nats-io packages; `go build` + `go vet` with the pinned go.mod/go.sum, modules cached in
 * GOMODCACHE outside the clone; byte-compile + mypy --strict in the venv made by
 * scripts/ensure-py-venv.sh) and starts its programs as child processes whose output lines
 * the scenarios wait on. A missing toolchain gives a skip reason, never a pass.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generate, resolveSpec, type ScaffoldLang, type ScaffoldOptions, type ScaffoldSpec } from '../../src/core/scaffold';
import { natsFlowCacheDir } from './binaries';
import { makeTempDir } from './natsServer';

const run = promisify(execFile);
const REPO = resolve(__dirname, '../..');

/** Why this language's scaffolds cannot be built here, or false. Python makes its venv on first call. */
export function toolchainSkipReason(lang: ScaffoldLang): string | false {
  if (lang === 'ts') return false;
  if (lang === 'go') {
    const r = spawnSync('go', ['version'], { encoding: 'utf8' });
    if (r.status !== 0) return 'Go toolchain not installed (needed to build the Go scaffolds): install Go 1.25+';
    // the generated go.mod says go 1.25.0 (nats.go v1.51.0 needs it); an older go would try to download a toolchain
    const [, major, minor] = /go(\d+)\.(\d+)/.exec(r.stdout) ?? [];
    return Number(major) > 1 || Number(minor) >= 25 ? false : `Go ${major}.${minor} is too old for the Go scaffolds (nats.go v1.51.0 needs Go 1.25+)`;
  }
  return pythonVenv() ? false : `Python venv unavailable: ${venvError} (run: bash scripts/ensure-py-venv.sh)`;
}

let venvPython: string | null | undefined;
let venvError = '';
/** The venv's python with nats-py and mypy pinned (scripts/ensure-py-venv.sh makes it once). */
export function pythonVenv(): string | null {
  if (venvPython !== undefined) return venvPython;
  const r = spawnSync('bash', [join(REPO, 'scripts/ensure-py-venv.sh')], { encoding: 'utf8', timeout: 600_000 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  venvPython = r.status === 0 && last.endsWith('python') ? last : null;
  venvError = r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`;
  return venvPython;
}

export interface BuiltProject {
  spec: ScaffoldSpec;
  dir: string;
  /** argv to start one of the project's programs (`main`, `responder`, `requester`). */
  command(entry: string, args?: string[]): string[];
}

/** Writes the generated project; `replace` swaps files (the tests' failure-injecting handlers). */
export function writeProject(root: string, options: ScaffoldOptions, replace: Record<string, string> = {}): { spec: ScaffoldSpec; dir: string } {
  const spec = resolveSpec(options);
  const dir = join(root, `${spec.lang}-${spec.pattern}`);
  for (const f of generate(spec)) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, replace[f.path] ?? f.content);
  }
  return { spec, dir };
}

export async function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    await run(cmd, args, { cwd, env, maxBuffer: 16 * 1024 * 1024, timeout: 600_000 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}${err.stderr ?? ''}${err.message}`);
  }
}

/** Compiles a written project the way its README says, strictly; throws with the compiler output. */
export async function buildProject(p: { spec: ScaffoldSpec; dir: string }): Promise<BuiltProject> {
  const { spec, dir } = p;
  if (spec.lang === 'ts') {
    // the generated package.json pins the same @nats-io versions this repository uses
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
    await sh(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir);
    return { spec, dir, command: (entry, args = []) => [process.execPath, join(dir, 'dist', `${entry}.js`), ...args] };
  }
  if (spec.lang === 'go') {
    const bin = join(dir, 'bin');
    await sh('go', ['build', '-o', bin + '/', './...'], dir);
    await sh('go', ['vet', './...'], dir);
    return { spec, dir, command: (entry, args = []) => [join(bin, entry === 'main' ? spec.project : entry), ...args] };
  }
  const py = pythonVenv();
  if (!py) throw new Error('no Python venv');
  await sh(py, ['-m', 'compileall', '-q', '.'], dir);
  await sh(py, ['-m', 'mypy', '--cache-dir', join(natsFlowCacheDir(), 'mypy-cache'), '.'], dir);
  return { spec, dir, command: (entry, args = []) => [py, join(dir, `${entry}.py`), ...args] };
}

export function scaffoldRoot(lang: ScaffoldLang): string {
  return makeTempDir(`nats-flow-scaffold-${lang}-`);
}

/** A running generated program: its output lines, waits on them, its exit. */
export class Program {
  readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  private readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;

  private readonly group: boolean;

  /**
   * `group`: start it in its own process group and signal the whole group, as a terminal's
   * Ctrl-C does: `go run .` ignores SIGINT and waits for the program it started, which gets it.
   */
  constructor(argv: string[], cwd: string, env: Record<string, string>, opts: { group?: boolean } = {}) {
    const base = { ...process.env };
    for (const k of ['NATS_CREDS', 'NATS_TOKEN', 'NATS_USER', 'NATS_PASSWORD', 'NATS_URL']) delete base[k];
    this.group = opts.group ?? false;
    this.proc = spawn(argv[0]!, argv.slice(1), { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: this.group });
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      this.lines.push(...parts);
      for (const w of this.waiters.splice(0)) w();
    };
    this.proc.stdout!.on('data', onData);
    this.proc.stderr!.on('data', onData);
    this.exited = new Promise((res) =>
      this.proc.on('exit', (code) => {
        if (buf) this.lines.push(buf);
        for (const w of this.waiters.splice(0)) w();
        res(code);
      }),
    );
  }

  output(): string {
    return this.lines.join('\n');
  }

  count(re: RegExp): number {
    return this.lines.filter((l) => re.test(l)).length;
  }

  /** Waits until `check()` holds over the output lines; fails naming what was awaited, with the output. */
  async until(what: string, check: (lines: string[]) => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    void this.exited.then(() => (done = true));
    while (!check(this.lines)) {
      if (done && !check(this.lines)) throw new Error(`program exited before ${what}:\n${this.output()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}:\n${this.output()}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 500));
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }

  waitFor(re: RegExp, timeoutMs?: number): Promise<void> {
    return this.until(String(re), (ls) => ls.some((l) => re.test(l)), timeoutMs);
  }

  signal(sig: NodeJS.Signals = 'SIGTERM'): void {
    if (this.group && this.proc.pid) process.kill(-this.proc.pid, sig);
    else this.proc.kill(sig);
  }

  /** SIGKILL if still running (test cleanup); the whole group when started as one. */
  kill(): void {
    if (this.group && this.proc.pid) {
      try {
        process.kill(-this.proc.pid, 'SIGKILL');
      } catch {
        /* the group is gone */
      }
    } else if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}

/** Runs a short-lived program to its end; returns exit code and output. */
export async function runToEnd(argv: string[], cwd: string, env: Record<string, string>, timeoutMs = 60_000, opts: { group?: boolean } = {}): Promise<{ code: number | null; output: string }> {
  const p = new Program(argv, cwd, env, opts);
  const timer = setTimeout(() => p.kill(), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, output: p.output() };
}

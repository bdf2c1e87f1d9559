/**
 * Follows the READMEs a whole-design scaffold writes, line by line, against a test server:
 * the root README (sandbox, `nats-flow apply`, `export NATS_URL`) and each project's (build,
 * then the run lines). Every line is either carried out as written or replaced by its
 * stated equivalent here (the suite's server stands in for `npm run sandbox`; the packages
 * `npm install` / `pip install` would fetch are this repository's and the shared venv's, the
 * same pinned versions); a line this helper does not know fails the test, so a README that
 * changes is followed or noticed, never skipped.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/command';
import type { ScaffoldLang } from '../../src/core/scaffold';
import { Program, pythonVenv, sh } from './scaffoldRig';

const REPO = resolve(__dirname, '../..');
export const SANDBOX_URL = 'nats://127.0.0.1:14222';

/** The command lines of a README's first ```bash block, trailing `# comments` dropped. */
export function readmeCommands(markdown: string): string[] {
  const block = /```bash\n([\s\S]*?)```/.exec(markdown);
  assert.ok(block, 'the README has a bash block');
  return block[1]!
    .split('\n')
    .map((l) => l.replace(/\s+#\s.*$/, '').trim())
    .filter(Boolean);
}

/** argv of a simple shell line (words, single-quoted strings), as sh would split it. */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|(\S+)/g;
  for (let m; (m = re.exec(line)); ) out.push(m[1] ?? m[2]!);
  return out;
}

/** Does what the root README of a whole-design scaffold says; returns the apply output and the environment it exports. */
export async function followDesignReadme(outDir: string, designFile: string, serverUrl: string): Promise<{ env: Record<string, string>; apply: { out: string; err: string; asked: string[] } }> {
  const env: Record<string, string> = {};
  let apply: { out: string; err: string; asked: string[] } | undefined;
  for (const line of readmeCommands(readFileSync(join(outDir, 'README.md'), 'utf8'))) {
    const w = shellWords(line);
    if (line === 'npm run sandbox') continue; // the test's server is the sandbox
    if (w[0] === 'nats-flow' && w[1] === 'apply') {
      const i = w.indexOf('--server');
      assert.equal(w[i + 1], SANDBOX_URL, line);
      // the README names the design by its file name: run next to it, on the test's server
      const args = w.slice(1).map((a, j) => (j === 1 ? join(dirname(designFile), a) : j === i ? serverUrl : a));
      let out = '';
      let err = '';
      const asked: string[] = [];
      // the prompt a user answers at the terminal
      const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), env: { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent' }, confirm: async (q) => (asked.push(q), true) };
      const code = await runCli(args, io);
      assert.equal(code, 0, `${line}\n${out}${err}`);
      apply = { out, err, asked };
      continue;
    }
    const exp = /^export (\w+)=(\S+)$/.exec(line);
    if (exp) {
      assert.equal(exp[2], SANDBOX_URL, line);
      env[exp[1]!] = serverUrl;
      continue;
    }
    assert.fail(`a README step this test does not follow: ${line}`);
  }
  assert.ok(apply, 'the README applies the design');
  return { env, apply };
}

export interface ReadmeProject {
  dir: string;
  /** argv of each run line of the README, in order (example arguments included). */
  runs: string[][];
  /** Starts run line `i`, optionally with other arguments than the README's example. */
  start(i: number, env: Record<string, string>, args?: string[]): Program;
}

/**
 * Builds projects the way their READMEs say (see the file comment for npm/pip) and returns
 * their run lines. TypeScript's `npm run build` is `tsc -p tsconfig.json` (checked); the
 * projects are compiled together by one `tsc -b` over the same tsconfig.json files, which
 * parses the shared typings once instead of once per project.
 */
export async function buildAsReadme(projects: { dir: string; lang: ScaffoldLang }[]): Promise<ReadmeProject[]> {
  const ts: string[] = [];
  const out: ReadmeProject[] = [];
  for (const { dir, lang } of projects) {
    const lines = readmeCommands(readFileSync(join(dir, 'README.md'), 'utf8'));
    const [build, exportLine, ...runLines] = lines;
    assert.equal(exportLine, `export NATS_URL=${SANDBOX_URL}`);
    if (lang === 'ts') {
      assert.equal(build, 'npm install && npm run build');
      assert.equal(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts.build, 'tsc -p tsconfig.json');
      // npm install would fetch the pinned @nats-io 3.4.0, typescript and @types/node this repository has
      if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
      ts.push(dir);
    } else if (lang === 'go') {
      assert.equal(build, 'go build ./...');
      await sh('go', ['build', './...'], dir);
    } else {
      assert.equal(build, 'python3 -m venv .venv && .venv/bin/pip install -r requirements.txt');
      // the shared venv holds the same pinned nats-py (scripts/ensure-py-venv.sh)
      const py = pythonVenv();
      assert.ok(py, 'the Python venv');
      assert.match(readFileSync(join(dir, 'requirements.txt'), 'utf8'), /^nats-py==2\.16\.0$/m);
      if (!existsSync(join(dir, '.venv'))) symlinkSync(dirname(dirname(py)), join(dir, '.venv'));
    }
    const runs = runLines.map(shellWords);
    out.push({
      dir,
      runs,
      start: (i, env, args) => {
        const argv = runs[i]!;
        const base = lang === 'go' ? argv.slice(0, 3) : argv.slice(0, 2); // `go run .` / `node dist/main.js` / `.venv/bin/python main.py`
        const full = args ? [...base, ...args] : argv;
        // `.venv/bin/python` and `node` resolve like a shell would: relative to the project, then PATH
        const exe = full[0]!.includes('/') ? join(dir, full[0]!) : full[0] === 'node' ? process.execPath : full[0]!;
        return new Program([exe, ...full.slice(1)], dir, env, { group: lang === 'go' });
      },
    });
  }
  if (ts.length) await sh(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-b', ...ts], REPO);
  return out;
}

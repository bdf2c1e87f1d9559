/**
 * The textual quick fixes (the subject, nak-delay and KV watch bootstrap fixes) leave code that still compiles: every fix of the fixture files is
 * applied, then the TypeScript file is type-checked against the real @nats-io packages, the Go
 * file built against nats.go (from the local Go module cache: GOPROXY=off), and the Python file
 * byte-compiled (syntax only: nats-py is not installed here).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { diagnose, languageOfFile, type Finding } from '../../src/core/lenses';
import { ParserPool, recogniseText } from '../../src/treesitter';
import { makeTempDir, removeTempDir } from '../helpers/natsServer';

const root = join(__dirname, '../..');
const fixtures = join(root, 'test/fixtures/lenses');
const pool = new ParserPool();

/** Applies every textual fix (one per finding), last first so earlier ranges stay valid. */
async function fixed(file: string): Promise<{ text: string; applied: string[] }> {
  const text = readFileSync(join(fixtures, file), 'utf8');
  const found = diagnose(await recogniseText(pool, languageOfFile(file)!, text), { text });
  const edits = found.flatMap((f: Finding) => (f.fixes[0]?.edits ?? []).map((e) => ({ e, rule: f.rule })));
  edits.sort((a, b) => b.e.range.start.line - a.e.range.start.line || b.e.range.start.col - a.e.range.start.col);
  const lines = text.split('\n');
  for (const { e } of edits) {
    const l = lines[e.range.start.line];
    lines[e.range.start.line] = l.slice(0, e.range.start.col) + e.newText + l.slice(e.range.end.col);
  }
  return { text: lines.join('\n'), applied: edits.map((x) => x.rule) };
}

const goReady = (() => {
  const r = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' });
  if (r.status !== 0) return 'no Go toolchain';
  const cached = spawnSync('go', ['mod', 'download', '-json', 'github.com/nats-io/nats.go@v1.51.0'], { encoding: 'utf8', env: { ...process.env, GOPROXY: 'off' } });
  return cached.status === 0 ? false : 'nats.go v1.51.0 is not in the Go module cache';
})();

describe('quick fixes keep the code compiling', () => {
  test('TypeScript: the fixed file type-checks against the real @nats-io packages', async () => {
    const { text, applied } = await fixed('orders.ts');
    assert.deepEqual(applied, ['kv-watch-no-bootstrap', 'kv-watch-no-bootstrap', 'nak-no-delay']);
    assert.match(text, /let live = false;[\s\S]*if \(!live && e\.delta === 0\) live = true;/);
    // inside the worktree, so module resolution finds node_modules
    const dir = join(root, 'out', `lens-fix-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const file = join(dir, 'orders.ts');
      writeFileSync(file, text);
      const program = ts.createProgram([file], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: ['node'] });
      const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      assert.deepEqual(diags, []);
      assert.match(text, /m\.nak\(5_000\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('JavaScript: the subject fix keeps the file valid (node --check)', async () => {
    const { text, applied } = await fixed('legacy.js');
    assert.deepEqual(applied, ['invalid-subject']);
    assert.match(text, /nc\.subscribe\('bad\.subject'\)/);
    const dir = makeTempDir('nats-flow-jsfix-');
    try {
      writeFileSync(join(dir, 'legacy.js'), text);
      const r = spawnSync(process.execPath, ['--check', join(dir, 'legacy.js')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    } finally {
      removeTempDir(dir);
    }
  });

  test('Go: the fixed file builds against nats.go', { skip: goReady }, async () => {
    const { text, applied } = await fixed('orders.go');
    assert.deepEqual(applied, ['kv-watch-no-bootstrap', 'kv-watch-no-bootstrap', 'nak-no-delay']);
    assert.match(text, /live := false\n\tfor e := range w\.Updates\(\) \{\n\t\tif e == nil \{/);
    assert.match(text, /m\.NakWithDelay\(5 \* time\.Second\)/);
    const dir = makeTempDir('nats-flow-gofix-');
    try {
      writeFileSync(join(dir, 'orders.go'), text);
      writeFileSync(join(dir, 'go.mod'), 'module example.com/orders\n\ngo 1.22\n\nrequire github.com/nats-io/nats.go v1.51.0\n');
      const env = { ...process.env, GOPROXY: 'off', GOFLAGS: '-mod=mod', GOWORK: 'off' };
      execFileSync('go', ['mod', 'tidy'], { cwd: dir, env, stdio: 'pipe' });
      const r = spawnSync('go', ['build', './...'], { cwd: dir, env, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      // and the build would fail on a broken fix
      writeFileSync(join(dir, 'orders.go'), text.replace('NakWithDelay(5 * time.Second)', 'NakWithDelay(5 * time.Sekond)'));
      assert.notEqual(spawnSync('go', ['build', './...'], { cwd: dir, env, encoding: 'utf8' }).status, 0);
    } finally {
      removeTempDir(dir);
    }
  });

  test('Python: the fixed file byte-compiles', { skip: spawnSync('python3', ['--version']).status === 0 ? false : 'no python3' }, async () => {
    const { text, applied } = await fixed('orders.py');
    assert.deepEqual(applied, ['kv-watch-no-bootstrap', 'kv-watch-no-bootstrap', 'nak-no-delay']);
    assert.match(text, /live = False\n    async for e in w:\n        if e is None:\n            live = True\n            continue\n/);
    assert.match(text, /await msg\.nak\(delay=5\)/);
    const dir = makeTempDir('nats-flow-pyfix-');
    try {
      writeFileSync(join(dir, 'orders.py'), text);
      const r = spawnSync('python3', ['-m', 'py_compile', join(dir, 'orders.py')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    } finally {
      removeTempDir(dir);
    }
  });
});

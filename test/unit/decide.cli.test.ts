import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { decideCommand } from '../../src/cli/commands/decide';
import { UsageError, type CliIO } from '../../src/cli/command';

function capture(): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    env: {},
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}

/** What main does with a command: UsageError → 2. */
async function exitCode(argv: string[]): Promise<{ code: number; io: ReturnType<typeof capture>; error?: Error }> {
  const io = capture();
  try {
    return { code: await decideCommand.run(argv, io), io };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, io, error: e };
    throw e;
  }
}

describe('nats-flow decide', () => {
  test('--json prints the decision with the documented keys and types', async () => {
    const { code, io } = await exitCode(['Only one worker should call the LLM for each ticket', '--json']);
    assert.equal(code, 0);
    const d = JSON.parse(io.stdout);
    for (const key of ['primitive', 'conflict', 'disagree', 'case', 'tests', 'config']) assert.ok(key in d, key);
    assert.ok(['kv', 'stream', 'undecided'].includes(d.primitive));
    assert.equal(typeof d.conflict, 'boolean');
    assert.ok(Array.isArray(d.disagree));
    assert.ok(d.case === null || typeof d.case === 'string');
    assert.deepEqual(d.tests.map((t: { id: string }) => t.id), ['restart', 'fanout', 'processing', 'nature']);
    for (const t of d.tests) {
      assert.equal(typeof t.answer, 'string');
      assert.ok(t.verdict === null || t.verdict === 'kv' || t.verdict === 'stream');
      assert.ok(['given', 'inferred', 'none'].includes(t.source));
      assert.equal(typeof t.why, 'string');
    }
    assert.equal(typeof d.config, 'object');
    assert.equal(d.primitive, 'stream');
    assert.equal(d.case, 'LLM call');
  });

  test('flags override inferred answers', async () => {
    const { io } = await exitCode(['Every service reacts to the change', '--restart', 'unsure', '--fanout', 'one', '--json']);
    const d = JSON.parse(io.stdout);
    const fanout = d.tests.find((t: { id: string }) => t.id === 'fanout');
    assert.equal(fanout.answer, 'one');
    assert.equal(fanout.source, 'given');
    assert.equal(d.primitive, 'stream');
  });

  test('answers without a description are enough', async () => {
    const { code, io } = await exitCode(['--restart', 'yes', '--env', 'development', '--json']);
    assert.equal(code, 0);
    const d = JSON.parse(io.stdout);
    assert.equal(d.primitive, 'kv');
    assert.equal(d.config.bucket.replicas, 1);
  });

  test('a bad flag value exits 2 and names the flag and its allowed values', async () => {
    const { code, error } = await exitCode(['something', '--fanout', 'many']);
    assert.equal(code, 2);
    assert.ok(error instanceof UsageError);
    assert.match(error.message, /--fanout/);
    assert.match(error.message, /all\|one\|unsure/);
    await assert.rejects(decideCommand.run(['x', '--env', 'staging'], capture()), (e: Error) => e instanceof UsageError && /--env/.test(e.message));
  });

  test('no description and no answers is bad usage, as is an unknown flag', async () => {
    assert.equal((await exitCode([])).code, 2);
    assert.equal((await exitCode(['x', '--colour'])).code, 2);
  });

  test('the text table shows the verdict, the four tests, the conflict and the config', async () => {
    const { code, io } = await exitCode(['Order status changed', '--restart', 'yes', '--fanout', 'one']);
    assert.equal(code, 0);
    const out = io.stdout;
    assert.match(out, /^Verdict: KV Watch \(decided by the restart test\)/);
    for (const id of ['restart', 'fanout', 'processing', 'nature']) assert.match(out, new RegExp(`\\b${id}\\b`));
    assert.match(out, /CONFLICT: the tests disagree \(KV: restart(, \w+)*; Stream: fanout\)/);
    assert.match(out, /Suggested KV bucket/);
    // columns line up: WHY starts at the same offset on every test row
    const rows = out.split('\n').filter((l) => /^[1-4] /.test(l) || l.startsWith('# '));
    assert.equal(rows.length, 5);
    const sourceCol = rows.map((r) => r.search(/\b(?:SOURCE|given|inferred|none)\b/));
    assert.equal(new Set(sourceCol).size, 1);
  });

  test('--help prints usage and exits 0', async () => {
    const { code, io } = await exitCode(['--help']);
    assert.equal(code, 0);
    assert.match(io.stdout, /Usage: nats-flow decide/);
  });
});

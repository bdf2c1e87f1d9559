/**
 * Numeric flags given a negative number (`--replicas-cap -1`, `--count -1`, …) are bad usage
 * (exit 2) with a message naming the flag, the value and what is allowed, the same message as
 * the `--flag=-1` form. Before, node's parseArgs refused `--flag -1` as "ambiguous" and
 * suggested `--flag=-XYZ`. All are refused before connecting, so no server is needed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { joinNegativeValues, wholeNumberFlag } from '../../src/cli/args';
import { UsageError } from '../../src/cli/command';
import { cli } from '../helpers/cliInProcess';

const DESIGN = 'examples/overmind.natsflow.json';

/** Every numeric flag of the CLI, a negative value, and what the message must say. */
const CASES: { args: string[]; flag: string; value: string; allowed: RegExp }[] = [
  { args: ['plan', DESIGN, '--replicas-cap'], flag: '--replicas-cap', value: '-1', allowed: /whole number from 1 to 5/ },
  { args: ['apply', DESIGN, '--dry-run', '--replicas-cap'], flag: '--replicas-cap', value: '-2', allowed: /whole number from 1 to 5/ },
  { args: ['scaffold', '--design', DESIGN, '--lang', 'ts', '--out', '/nonexistent/x', '--replicas-cap'], flag: '--replicas-cap', value: '-1', allowed: /whole number from 1 to 5/ },
  { args: ['pub', 'x.1', 'hi', '--count'], flag: '--count', value: '-1', allowed: /positive whole number/ },
  { args: ['pub', 'x.1', 'hi', '--count'], flag: '--count', value: '-0', allowed: /positive whole number/ },
  { args: ['ls', 'streams', '--limit'], flag: '--limit', value: '-5', allowed: /positive whole number/ },
  { args: ['tail', '--stream', 'S', '--limit'], flag: '--limit', value: '-5', allowed: /positive whole number/ },
  { args: ['tail', '--kv', 'b', '--from-revision'], flag: '--from-revision', value: '-3', allowed: /positive whole number/ },
  { args: ['req', 'x.1', 'hi', '--timeout'], flag: '--timeout', value: '-1', allowed: /use e\.g\. 500ms, 5s, 2m, 1h/ },
  { args: ['ls', 'streams', '--timeout'], flag: '--timeout', value: '-1.5s', allowed: /use e\.g\. 500ms, 5s, 2m, 1h/ },
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('numeric flags with a negative value', () => {
  for (const c of CASES) {
    test(`nats-flow ${c.args.join(' ')} ${c.value}: exit 2 naming ${c.flag}, "${c.value}" and what is allowed`, async () => {
      const spaced = await cli([...c.args, c.value], { NATS_URL: 'nats://127.0.0.1:1' });
      assert.equal(spaced.code, 2, spaced.err);
      assert.doesNotMatch(spaced.err, /ambiguous|-XYZ/, 'not node\'s parseArgs message');
      assert.match(spaced.err, new RegExp(`^nats-flow ${c.args[0]}: ${escape(c.flag)}\\b.*"${escape(c.value)}"`, 'm'));
      assert.match(spaced.err, c.allowed);
      // nothing was attempted: no connection error, only the usage line
      assert.doesNotMatch(spaced.err, /cannot reach/);
      const joined = await cli([...c.args.slice(0, -1), `${c.flag}=${c.value}`], { NATS_URL: 'nats://127.0.0.1:1' });
      assert.deepEqual(joined, spaced, 'the same answer as --flag=value');
    });
  }
});

describe('joinNegativeValues', () => {
  const options = { count: { type: 'string' as const, short: 'c' }, json: { type: 'boolean' as const, short: 'j' }, filter: { type: 'string' as const } };

  test('joins a string option and a negative-number value, long and short forms', () => {
    assert.deepEqual(joinNegativeValues(['x', '--count', '-1', '-c', '-2.5', '--count', '-.5'], options), ['x', '--count=-1', '--count=-2.5', '--count=-.5']);
  });

  test('leaves other tokens alone: boolean options, non-numeric values, positional numbers, everything after --', () => {
    const argv = ['--json', '-1', '--filter', '-x', '--count', '5', '-j', '--', '--count', '-1'];
    assert.deepEqual(joinNegativeValues(argv, options), argv);
  });
});

describe('wholeNumberFlag', () => {
  test('gives the number, or undefined when the flag is absent', () => {
    assert.equal(wholeNumberFlag('--limit', '12'), 12);
    assert.equal(wholeNumberFlag('--limit', undefined), undefined);
    assert.equal(wholeNumberFlag('--skip', '0', 0), 0);
  });

  test('refuses what is not a whole number of at least the minimum, naming the flag and the value', () => {
    for (const v of ['0', '-1', '1.5', 'ten', '', ' ', '1e400']) {
      assert.throws(() => wholeNumberFlag('--limit', v), (e: unknown) => e instanceof UsageError && e.message === `--limit "${v}" is not a positive whole number`, v);
    }
    assert.throws(() => wholeNumberFlag('--skip', '-1', 0), /--skip "-1" is not a whole number of at least 0/);
  });
});

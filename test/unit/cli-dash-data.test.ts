/**
 * Which argument `nats-flow pub`/`req` name when parseArgs refuses one as an unknown option:
 * the whole argument as the user typed it (parseArgs names only the part it could not read,
 * `-.` for `-.5`), never a flag's value, nothing after `--`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unknownOptionArg } from '../../src/cli/args';

const options = {
  server: { type: 'string', short: 's' },
  header: { type: 'string', short: 'H', multiple: true },
  count: { type: 'string' },
  jetstream: { type: 'boolean', short: 'J' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

test('the unknown argument is named whole, past known flags and their values', () => {
  const cases: [string[], string | undefined][] = [
    [['subj', '-5'], '-5'],
    [['subj', '-.5'], '-.5'],
    [['subj', '-q5'], '-q5'],
    [['subj', '--foo=bar'], '--foo=bar'],
    [['-J', '-q', 'subj', '-x y'], '-x y'],
    // values of string flags, also ones that look like flags or negative numbers
    [['--count', '-3', '-s', 'nats://h', '-Hk:v', '--header', 'a:b', 'subj', '--jetstream', '-7'], '-7'],
    [['--server=nats://h', '-snats://h', 'subj', '--', '-5'], undefined],
    [['subj', '-', '-Jq'], undefined],
  ];
  for (const [argv, want] of cases) assert.equal(unknownOptionArg(argv, options), want, argv.join(' '));
});

/**
 * `nats-flow decide "<description>" [--restart …] [--fanout …] [--processing …] [--nature …]
 * [--env production|development] [--json]` — runs the KV-or-Stream heuristic offline.
 */
import { parseCliArgs } from '../args';
import { UsageError, type CliCommand } from '../command';
import {
  allowedAnswers,
  decide,
  formatDecision,
  isAnswerFor,
  ENVIRONMENTS,
  TEST_IDS,
  type DecideAnswers,
  type Environment,
} from '../../core/decide';

const usage = `Usage: nats-flow decide "<description>" [options]

Decide between a KV Watch and a JetStream Stream for a communication path, with the
4-test heuristic (restart, fan-out, processing, nature). Answers not given as flags are
inferred from the description where it says enough.

Options:
  --restart yes|no|unsure        Should a restarted processor re-process what it handled?
  --fanout all|one|unsure        Should all processors react, or only one handle it?
  --processing fast|slow|unsure  Fast and idempotent, or slow / with side effects?
  --nature fact|request|unsure   A fact about the world, or a request to do something?
  --env production|development   Replicas and defaults of the suggested config (default production)
  --json                         Print the decision as JSON
  -h, --help                     Show this help
`;

export const decideCommand: CliCommand = {
  name: 'decide',
  summary: 'Decide KV Watch or JetStream Stream for a communication path (4-test heuristic)',
  usage,
  async run(argv, io) {
    let parsed;
    try {
      parsed = parseCliArgs({
        args: argv,
        strict: true,
        allowPositionals: true,
        options: {
          restart: { type: 'string' },
          fanout: { type: 'string' },
          processing: { type: 'string' },
          nature: { type: 'string' },
          env: { type: 'string' },
          json: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h', default: false },
        },
      });
    } catch (e) {
      // parseArgs throws TypeErrors (unknown option, missing value): that is bad usage
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.out(usage);
      return 0;
    }

    const answers: DecideAnswers = {};
    for (const id of TEST_IDS) {
      const value = values[id];
      if (value === undefined) continue;
      const v = value.trim().toLowerCase();
      if (!isAnswerFor(id, v)) {
        throw new UsageError(`--${id} must be one of ${allowedAnswers(id).join('|')} (got "${value}")`);
      }
      (answers as Record<string, string>)[id] = v;
    }

    let environment: Environment = 'production';
    if (values.env !== undefined) {
      const v = values.env.trim().toLowerCase();
      if (!(ENVIRONMENTS as readonly string[]).includes(v)) {
        throw new UsageError(`--env must be one of ${ENVIRONMENTS.join('|')} (got "${values.env}")`);
      }
      environment = v as Environment;
    }

    // an unquoted description arrives as several positionals: take them as one sentence
    const description = positionals.join(' ').trim();
    if (!description && Object.keys(answers).length === 0) {
      throw new UsageError('give a description, or at least one of --restart, --fanout, --processing, --nature');
    }

    const decision = decide({ description, answers, environment });
    io.out(values.json ? JSON.stringify(decision, null, 2) + '\n' : formatDecision(decision));
    return 0;
  },
};

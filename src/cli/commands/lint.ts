/** `nats-flow lint FILE [--json]`: the design linter; exits 1 when a finding is an error, for CI. */
import { parseCliArgs } from '../args';
import type { CliCommand } from '../command';
import { planAndLint } from '../../core/design';
import { formatFindings, parseEnv, readDesign, usageErrors } from './designFile';

const usage = `Usage: nats-flow lint FILE [--env development|production] [--json]

Checks a flow design for the classic JetStream mistakes (overlapping work-queue filters,
ack wait below the processing time, MaxDeliver without a dead-letter plan, flat subjects,
heuristic conflicts, …). Exit code 1 when any finding is an error, 0 otherwise.

  --env ENV     check against development or production; default: the design's environment
  -j, --json    {"findings": [{"rule", "severity", "message", "fix", "location"}], "errors": N, "warnings": N}
`;

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'Check a flow design for JetStream mistakes (exit 1 on errors)',
  usage,
  async run(argv, io) {
    const { values, positionals } = usageErrors(() =>
      parseCliArgs({ args: argv, allowPositionals: true, strict: true, options: { env: { type: 'string' }, json: { type: 'boolean', short: 'j' } } }),
    );
    const design = readDesign(positionals[0]);
    const env = parseEnv(values.env);
    const { findings } = planAndLint(design, env ? { environment: env } : {});
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (values.json) io.out(JSON.stringify({ findings, errors, warnings: findings.filter((f) => f.severity === 'warning').length }, null, 2) + '\n');
    else io.out(formatFindings(positionals[0]!, findings));
    return errors ? 1 : 0;
  },
};

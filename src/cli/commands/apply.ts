/**
 * `nats-flow apply FILE --server URL [--env …] [--dry-run] [--prune] [--yes] [--json]`:
 * shows what the design changes on the server, asks, applies, reports. Refuses a design
 * with lint errors; deletes only with --prune, and only what the preview listed.
 */
import { parseCliArgs } from '../args';
import { UsageError, type CliCommand } from '../command';
import { connectFromFlags, connectionOptions, connectionUsage, CliFailure, type ConnectionFlagValues } from '../connectionFlags';
import { planAndLint, replicasCappedText, replicasRefusal, showValue } from '../../core/design';
import { Admin } from '../../nats/admin';
import { jetStreamOptions } from '../../nats/profile';
import { applyPlan, changeLabel, describeChange, diffPlan, hasWork, planForServer } from '../../nats/designApply';
import { formatFindings, parseEnv, parseReplicasCapFlag, readDesign, usageErrors } from './designFile';

const usage = `Usage: nats-flow apply FILE [--env development|production] [--replicas-cap N] [--dry-run] [--prune] [--yes] [--json] [connection flags]

Makes the server match a flow design: shows what it would create, update or leave alone
(fields the server cannot change are refused with the reason), asks, then applies and
reports each step. Re-running converges; a run cut off halfway is completed by the next.

  --env ENV      development (R1) or production (R3); default: the design's environment
  --replicas-cap N
                 give no stream, bucket or object store more than N replicas (each lowered one
                 is named); without it, a plan asking for more replicas than the server has
                 (R3 on a single server) is refused before anything changes
  --dry-run      show the changes and stop
  --prune        also delete streams, consumers and buckets the design does not name (listed first)
  -y, --yes      apply without asking (needed when there is no terminal to ask on)
  -j, --json     print {"changes": [...], "report": {...}} instead of text

${connectionUsage}
`;

export const applyCommand: CliCommand = {
  name: 'apply',
  summary: 'Create or update the streams, consumers and buckets of a flow design on a server',
  usage,
  async run(argv, io) {
    const { values, positionals } = usageErrors(() =>
      parseCliArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: { ...connectionOptions, env: { type: 'string' }, 'replicas-cap': { type: 'string' }, 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, json: { type: 'boolean', short: 'j' } },
      }),
    );
    const file = positionals[0];
    const design = readDesign(file);
    const env = parseEnv(values.env);
    const cap = parseReplicasCapFlag(values['replicas-cap']);
    const { findings } = planAndLint(design, env ? { environment: env } : {});
    if (findings.some((f) => f.severity === 'error')) {
      throw new CliFailure(`the design has lint errors; nothing was applied:\n${formatFindings(file!, findings.filter((f) => f.severity === 'error'))}`);
    }
    const { nc, profile } = await connectFromFlags(values as ConnectionFlagValues, io);
    try {
      const admin = new Admin(nc, jetStreamOptions(profile));
      const { plan, replicas } = planForServer(design, admin, { ...(env ? { environment: env } : {}), ...(cap !== undefined ? { replicasCap: cap } : {}) });
      const changes = await diffPlan(admin, plan, { prune: values.prune ?? false });
      const work = hasWork(changes);
      if (!values.json) {
        io.out(`Applying ${plan.design} (${plan.environment}) to ${nc.getServer()} (nats-server ${admin.serverVersion}):\n`);
        if (replicas.capped.length) io.out(replicasCappedText(replicas));
        for (const c of changes) io.out(describeChange(c, showValue) + '\n');
        const n = (a: string) => changes.filter((c) => c.action === a).length;
        io.out(`${n('create')} to create, ${n('update')} to update, ${n('delete')} to delete, ${n('unchanged')} unchanged, ${n('cannot-change')} cannot change, ${n('extra')} not in the design\n`);
      }
      if (replicas.over.length && work) {
        // refused before any change: R3 on a single server fails stream by stream otherwise
        if (values.json) io.out(JSON.stringify({ changes, replicas, report: null }, null, 2) + '\n');
        io.err(`nats-flow apply: ${replicasRefusal(replicas)}\n`);
        return 1;
      }
      const blocked = changes.filter((c) => c.action === 'cannot-change');
      if (!work || values['dry-run']) {
        if (values.json) io.out(JSON.stringify({ changes, replicas, report: null }, null, 2) + '\n');
        else if (!work) io.out(blocked.length ? `Nothing applied: ${blocked.map(changeLabel).join(', ')} cannot be changed in place (see above).\n` : 'Nothing to change.\n');
        return blocked.length ? 1 : 0;
      }
      if (!values.yes) {
        if (!io.confirm) throw new UsageError('apply changes the server: pass --yes to apply without a prompt (or --dry-run to only look)');
        const deletes = changes.filter((c) => c.action === 'delete');
        const q = deletes.length ? `Apply, DELETING ${deletes.map(changeLabel).join(', ')}?` : 'Apply these changes?';
        if (!(await io.confirm(q))) {
          io.err('Nothing applied.\n');
          return 1;
        }
      }
      const report = await applyPlan(admin, plan, changes, {
        onStep: values.json
          ? undefined
          : (step, i, total) => io.out(`[${i}/${total}] ${step.status.padEnd(7)} ${step.change.action} ${changeLabel(step.change)}${step.error ? `: ${step.error.message}${step.error.hint ? ` (${step.error.hint})` : ''}` : ''}\n`),
      });
      if (values.json) io.out(JSON.stringify({ changes, replicas, report }, null, 2) + '\n');
      else io.out(`${report.done} done, ${report.failed} failed, ${report.skipped} skipped${report.failed || report.skipped ? ': fix the cause and run apply again, it continues from here' : ''}\n`);
      return report.failed || report.skipped || blocked.length ? 1 : 0;
    } finally {
      await nc.close().catch(() => undefined);
    }
  },
};

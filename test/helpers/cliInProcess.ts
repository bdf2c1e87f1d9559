import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/command';

/**
 * Runs the real `nats-flow` entry point in-process and returns exit code, stdout and stderr.
 * The environment is empty apart from `env`: no developer natscli context or NATS_URL leaks in.
 */
export async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), env: { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent', ...env } };
  const code = await runCli(args, io);
  return { code, out, err };
}

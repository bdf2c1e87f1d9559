/**
 * The shape every `nats-flow` subcommand has. Commands parse their own arguments (with
 * node:util parseArgs) and write through `io`, so tests can run them in-process and check
 * stdout, stderr and the exit code.
 */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Environment (NATS_URL, HOME, XDG_CONFIG_HOME…); process.env in the real CLI. */
  env: Record<string, string | undefined>;
  /** Asks a yes/no question on an interactive terminal; absent when there is none (then commands need --yes). */
  confirm?(question: string): Promise<boolean>;
}

export interface CliCommand {
  name: string;
  /** One line for `nats-flow --help`. */
  summary: string;
  /** Full usage text for `nats-flow <name> --help`. */
  usage: string;
  /** Returns the exit code: 0 ok, 1 failure, 2 bad usage. */
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Thrown for bad usage; main prints the message and the command's usage hint and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

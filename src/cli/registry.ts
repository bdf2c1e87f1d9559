import type { CliCommand } from './command';
import { decideCommand } from './commands/decide';

/** Every `nats-flow` subcommand, in the order `--help` lists them. */
export const commands: CliCommand[] = [decideCommand];

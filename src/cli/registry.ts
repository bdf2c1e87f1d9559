import type { CliCommand } from './command';
import { checkCommand } from './commands/check';
import { decideCommand } from './commands/decide';
import { lsCommand } from './commands/ls';

/** Every `nats-flow` subcommand, in the order `--help` lists them. */
export const commands: CliCommand[] = [decideCommand, lsCommand, checkCommand];

import type { CliCommand } from './command';
import { decideCommand } from './commands/decide';
import { lsCommand } from './commands/ls';
import { scaffoldCommand } from './commands/scaffold';

/** Every `nats-flow` subcommand, in the order `--help` lists them. */
export const commands: CliCommand[] = [decideCommand, lsCommand, scaffoldCommand];

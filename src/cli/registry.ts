import type { CliCommand } from './command';
import { decideCommand } from './commands/decide';
import { lsCommand } from './commands/ls';
import { pubCommand } from './commands/pub';
import { reqCommand } from './commands/req';
import { tailCommand } from './commands/tail';

/** Every `nats-flow` subcommand, in the order `--help` lists them. */
export const commands: CliCommand[] = [decideCommand, lsCommand, tailCommand, pubCommand, reqCommand];

import type { CliCommand } from './command';
import { checkCommand } from './commands/check';
import { decideCommand } from './commands/decide';
import { lsCommand } from './commands/ls';
import { planCommand } from './commands/plan';
import { lintCommand } from './commands/lint';
import { applyCommand } from './commands/apply';
import { importCommand } from './commands/import';
import { exportCommand } from './commands/export';
import { pubCommand } from './commands/pub';
import { reqCommand } from './commands/req';
import { tailCommand } from './commands/tail';
import { scaffoldCommand } from './commands/scaffold';

/** Every `nats-flow` subcommand, in the order `--help` lists them. */
export const commands: CliCommand[] = [decideCommand, lsCommand, tailCommand, pubCommand, reqCommand, planCommand, lintCommand, applyCommand, importCommand, exportCommand, scaffoldCommand, checkCommand];

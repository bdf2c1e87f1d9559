/**
 * Commands behind the quick fixes. The Tail and Watch lenses call `natsFlow.tail.open` directly
 * with `{ source, … }` (the tail feature checks the argument), so they need no command here.
 */
import * as vscode from 'vscode';
import { Commands } from '../commands';
import type { ExplorerApi } from '../explorer';
import { registerCommand } from '../registerCommand';

/** A stream name from a subject: `payments.settled` → `PAYMENTS`. */
export function streamNameFor(subject: string): string {
  const first = subject.split('.')[0];
  const name = first === '*' || first === '>' ? 'STREAM' : first.replace(/[^A-Za-z0-9_-]/g, '_').toUpperCase();
  return name || 'STREAM';
}

/** The subjects of a stream made for a subject: its first token's family, or the subject itself. */
export function streamSubjectsFor(subject: string): string[] {
  const tokens = subject.split('.');
  return tokens.length > 1 && tokens[0] !== '*' && tokens[0] !== '>' ? [`${tokens[0]}.>`] : [subject];
}

export function registerLensCommands(context: vscode.ExtensionContext, explorer: ExplorerApi | undefined): void {
  /** "Create a stream for it…": name it, then the explorer's create path confirms and creates. */
  registerCommand(context, Commands.lensesCreateStream, async (arg: { subject: string; name?: string; confirmed?: boolean }) => {
    if (!explorer) throw new Error('The explorer is not available.');
    const nats = await import('../../nats/index');
    const subjects = streamSubjectsFor(arg.subject);
    const name =
      arg.name ??
      (await vscode.window.showInputBox({
        title: `Create a stream capturing ${subjects.join(', ')}`,
        prompt: `Name of the new stream (it will capture ${subjects.join(', ')}, so "${arg.subject}" is stored)`,
        value: streamNameFor(arg.subject),
        validateInput: (v) => nats.nameProblem('stream', v),
      }));
    if (!name) return undefined;
    const t = nats.streamTemplate({ name, subjects, clustered: (await explorer.admin()).clustered });
    return vscode.commands.executeCommand(Commands.streamCreate, { name, config: t.config, confirmed: arg.confirmed });
  });
}

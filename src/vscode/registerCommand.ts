import * as vscode from 'vscode';
import type { CommandId } from './commands';
import { log } from './log';

/**
 * Registers a command so that any failure is logged to the output channel and shown as one
 * clear message instead of an unhandled rejection. The handler's result is returned to
 * `executeCommand` callers (tests use that); a failure resolves to undefined after it is shown.
 */
export function registerCommand(
  context: vscode.ExtensionContext,
  id: CommandId,
  handler: (...args: any[]) => unknown,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log().error(`${id}: ${message}`);
        if (err instanceof Error && err.stack) log().debug(err.stack);
        void vscode.window.showErrorMessage(message);
        return undefined;
      }
    }),
  );
}

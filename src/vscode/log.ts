import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The one "NATS Flow" log channel. Secrets never reach it: callers log profile names, not values. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('NATS Flow', { log: true });
  return channel;
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}

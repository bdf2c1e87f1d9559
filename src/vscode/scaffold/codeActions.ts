/**
 * The lightbulb: on a quoted subject, stream or bucket name in a TypeScript/JavaScript, Go or
 * Python file, offer to scaffold the patterns that name fits, in the file's language.
 */
import * as vscode from 'vscode';
import { PATTERN_LABELS, type ScaffoldPattern } from '../../core/scaffold';
import { Commands } from '../commands';
import type { ScaffoldRequest } from './scaffoldCommands';
import { scaffoldLangOf } from './scaffoldCommands';

export const SCAFFOLD_ACTION_KIND = vscode.CodeActionKind.Refactor.append('natsFlow.scaffold');
export const SCAFFOLD_LANGUAGES = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact', 'go', 'python'];

/** What a quoted token names: a subject has dots or wildcards, a stream is in capitals, else a bucket. */
export function scaffoldRequestsFor(token: string): { title: string; req: ScaffoldRequest }[] {
  const offer = (pattern: ScaffoldPattern, what: string, req: ScaffoldRequest) => ({
    title: `Scaffold ${PATTERN_LABELS[pattern].replace(/ \(.*\)$/, '').toLowerCase()} for ${what} "${token}"`,
    req: { pattern, ...req },
  });
  if (/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$*>-]+)+$/.test(token) || token === '>' ) {
    return (['worker', 'listener', 'publisher', 'responder'] as const).map((p) => offer(p, 'subject', { subject: token }));
  }
  if (/^[A-Z][A-Z0-9_-]*$/.test(token)) {
    return (['worker', 'listener', 'publisher'] as const).map((p) => offer(p, 'stream', { stream: token }));
  }
  if (/^[a-z][a-z0-9_-]*$/.test(token)) return [offer('kv-watcher', 'bucket', { bucket: token })];
  return [];
}

export class ScaffoldCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [SCAFFOLD_ACTION_KIND] };

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const lang = scaffoldLangOf(document.languageId);
    if (!lang) return [];
    const line = document.lineAt(range.start.line).text;
    // only names inside a string literal: plain identifiers would light the bulb everywhere
    const at = range.start.character;
    for (const m of line.matchAll(/(["'`])([^"'`\s]{1,120})\1/g)) {
      const start = m.index! + 1;
      const end = start + m[2]!.length;
      if (at < start - 1 || at > end + 1) continue;
      return scaffoldRequestsFor(m[2]!).map(({ title, req }) => {
        const action = new vscode.CodeAction(title, SCAFFOLD_ACTION_KIND);
        action.command = { command: Commands.scaffoldCreate, title, arguments: [{ ...req, lang }] };
        return action;
      });
    }
    return [];
  }
}

export function registerScaffoldCodeActions(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(
      SCAFFOLD_LANGUAGES.map((language) => ({ language })),
      new ScaffoldCodeActions(),
      ScaffoldCodeActions.metadata,
    ),
  );
}

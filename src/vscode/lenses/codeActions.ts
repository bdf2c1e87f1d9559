/** Quick fixes for the lens diagnostics: safe text edits, and creating what the server lacks. */
import * as vscode from 'vscode';
import { Commands } from '../commands';
import { DIAGNOSTIC_SOURCE, type LensDiagnostics } from './diagnostics';
import { toVsRange } from './documentAnalysis';

export class LensCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: LensDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of ctx.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const f = this.diagnostics.findingFor(doc, d);
      if (!f) continue;
      for (const fix of f.fixes) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        if (fix.edits) {
          const edit = new vscode.WorkspaceEdit();
          for (const e of fix.edits) edit.replace(doc.uri, toVsRange(e.range), e.newText);
          action.edit = edit;
          action.isPreferred = true;
        } else if (fix.action?.kind === 'createStream') {
          action.command = { title: fix.title, command: Commands.lensesCreateStream, arguments: [{ subject: fix.action.subject }] };
        } else if (fix.action?.kind === 'createConsumer') {
          action.command = { title: fix.title, command: Commands.consumerCreate, arguments: [{ stream: fix.action.stream, name: fix.action.consumer }] };
        } else if (fix.action?.kind === 'createBucket') {
          action.command = { title: fix.title, command: Commands.kvCreate, arguments: [{ bucket: fix.action.bucket }] };
        }
        out.push(action);
      }
    }
    return out;
  }
}

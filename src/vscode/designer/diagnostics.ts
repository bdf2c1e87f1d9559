/**
 * Design problems and lint findings in the Problems panel, with the range of the JSON text
 * they name (their JSON pointer mapped through the parse tree), for every open
 * `*.natsflow.json` — in the designer or the text editor alike — and quick fixes where the
 * linter's fix can be applied without a human decision (src/core/design/fixes.ts, which the
 * designer's canvas applies too).
 */
import * as vscode from 'vscode';
import { formatDesign } from '../../core/design/format';
import { fixesFor } from '../../core/design/fixes';
import { planAndLint, type Finding } from '../../core/design/lint';
import { loadDesign } from '../../core/design/validate';
import { log } from '../log';
import { minimalReplace, pointerRange } from './textEdits';

export const DESIGN_GLOB = '**/*.natsflow.json';
export const DIAGNOSTIC_SOURCE = 'NATS Flow';

export const isDesignDocument = (d: vscode.TextDocument) => d.uri.path.endsWith('.natsflow.json');

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function diagnosticsFor(document: vscode.TextDocument): vscode.Diagnostic[] {
  const text = document.getText();
  const range = (pointer: string | undefined, line?: number, column?: number) => {
    const r = pointer !== undefined ? pointerRange(text, pointer) : undefined;
    if (r) return new vscode.Range(document.positionAt(r.offset), document.positionAt(r.offset + r.length));
    const pos = new vscode.Position(Math.max(0, (line ?? 1) - 1), Math.max(0, (column ?? 1) - 1));
    return new vscode.Range(pos, pos.translate(0, 1));
  };
  const loaded = loadDesign(text);
  if (!loaded.ok) {
    return loaded.problems.map((p) => {
      const d = new vscode.Diagnostic(p.pointer || p.line ? range(p.pointer || undefined, p.line, p.column) : range(''), `${p.pointer || '(document)'}: ${p.message}`, vscode.DiagnosticSeverity.Error);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = 'design-invalid';
      return d;
    });
  }
  const { findings } = planAndLint(loaded.design);
  return findings.map((f) => {
    const d = new vscode.Diagnostic(range(f.location.pointer ?? ''), `${f.message}\nFix: ${f.fix}`, SEVERITY[f.severity]);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = f.rule;
    return d;
  });
}

export class DesignDiagnostics implements vscode.Disposable, vscode.CodeActionProvider {
  readonly collection = vscode.languages.createDiagnosticCollection('natsflow');
  private readonly subs: vscode.Disposable[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor() {
    this.subs.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 150)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (isDesignDocument(d)) this.collection.delete(d.uri);
      }),
      vscode.languages.registerCodeActionsProvider({ pattern: DESIGN_GLOB }, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** Recomputes at once (the designer calls this so Problems follow canvas edits). */
  update(document: vscode.TextDocument): vscode.Diagnostic[] {
    const diags = diagnosticsFor(document);
    this.collection.set(document.uri, diags);
    return diags;
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isDesignDocument(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        try {
          this.update(document);
        } catch (err) {
          log().warn(`design diagnostics for ${document.uri.fsPath}: ${String(err)}`);
        }
      }, delay),
    );
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (!ours.length) return [];
    const text = document.getText();
    const loaded = loadDesign(text);
    if (!loaded.ok) return [];
    const { plan, findings } = planAndLint(loaded.design);
    const actions: vscode.CodeAction[] = [];
    for (const diag of ours) {
      const finding = findings.find((f) => f.rule === diag.code && diag.message.startsWith(f.message));
      if (!finding) continue;
      for (const [i, fix] of fixesFor(finding, loaded.design, plan).entries()) {
        const r = minimalReplace(text, formatDesign(fix.apply(loaded.design)));
        if (!r) continue;
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diag];
        action.isPreferred = i === 0;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, new vscode.Range(document.positionAt(r.start), document.positionAt(r.end)), r.text);
        actions.push(action);
      }
    }
    return actions;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subs.splice(0)) s.dispose();
    this.collection.dispose();
  }
}

/** Code lenses over NATS calls, from the cached catalog (nothing is fetched here). */
import * as vscode from 'vscode';
import { Commands } from '../commands';
import type { CatalogCache } from './catalogCache';
import { toVsRange, type DocumentAnalysis } from './documentAnalysis';
import { lensesFor } from './lensText';

export class NatsCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly analysis: DocumentAnalysis,
    private readonly cache: CatalogCache,
  ) {
    this.sub = cache.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.getConfiguration('natsFlow.lenses', doc).get<boolean>('enabled', true)) return [];
    const rec = await this.analysis.recognition(doc);
    if (!rec) return [];
    const facts = this.cache.current();
    this.cache.want(rec.calls.map((c) => c.stream?.text).filter((s): s is string => !!s));
    const out: vscode.CodeLens[] = [];
    for (const call of rec.calls) {
      const range = toVsRange(call.range);
      for (const spec of lensesFor(call, facts)) {
        const a = spec.action;
        const command: vscode.Command =
          a?.kind === 'tail'
            ? { title: spec.title, command: Commands.tailOpen, arguments: [a.target] }
            : a?.kind === 'decide'
              ? { title: spec.title, command: Commands.decideOpen, arguments: [{ description: a.description, showPanel: true }] }
              : { title: spec.title, command: '' };
        out.push(new vscode.CodeLens(range, command));
      }
    }
    return out;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}

/**
 * The lens rules as VS Code diagnostics: updated when a supported document opens or changes
 * (debounced), when the cached catalog changes, and when a rule is switched off in settings.
 * Each update starts from the document's previous diagnosis, so only the chunks recognised
 * again are judged again (src/core/lenses/fileDiagnosis.ts).
 */
import * as vscode from 'vscode';
import type { FileDiagnosis } from '../../core/lenses/fileDiagnosis';
import type { Finding, Severity } from '../../core/lenses/types';
import type { CatalogCache } from './catalogCache';
import { LENS_LANGUAGES, toVsRange, type DocumentAnalysis } from './documentAnalysis';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'NATS Flow';
const DEBOUNCE_MS = 250;

export class LensDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('natsFlow');
  /** The findings behind the diagnostics, per document, for the quick fixes. */
  private readonly findings = new Map<string, { version: number; items: Finding[] }>();
  /** The last diagnosis of each document, to start the next one from. */
  private readonly last = new Map<string, FileDiagnosis>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly analysis: DocumentAnalysis,
    private readonly cache: CatalogCache,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.findings.delete(d.uri.toString());
        this.last.delete(d.uri.toString());
      }),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('natsFlow.diagnostics') && this.all()),
      cache.onDidChange(() => this.all()),
    ];
    this.all();
  }

  private all(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(doc: vscode.TextDocument, delay = DEBOUNCE_MS): void {
    if (!LENS_LANGUAGES.includes(doc.languageId) || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled')) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(doc);
      }, delay),
    );
  }

  /** Recomputes one document's diagnostics now (tests await it). */
  async update(doc: vscode.TextDocument): Promise<Finding[]> {
    const cfg = vscode.workspace.getConfiguration('natsFlow.diagnostics', doc);
    const version = doc.version;
    const analysis = cfg.get<boolean>('enabled', true) ? await this.analysis.analysis(doc) : undefined;
    const key = doc.uri.toString();
    if (doc.isClosed) return [];
    if (!analysis) {
      this.collection.delete(doc.uri);
      this.findings.delete(key);
      this.last.delete(key);
      return [];
    }
    const { RULES, diagnoseFile } = await import('../../core/lenses');
    if (doc.version !== version) return []; // a newer edit will report
    const disabled = new Set(RULES.filter((r) => cfg.get<boolean>(r.id, true) === false).map((r) => r.id));
    const diagnosis = diagnoseFile(analysis, { text: doc.getText(), catalog: this.cache.current(), disabled }, this.last.get(key));
    this.last.set(key, diagnosis);
    const items = diagnosis.findings;
    this.findings.set(key, { version, items });
    this.collection.set(
      doc.uri,
      items.map((f) => {
        const d = new vscode.Diagnostic(toVsRange(f.range), f.message, SEVERITY[f.severity]);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = f.rule;
        return d;
      }),
    );
    return items;
  }

  /** The finding behind a diagnostic, when it still belongs to this document version. */
  findingFor(doc: vscode.TextDocument, d: vscode.Diagnostic): Finding | undefined {
    const entry = this.findings.get(doc.uri.toString());
    if (!entry || entry.version !== doc.version) return undefined;
    return entry.items.find((f) => f.rule === d.code && toVsRange(f.range).isEqual(d.range));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}

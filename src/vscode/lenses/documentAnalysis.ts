/**
 * Recognitions of open documents, one per document version, with the parsers made on the
 * first request (never at activation). Lenses, diagnostics and quick fixes share them.
 */
import * as vscode from 'vscode';
import type { ParserPool } from '../../core/lenses/parsers';
import type { Range, Recognition, SourceLanguage } from '../../core/lenses/types';

export const LENS_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'go', 'python'];
export const LENS_SELECTOR: vscode.DocumentSelector = LENS_LANGUAGES.flatMap((language) => [
  { language, scheme: 'file' },
  { language, scheme: 'untitled' },
]);

export class DocumentAnalysis implements vscode.Disposable {
  private pool?: ParserPool;
  private readonly cache = new Map<string, { version: number; rec: Promise<Recognition | undefined> }>();
  private readonly closing: vscode.Disposable;

  constructor() {
    this.closing = vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString()));
  }

  private async parsers(): Promise<ParserPool> {
    if (!this.pool) {
      const { ParserPool } = await import('../../core/lenses/parsers');
      this.pool = new ParserPool();
    }
    return this.pool;
  }

  /** First-load times per language (ms), for the benchmark and the log. */
  loadTimes(): Map<SourceLanguage, number> {
    return this.pool?.loadTimes ?? new Map();
  }

  recognition(doc: vscode.TextDocument): Promise<Recognition | undefined> {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.rec;
    const rec = (async () => {
      const { languageOfId, recogniseText } = await import('../../core/lenses');
      const lang = languageOfId(doc.languageId);
      if (!lang) return undefined;
      return recogniseText(await this.parsers(), lang, doc.getText());
    })();
    this.cache.set(key, { version: doc.version, rec });
    return rec;
  }

  dispose(): void {
    this.closing.dispose();
    this.cache.clear();
  }
}

export const toVsRange = (r: Range) => new vscode.Range(r.start.line, r.start.col, r.end.line, r.end.col);

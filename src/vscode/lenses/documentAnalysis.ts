/**
 * Analyses of open documents, one per document version, with the parsers made on the first
 * request (never at activation). Lenses, diagnostics and quick fixes share them. Each edit
 * re-parses the kept tree as it comes (incrementally, or one top-level segment) and the previous analysis hands over its unchanged
 * chunks (src/core/lenses/analysis.ts), so a keystroke costs about one top-level declaration.
 */
import * as vscode from 'vscode';
import type { KeptTree as SyntaxTree } from '../../core/lenses';
import type { ParserPool } from '../../treesitter/parserPool';
import type { FileAnalysis } from '../../core/lenses/analysis';
import type { Range, Recognition, SourceLanguage } from '../../core/lenses/types';

export const LENS_LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'go', 'python'];
export const LENS_SELECTOR: vscode.DocumentSelector = LENS_LANGUAGES.flatMap((language) => [
  { language, scheme: 'file' },
  { language, scheme: 'untitled' },
]);

/**
 * The last syntax tree of each document, kept along with the document: each change event
 * re-parses it (incrementally, or for Python one top-level segment: core/lenses/segmentParse.ts).
 */
interface KeptTree {
  tree: SyntaxTree;
  version: number;
}

export class DocumentAnalysis implements vscode.Disposable {
  private pool?: ParserPool;
  private core?: typeof import('../../core/lenses');
  private readonly cache = new Map<string, { version: number; analysis: Promise<FileAnalysis | undefined> }>();
  private readonly trees = new Map<string, KeptTree>();
  /** The last analysis of each document, whatever its version: unchanged chunks are taken from it. */
  private readonly last = new Map<string, FileAnalysis>();
  private readonly subscriptions: vscode.Disposable[];
  /**
   * Parses that reused the previous tree, that re-parsed one top-level segment (Python), and
   * full ones (tests and the log read them).
   */
  readonly parses = { incremental: 0, segment: 0, full: 0 };
  /** Top-level chunks taken over from the previous analysis, moved, or recognised again. */
  readonly chunks = { kept: 0, moved: 0, recognised: 0 };

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cache.delete(d.uri.toString());
        this.last.delete(d.uri.toString());
        this.dropTree(d.uri.toString());
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.follow(e)),
    ];
  }

  private dropTree(key: string): void {
    this.trees.get(key)?.tree.delete();
    this.trees.delete(key);
  }

  /** Re-parses the kept tree after an edit, or drops it when it no longer follows the document. */
  private follow(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    const kept = this.trees.get(key);
    if (!kept || e.contentChanges.length === 0) return;
    if (!this.core || kept.version !== e.document.version - 1) {
      this.dropTree(key);
      return;
    }
    const segments = kept.tree.parses.segment;
    try {
      kept.tree.update(
        e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text })),
        e.document.getText(),
      );
    } catch {
      // the next analysis parses the document afresh
      this.dropTree(key);
      return;
    }
    kept.version = e.document.version;
    this.parses[kept.tree.parses.segment > segments ? 'segment' : 'incremental']++;
  }

  private async parsers(): Promise<ParserPool> {
    if (!this.pool) {
      const { ParserPool } = await import('../../treesitter/parserPool');
      this.pool = new ParserPool();
    }
    return this.pool;
  }

  /** First-load times per language (ms), for the benchmark and the log. */
  loadTimes(): Map<SourceLanguage, number> {
    return this.pool?.loadTimes ?? new Map();
  }

  recognition(doc: vscode.TextDocument): Promise<Recognition | undefined> {
    return this.analysis(doc).then((a) => a?.recognition);
  }

  analysis(doc: vscode.TextDocument): Promise<FileAnalysis | undefined> {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.analysis;
    const analysis = (async () => {
      this.core ??= await import('../../core/lenses');
      const lang = this.core.languageOfId(doc.languageId);
      if (!lang) return undefined;
      const parser = await (await this.parsers()).parser(lang);
      // from here on synchronous: no change event can come between reading the text and the tree
      const text = doc.getText();
      let kept = this.trees.get(key);
      if (!kept || kept.version !== doc.version || kept.tree.lang !== lang || kept.tree.text !== text) {
        this.dropTree(key);
        kept = { tree: this.core.KeptTree.parse(parser, lang, text), version: doc.version };
        this.trees.set(key, kept);
        this.parses.full++;
      }
      const tree = kept.tree;
      const result = this.core.analyseFile(tree, lang, text, this.last.get(key));
      this.last.set(key, result);
      this.chunks.kept += result.stats.kept;
      this.chunks.moved += result.stats.moved;
      this.chunks.recognised += result.stats.recognised;
      return result;
    })();
    this.cache.set(key, { version: doc.version, analysis });
    return analysis;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const k of [...this.trees.keys()]) this.dropTree(k);
    this.cache.clear();
    this.last.clear();
  }
}

export const toVsRange = (r: Range) => new vscode.Range(r.start.line, r.start.col, r.end.line, r.end.col);

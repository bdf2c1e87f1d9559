/**
 * The flow designer: a CustomTextEditorProvider for `*.natsflow.json`. The TextDocument is
 * the truth. The webview (webview/designer) receives its text, parses, classifies and lints
 * it with the pure core, and sends every canvas edit back as a whole design; this host writes
 * it as one minimal WorkspaceEdit in the canonical format (formatDesign), so undo/redo, save,
 * hot exit, "compare with saved" and git diff are VS Code's own. Any other change of the
 * document (undo, a JSON edit, a git checkout) is sent to the canvas, which keeps its viewport.
 */
import * as vscode from 'vscode';
import { formatDesign } from '../../core/design/format';
import { validateDesign } from '../../core/design/validate';
import type { DesignerProtocol, DesignServerState } from '../../shared/designProtocol';
import {
  checkEdit,
  checkExport,
  checkImport,
  checkOpenJson,
  checkPrune,
  checkRendered,
  checkScaffold,
  checkTailTarget,
} from '../../shared/designValidate';
import { Commands } from '../commands';
import { log } from '../log';
import type { DesignScaffoldResult } from '../scaffold/scaffoldCommands';
import { PanelHost, type RequestHandlers } from '../webview/panelHost';
import { webviewHtml } from '../webview/webviewHtml';
import type { DesignDiagnostics } from './diagnostics';
import { minimalReplace, pointerRange } from './textEdits';

export const DESIGNER_VIEW_TYPE = 'natsFlow.designer';

/** What the editor needs from the rest of the extension (apply, export, import, live data). */
export interface DesignerServices {
  server(): DesignServerState;
  onServerChange(listener: () => void): vscode.Disposable;
  handlers(editor: DesignerEditor): Pick<RequestHandlers<DesignerProtocol>, 'design/preview' | 'design/apply' | 'design/export' | 'design/import' | 'design/openTail'>;
  /** Starts the live overlay for this editor; disposed with it. */
  live(editor: DesignerEditor): vscode.Disposable;
}

/** One open designer: its document, webview and protocol host. */
export class DesignerEditor implements vscode.Disposable {
  readonly host: PanelHost<DesignerProtocol>;
  /** The document versions this editor wrote itself: their change events are not "external". */
  private readonly ownVersions = new Set<number>();
  private readonly subs: vscode.Disposable[] = [];
  lastRendered: { version: number; nodes: number; edges: number; findings: number; problems: number; ms: number } | undefined;
  /** Resolves waiters of `whenRendered` (tests). */
  private renderWaiters: { version: number; resolve: () => void }[] = [];

  constructor(
    readonly document: vscode.TextDocument,
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly services: DesignerServices,
    private readonly diagnostics: DesignDiagnostics,
  ) {
    const handlers: RequestHandlers<DesignerProtocol> = {
      'design/edit': (p) => this.edit(p.design, p.label, p.baseVersion),
      'design/openJson': async (p) => {
        await this.openJson(p.pointer);
        return { opened: true };
      },
      'design/scaffold': (p) => this.scaffold(p.path),
      ...services.handlers(this),
    };
    this.host = new PanelHost<DesignerProtocol>({
      name: 'designer',
      panel,
      log: log(),
      checks: {
        requests: {
          'design/edit': checkEdit,
          'design/preview': checkPrune,
          'design/apply': checkPrune,
          'design/export': checkExport,
          'design/openJson': checkOpenJson,
          'design/import': checkImport,
          'design/openTail': checkTailTarget,
          'design/scaffold': checkScaffold,
        },
        toHost: { 'design/rendered': checkRendered },
      },
      handlers,
      notifications: {
        'design/rendered': (p) => {
          this.lastRendered = p;
          const done = this.renderWaiters.filter((w) => p.version >= w.version);
          this.renderWaiters = this.renderWaiters.filter((w) => p.version < w.version);
          for (const w of done) w.resolve();
        },
      },
      // a webview that was hidden (not retained) starts again: give it the document and server
      onReady: () => {
        this.sendDocument(false);
        this.host.notify('design/server', this.services.server(), { replace: true });
      },
      onDispose: () => this.dispose(),
    });
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.webview.html = webviewHtml(panel.webview, vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), 'designer', `Design: ${fileName(document)}`, { workers: true });
    this.subs.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== this.document || !e.contentChanges.length) return;
        const own = this.ownVersions.delete(e.document.version);
        // the text goes to the canvas first and alone: Problems follow from DesignDiagnostics'
        // own (debounced) listener, so a keystroke is not planned and linted twice here
        this.sendDocument(!own);
      }),
      services.onServerChange(() => this.host.notify('design/server', this.services.server(), { replace: true })),
      services.live(this),
    );
  }

  private sendDocument(external: boolean): void {
    this.host.notify('design/document', { text: this.document.getText(), version: this.document.version, fileName: fileName(this.document), external }, { replace: true });
  }

  /** Writes a design the canvas made: validated by the loader, canonical text, minimal edit. */
  async edit(design: unknown, label: string, baseVersion: number): Promise<{ applied: boolean; version: number; message?: string }> {
    if (baseVersion !== this.document.version) {
      // the canvas edited an older text: it gets the current one and redoes nothing blindly
      this.sendDocument(true);
      return { applied: false, version: this.document.version, message: `the document changed meanwhile (version ${this.document.version}, edit made on ${baseVersion}); the canvas shows the current text` };
    }
    const checked = validateDesign(design);
    if (!checked.design) {
      const first = checked.problems.slice(0, 3).map((p) => `${p.pointer || '(document)'}: ${p.message}`).join('; ');
      return { applied: false, version: this.document.version, message: `not written: ${first}` };
    }
    const text = this.document.getText();
    const r = minimalReplace(text, formatDesign(checked.design));
    if (!r) return { applied: true, version: this.document.version };
    const edit = new vscode.WorkspaceEdit();
    edit.replace(this.document.uri, new vscode.Range(this.document.positionAt(r.start), this.document.positionAt(r.end)), r.text, { label: `Design: ${label}`, needsConfirmation: false });
    const expected = this.document.version + 1;
    this.ownVersions.add(expected);
    const ok = await vscode.workspace.applyEdit(edit);
    if (!ok) this.ownVersions.delete(expected);
    log().debug(`designer: ${label} → ${ok ? `version ${this.document.version}` : 'refused'}`);
    return { applied: ok, version: this.document.version, ...(ok ? {} : { message: 'VS Code refused the edit (is the file read-only?)' }) };
  }

  /** The JSON text editor beside, with the selection on `pointer` when given. */
  /** Runs the scaffold write flow (its folder question, preview and overwrite confirmations) for this design. */
  async scaffold(path?: string): Promise<{ message: string }> {
    const r = await vscode.commands.executeCommand<DesignScaffoldResult | undefined>(path ? Commands.scaffoldDesignPath : Commands.scaffoldDesign, { design: this.document.uri, path });
    if (!r || r.cancelled) return { message: 'Scaffold cancelled: nothing written.' };
    return { message: `Scaffolded ${r.units.length} project${r.units.length === 1 ? '' : 's'} (${r.written.length} files)${r.skipped.length ? `; skipped ${r.skipped.map((s) => s.path).join(', ')}` : ''}.` };
  }

  async openJson(pointer?: string): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(this.document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    if (pointer !== undefined) {
      const r = pointerRange(this.document.getText(), pointer);
      if (r) {
        const range = new vscode.Range(this.document.positionAt(r.offset), this.document.positionAt(r.offset + r.length));
        editor.selection = new vscode.Selection(range.start, range.end);
        editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      }
    }
    return editor;
  }

  /** Resolves once the canvas has drawn this document version (or a later one). */
  whenRendered(version = this.document.version, timeoutMs = 20_000): Promise<void> {
    if (this.lastRendered && this.lastRendered.version >= version) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the canvas did not draw version ${version} within ${timeoutMs} ms (last: ${this.lastRendered?.version ?? 'none'})`)), timeoutMs);
      this.renderWaiters.push({ version, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  dispose(): void {
    for (const s of this.subs.splice(0)) s.dispose();
    this.host.dispose();
    DesignerEditorProvider.editors.delete(this);
  }
}

const fileName = (d: vscode.TextDocument) => d.uri.path.split('/').pop() ?? d.uri.path;

export class DesignerEditorProvider implements vscode.CustomTextEditorProvider {
  /** Open designers, for commands and tests. */
  static readonly editors = new Set<DesignerEditor>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: DesignerServices,
    private readonly diagnostics: DesignDiagnostics,
  ) {}

  static register(context: vscode.ExtensionContext, services: DesignerServices, diagnostics: DesignDiagnostics): vscode.Disposable {
    const provider = new DesignerEditorProvider(context.extensionUri, services, diagnostics);
    // not retained: the canvas saves its viewport and selection with setState and redraws from the text
    return vscode.window.registerCustomEditorProvider(DESIGNER_VIEW_TYPE, provider, { webviewOptions: { retainContextWhenHidden: false }, supportsMultipleEditorsPerDocument: true });
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const editor = new DesignerEditor(document, panel, this.extensionUri, this.services, this.diagnostics);
    DesignerEditorProvider.editors.add(editor);
    this.diagnostics.update(document);
  }

  /** The designer of a document, the active one first. */
  static find(uri?: vscode.Uri): DesignerEditor | undefined {
    const all = [...DesignerEditorProvider.editors];
    if (uri) return all.find((e) => e.document.uri.toString() === uri.toString());
    return all.find((e) => e.panel.active) ?? all.find((e) => e.panel.visible) ?? all[0];
  }
}

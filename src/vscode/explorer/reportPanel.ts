/**
 * The stream and consumer report views: one webview panel (webview/report) per report
 * (the stream report, or the consumer report of one stream), reused when the command runs
 * again. The host reads the server through the Catalog and builds ReportViewState
 * (reportView.ts); the webview sorts and filters locally and asks for `report/refresh`.
 */
import * as vscode from 'vscode';
import type { ReportProtocol, ReportSort, ReportViewState } from '../../shared/protocol';
import { checkReportRendered, emptyParams } from '../../shared/reportValidate';
import { log } from '../log';
import { PanelHost, type RequestHandlers } from '../webview/panelHost';
import { webviewHtml } from '../webview/webviewHtml';

export const REPORT_VIEW_TYPE = 'natsFlow.report';

export interface ReportRendered {
  kind: ReportViewState['kind'];
  rows: number;
  shown: number;
  sort: ReportSort;
  filter: string;
}

export class ReportPanel {
  private static readonly open = new Map<string, ReportPanel>();

  /** The open panel of a report (`streams` or `consumers/<stream>`), if any. */
  static get(key: string): ReportPanel | undefined {
    return ReportPanel.open.get(key);
  }

  static all(): ReportPanel[] {
    return [...ReportPanel.open.values()];
  }

  static disposeAll(): void {
    for (const p of ReportPanel.all()) p.dispose();
  }

  /**
   * Shows `state`, opening a panel for `key` when none is open. `reload` reads the server
   * again for the webview's Refresh button (keeping the sort the command asked for).
   */
  static show(extensionUri: vscode.Uri, key: string, state: ReportViewState, reload: () => Promise<ReportViewState>): ReportPanel {
    const existing = ReportPanel.open.get(key);
    if (existing) {
      existing.reload = reload;
      existing.update(state);
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      REPORT_VIEW_TYPE,
      state.title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      {
        enableScripts: true,
        // the webview saves its state (rows, sort, filter) with setState: no need to retain
        retainContextWhenHidden: false,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
      },
    );
    const p = new ReportPanel(panel, extensionUri, key, state, reload);
    ReportPanel.open.set(key, p);
    return p;
  }

  private state: ReportViewState;
  lastRendered: ReportRendered | undefined;
  readonly host: PanelHost<ReportProtocol>;
  readonly handlers: RequestHandlers<ReportProtocol>;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly key: string,
    initial: ReportViewState,
    private reload: () => Promise<ReportViewState>,
  ) {
    this.state = initial;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'nats.svg');
    this.handlers = {
      'report/refresh': async () => {
        const next = await this.reload();
        this.state = next;
        return next;
      },
    };
    this.host = new PanelHost<ReportProtocol>({
      name: `report ${key}`,
      panel,
      log: log(),
      checks: { requests: { 'report/refresh': emptyParams }, toHost: { 'report/rendered': checkReportRendered } },
      handlers: this.handlers,
      notifications: {
        'report/rendered': (p) => {
          this.lastRendered = p;
        },
      },
      onDispose: () => {
        if (ReportPanel.open.get(key) === this) ReportPanel.open.delete(key);
      },
    });
    panel.webview.html = webviewHtml(panel.webview, vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), 'report', initial.title);
    this.host.notify('report/state', initial, { replace: true });
  }

  get viewState(): ReportViewState {
    return this.state;
  }

  update(state: ReportViewState): void {
    this.state = state;
    this.lastRendered = undefined;
    this.panel.title = state.title;
    this.host.notify('report/state', state, { replace: true });
  }

  dispose(): void {
    this.panel.dispose();
  }
}

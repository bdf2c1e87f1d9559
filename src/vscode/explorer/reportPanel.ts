/**
 * The stream and consumer report views: one webview panel (webview/report) per report
 * (the stream report, or the consumer report of one stream), reused when the command runs
 * again. The host reads the server through the Catalog and builds ReportViewState
 * (reportView.ts); the webview sorts and filters locally and asks for `report/refresh`.
 */
import * as vscode from 'vscode';
import type { ReportProtocol, ReportSort, ReportViewState } from '../../shared/protocol';
import { checkReportRendered, checkReportViewState, emptyParams } from '../../shared/reportValidate';
import { attempt } from '../../shared/validate';
import { log } from '../log';
import { PanelHost, type RequestHandlers } from '../webview/panelHost';
import { panelOptions } from '../webview/panelOptions';
import { webviewHtml } from '../webview/webviewHtml';

export const REPORT_VIEW_TYPE = 'natsFlow.report';

export interface ReportRendered {
  kind: ReportViewState['kind'];
  rows: number;
  shown: number;
  sort: ReportSort;
  filter: string;
}

/** What a restored report needs: whether the server can be read, and how to read a report. */
export interface ReportRestoreDeps {
  connected(): boolean;
  read(kind: ReportViewState['kind'], stream: string, sort: { by: string; descending?: boolean }): Promise<ReportViewState>;
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
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, state.title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, panelOptions(extensionUri));
    return ReportPanel.adopt(panel, extensionUri, key, state, reload);
  }

  /**
   * Brings a report back after a window reload. The saved rows (validated) are what the
   * user last saw: they are shown marked as saved unless the server can be read again now;
   * Refresh reads it through the same path as the command. An unreadable state closes it.
   */
  static async restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, saved: unknown, deps: ReportRestoreDeps): Promise<ReportPanel | undefined> {
    const view = attempt(checkReportViewState, (saved as { view?: unknown } | undefined)?.view, 'view');
    if (!view.ok) {
      log().warn(`report panel: saved state not restored (${view.error})`);
      panel.dispose();
      return undefined;
    }
    const { kind, stream, sort } = view.value;
    const key = kind === 'streams' ? 'streams' : `consumers/${stream}`;
    const read = () => deps.read(kind, stream, { by: sort.column, descending: sort.descending });
    let state: ReportViewState = { ...view.value, subtitle: `${view.value.subtitle} · saved view: Refresh reads the server again` };
    if (deps.connected()) state = await read().catch(() => state);
    panel.webview.options = panelOptions(extensionUri);
    ReportPanel.open.get(key)?.dispose();
    return ReportPanel.adopt(panel, extensionUri, key, state, read);
  }

  private static adopt(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, key: string, state: ReportViewState, reload: () => Promise<ReportViewState>): ReportPanel {
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

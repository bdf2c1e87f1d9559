/**
 * The "Decide KV or Stream" result view: one webview panel (webview/decide), reused by every
 * run. The engine runs here in the host; the webview only renders DecideViewState and asks
 * for `decide/run` (edited answers) and `decide/copyConfig`.
 */
import * as vscode from 'vscode';
import { decide, type Primitive } from '../../core/decide';
import { checkRendered, checkRunParams, emptyParams } from '../../shared/decideValidate';
import { attempt } from '../../shared/validate';
import type { DecideCreateResult, DecideLanguageModelView, DecideProtocol, DecideRunParams, DecideViewState } from '../../shared/protocol';
import { ContextKeys } from '../commands';
import { log } from '../log';
import { PanelHost, type RequestHandlers } from '../webview/panelHost';
import { panelOptions } from '../webview/panelOptions';
import { webviewHtml } from '../webview/webviewHtml';
import { buildViewState, decideActions, NOT_CONNECTED, type ServerStatus } from './viewState';
import { scaffoldFrom } from './scaffoldFrom';

export const DECIDE_VIEW_TYPE = 'natsFlow.decide';
export const DECIDE_PANEL_TITLE = 'Decide: KV or Stream';

/** Runs the engine; `languageModel` (when the user opted in) adds its suggestions as a source. */
export function runDecision(params: DecideRunParams, server: ServerStatus = NOT_CONNECTED, languageModel?: DecideLanguageModelView): DecideViewState {
  const decision = decide({ description: params.description, answers: params.answers, environment: params.environment, suggested: languageModel?.suggested });
  return buildViewState(params, decision, server, languageModel);
}

/** What the panel needs from the rest of the extension: the connection, and the create path. */
export interface DecidePanelDeps {
  server(): ServerStatus;
  create(state: DecideViewState): Promise<DecideCreateResult>;
  /** When connected: what the suggestion collides with on the server (free names, reuse). */
  checkServer?(state: DecideViewState): Promise<string[]>;
}


/**
 * Commands that need a decision ("Create Decided Configuration on Server") stay out of the
 * palette until the panel shows one, so "NATS: Decide" + Enter opens the advisor.
 */
function publishHasDecision(state: DecideViewState | undefined): void {
  const has = state !== undefined && state.decision.primitive !== 'undecided';
  void vscode.commands.executeCommand('setContext', ContextKeys.decideHasDecision, has);
}

export class DecidePanel {
  private static current: DecidePanel | undefined;

  /** The open panel, if any. */
  static get instance(): DecidePanel | undefined {
    return DecidePanel.current;
  }

  /** Shows `state` in the panel, opening it (beside the editor) when none is open. */
  static show(extensionUri: vscode.Uri, state: DecideViewState, deps: DecidePanelDeps): DecidePanel {
    const existing = DecidePanel.current;
    if (existing) {
      existing.update(state);
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(DECIDE_VIEW_TYPE, DECIDE_PANEL_TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, panelOptions(extensionUri));
    DecidePanel.current = new DecidePanel(panel, extensionUri, state, deps);
    return DecidePanel.current;
  }

  /**
   * Brings the panel back after a window reload. The webview's saved state is only trusted
   * for the inputs (description, given answers, environment): the decision is computed again
   * by the engine, so a stale or tampered state cannot show a verdict the engine would not give.
   */
  static restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, saved: unknown, deps: DecidePanelDeps): DecidePanel {
    const s = (saved ?? {}) as { description?: unknown; given?: unknown; environment?: unknown };
    const params = attempt(checkRunParams, { description: s.description ?? '', answers: s.given ?? {}, environment: s.environment ?? 'production' });
    if (!params.ok) log().warn(`decide panel: saved state not restored (${params.error}); showing an empty decision`);
    const state = runDecision(params.ok ? params.value : { description: '', answers: {}, environment: 'production' }, deps.server());
    panel.webview.options = { enableScripts: true, localResourceRoots: panelOptions(extensionUri).localResourceRoots };
    DecidePanel.current?.dispose();
    DecidePanel.current = new DecidePanel(panel, extensionUri, state, deps);
    return DecidePanel.current;
  }

  private state: DecideViewState;
  /** What the webview last said it shows. */
  lastRendered: { primitive: Primitive | 'undecided'; tests: number } | undefined;
  readonly host: PanelHost<DecideProtocol>;
  readonly handlers: RequestHandlers<DecideProtocol>;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    initial: DecideViewState,
    private readonly deps: DecidePanelDeps,
  ) {
    this.state = initial;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'nats.svg');
    this.handlers = {
      'decide/run': (params) => {
        // the model's suggestions were for this description: an edited one drops them (the
        // offline classifier reads the new text; nothing is sent again without the flow)
        const lm = this.state.languageModel && params.description.trim() === this.state.description.trim() ? this.state.languageModel : undefined;
        const next = runDecision(params, this.deps.server(), lm);
        this.state = next;
        publishHasDecision(next);
        this.checkServer();
        return next;
      },
      'decide/copyConfig': async () => {
        const json = this.state.configJson;
        if (!json) return { copied: false, chars: 0 };
        await vscode.env.clipboard.writeText(json);
        return { copied: true, chars: json.length };
      },
      'decide/create': () => this.deps.create(this.state),
      'decide/scaffold': () => scaffoldFrom(this.state),
    };
    this.host = new PanelHost<DecideProtocol>({
      name: 'decide',
      panel,
      log: log(),
      checks: {
        requests: { 'decide/run': checkRunParams, 'decide/copyConfig': emptyParams, 'decide/create': emptyParams, 'decide/scaffold': emptyParams },
        toHost: { 'decide/rendered': checkRendered },
      },
      handlers: this.handlers,
      notifications: {
        'decide/rendered': (p) => {
          this.lastRendered = p;
        },
      },
      onDispose: () => {
        if (DecidePanel.current === this) {
          DecidePanel.current = undefined;
          publishHasDecision(undefined);
        }
      },
    });
    panel.webview.html = webviewHtml(panel.webview, vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), 'decide', DECIDE_PANEL_TITLE);
    this.host.notify('decide/state', initial, { replace: true });
    publishHasDecision(initial);
    this.checkServer();
  }

  /**
   * Looks at the connected server in the background and, if the state is still the one
   * checked, shows what the suggestion collides with before the user presses Create.
   */
  private checkServer(): void {
    const checked = this.state;
    if (!this.deps.checkServer || !this.deps.server().connected || !('kind' in checked.decision.config)) return;
    this.deps.checkServer(checked).then(
      (notes) => {
        if (this.state !== checked || notes.length === 0) return;
        this.state = { ...checked, serverNotes: notes };
        this.host.notify('decide/state', this.state, { replace: true });
      },
      (err: unknown) => log().warn(`decide: server name check failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  get viewState(): DecideViewState {
    return this.state;
  }

  update(state: DecideViewState): void {
    this.state = state;
    this.lastRendered = undefined;
    this.host.notify('decide/state', state, { replace: true });
    publishHasDecision(state);
    this.checkServer();
  }

  /** The connection changed: "Create on server" follows it. */
  serverChanged(): void {
    this.update({ ...this.state, actions: decideActions(this.state.decision, this.deps.server()) });
  }

  dispose(): void {
    this.panel.dispose();
  }
}

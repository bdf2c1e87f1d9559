/**
 * Registers the flow designer: the custom editor, Problems for design files, and the
 * commands (New Flow Design, Open as JSON, Open in Designer, Apply, Export, Import).
 */
import * as vscode from 'vscode';
import type { DesignExportFormat } from '../../shared/designProtocol';
import { Commands } from '../commands';
import type { ConnectionService } from '../connections/connectionService';
import type { ExplorerApi } from '../explorer';
import { registerCommand } from '../registerCommand';
import { DESIGN_LENS_SELECTOR, DesignCodeLensProvider, showDesignPlan } from './designLenses';
import { DesignerEditorProvider, DESIGNER_VIEW_TYPE, type DesignerEditor } from './designerEditor';
import { defaultDesignerUi, exportTo, importFromAsyncApi, importFromServer, newDesign, type DesignerUi } from './designerFiles';
import { DesignerServer, startLiveOverlay } from './designerServer';
import { DesignDiagnostics, isDesignDocument } from './diagnostics';

export interface DesignerApi {
  /** Replaceable dialogs (tests). */
  ui: DesignerUi;
  server: DesignerServer;
  diagnostics: DesignDiagnostics;
  /** The open designer of a file (or the active one). */
  editor(uri?: vscode.Uri): DesignerEditor | undefined;
  /** Live overlay refresh interval, ms (tests shorten it). */
  liveIntervalMs: number;
}

function activeDesignUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const text = vscode.window.activeTextEditor?.document;
  if (text && isDesignDocument(text)) return text.uri;
  return DesignerEditorProvider.find()?.document.uri;
}

export function registerDesigner(context: vscode.ExtensionContext, deps: { connections: ConnectionService; explorer: ExplorerApi }): DesignerApi {
  const diagnostics = new DesignDiagnostics();
  const server = new DesignerServer(deps.connections, deps.explorer);
  const api: DesignerApi = { ui: defaultDesignerUi, server, diagnostics, editor: (uri) => DesignerEditorProvider.find(uri), liveIntervalMs: 5_000 };
  context.subscriptions.push(
    diagnostics,
    DesignerEditorProvider.register(
      context,
      {
        server: () => server.state(),
        onServerChange: (listener) => deps.connections.onDidChange(listener),
        handlers: (editor) => ({
          'design/preview': async (p) => {
            const { raw: _raw, plan: _plan, check: _check, ...view } = await server.preview(editor.document, p.prune, p.replicasCap);
            return view;
          },
          'design/apply': (p) => server.apply(editor.document, p.prune, p.replicasCap),
          'design/export': (p) => exportTo(editor.document, p.format, deps.explorer),
          'design/import': (p) => (p.source === 'server' ? importFromServer(deps.explorer, api.ui, editor.document.uri) : importFromAsyncApi(api.ui, editor.document.uri)),
          'design/openTail': (t) => server.openTail(t),
        }),
        live: (editor) => {
          let overlay: vscode.Disposable | undefined;
          const restart = () => {
            overlay?.dispose();
            overlay = deps.connections.current.state === 'connected' ? startLiveOverlay(server, editor.document, (s) => editor.host.notify('design/live', s, { replace: true }), api.liveIntervalMs) : undefined;
          };
          restart();
          const sub = deps.connections.onDidChange(restart);
          return { dispose: () => (sub.dispose(), overlay?.dispose()) };
        },
      },
      diagnostics,
    ),
  );

  registerCommand(context, Commands.designNew, () => newDesign(api.ui));
  registerCommand(context, Commands.designOpenJson, async (arg?: vscode.Uri) => {
    const uri = activeDesignUri(arg);
    if (!uri) throw new Error('No flow design is open: open a *.natsflow.json file first.');
    const editor = DesignerEditorProvider.find(uri);
    if (editor) return editor.openJson();
    return vscode.window.showTextDocument(uri, { preview: false });
  });
  registerCommand(context, Commands.designOpenDesigner, async (arg?: vscode.Uri) => {
    const uri = activeDesignUri(arg);
    if (!uri) throw new Error('No flow design is open: open a *.natsflow.json file first.');
    await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE);
  });
  context.subscriptions.push(vscode.languages.registerCodeLensProvider(DESIGN_LENS_SELECTOR, new DesignCodeLensProvider()));
  registerCommand(context, Commands.designPlan, async (arg?: vscode.Uri) => {
    const uri = activeDesignUri(arg);
    if (!uri) throw new Error('No flow design is open: open a *.natsflow.json file first.');
    return showDesignPlan(uri);
  });
  registerCommand(context, Commands.designApply, async (arg?: vscode.Uri) => {
    const uri = activeDesignUri(arg);
    if (!uri) throw new Error('No flow design is open: open a *.natsflow.json file first.');
    const r = await server.apply(await vscode.workspace.openTextDocument(uri), false);
    if (r.ok || r.cancelled) void vscode.window.showInformationMessage(r.message);
    else void vscode.window.showErrorMessage(r.message);
    return r;
  });
  registerCommand(context, Commands.designExport, async (arg?: vscode.Uri, format?: DesignExportFormat) => {
    const uri = activeDesignUri(arg);
    if (!uri) throw new Error('No flow design is open: open a *.natsflow.json file first.');
    const picked = format ?? ((await vscode.window.showQuickPick(['natscli', 'nack', 'compose', 'mermaid', 'asyncapi'] satisfies DesignExportFormat[], { title: 'Export the design as' })) as DesignExportFormat | undefined);
    if (!picked) return undefined;
    const r = await exportTo(await vscode.workspace.openTextDocument(uri), picked, deps.explorer);
    void vscode.window.showInformationMessage(r.message);
    return r;
  });
  registerCommand(context, Commands.designImport, async (source?: 'server' | 'asyncapi') => {
    const picked = source ?? ((await vscode.window.showQuickPick(['server', 'asyncapi'], { title: 'Import a design from' })) as 'server' | 'asyncapi' | undefined);
    if (!picked) return undefined;
    const near = activeDesignUri(undefined);
    return picked === 'server' ? importFromServer(deps.explorer, api.ui, near) : importFromAsyncApi(api.ui, near);
  });
  return api;
}

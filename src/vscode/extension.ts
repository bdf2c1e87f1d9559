import * as vscode from 'vscode';
import { Commands, ContextKeys } from './commands';
import { registerDecide, type DecideApi } from './decide';
import { registerConnectionCommands } from './connections/connectionCommands';
import { ConnectionService } from './connections/connectionService';
import { ProfileStore } from './connections/profileStore';
import { loadExternalProfiles } from './connections/externalProfiles';
import { ConnectionStatusBar } from './connections/statusBar';
import { ConnectionsTree } from './explorer/connectionsTree';
import { registerExplorerCommands, type ExplorerApi } from './explorer';
import { registerScaffold, type ScaffoldApi } from './scaffold';
import { registerLenses, type LensesApi } from './lenses';
import { registerCatalogTools } from './tools/catalogTools';
import { registerDesigner, type DesignerApi } from './designer';
import { disposeLog, log } from './log';
import { registerCommand } from './registerCommand';
import { registerTail, type TailApi } from './tail';

/** What activate() returns: the extension-host tests read state through it. */
export interface NatsFlowApi {
  connections: ConnectionService;
  profiles: ProfileStore;
  statusBar: ConnectionStatusBar;
  tree: ConnectionsTree;
  activationMs: number;
  /** The "Decide KV or Stream" command, panel and language model tool. */
  decide?: DecideApi;
  /** Explorer commands, config documents and the replaceable confirmation UI. */
  explorer?: ExplorerApi;
  /** Code scaffolding: its replaceable UI and last result. */
  scaffold?: ScaffoldApi;
  /** Code lenses, diagnostics and quick fixes over NATS calls in source files. */
  lenses?: LensesApi;
  /** Names of the read-only catalog language model tools registered. */
  tools?: string[];
  /** The flow designer (custom editor, Problems, apply/export/import). */
  designer?: DesignerApi;
  /** Tail panels: open one on a spec (code lenses use this), list the open ones. */
  tail?: TailApi;
}

export function activate(context: vscode.ExtensionContext): NatsFlowApi {
  const started = performance.now();
  const profiles = new ProfileStore(context.secrets, context.globalState);
  const connections = new ConnectionService(profiles);
  const statusBar = new ConnectionStatusBar(connections);
  const tree = new ConnectionsTree(profiles, connections);
  context.subscriptions.push(profiles, connections, statusBar, tree, { dispose: disposeLog });
  const treeView = vscode.window.createTreeView('natsFlow.explorer', { treeDataProvider: tree, showCollapseAll: true });
  tree.attachView(treeView);
  context.subscriptions.push(treeView);

  registerConnectionCommands(context, profiles, connections);
  registerCommand(context, Commands.explorerRefresh, () => tree.refresh());
  const explorer = registerExplorerCommands(context, connections, tree);
  const decide = registerDecide(context, { connections, explorer });
  const scaffold = registerScaffold(context, connections);
  const lenses = registerLenses(context, { connections, tree, explorer });
  const tools = registerCatalogTools(context, { connections, tree });
  const designer = registerDesigner(context, { connections, explorer });
  const tail = registerTail(context, connections);

  const syncContext = () => void vscode.commands.executeCommand('setContext', ContextKeys.hasProfiles, profiles.all().length > 0);
  context.subscriptions.push(profiles.onDidChange(syncContext));
  syncContext();

  // natscli contexts and the auto-connect happen after activate() returns: file reads and
  // the NATS client load stay off the activation path.
  setTimeout(() => void loadExternalProfiles(profiles).then(() => autoConnect(profiles, connections)), 0);

  const activationMs = performance.now() - started;
  log().info(`activated in ${activationMs.toFixed(1)} ms`);
  return { connections, profiles, statusBar, tree, activationMs, decide, explorer, scaffold, lenses, tools, designer, tail };
}

export function deactivate(): void {
  // everything is in context.subscriptions
}

async function autoConnect(profiles: ProfileStore, connections: ConnectionService): Promise<void> {
  if (!vscode.workspace.getConfiguration('natsFlow').get<boolean>('autoConnect', true)) return;
  if (connections.current.state !== 'disconnected') return;
  // last used profile, else the configured default, else the natscli selected context,
  // else NATS_URL (natscli's own order for the last two)
  const all = profiles.all();
  const preferred = vscode.workspace.getConfiguration('natsFlow').get<string>('defaultConnection');
  const target =
    all.find((p) => p.id === profiles.activeId()) ??
    (preferred ? all.find((p) => p.id === preferred || p.name === preferred) : undefined) ??
    all.find((p) => p.source === 'context' && p.description?.endsWith('(selected)')) ??
    all.find((p) => p.source === 'env');
  if (target) await connections.connect(target);
}

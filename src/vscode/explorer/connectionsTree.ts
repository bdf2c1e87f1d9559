import * as vscode from 'vscode';
import type { ConnectionProfile } from '../../nats/profile';
import type { ConnectionService } from '../connections/connectionService';
import type { ProfileStore } from '../connections/profileStore';

export type ExplorerNode =
  | { kind: 'profile'; profileId: string; profile: ConnectionProfile }
  | { kind: 'server'; profileId: string }
  | { kind: 'message'; text: string; icon?: string };

/**
 * The NATS sidebar's root: one node per connection profile; the active one expands to what
 * the server holds. The JetStream children (streams, KV, object stores) hang off `children`.
 */
export class ConnectionsTree implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly store: ProfileStore,
    private readonly connections: ConnectionService,
  ) {
    this.subscriptions = [store.onDidChange(() => this.refresh()), connections.onDidChange(() => this.refresh())];
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  getChildren(node?: ExplorerNode): ExplorerNode[] {
    if (!node) return this.store.all().map((profile) => ({ kind: 'profile' as const, profileId: profile.id, profile }));
    if (node.kind === 'profile') {
      const s = this.connections.current;
      if (s.profile?.id !== node.profileId) return [];
      if (s.state === 'failed') return [{ kind: 'message', text: s.error?.message ?? 'connection failed', icon: 'error' }];
      if (s.state !== 'connected') return [{ kind: 'message', text: `${s.state}…`, icon: 'sync~spin' }];
      return [{ kind: 'server', profileId: node.profileId }];
    }
    return [];
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const s = this.connections.current;
    switch (node.kind) {
      case 'profile': {
        const active = s.profile?.id === node.profileId && s.state !== 'disconnected';
        const item = new vscode.TreeItem(node.profile.name, active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.id = `profile:${node.profileId}:${active ? s.state : 'idle'}`;
        item.description = node.profile.servers.join(', ');
        const state = active ? s.state : 'disconnected';
        item.iconPath = new vscode.ThemeIcon(
          state === 'connected' ? 'vm-active' : state === 'failed' ? 'error' : state === 'disconnected' ? 'vm-outline' : 'sync~spin',
          state === 'connected' ? new vscode.ThemeColor('testing.iconPassed') : state === 'failed' ? new vscode.ThemeColor('errorForeground') : undefined,
        );
        item.contextValue = `profile.${node.profile.source ?? 'user'}.${state}`;
        item.tooltip = new vscode.MarkdownString(`**${node.profile.name}** (${state})\n\n${node.profile.servers.join('\n\n')}\n\nauth: ${node.profile.auth}${node.profile.source === 'context' ? `\n\nnatscli context \`${node.profile.contextName}\`` : ''}`);
        if (state === 'disconnected' || state === 'failed') item.command = { command: 'natsFlow.connection.connect', title: 'Connect', arguments: [node.profileId] };
        return item;
      }
      case 'server': {
        const sv = s.server;
        const item = new vscode.TreeItem(`Server ${sv?.serverName ?? '?'}`, vscode.TreeItemCollapsibleState.None);
        item.description = `v${sv?.version ?? '?'}${sv?.cluster ? ` · cluster ${sv.cluster}` : ''} · JetStream ${sv?.jetstream ? 'on' : 'off'}`;
        item.iconPath = new vscode.ThemeIcon('server');
        item.contextValue = 'server';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
    }
  }
}

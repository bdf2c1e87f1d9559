import * as vscode from 'vscode';
import { describeServers } from '../../nats/profile';
import { Commands } from '../commands';
import type { ConnectionService, ConnectionSnapshot } from './connectionService';

/**
 * Shows the active connection: profile, server name and version, JetStream on/off and
 * round-trip time, with a state for connecting, reconnecting and failed. A click switches
 * the profile.
 */
export class ConnectionStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(connections: ConnectionService) {
    this.item = vscode.window.createStatusBarItem('natsFlow.connection', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'NATS Connection';
    this.item.command = Commands.connectionSwitch;
    this.subscription = connections.onDidChange((s) => this.render(s));
    this.render(connections.current);
    this.item.show();
  }

  render(s: ConnectionSnapshot): void {
    const view = describeStatus(s);
    this.item.text = view.text;
    // while reconnecting a click retries at once; otherwise it switches profiles
    this.item.command = s.state === 'reconnecting' ? Commands.connectionRetryNow : Commands.connectionSwitch;
    const md = new vscode.MarkdownString(view.tooltip);
    md.isTrusted = false;
    this.item.tooltip = md;
    this.item.backgroundColor = view.severity === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : view.severity === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

export interface StatusView {
  text: string;
  tooltip: string;
  severity: 'ok' | 'warning' | 'error';
}

/** Pure so the wording can be unit-tested and asserted from the VS Code suite. */
export function describeStatus(s: ConnectionSnapshot): StatusView {
  const name = s.profile?.name ?? '';
  const esc = (t: string) => t.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
  switch (s.state) {
    case 'disconnected':
      return { text: '$(debug-disconnect) NATS', tooltip: 'Not connected to NATS. Click to connect.', severity: 'ok' };
    case 'connecting':
      return { text: `$(sync~spin) NATS: ${name}`, tooltip: `Connecting to **${esc(name)}** (${esc(describeServers(s.profile?.servers ?? []))})…`, severity: 'ok' };
    case 'reconnecting': {
      const r = s.reconnect;
      const since = r ? ` since ${new Date(r.since).toLocaleTimeString()}${r.attempts ? ` (${r.attempts} attempt${r.attempts === 1 ? '' : 's'})` : ''}` : '';
      return {
        text: `$(sync~spin) NATS: ${name} (reconnecting)`,
        tooltip: `Lost the connection to **${esc(name)}**${esc(since)}; reconnecting automatically, with growing waits between attempts, until it is back.\n\nClick to retry now.`,
        severity: 'warning',
      };
    }
    case 'failed':
      return {
        text: `$(error) NATS: ${name || 'failed'}`,
        tooltip: `**${esc(name)}**: ${esc(s.error?.message ?? 'connection failed')}${s.error?.hint ? `\n\n${esc(s.error.hint)}` : ''}\n\nClick to switch profile.`,
        severity: 'error',
      };
    case 'connected': {
      const sv = s.server;
      const rtt = sv && Number.isFinite(sv.rttMs) ? (sv.rttMs < 0.1 ? '<0.1 ms' : `${sv.rttMs < 10 ? sv.rttMs.toFixed(1) : Math.round(sv.rttMs)} ms`) : '';
      const js = sv?.jetstream ? 'JS' : 'no JS';
      const text = `$(plug) NATS: ${name} · ${sv?.serverName ?? '?'} v${sv?.version ?? '?'} · ${js}${rtt ? ` · ${rtt}` : ''}`;
      const rows = [
        `**${esc(name)}** connected`,
        '',
        `| | |`,
        `|---|---|`,
        `| Server | ${esc(sv?.serverName ?? '?')} |`,
        `| Version | ${esc(sv?.version ?? '?')} |`,
        `| URL | ${esc(sv?.connectedUrl ?? '')} |`,
        sv?.cluster ? `| Cluster | ${esc(sv.cluster)} |` : '',
        `| JetStream | ${sv?.jetstream ? 'enabled' : 'not enabled'} |`,
        `| Round trip | ${rtt || '?'} |`,
      ].filter((l) => l !== '');
      return { text, tooltip: rows.join('\n'), severity: sv?.jetstream ? 'ok' : 'warning' };
    }
  }
}

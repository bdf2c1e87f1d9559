/**
 * The one snapshot of the connected server that code lenses and diagnostics read. It is made
 * through the explorer's Catalog (the same instance, so consumer trends carry over), refreshed
 * when the explorer refreshes or the connection changes, debounced, and never because of a
 * keystroke: editors only read `current()`.
 */
import * as vscode from 'vscode';
import type { CatalogFacts } from '../../core/lenses/catalogFacts';
import type { ConnectionService } from '../connections/connectionService';
import type { ConnectionsTree } from '../explorer';
import { log } from '../log';

const DEBOUNCE_MS = 400;

export class CatalogCache implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private facts?: CatalogFacts;
  private readonly wanted = new Set<string>();
  private timer?: NodeJS.Timeout;
  private loading?: Promise<void>;
  private again = false;
  private connectionKey = '';
  private readonly subscriptions: vscode.Disposable[];
  /** Loads made, for tests and the benchmark (a keystroke must not add one). */
  loads = 0;

  constructor(
    private readonly connections: ConnectionService,
    private readonly tree: ConnectionsTree,
  ) {
    this.subscriptions = [
      connections.onDidChange((s) => {
        const key = `${s.state}|${s.profile?.id}|${s.server?.serverId}`;
        if (key === this.connectionKey) return;
        this.connectionKey = key;
        this.facts = undefined;
        this.wanted.clear();
        this.changed.fire();
        if (s.state === 'connected') this.schedule();
      }),
      // the explorer's refresh, interval refresh, create and delete all end here
      tree.onDidChangeTreeData(() => this.schedule()),
    ];
  }

  /** What is known now (undefined while not connected or before the first load). */
  current(): CatalogFacts | undefined {
    return this.facts;
  }

  /**
   * Asks for the consumers of these streams too. Only streams the server has count, so typing a
   * stream name letter by letter does not cause a load per letter.
   */
  want(streams: Iterable<string>): void {
    if (!this.facts) return;
    let added = false;
    for (const s of streams) {
      if (!this.wanted.has(s) && this.facts.streams.some((x) => x.name === s)) {
        this.wanted.add(s);
        added = true;
      }
    }
    if (added) this.schedule();
  }

  schedule(delay = DEBOUNCE_MS): void {
    if (this.connections.current.state !== 'connected') return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refreshNow(), delay);
  }

  /** Loads now (joins a load under way, and runs once more after it if asked meanwhile). */
  async refreshNow(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.again = false;
          await this.load();
        } while (this.again);
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private async load(): Promise<void> {
    if (this.connections.current.state !== 'connected') return;
    try {
      const { loadCatalogFacts } = await import('../../nats/catalogFacts');
      const s = this.connections.current.server;
      this.facts = await loadCatalogFacts(await this.tree.catalog(), { consumersOf: this.wanted, server: s?.serverName });
      this.loads++;
      this.changed.fire();
    } catch (err) {
      log().warn(`code lenses: could not read the server catalog: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

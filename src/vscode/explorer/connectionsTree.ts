import * as vscode from 'vscode';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AccountSummary, Catalog, ConsumerSummary, KvBucketSummary, KvKeySummary, ObjectStoreSummary, ObjectSummary, Page, StreamSummary } from '../../nats/catalog';
import type { FeatureSupport, ServerFeature } from '../../nats/serverInfo';
import { describeServers, jetStreamOptions, type ConnectionProfile } from '../../nats/profile';
import type { ConnectionService, ConnectionSnapshot } from '../connections/connectionService';
import type { ProfileStore } from '../connections/profileStore';
import { log } from '../log';
import * as fmt from './format';

export type ExplorerNode =
  | { kind: 'profile'; profileId: string; profile: ConnectionProfile }
  | { kind: 'server'; profileId: string; account?: AccountSummary }
  | { kind: 'streams' | 'kvs' | 'objs'; profileId: string }
  | { kind: 'stream'; profileId: string; stream: StreamSummary }
  | { kind: 'consumer'; profileId: string; consumer: ConsumerSummary }
  | { kind: 'kv'; profileId: string; bucket: KvBucketSummary; filter?: string }
  | { kind: 'kvKey'; profileId: string; bucket: string; key: string; entry?: KvKeySummary }
  | { kind: 'obj'; profileId: string; store: ObjectStoreSummary }
  | { kind: 'object'; profileId: string; object: ObjectSummary }
  | { kind: 'loadMore'; profileId: string; list: string; remaining?: number }
  | { kind: 'message'; text: string; icon?: string; tooltip?: string };

/** Items per page: the JetStream API's own page size, so one page is one request. */
export const TREE_PAGE = 256;

/** A list the tree has loaded (some pages of it). `want` survives a refresh: what was shown stays shown. */
interface PagedList<T> {
  items: T[];
  next?: number;
  total?: number;
  want: number;
  stale: boolean;
  loading?: Promise<void>;
}

type Fetch<T> = (offset: number, limit: number) => Promise<Page<T>>;

const loadNats = () => import('../../nats/index');

/**
 * The NATS sidebar: one node per connection profile; the connected one expands to Server,
 * Streams (→ consumers), KV Buckets (→ keys) and Object Stores (→ objects).
 *
 * Cost model (10,000 streams must stay responsive): VS Code asks for the children of
 * expanded nodes only, and every list here is a page of 256 from one `$JS.API.*.LIST`
 * request; a refresh marks the loaded lists stale and VS Code re-asks only what is expanded,
 * so collapsed streams cost nothing. "Load more" appends one page.
 */
export class ConnectionsTree implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private readonly lists = new Map<string, PagedList<unknown>>();
  private readonly keyFilters = new Map<string, string>();
  private account?: { value?: AccountSummary; error?: string; stale: boolean };
  private catalogV?: { nc: NatsConnection; catalog: Catalog };
  private lastConnection = '';
  private timer: NodeJS.Timeout | undefined;
  private view?: vscode.TreeView<ExplorerNode>;
  /** List requests made, by list key (tests check that collapsed nodes cost nothing). */
  readonly requests = new Map<string, number>();

  constructor(
    private readonly store: ProfileStore,
    private readonly connections: ConnectionService,
  ) {
    fmt.setDisplayLocale(vscode.env.language);
    this.subscriptions = [
      store.onDidChange(() => this.changed.fire(undefined)),
      connections.onDidChange((s) => this.onConnection(s)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('natsFlow.explorer.refreshIntervalSeconds')) this.startTimer();
        if (e.affectsConfiguration('natsFlow.explorer.showSystemStreams')) {
          this.lists.delete('streams');
          this.changed.fire(undefined);
        }
      }),
    ];
    this.startTimer();
  }

  /** The tree view shows this provider; interval refreshes skip while it is hidden. */
  attachView(view: vscode.TreeView<ExplorerNode>): void {
    this.view = view;
  }

  /** Re-reads what is expanded: lists are marked stale and reloaded when VS Code asks again. */
  refresh(): void {
    for (const l of this.lists.values()) l.stale = true;
    if (this.account) this.account.stale = true;
    this.changed.fire(undefined);
  }

  /** Drops one list (after a create/delete) so it loads afresh; everything else stays. */
  invalidate(...keys: string[]): void {
    for (const k of keys) this.lists.delete(k);
    if (this.account) this.account.stale = true;
    this.changed.fire(undefined);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  keyFilter(bucket: string): string | undefined {
    return this.keyFilters.get(bucket);
  }

  setKeyFilter(bucket: string, filter: string | undefined): void {
    if (filter && filter !== '>') this.keyFilters.set(bucket, filter);
    else this.keyFilters.delete(bucket);
    this.invalidate(`keys/${bucket}`);
  }

  /** The Catalog of the live connection (one per connection, so consumer trends carry over refreshes). */
  async catalog(): Promise<Catalog> {
    const nc = this.connections.connection();
    if (this.catalogV?.nc !== nc) {
      const { Catalog } = await loadNats();
      const catalog = new Catalog(nc, jetStreamOptions(this.connections.current.profile));
      // judge features by the JetStream server that answers (a leaf's hub may be older)
      await catalog.ready();
      this.catalogV = { nc, catalog };
    }
    return this.catalogV.catalog;
  }

  /** Feature support of the connected server, or undefined while not connected. */
  features(): Record<ServerFeature, FeatureSupport> | undefined {
    return this.catalogV?.catalog.features;
  }

  /** Appends the next page of a list (the "Load more" node). Returns how many items it now holds. */
  async loadMore(list: string): Promise<number> {
    const l = this.lists.get(list);
    if (!l) return 0;
    l.want = l.items.length + TREE_PAGE;
    if (l.next !== undefined) {
      const fetch = this.fetcherFor(list);
      if (fetch) await this.extend(list, l, fetch);
    }
    this.changed.fire(undefined);
    return l.items.length;
  }

  private onConnection(s: ConnectionSnapshot): void {
    // the service also fires for every round-trip measurement: only a new state, profile or
    // connection is worth a reload
    const key = `${s.state}|${s.profile?.id}|${s.server?.serverId}`;
    if (key === this.lastConnection) return;
    this.lastConnection = key;
    this.lists.clear();
    this.account = undefined;
    if (s.state !== 'connected') this.catalogV = undefined;
    this.changed.fire(undefined);
  }

  private startTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const seconds = vscode.workspace.getConfiguration('natsFlow.explorer').get<number>('refreshIntervalSeconds', 0);
    if (!seconds || seconds <= 0) return;
    this.timer = setInterval(() => {
      if (this.connections.current.state !== 'connected') return;
      if (this.view && !this.view.visible) return;
      this.refresh();
    }, Math.max(2, seconds) * 1000);
  }

  // ---- lists -------------------------------------------------------------------------------

  private showSystem(): boolean {
    return vscode.workspace.getConfiguration('natsFlow.explorer').get<boolean>('showSystemStreams', false);
  }

  private fetcherFor(list: string): Fetch<unknown> | undefined {
    const [kind, name] = [list.slice(0, list.indexOf('/') === -1 ? list.length : list.indexOf('/')), list.slice(list.indexOf('/') + 1)];
    switch (kind) {
      case 'streams':
        return async (offset, limit) => (await this.catalog()).streams({ includeSystem: this.showSystem(), offset, limit });
      case 'consumers':
        return async (offset, limit) => (await this.catalog()).consumers(name, { offset, limit });
      case 'keys':
        return async (offset, limit) => (await this.catalog()).kvKeyEntries(name, { offset, limit, filter: this.keyFilters.get(name) ?? '>' });
      case 'objects':
        return async (offset, limit) => (await this.catalog()).objects(name, { offset, limit });
      case 'kvs':
        return async () => {
          const items = await (await this.catalog()).kvBuckets();
          return { items, offset: 0, total: items.length };
        };
      case 'objs':
        return async () => {
          const items = await (await this.catalog()).objectStores();
          return { items, offset: 0, total: items.length };
        };
    }
    return undefined;
  }

  private async extend(key: string, l: PagedList<unknown>, fetch: Fetch<unknown>): Promise<void> {
    while (l.next !== undefined && l.items.length < l.want) {
      this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
      const page = await fetch(l.next, TREE_PAGE);
      l.items.push(...page.items);
      l.next = page.next;
      l.total = page.total;
      if (page.items.length === 0) l.next = undefined;
    }
  }

  /** The list, loaded (again, when stale) up to what was shown before. */
  async list<T>(key: string): Promise<PagedList<T>> {
    let l = this.lists.get(key);
    if (!l || l.stale) {
      const before = l?.total;
      const fresh: PagedList<unknown> = { items: [], next: 0, want: l?.want ?? TREE_PAGE, stale: false };
      const fetch = this.fetcherFor(key)!;
      fresh.loading = this.extend(key, fresh, fetch).then(() => {
        // the container's count ("Streams 12") is known only now: redraw that row (its
        // children come from the list just loaded, so this costs no request)
        const node = this.containers.get(key);
        if (node && fresh.total !== before) this.changed.fire(node);
      });
      this.lists.set(key, fresh);
      l = fresh;
    }
    await l.loading;
    return l as PagedList<T>;
  }

  /** Container nodes are kept so their row can be redrawn alone when its count arrives. */
  private readonly containers = new Map<string, ExplorerNode>();
  private container(profileId: string, kind: 'streams' | 'kvs' | 'objs'): ExplorerNode {
    const existing = this.containers.get(kind);
    if (existing && existing.kind === kind && existing.profileId === profileId) return existing;
    const node: ExplorerNode = { kind, profileId };
    this.containers.set(kind, node);
    return node;
  }

  private async accountInfo(): Promise<{ value?: AccountSummary; error?: string }> {
    if (!this.account || this.account.stale) {
      try {
        this.account = { value: await (await this.catalog()).accountInfo(), stale: false };
      } catch (err) {
        this.account = { error: err instanceof Error ? err.message : String(err), stale: false };
      }
    }
    return this.account;
  }

  // ---- TreeDataProvider --------------------------------------------------------------------

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) return this.store.all().map((profile) => ({ kind: 'profile' as const, profileId: profile.id, profile }));
    try {
      return await this.children(node);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const hint = (err as { hint?: string }).hint;
      log().warn(`explorer: listing ${node.kind}: ${message}`);
      return [{ kind: 'message', text: message, icon: 'error', ...(hint ? { tooltip: hint } : {}) }];
    }
  }

  private async children(node: ExplorerNode): Promise<ExplorerNode[]> {
    const profileId = 'profileId' in node ? node.profileId : '';
    switch (node.kind) {
      case 'profile': {
        const s = this.connections.current;
        if (s.profile?.id !== node.profileId) return [];
        if (s.state === 'failed') return [{ kind: 'message', text: s.error?.message ?? 'connection failed', icon: 'error', ...(s.error?.hint ? { tooltip: s.error.hint } : {}) }];
        if (s.state !== 'connected') return [{ kind: 'message', text: `${s.state}…`, icon: 'sync~spin' }];
        if (!s.server?.jetstream) {
          return [
            { kind: 'server', profileId },
            { kind: 'message', text: s.server?.jetstreamReason ?? 'JetStream is not available', icon: 'circle-slash', tooltip: 'Streams, KV buckets and object stores need JetStream.' },
          ];
        }
        const account = await this.accountInfo();
        return [{ kind: 'server', profileId, account: account.value }, this.container(profileId, 'streams'), this.container(profileId, 'kvs'), this.container(profileId, 'objs')];
      }
      case 'streams': {
        const l = await this.list<StreamSummary>('streams');
        return [...l.items.map((stream) => ({ kind: 'stream' as const, profileId, stream })), ...this.more(profileId, 'streams', l)];
      }
      case 'stream': {
        const key = `consumers/${node.stream.name}`;
        const l = await this.list<ConsumerSummary>(key);
        if (l.items.length === 0) return [{ kind: 'message', text: 'No consumers', icon: 'info' }];
        return [...l.items.map((consumer) => ({ kind: 'consumer' as const, profileId, consumer })), ...this.more(profileId, key, l)];
      }
      case 'kvs': {
        const l = await this.list<KvBucketSummary>('kvs');
        if (l.items.length === 0) return [{ kind: 'message', text: 'No KV buckets', icon: 'info' }];
        return l.items.map((bucket) => ({ kind: 'kv' as const, profileId, bucket, filter: this.keyFilters.get(bucket.bucket) }));
      }
      case 'kv': {
        const key = `keys/${node.bucket.bucket}`;
        const l = await this.list<KvKeySummary>(key);
        if (l.items.length === 0) return [{ kind: 'message', text: node.filter ? `No keys match ${node.filter}` : 'No keys', icon: 'info' }];
        return [...l.items.map((k) => ({ kind: 'kvKey' as const, profileId, bucket: node.bucket.bucket, key: k.key, entry: k })), ...this.more(profileId, key, l)];
      }
      case 'objs': {
        const l = await this.list<ObjectStoreSummary>('objs');
        if (l.items.length === 0) return [{ kind: 'message', text: 'No object stores', icon: 'info' }];
        return l.items.map((store) => ({ kind: 'obj' as const, profileId, store }));
      }
      case 'obj': {
        const key = `objects/${node.store.bucket}`;
        const l = await this.list<ObjectSummary>(key);
        if (l.items.length === 0) return [{ kind: 'message', text: 'No objects', icon: 'info' }];
        return [...l.items.map((object) => ({ kind: 'object' as const, profileId, object })), ...this.more(profileId, key, l)];
      }
      default:
        return [];
    }
  }

  private more(profileId: string, list: string, l: PagedList<unknown>): ExplorerNode[] {
    if (l.next === undefined) return [];
    return [{ kind: 'loadMore', profileId, list, ...(l.total !== undefined ? { remaining: Math.max(0, l.total - l.items.length) } : {}) }];
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const s = this.connections.current;
    const C = vscode.TreeItemCollapsibleState;
    const md = (text: string) => {
      const m = new vscode.MarkdownString(text, true);
      m.supportThemeIcons = true;
      return m;
    };
    const color = (id: string | undefined) => (id ? new vscode.ThemeColor(id) : undefined);
    switch (node.kind) {
      case 'profile': {
        const active = s.profile?.id === node.profileId && s.state !== 'disconnected';
        const item = new vscode.TreeItem(node.profile.name, active ? C.Expanded : C.None);
        item.id = `profile:${node.profileId}:${active ? s.state : 'idle'}`;
        item.description = describeServers(node.profile.servers);
        const state = active ? s.state : 'disconnected';
        item.iconPath = new vscode.ThemeIcon(
          state === 'connected' ? 'vm-active' : state === 'failed' ? 'error' : state === 'disconnected' ? 'vm-outline' : 'sync~spin',
          state === 'connected' ? new vscode.ThemeColor('testing.iconPassed') : state === 'failed' ? new vscode.ThemeColor('errorForeground') : undefined,
        );
        item.contextValue = `profile.${node.profile.source ?? 'user'}.${state}`;
        item.tooltip = new vscode.MarkdownString(`**${node.profile.name}** (${state})\n\n${describeServers(node.profile.servers, '\n\n')}\n\nauth: ${node.profile.auth}${node.profile.source === 'context' ? `\n\nnatscli context \`${node.profile.contextName}\`` : ''}`);
        if (state === 'disconnected' || state === 'failed') item.command = { command: 'natsFlow.connection.connect', title: 'Connect', arguments: [node.profileId] };
        return item;
      }
      case 'server': {
        const sv = s.server;
        const item = new vscode.TreeItem(`Server ${sv?.serverName ?? '?'}`, C.None);
        item.id = `${node.profileId}/server`;
        const head = `v${sv?.version ?? '?'}${sv?.cluster ? ` · cluster ${sv.cluster}` : ''}`;
        item.description = sv?.jetstream ? `${head} · ${node.account ? fmt.accountDescription(node.account) : 'JetStream on'}` : `${head} · JetStream off`;
        const near = node.account ? fmt.accountNearLimit(node.account) : false;
        item.iconPath = new vscode.ThemeIcon('server', near ? color('list.warningForeground') : undefined);
        item.contextValue = 'server';
        const features = this.features();
        const missing = features ? Object.entries(features).filter(([, f]) => !f.supported).map(([k, f]) => `- ${k}: ${f.reason}`) : [];
        item.tooltip = md(
          [
            `**Server ${sv?.serverName ?? '?'}** v${sv?.version ?? '?'}${sv?.cluster ? ` in cluster ${sv.cluster}` : ''}`,
            `${sv?.connectedUrl ?? ''} · rtt ${sv ? sv.rttMs.toFixed(1) : '?'} ms · max payload ${fmt.formatBytes(sv?.maxPayload ?? 0)}`,
            sv?.jetstream ? (node.account ? fmt.accountTooltip(node.account) : 'JetStream on') : `JetStream off: ${sv?.jetstreamReason ?? ''}`,
            ...(missing.length ? [`**Not on this server**\n\n${missing.join('\n')}`] : []),
          ].join('\n\n'),
        );
        return item;
      }
      case 'streams':
      case 'kvs':
      case 'objs': {
        const label = node.kind === 'streams' ? 'Streams' : node.kind === 'kvs' ? 'KV Buckets' : 'Object Stores';
        const item = new vscode.TreeItem(label, C.Collapsed);
        item.id = `${node.profileId}/${node.kind}`;
        const l = this.lists.get(node.kind);
        if (l?.total !== undefined) item.description = `${fmt.formatCount(l.total)}${node.kind === 'streams' && this.showSystem() ? ' incl. KV/OBJ' : ''}`;
        item.iconPath = new vscode.ThemeIcon(node.kind === 'streams' ? 'layers' : node.kind === 'kvs' ? 'symbol-key' : 'package');
        item.contextValue = `container.${node.kind}`;
        return item;
      }
      case 'stream': {
        const st = node.stream;
        const item = new vscode.TreeItem(st.name, st.consumers > 0 ? C.Collapsed : C.None);
        item.id = `${node.profileId}/stream/${st.name}`;
        item.description = fmt.streamDescription(st);
        item.tooltip = md(fmt.streamTooltip(st));
        const near = st.nearLimit >= fmt.NEAR_LIMIT;
        const lagging = st.cluster ? fmt.maxLag(st.cluster) > 0 : false;
        item.iconPath = new vscode.ThemeIcon(st.sealed ? 'lock' : st.mirror ? 'mirror' : 'database', near || lagging ? color('list.warningForeground') : st.system ? color('disabledForeground') : undefined);
        item.contextValue = `stream${st.system ? '.system' : ''}`;
        return item;
      }
      case 'consumer': {
        const c = node.consumer;
        const item = new vscode.TreeItem(c.name, C.None);
        item.id = `${node.profileId}/stream/${c.stream}/consumer/${c.name}`;
        item.description = fmt.consumerDescription(c);
        item.tooltip = md(fmt.consumerTooltip(c));
        const look = fmt.consumerLook(c);
        item.iconPath = new vscode.ThemeIcon(look.icon, color(look.color));
        const f = this.features();
        // the menus read these flags: pause/resume need 2.11, reset 2.14 (nats-facts.md)
        item.contextValue = ['consumer', c.paused ? 'paused' : 'running', c.kind, ...(f?.pause.supported ? ['canPause'] : []), ...(f?.consumerReset.supported ? ['canReset'] : [])].join('.');
        return item;
      }
      case 'kv': {
        const b = node.bucket;
        const item = new vscode.TreeItem(b.bucket, C.Collapsed);
        item.id = `${node.profileId}/kv/${b.bucket}`;
        item.description = `${node.filter ? `[${node.filter}] ` : ''}${fmt.kvDescription(b)}`;
        item.tooltip = md(`${fmt.kvTooltip(b)}${node.filter ? `\n\n**Key filter** ${fmt.code(node.filter)}` : ''}`);
        item.iconPath = new vscode.ThemeIcon(node.filter ? 'filter' : 'library');
        item.contextValue = node.filter ? 'kv.filtered' : 'kv';
        return item;
      }
      case 'kvKey': {
        const item = new vscode.TreeItem(node.key, C.None);
        item.id = `${node.profileId}/kv/${node.bucket}/key/${node.key}`;
        item.iconPath = new vscode.ThemeIcon('key');
        item.contextValue = 'kvKey';
        item.tooltip = node.entry ? md(fmt.kvKeyTooltip(node.bucket, node.entry)) : `${node.bucket} › ${node.key}`;
        item.command = { command: 'natsFlow.kv.get', title: 'Open Value', arguments: [{ bucket: node.bucket, key: node.key }] };
        return item;
      }
      case 'obj': {
        const o = node.store;
        const item = new vscode.TreeItem(o.bucket, C.Collapsed);
        item.id = `${node.profileId}/obj/${o.bucket}`;
        item.description = fmt.objStoreDescription(o);
        item.tooltip = md(fmt.objStoreTooltip(o));
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'obj';
        return item;
      }
      case 'object': {
        const o = node.object;
        const item = new vscode.TreeItem(o.name, C.None);
        item.id = `${node.profileId}/obj/${o.store}/object/${o.name}`;
        item.description = fmt.objectDescription(o);
        item.tooltip = md(fmt.objectTooltip(o));
        item.iconPath = new vscode.ThemeIcon(o.link ? 'link' : 'file-binary');
        item.contextValue = 'object';
        return item;
      }
      case 'loadMore': {
        const item = new vscode.TreeItem(node.remaining !== undefined ? `Load more (${fmt.formatCount(node.remaining)} remaining)` : 'Load more…', C.None);
        item.id = `${node.profileId}/${node.list}/loadMore`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = 'loadMore';
        item.command = { command: 'natsFlow.explorer.loadMore', title: 'Load More', arguments: [node.list] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, C.None);
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        if (node.tooltip) item.tooltip = node.tooltip;
        item.contextValue = 'message';
        return item;
      }
    }
  }
}

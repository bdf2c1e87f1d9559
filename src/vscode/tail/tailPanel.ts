/**
 * One tail panel (webview/tail) per tail. The host owns the TailSession: it keeps reading
 * while the panel is hidden or paused (pausing is the webview holding rows back, never an
 * unsubscribe), sends rows in batches at most every 100 ms (never one postMessage per
 * message), and closing the panel closes the session, which deletes its consumer and
 * subscriptions.
 */
import * as vscode from 'vscode';
import type { NatsConnection } from '@nats-io/transport-node';
import { describeSpec, type TailSpec } from '../../core/tail/spec';
import { toNdjson } from '../../core/tail/ndjson';
import { fromBase64 } from '../../core/tail/payload';
import type { TailEvent } from '../../core/tail/events';
import type { TailProtocol, TailRowView, TailStateView } from '../../shared/protocol';
import { MAX_APPEND_ROWS, tailHostChecks } from '../../shared/tailValidate';
import type { TailSession } from '../../nats/tail';
import { log } from '../log';
import { PanelHost, type RequestHandlers } from '../webview/panelHost';
import { panelOptions } from '../webview/panelOptions';
import { webviewHtml } from '../webview/webviewHtml';
import { KvFirstPrevious } from '../../nats/kvAsOf';
import { formatTimestamp } from '../../core/time';
import { marker } from '../../core/tail/events';
import { restoredMarker, resumeSpec, savedTail, toRow, type SavedTail } from './rows';

export const TAIL_VIEW_TYPE = 'natsFlow.tail';
const SEND_EVERY_MS = 100;
/** Payload bytes per append message; the rest waits for the next tick. */
const SEND_BYTES = 8 * 1024 * 1024;

export interface TailDeps {
  connection(): NatsConnection;
  jetStreamOptions(): { domain?: string; apiPrefix?: string };
}

export function bufferSizeSetting(): number {
  const n = vscode.workspace.getConfiguration('natsFlow').get<number>('tail.bufferSize', 10_000);
  return Number.isInteger(n) && n >= 100 ? Math.min(n, 1_000_000) : 10_000;
}

export class TailPanel {
  private static readonly open = new Set<TailPanel>();

  static all(): TailPanel[] {
    return [...TailPanel.open];
  }

  static disposeAll(): void {
    for (const p of TailPanel.all()) p.dispose();
  }

  /**
   * A panel VS Code hands back after a reload, with what its webview saved: the tail resumes
   * where the panel was (stream sequence, KV revision) and says so; a subject tail listens
   * again and says what it cannot have seen. A state that names no tail closes the panel.
   */
  static async restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, saved: unknown, deps: TailDeps): Promise<TailPanel | undefined> {
    const s = savedTail(saved);
    if (!s) {
      panel.dispose();
      return undefined;
    }
    return TailPanel.show(extensionUri, s.spec, deps, panel, s);
  }

  /** Opens a tail in a new panel (or in `panel`, when restoring one). */
  static async show(extensionUri: vscode.Uri, spec: TailSpec, deps: TailDeps, panel?: vscode.WebviewPanel, restored?: SavedTail): Promise<TailPanel> {
    const title = `Tail: ${describeSpec(spec)}`;
    // a tail's list, pause buffer and filters live in the webview: a tab in the background keeps
    // them and keeps receiving rows (a discarded webview would come back empty)
    const options = panelOptions(extensionUri, { retainContext: true });
    const p = panel ?? vscode.window.createWebviewPanel(TAIL_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, options);
    if (panel) panel.webview.options = options;
    p.title = title;
    const tp = new TailPanel(p, extensionUri, spec, deps);
    TailPanel.open.add(tp);
    await tp.start(restored);
    return tp;
  }

  readonly host: PanelHost<TailProtocol>;
  readonly handlers: RequestHandlers<TailProtocol>;
  session?: TailSession;
  /** What the webview last said it shows (tests read it). */
  lastRendered?: TailProtocol['toHost']['tail/rendered'];
  private readonly bufferSize = bufferSizeSetting();
  private nextId = 1;
  private pending: TailRowView[] = [];
  private skipped = 0;
  private timer?: ReturnType<typeof setInterval>;
  private state: TailStateView;
  private disposed = false;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly spec: TailSpec,
    private readonly deps: TailDeps,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'nats.svg');
    this.state = {
      title: panel.title,
      source: describeSpec(spec),
      kind: spec.kind,
      mode: 'starting…',
      bufferSize: this.bufferSize,
      defaultSubject: spec.kind === 'subject' ? spec.subject.replace(/\.>$|\.\*$/, '.test') : spec.kind === 'stream' ? (spec.filters?.[0] ?? '') : '',
      specJson: JSON.stringify(spec),
      locale: vscode.env.language,
    };
    this.handlers = {
      'tail/publish': (p) => this.publish(p),
      'tail/export': () => this.exportNdjson(),
      'tail/openJson': (p) => this.openJson(p.id),
      'tail/activeEditorText': async () => {
        const ed = vscode.window.activeTextEditor;
        if (!ed) throw new Error('No active editor: open a file with the payload first.');
        const text = ed.selection.isEmpty ? ed.document.getText() : ed.document.getText(ed.selection);
        return { text, name: ed.document.fileName };
      },
      'tail/clear': async () => {
        this.session?.ring.clear();
        this.eventsById.clear();
        this.pending = [];
        return { cleared: true };
      },
    };
    this.host = new PanelHost<TailProtocol>({
      name: `tail ${this.state.source}`,
      panel,
      log: log(),
      checks: tailHostChecks,
      handlers: this.handlers,
      notifications: { 'tail/rendered': (p) => (this.lastRendered = p) },
      onDispose: () => void this.close(),
    });
    panel.webview.html = webviewHtml(panel.webview, vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), 'tail', this.state.title);
    this.host.notify('tail/state', this.state, { replace: true });
  }

  /** Events by row id, for "open as JSON" (bounded like the ring). */
  private readonly eventsById = new Map<number, TailEvent>();

  private async start(restored?: SavedTail): Promise<void> {
    const { openTail } = await import('../../nats/tail');
    const spec = restored ? resumeSpec(this.spec, restored.lastSeq) : this.spec;
    // a restored tail starts with where it picked up (in the ring too, so an export says so)
    const resumed = restored && restoredMarker(restored, formatTimestamp);
    // a KV watch resumed from revision N+1 knows no value from before: read what each key held
    // at N the first time it changes, so that change is still a transition. Made before the
    // tail opens: the first batch is delivered while it opens.
    if (restored?.lastSeq && this.spec.kind === 'kv') {
      this.prevAsOf = new KvFirstPrevious({
        connection: () => this.deps.connection(),
        jetStreamOptions: () => this.deps.jetStreamOptions(),
        bucket: this.spec.bucket,
        upTo: restored.lastSeq,
        onUnavailable: (why) => this.take([marker('note', why)]),
        active: () => !this.disposed,
      });
    }
    try {
      this.session = await openTail(this.deps.connection(), spec, {
        ...this.deps.jetStreamOptions(),
        bufferSize: this.bufferSize,
        ...(resumed ? { lead: [resumed] } : {}),
        onEvents: (batch) => this.accept(batch),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.state = { ...this.state, mode: 'not started', error: message };
      this.host.notify('tail/state', this.state, { replace: true });
      throw err;
    }
    if (this.disposed) {
      await this.session.close();
      return;
    }
    this.state = { ...this.state, mode: this.session.mode };
    this.host.notify('tail/state', this.state, { replace: true });
    this.timer = setInterval(() => this.send(), SEND_EVERY_MS);
    void this.session.ended.then(() => this.send());
  }

  /** Restored KV watch: fills in the previous values from before the reload (see start). */
  private prevAsOf?: KvFirstPrevious;

  private accept(batch: TailEvent[]): void {
    if (!this.prevAsOf) return this.take(batch);
    this.prevAsOf.push(batch, (b) => this.take(b));
  }

  private take(batch: TailEvent[]): void {
    for (const e of batch) {
      const id = this.nextId++;
      this.eventsById.set(id, e);
      if (this.eventsById.size > this.bufferSize) this.eventsById.delete(this.eventsById.keys().next().value!);
      this.pending.push(toRow(id, e));
    }
    // the webview keeps at most bufferSize rows: older pending ones would be dropped there anyway
    if (this.pending.length > this.bufferSize) {
      this.skipped += this.pending.length - this.bufferSize;
      this.pending = this.pending.slice(-this.bufferSize);
    }
  }

  private send(): void {
    if (!this.pending.length || this.disposed) return;
    let bytes = 0;
    let n = 0;
    while (n < this.pending.length && n < MAX_APPEND_ROWS && (n === 0 || bytes + this.pending[n]!.data.length < SEND_BYTES)) {
      bytes += this.pending[n]!.data.length;
      n++;
    }
    const rows = this.pending.splice(0, n);
    this.host.notify('tail/append', { rows, received: this.session?.received ?? 0, skipped: this.skipped });
  }

  private async publish(p: TailProtocol['requests']['tail/publish']['params']): Promise<{ ok: boolean; message: string }> {
    const nc = this.deps.connection();
    const { headers: mkHeaders } = await import('@nats-io/transport-node');
    const h = mkHeaders();
    for (const [k, v] of p.headers) h.append(k, v);
    const data = new TextEncoder().encode(p.data);
    const opts = p.headers.length ? { headers: h } : {};
    if (!p.request) {
      nc.publish(p.subject, data, opts);
      await nc.flush();
      return { ok: true, message: `Published ${data.length} bytes to ${p.subject}` };
    }
    const t0 = performance.now();
    try {
      const reply = await nc.request(p.subject, data, { timeout: Math.max(100, p.timeoutMs), ...opts });
      const ms = performance.now() - t0;
      const { headerPairs } = await import('../../nats/tail/orderedPull');
      this.take([{ kind: 'msg', subject: `${reply.subject} (reply to ${p.subject})`, time: new Date().toISOString(), headers: headerPairs(reply), data: reply.data }]);
      return { ok: true, message: `Reply from ${p.subject} in ${ms.toFixed(1)} ms (shown in the list)` };
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (/no responders|503/i.test(text)) return { ok: false, message: `No responders on ${p.subject}` };
      if (/timeout/i.test(text)) return { ok: false, message: `No reply on ${p.subject} within ${p.timeoutMs} ms` };
      return { ok: false, message: text };
    }
  }

  /** Writes what the host holds (the ring) as NDJSON: the CLI's --json lines. */
  private async exportNdjson(): Promise<{ saved: boolean; lines: number; message: string }> {
    const events = this.session?.ring.toArray() ?? [];
    if (!events.length) return { saved: false, lines: 0, message: 'Nothing to export yet.' };
    const uri = await vscode.window.showSaveDialog({ filters: { NDJSON: ['ndjson', 'jsonl'] }, saveLabel: 'Export tail', defaultUri: vscode.Uri.file(`tail-${Date.now()}.ndjson`) });
    if (!uri) return { saved: false, lines: 0, message: 'Export cancelled.' };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(events.map(toNdjson).join('\n') + '\n'));
    return { saved: true, lines: events.length, message: `Exported ${events.length} lines to ${uri.fsPath}` };
  }

  private async openJson(id: number): Promise<{ opened: boolean }> {
    const e = this.eventsById.get(id);
    if (!e) throw new Error('That row is no longer in the buffer.');
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(JSON.parse(toNdjson(e)), null, 2) });
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return { opened: true };
  }

  /** Rows the webview would show (for tests: what has been sent so far is in stats). */
  get viewState(): TailStateView {
    return this.state;
  }

  private async close(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    TailPanel.open.delete(this);
    if (this.timer) clearInterval(this.timer);
    await this.session?.close().catch((err) => log().warn(`tail close: ${String(err)}`));
  }

  /** Pauses or resumes the panel's list, as its button does: the tail itself keeps reading. */
  setPaused(paused: boolean): void {
    this.host.notify('tail/pause', { paused });
  }

  /** Closes the panel (and with it the tail). */
  dispose(): void {
    this.panel.dispose();
  }

  /** Resolves when the tail has been closed and released. */
  closed(): Promise<void> {
    return this.session ? this.session.ended : Promise.resolve();
  }
}

/** Base64 row payload → bytes (for tests that read rows back). */
export const rowBytes = (r: TailRowView) => fromBase64(r.data);

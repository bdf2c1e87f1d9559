/**
 * The host side of a webview panel's typed protocol (`src/shared/protocol.ts`):
 * - host → webview notifications wait in a queue until the webview says `webview/ready`
 *   (and again while a non-retained panel is hidden, because its document is gone then);
 * - every incoming message is checked (envelope, then the method's params); anything unknown
 *   or malformed is logged and ignored, never thrown;
 * - each request is answered exactly once, with its handler's result or an error;
 * - closing the panel disposes everything, and late handler results are dropped.
 *
 * It depends on the panel only through `PanelLike`, a structural slice of
 * `vscode.WebviewPanel`, so unit tests drive it with a fake panel in plain Node.
 */
import type { HostToWebview, PanelProtocol, ParamsOf, ProtocolError, RequestMethod, ResultOf } from '../../shared/protocol';
import { attempt, parseEnvelope, type Check } from '../../shared/validate';

interface DisposableLike {
  dispose(): unknown;
}

/** What PanelHost uses of a `vscode.WebviewPanel`. */
export interface PanelLike {
  readonly webview: {
    postMessage(message: unknown): Thenable<boolean> | Promise<boolean>;
    onDidReceiveMessage(listener: (message: unknown) => unknown): DisposableLike;
  };
  readonly visible: boolean;
  readonly options: { readonly retainContextWhenHidden?: boolean };
  onDidDispose(listener: () => unknown): DisposableLike;
  onDidChangeViewState(listener: (e: { webviewPanel: { visible: boolean } }) => unknown): DisposableLike;
}

export interface HostLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

type ToHostMethod<P extends PanelProtocol> = keyof P['toHost'] & string;
type ToWebviewMethod<P extends PanelProtocol> = keyof P['toWebview'] & string;

export interface PanelChecks<P extends PanelProtocol> {
  requests: { [M in RequestMethod<P>]: Check<ParamsOf<P, M>> };
  toHost: { [M in ToHostMethod<P>]: Check<P['toHost'][M]> };
}

export type RequestHandlers<P extends PanelProtocol> = {
  [M in RequestMethod<P>]: (params: ParamsOf<P, M>) => ResultOf<P, M> | PromiseLike<ResultOf<P, M>>;
};

export type NotificationHandlers<P extends PanelProtocol> = {
  [M in ToHostMethod<P>]?: (params: P['toHost'][M]) => void;
};

export interface PanelHostOptions<P extends PanelProtocol> {
  /** For log lines: "decide". */
  name: string;
  panel: PanelLike;
  checks: PanelChecks<P>;
  handlers: RequestHandlers<P>;
  notifications?: NotificationHandlers<P>;
  /** Called on every `webview/ready`, after the queue is flushed. */
  onReady?: () => void;
  /** Called once when the panel closes, after PanelHost has disposed its own parts. */
  onDispose?: () => void;
  log: HostLog;
}

export class PanelHost<P extends PanelProtocol> {
  private ready = false;
  private disposed = false;
  private queue: HostToWebview<P>[] = [];
  private readonly inFlight = new Set<number>();
  private readonly subscriptions: DisposableLike[] = [];
  /** What happened, for logs and tests. */
  readonly stats = { received: 0, ignored: 0, answered: 0, readyCount: 0, webviewErrors: [] as string[] };

  constructor(private readonly opts: PanelHostOptions<P>) {
    const { panel } = opts;
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m) => this.receive(m)),
      panel.onDidChangeViewState((e) => {
        // a hidden, non-retained webview loses its document: hold messages until it is back
        if (!e.webviewPanel.visible && !panel.options.retainContextWhenHidden) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get isReady(): boolean {
    return this.ready;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Sends a notification now if the webview listens, else queues it. With `replace`, a queued
   * message of the same method is dropped first (only the latest state matters).
   */
  notify<M extends ToWebviewMethod<P>>(method: M, params: P['toWebview'][M], options: { replace?: boolean } = {}): void {
    if (this.disposed) return;
    const message = { kind: 'notification', method, params } as unknown as HostToWebview<P>;
    if (this.ready) {
      this.post(message);
      return;
    }
    if (options.replace) this.queue = this.queue.filter((q) => q.method !== method);
    this.queue.push(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ready = false;
    this.queue = [];
    this.inFlight.clear();
    for (const s of this.subscriptions.splice(0)) {
      try {
        s.dispose();
      } catch {
        /* the panel may already be gone */
      }
    }
    this.opts.onDispose?.();
  }

  private post(message: HostToWebview<P>): void {
    if (this.disposed) return;
    Promise.resolve(this.opts.panel.webview.postMessage(message)).then(
      (delivered) => {
        if (!delivered) this.opts.log.warn(`${this.opts.name} webview: ${message.method} was not delivered`);
      },
      (err: unknown) => this.opts.log.warn(`${this.opts.name} webview: posting ${message.method} failed: ${String(err)}`),
    );
  }

  private ignore(why: string): void {
    this.stats.ignored++;
    this.opts.log.warn(`${this.opts.name} webview: ignored a message: ${why}`);
  }

  /** Never throws: a bad message is logged and dropped. */
  private receive(raw: unknown): void {
    if (this.disposed) return;
    this.stats.received++;
    const envelope = attempt(parseEnvelope, raw);
    if (!envelope.ok) return this.ignore(envelope.error);
    const m = envelope.value;
    try {
      if (m.kind === 'response') return this.ignore(`a webview does not send responses (${m.method})`);
      if (m.kind === 'request') return void this.handleRequest(m.id, m.method, m.params);
      switch (m.method) {
        case 'webview/ready':
          return this.handleReady();
        case 'webview/error': {
          const message = typeof (m.params as { message?: unknown })?.message === 'string' ? (m.params as { message: string }).message : '?';
          this.stats.webviewErrors.push(message.slice(0, 2000));
          this.opts.log.warn(`${this.opts.name} webview reported: ${message.slice(0, 2000)}`);
          return;
        }
      }
      const check = (this.opts.checks.toHost as Record<string, Check<unknown> | undefined>)[m.method];
      if (!check || !Object.prototype.hasOwnProperty.call(this.opts.checks.toHost, m.method)) {
        return this.ignore(`unknown notification ${m.method}`);
      }
      const params = attempt(check, m.params, 'params');
      if (!params.ok) return this.ignore(`${m.method}: ${params.error}`);
      const handler = (this.opts.notifications as Record<string, ((p: unknown) => void) | undefined> | undefined)?.[m.method];
      handler?.(params.value);
    } catch (err) {
      this.opts.log.error(`${this.opts.name} webview: handling ${m.method} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private handleReady(): void {
    this.stats.readyCount++;
    this.ready = true;
    const queued = this.queue;
    this.queue = [];
    for (const q of queued) this.post(q);
    this.opts.onReady?.();
  }

  private async handleRequest(id: number, method: string, rawParams: unknown): Promise<void> {
    if (this.inFlight.has(id)) return this.ignore(`request id ${id} (${method}) is already being handled`);
    this.inFlight.add(id);
    let answer: { ok: true; result: unknown } | { ok: false; error: ProtocolError };
    const own = Object.prototype.hasOwnProperty.call(this.opts.checks.requests, method);
    const check = own ? (this.opts.checks.requests as Record<string, Check<unknown>>)[method] : undefined;
    const handler = own ? (this.opts.handlers as Record<string, ((p: unknown) => unknown) | undefined>)[method] : undefined;
    if (!check || !handler) {
      this.opts.log.warn(`${this.opts.name} webview: unknown request ${method}`);
      answer = { ok: false, error: { code: 'unknownMethod', message: `unknown request ${method}` } };
    } else {
      const params = attempt(check, rawParams, 'params');
      if (!params.ok) {
        this.opts.log.warn(`${this.opts.name} webview: ${method}: ${params.error}`);
        answer = { ok: false, error: { code: 'invalidParams', message: params.error } };
      } else {
        try {
          answer = { ok: true, result: await handler(params.value) };
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          this.opts.log.error(`${this.opts.name} webview: ${method} failed: ${message}`);
          answer = { ok: false, error: { code: 'handlerFailed', message } };
        }
      }
    }
    this.inFlight.delete(id);
    if (this.disposed) return; // the panel closed while the handler ran: nobody to answer
    this.stats.answered++;
    this.post({ kind: 'response', id, method, ...answer } as unknown as HostToWebview<P>);
  }
}

/**
 * The webview side of the typed protocol (src/shared/protocol.ts): wraps
 * `acquireVsCodeApi()` (callable once per document, so the client is a singleton), sends
 * typed notifications and requests (each request resolves with exactly one response or
 * rejects with its error or a timeout), and checks everything the host posts before a
 * component sees it. Anything malformed goes to `onInvalid` and is reported to the host as
 * `webview/error`; nothing from a message is ever interpreted as HTML.
 */
import type {
  BaseWebviewNotifications,
  PanelProtocol,
  ParamsOf,
  ProtocolError,
  RequestMethod,
  ResultOf,
} from '../../src/shared/protocol';
import { attempt, parseEnvelope, type Check } from '../../src/shared/validate';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export type HostNotification<P extends PanelProtocol> = {
  [M in keyof P['toWebview'] & string]: { method: M; params: P['toWebview'][M] };
}[keyof P['toWebview'] & string];

export interface HostChecks<P extends PanelProtocol> {
  /** Params of each host → webview notification. */
  toWebview: { [M in keyof P['toWebview'] & string]: Check<P['toWebview'][M]> };
  /** Result of each request. */
  results: { [M in RequestMethod<P>]: Check<ResultOf<P, M>> };
}

export class RequestError extends Error {
  constructor(readonly code: ProtocolError['code'], message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

let api: VsCodeApi | undefined;
function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

export class HostClient<P extends PanelProtocol> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly notificationListeners = new Set<(n: HostNotification<P>) => void>();
  private readonly invalidListeners = new Set<(error: string) => void>();
  private started = false;

  constructor(
    private readonly checks: HostChecks<P>,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Attaches the message listener and says `webview/ready`; idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
    this.notify('webview/ready', {});
  }

  notify<M extends keyof BaseWebviewNotifications | (keyof P['toHost'] & string)>(
    method: M,
    params: M extends keyof BaseWebviewNotifications ? BaseWebviewNotifications[M] : P['toHost'][M & keyof P['toHost']],
  ): void {
    vscodeApi().postMessage({ kind: 'notification', method, params });
  }

  request<M extends RequestMethod<P>>(method: M, params: ParamsOf<P, M>): Promise<ResultOf<P, M>> {
    const id = this.nextId++;
    return new Promise<ResultOf<P, M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestError('timeout', `${method}: no answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      vscodeApi().postMessage({ kind: 'request', id, method, params });
    });
  }

  onNotification(listener: (n: HostNotification<P>) => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  /** Malformed messages: the view shows an error state instead of rendering them. */
  onInvalid(listener: (error: string) => void): () => void {
    this.invalidListeners.add(listener);
    return () => this.invalidListeners.delete(listener);
  }

  /** Persisted UI state (survives the panel being hidden); checked like a message. */
  getState<T>(check: Check<T>): T | undefined {
    const r = attempt(check, vscodeApi().getState(), 'state');
    return r.ok ? r.value : undefined;
  }

  setState(state: unknown): void {
    vscodeApi().setState(state);
  }

  reportError(message: string): void {
    try {
      this.notify('webview/error', { message: message.slice(0, 2000) });
    } catch {
      /* nothing more to do */
    }
  }

  private invalid(error: string): void {
    this.reportError(`ignored a host message: ${error}`);
    for (const l of this.invalidListeners) l(error);
  }

  private receive(raw: unknown): void {
    const envelope = attempt(parseEnvelope, raw);
    if (!envelope.ok) return this.invalid(envelope.error);
    const m = envelope.value;
    if (m.kind === 'request') return this.invalid(`the host does not send requests (${m.method})`);
    if (m.kind === 'response') {
      const p = this.pending.get(m.id);
      if (!p) return this.reportError(`response ${m.id} (${m.method}) matches no pending request`);
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (!m.ok) return p.reject(new RequestError(m.error.code, m.error.message));
      const has = Object.prototype.hasOwnProperty.call(this.checks.results, p.method);
      const check = has ? (this.checks.results as Record<string, Check<unknown>>)[p.method] : undefined;
      const result = check ? attempt(check, m.result, 'result') : { ok: false as const, error: `no check for ${p.method}` };
      if (!result.ok) {
        this.reportError(`${p.method} result: ${result.error}`);
        return p.reject(new RequestError('invalidParams', `${p.method} returned a malformed result: ${result.error}`));
      }
      return p.resolve(result.value);
    }
    const has = Object.prototype.hasOwnProperty.call(this.checks.toWebview, m.method);
    if (!has) {
      // a newer host may say more than this view understands: not an error state
      return this.reportError(`unknown notification ${m.method}`);
    }
    const check = (this.checks.toWebview as Record<string, Check<unknown>>)[m.method]!;
    const params = attempt(check, m.params, 'params');
    if (!params.ok) return this.invalid(`${m.method}: ${params.error}`);
    const n = { method: m.method, params: params.value } as HostNotification<P>;
    for (const l of this.notificationListeners) l(n);
  }
}

let shared: HostClient<PanelProtocol> | undefined;

/** The one client of this document (acquireVsCodeApi may be called only once). */
export function hostClient<P extends PanelProtocol>(checks: HostChecks<P>, timeoutMs?: number): HostClient<P> {
  shared ??= new HostClient<PanelProtocol>(checks as unknown as HostChecks<PanelProtocol>, timeoutMs);
  return shared as unknown as HostClient<P>;
}

/**
 * Messages between the extension host and its webviews, GitLens-style: one discriminated
 * union per direction, namespaced method names (`decide/run`, `decide/state`), requests with
 * an id that get exactly one response (a result or an error), and a `webview/ready` the host
 * waits for before it posts anything.
 *
 * TYPES ONLY. Webviews import this file with `import type`, so their bundles never pull in
 * `vscode` or `@nats-io/*`. Runtime checks of these shapes live in `validate.ts` (generic
 * envelope) and `decideValidate.ts` (the decide panel's payloads).
 */
import type { Answer, DecideAnswers, Decision, Environment, LmSuggestions, Primitive, TestId } from '../core/decide';

// ---- the envelope ------------------------------------------------------------------------

export type RequestId = number;

/** A one-way message in either direction. */
export interface NotificationMessage<M extends string = string, P = unknown> {
  kind: 'notification';
  method: M;
  params: P;
}

/** Webview → host; the host answers with exactly one `ResponseMessage` carrying the same id. */
export interface RequestMessage<M extends string = string, P = unknown> {
  kind: 'request';
  id: RequestId;
  method: M;
  params: P;
}

export interface ProtocolError {
  /** Machine-readable: `invalidParams`, `unknownMethod`, `handlerFailed`, `disposed`, `timeout`. */
  code: ProtocolErrorCode;
  message: string;
}
export type ProtocolErrorCode = 'invalidParams' | 'unknownMethod' | 'handlerFailed' | 'disposed' | 'timeout';

export type ResponseMessage<M extends string = string, R = unknown> =
  | { kind: 'response'; id: RequestId; method: M; ok: true; result: R }
  | { kind: 'response'; id: RequestId; method: M; ok: false; error: ProtocolError };

export type AnyMessage = NotificationMessage | RequestMessage | ResponseMessage;

// ---- what every webview says ------------------------------------------------------------

/** Webview → host notifications every panel understands. */
export interface BaseWebviewNotifications {
  /** The script has loaded and listens: the host flushes its queue. */
  'webview/ready': Record<string, never>;
  /** The webview received something it could not use, or a render failed; the host logs it. */
  'webview/error': { message: string };
}

/**
 * One panel's protocol: requests the webview may make, notifications it sends, and
 * notifications the host sends. Responses are derived from `requests`.
 */
export interface PanelProtocol {
  requests: Record<string, { params: unknown; result: unknown }>;
  toHost: Record<string, unknown>;
  toWebview: Record<string, unknown>;
}

type Values<T> = T[keyof T];

/** Everything the webview of protocol P may post. */
export type WebviewToHost<P extends PanelProtocol> =
  | Values<{ [M in keyof BaseWebviewNotifications & string]: NotificationMessage<M, BaseWebviewNotifications[M]> }>
  | Values<{ [M in keyof P['toHost'] & string]: NotificationMessage<M, P['toHost'][M]> }>
  | Values<{ [M in keyof P['requests'] & string]: RequestMessage<M, P['requests'][M]['params']> }>;

/** Everything the host of protocol P may post. */
export type HostToWebview<P extends PanelProtocol> =
  | Values<{ [M in keyof P['toWebview'] & string]: NotificationMessage<M, P['toWebview'][M]> }>
  | Values<{ [M in keyof P['requests'] & string]: ResponseMessage<M, P['requests'][M]['result']> }>;

export type RequestMethod<P extends PanelProtocol> = keyof P['requests'] & string;
export type ParamsOf<P extends PanelProtocol, M extends RequestMethod<P>> = P['requests'][M]['params'];
export type ResultOf<P extends PanelProtocol, M extends RequestMethod<P>> = P['requests'][M]['result'];

// ---- the "Decide KV or Stream" panel ----------------------------------------------------

/** One option of a test, as the panel shows it (DECISION_TESTS, seed 000_0a057cbac6a60a0d.txt). */
export interface DecideOptionView {
  answer: Answer;
  label: string;
  explanation: string;
  verdict: Primitive | null;
}

export interface DecideTestView {
  id: TestId;
  order: number;
  title: string;
  question: string;
  options: DecideOptionView[];
}

export type DecideActionId = 'copyConfig' | 'createOnServer' | 'addToDesign' | 'scaffold';

export interface DecideActionView {
  id: DecideActionId;
  label: string;
  /** Codicon name, without the `codicon-` prefix. */
  icon: string;
  enabled: boolean;
  /** Tooltip; for a disabled action, why it is disabled. */
  tooltip: string;
}

/** Everything the decide panel renders; the host builds it, the webview only shows it. */
export interface DecideViewState {
  description: string;
  environment: Environment;
  /** The answers the user gave (the rest were inferred from the description or are open). */
  given: DecideAnswers;
  decision: Decision;
  tests: DecideTestView[];
  actions: DecideActionView[];
  /** The suggested configuration as pretty JSON (what "Copy configuration" copies); '' when undecided. */
  configJson: string;
  /** The same configuration for people: durations formatted, grouped (bucket, stream, consumer…). */
  configSections: DecideConfigSection[];
  /**
   * When connected: what the server already has that the suggestion would collide with, and
   * what "Create on server" will do about it (reuse a stream, take a free name).
   */
  serverNotes?: string[];
  /**
   * Present when the user enabled the language-model option and it was asked: the model that
   * answered, its validated answers (kept while the description stays the same) and what went
   * wrong, one line each (a test it left out, a timeout, no model).
   */
  languageModel?: DecideLanguageModelView;
}

export interface DecideLanguageModelView {
  model?: string;
  suggested: LmSuggestions;
  notes: string[];
}

export interface DecideConfigSection {
  title: string;
  rows: [key: string, value: string][];
  notes: string[];
}

export interface DecideRunParams {
  description: string;
  answers: DecideAnswers;
  environment: Environment;
}

export interface DecideCreateResult {
  ok: boolean;
  /** True when the user cancelled the confirmation (nothing was created). */
  cancelled: boolean;
  /** What was created, in order ("stream \"ORDERS\"", …); on failure, what was created before it. */
  created: string[];
  /** A sentence for the status line, or the error message with its hint. */
  message: string;
}

export interface DecideScaffoldResult {
  /** Files were written or opened; false when the user cancelled. */
  done: boolean;
  message: string;
}

export interface DecideProtocol extends PanelProtocol {
  requests: {
    /** Re-run the engine (in the host) with edited answers. */
    'decide/run': { params: DecideRunParams; result: DecideViewState };
    /** Copy the current suggested configuration to the clipboard, as JSON. */
    'decide/copyConfig': { params: Record<string, never>; result: { copied: boolean; chars: number } };
    /**
     * Create the suggested objects on the connected server (the host asks with a modal first).
     * A refusal by the server is a result with `ok: false` and the message and hint, not a
     * protocol error: it is an answer the panel shows.
     */
    'decide/create': { params: Record<string, never>; result: DecideCreateResult };
    /** Scaffold code from the suggested configuration (the host asks pattern, language, where). */
    'decide/scaffold': { params: Record<string, never>; result: DecideScaffoldResult };
  };
  toHost: {
    /** Sent after a state is on screen: the host (and its tests) know what the user sees. */
    'decide/rendered': { primitive: Primitive | 'undecided'; tests: number };
  };
  toWebview: {
    /** A new decision to show (the command ran again, or the panel came back). */
    'decide/state': DecideViewState;
  };
}

export type DecideWebviewToHost = WebviewToHost<DecideProtocol>;
export type DecideHostToWebview = HostToWebview<DecideProtocol>;

// ---- the report panel (stream report / consumer report) ---------------------------------

export type ReportKind = 'streams' | 'consumers';

export interface ReportColumnView {
  /** Stable id (`messages`, `ackPending`); the `sort` argument of the commands names a column by id or title. */
  id: string;
  title: string;
  /** Numeric columns sort by number and start descending, as natscli's `--sort` does. */
  numeric: boolean;
  /** What the column means, as the header's tooltip. */
  tooltip?: string;
}

/** One cell: the text shown (sizes humanised) and the raw value it sorts by. */
export interface ReportCell {
  text: string;
  sort: number | string;
  /** Longer text for the hover (a full timestamp, every replica). */
  title?: string;
}

/** Health flags; the webview maps each to a codicon and a theme colour. */
export type ReportFlagKind = 'nearLimit' | 'sealed' | 'lost' | 'replicaOffline' | 'replicaLag' | 'behind' | 'paused' | 'ackPendingNearMax';

export interface ReportFlag {
  kind: ReportFlagKind;
  /** Why, in words ("92% of max_bytes"). */
  label: string;
}

export interface ReportRowView {
  /** The stream or consumer name. */
  id: string;
  description?: string;
  /** One cell per column, in column order. */
  cells: ReportCell[];
  flags: ReportFlag[];
}

export interface ReportSort {
  column: string;
  descending: boolean;
}

/** Everything a report panel renders; the host builds it from Catalog summaries. */
export interface ReportViewState {
  kind: ReportKind;
  title: string;
  /** The connection, and for a consumer report the stream. */
  subtitle: string;
  /** The stream a consumer report is about ('' for the stream report). */
  stream: string;
  /** ISO time the server was read. */
  generatedAt: string;
  /** True when any row has replicas in a cluster: the leader/lag columns are present then. */
  clustered: boolean;
  columns: ReportColumnView[];
  rows: ReportRowView[];
  /** The initial order (the command's `sort` argument); the webview keeps the user's own after that. */
  sort: ReportSort;
}

export interface ReportProtocol extends PanelProtocol {
  requests: {
    /** Read the server again (through the Catalog) and return the new rows. */
    'report/refresh': { params: Record<string, never>; result: ReportViewState };
  };
  toHost: {
    /** Sent after rows are on screen, with the order and filter they are shown in. */
    'report/rendered': { kind: ReportKind; rows: number; shown: number; sort: ReportSort; filter: string };
  };
  toWebview: {
    'report/state': ReportViewState;
  };
}

export type ReportWebviewToHost = WebviewToHost<ReportProtocol>;
export type ReportHostToWebview = HostToWebview<ReportProtocol>;

// ---- the tail panel (stream / subject / KV watch / advisories) --------------------------

/** One row of the tail list: a message, a KV change or a marker, payloads as base64. */
export interface TailRowView {
  id: number;
  kind: 'msg' | 'kv' | 'marker';
  time: string;
  /** Subject, or the KV key. */
  subject: string;
  /** Stream sequence or KV revision. */
  seq?: number;
  size: number;
  headers: [string, string][];
  /** Payload, base64 (may be cut: see `truncated`). */
  data: string;
  /** Bytes left out of `data` (messages over the panel's per-row limit). */
  truncated?: number;
  reply?: string;
  stream?: string;
  /** KV */
  op?: 'put' | 'delete' | 'purge' | 'expired';
  phase?: 'bootstrap' | 'live';
  prev?: { revision: number; data: string | null } | null;
  reason?: string;
  /** Marker */
  marker?: string;
  text?: string;
  missed?: number;
  link?: { stream: string; seq: number };
  advisory?: string;
}

export interface TailStateView {
  title: string;
  /** describeSpec() of what is tailed. */
  source: string;
  kind: 'stream' | 'subject' | 'kv' | 'advisories';
  mode: string;
  /** Ring size (setting natsFlow.tail.bufferSize). */
  bufferSize: number;
  /** Whether publishing from the panel makes sense (a subject to default to). */
  defaultSubject: string;
  /** The TailSpec as JSON, so a restored panel can resume. */
  specJson: string;
  /** VS Code's display language, so times read as they do in the explorer. */
  locale?: string;
  error?: string;
}

export interface TailAppend {
  rows: TailRowView[];
  /** Everything the tail received (host count). */
  received: number;
  /** Rows the host skipped sending because a newer batch replaced them (volume). */
  skipped: number;
}

export interface TailPublishParams {
  subject: string;
  headers: [string, string][];
  data: string;
  request: boolean;
  timeoutMs: number;
}

export interface TailProtocol extends PanelProtocol {
  requests: {
    'tail/publish': { params: TailPublishParams; result: { ok: boolean; message: string } };
    'tail/export': { params: Record<string, never>; result: { saved: boolean; lines: number; message: string } };
    'tail/openJson': { params: { id: number }; result: { opened: boolean } };
    'tail/activeEditorText': { params: Record<string, never>; result: { text: string; name: string } };
    'tail/clear': { params: Record<string, never>; result: { cleared: boolean } };
  };
  toHost: {
    /** What the webview shows, and where its shown rows reach (what it saves for a restore). */
    'tail/rendered': { rows: number; shown: number; paused: boolean; held: number; live: boolean; lastSeq?: number; lastTime?: string };
  };
  toWebview: {
    'tail/state': TailStateView;
    'tail/append': TailAppend;
    /** Pause or resume from the host (the same as the panel's button). */
    'tail/pause': { paused: boolean };
  };
}

/**
 * The flow designer's messages (`design/*`), in the envelope of `protocol.ts`. The text
 * document is the truth: the host sends its text (`design/document`) and the webview parses,
 * classifies and lints it with the pure core; every canvas edit goes back as a whole design
 * (`design/edit`), which the host writes as a WorkspaceEdit in the canonical format.
 *
 * TYPES ONLY: the webview imports this file with `import type`.
 */
import type { FlowDesign } from '../core/design';
import type { PanelProtocol, WebviewToHost, HostToWebview } from './protocol';

export interface DesignDocumentState {
  /** The document's full text. */
  text: string;
  /** TextDocument.version: an edit answered with an older version is stale. */
  version: number;
  /** The file name, for the title. */
  fileName: string;
  /** True for an external change (undo, git checkout, JSON edit): the canvas keeps its viewport. */
  external: boolean;
}

export interface DesignServerState {
  connected: boolean;
  /** Connection name, when connected. */
  name?: string;
}

export type DesignChangeAction = 'create' | 'update' | 'unchanged' | 'cannot-change' | 'extra' | 'delete';

export interface DesignChangeView {
  kind: 'stream' | 'consumer' | 'bucket' | 'object store';
  name: string;
  stream?: string;
  action: DesignChangeAction;
  /** "max_age: 7d → 30d" lines. */
  details: string[];
  reason?: string;
}

/** Replicas against the server's size (src/core/design/replicas.ts): what it holds, what asks for more, what a cap lowered. */
export interface DesignReplicasView {
  /** "nats-server 2.14.5 \"n1\" is a single server (not clustered)". */
  server: string;
  /** Most replicas the server holds, when known: the highest cap the panel offers (1..max). */
  max?: number;
  /** Most replicas any object asks for before a cap (src/core/design/replicas.ts mostReplicasAsked): above 1, a cap can lower something. */
  most?: number;
  /** Objects asking for more than `max`: apply refuses them until capped. */
  over: { object: string; planned: number }[];
  /** Objects the cap lowered. */
  capped: { object: string; planned: number; capped: number }[];
  cap?: number;
}

export interface DesignPreviewResult {
  ok: boolean;
  /** Why not (not connected, design invalid, server error). */
  message: string;
  server?: string;
  changes: DesignChangeView[];
  replicas?: DesignReplicasView;
}

/** Preview and apply: prune deletes what the design does not name; replicasCap lowers replicas above it. */
export interface DesignApplyParams {
  prune: boolean;
  replicasCap?: number;
}

export interface DesignApplyResult {
  ok: boolean;
  cancelled: boolean;
  message: string;
  steps: { label: string; status: 'done' | 'failed' | 'skipped'; error?: string }[];
}

/** Per planned object, what the server holds (the live overlay). */
export interface DesignLiveState {
  at: string;
  streams: { name: string; exists: boolean; messages: number; bytes: number; rate: number }[];
  consumers: { stream: string; name: string; exists: boolean; pending: number; ackPending: number }[];
  buckets: { name: string; exists: boolean; values: number }[];
}

export type DesignExportFormat = 'natscli' | 'nack' | 'compose' | 'mermaid' | 'asyncapi';

export type TailTarget = { source: 'stream'; stream: string; filter?: string } | { source: 'subject'; subject: string } | { source: 'kv'; bucket: string; key?: string };

export interface DesignerProtocol extends PanelProtocol {
  requests: {
    /** Replace the document with this design (canonical text); `label` names the edit. */
    'design/edit': { params: { design: FlowDesign; label: string; baseVersion: number }; result: { applied: boolean; version: number; message?: string } };
    /** Diff the plan against the connected server. */
    'design/preview': { params: DesignApplyParams; result: DesignPreviewResult };
    /** Apply after a modal confirmation that names what changes. */
    'design/apply': { params: DesignApplyParams; result: DesignApplyResult };
    'design/export': { params: { format: DesignExportFormat }; result: { written: string[]; message: string } };
    /** Open the document in the JSON text editor beside. */
    'design/openJson': { params: { pointer?: string }; result: { opened: boolean } };
    'design/import': { params: { source: 'server' | 'asyncapi' }; result: { opened: string; message: string } };
    'design/openTail': { params: TailTarget; result: { opened: boolean; message: string } };
    /** Scaffold code for one path (or, without `path`, the whole design) with its planned settings. */
    'design/scaffold': { params: { path?: string }; result: { message: string } };
  };
  toHost: {
    /** After a document is on the canvas: what the user sees (tests and the benchmark wait on it). */
    'design/rendered': { version: number; nodes: number; edges: number; findings: number; problems: number; ms: number };
  };
  toWebview: {
    'design/document': DesignDocumentState;
    'design/server': DesignServerState;
    'design/live': DesignLiveState;
  };
}

export type DesignerWebviewToHost = WebviewToHost<DesignerProtocol>;
export type DesignerHostToWebview = HostToWebview<DesignerProtocol>;

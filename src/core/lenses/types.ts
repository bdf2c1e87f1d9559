/**
 * What the recognisers find in users' code: every NATS call they understood (kind, names,
 * ranges) plus the structural facts the diagnostics need. Pure data, no vscode, no network.
 */

export type SourceLanguage = 'typescript' | 'tsx' | 'javascript' | 'go' | 'python';

/** Zero-based line and column (UTF-16 code units, as VS Code and tree-sitter's JS binding count). */
export interface Position {
  line: number;
  col: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type CallKind =
  | 'publish'
  | 'request'
  | 'subscribe'
  | 'jsPublish'
  | 'consumer'
  | 'pullSubscribe'
  | 'consume'
  | 'kvOpen'
  | 'kvCreate'
  | 'kvGet'
  | 'kvPut'
  | 'kvWatch'
  | 'objOpen'
  | 'objCreate';

/**
 * A subject, stream, consumer, bucket or key as written. `text` is the resolved value; for a
 * template with a literal prefix it is a subject pattern where each interpolated token is `*`
 * (`orders.${id}.created` → `orders.*.created`).
 */
export interface NameRef {
  text: string;
  source: 'literal' | 'constant' | 'template';
  /** Where the argument is written (the constant's use, not its declaration). */
  range: Range;
  /** For a template: the literal text before the first interpolation. */
  prefix?: string;
}

export interface NatsCall {
  kind: CallKind;
  language: SourceLanguage;
  /** The call as written, receiver and method: `js.publish`, `nc.QueueSubscribe`. */
  call: string;
  range: Range;
  subject?: NameRef;
  queue?: NameRef;
  stream?: NameRef;
  consumer?: NameRef;
  bucket?: NameRef;
  key?: NameRef;
  /** Durable name of a legacy pull subscription / consumer config. */
  durable?: NameRef;
  /** Name of the enclosing function or method, when there is one. */
  functionName?: string;
  /** Comments right above the statement and inside the enclosing function, without markers. */
  comments: string[];
  /** Ack wait written in a consumer config next to the call, in ms. */
  ackWaitMs?: number;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  /** A text change in the same file… */
  edits?: TextEdit[];
  /** …or an action the editor performs (create on the server). */
  action?: { kind: 'createStream'; subject: string } | { kind: 'createConsumer'; stream: string; consumer: string } | { kind: 'createBucket'; bucket: string };
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes: Fix[];
}

/** Structural facts found next to the calls, for the diagnostics. */
export interface StructureFacts {
  /** KV watch loops, with whether their body tells the initial values from live updates. */
  watchLoops: { range: Range; call: Range; hasBootstrapCheck: boolean; language: SourceLanguage; entryVar?: string; body?: Range }[];
  /** Pull handlers (consume / fetch / messages / next): do they ack, nak, term or in-progress? */
  pullHandlers: { range: Range; consumer?: string; stream?: string; acks: boolean; inProgress: boolean }[];
  /** `nak()` calls without a delay, and whether they sit inside a loop or message callback. */
  bareNaks: { range: Range; inLoop: boolean; language: SourceLanguage; argsRange: Range }[];
  /** "processing takes up to 2m"-style declarations found in comments, in ms. */
  processingTimes: { range: Range; ms: number; text: string }[];
}

export interface Recognition {
  language: SourceLanguage;
  calls: NatsCall[];
  facts: StructureFacts;
  /** tree-sitter reported syntax errors (recognition still ran on what parsed). */
  syntaxErrors: number;
}

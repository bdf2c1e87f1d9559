/**
 * The flow design: what a `*.natsflow.json` file holds. Components talk over paths; each
 * path is classified KV Watch or JetStream Stream by the 4-test heuristic of seed
 * 000_0a057cbac6a60a0d.txt; the planner (plan.ts) turns the design into streams, consumers
 * and buckets following seed 001_4f8404f30db3dc6a.txt.
 *
 * Hand-written values are friendly (durations "30s"/"7d", sizes "1GB"); the planner turns
 * them into the JetStream API's own units (nanoseconds, bytes).
 */
import type { AnswersByTest, Environment } from '../decide';

export const DESIGN_VERSION = 1;

export const COMPONENT_KINDS = ['service', 'workerPool', 'client', 'external', 'store'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export interface Position {
  x: number;
  y: number;
}

export interface Component {
  /** Stable id, used by paths and overrides: letters, digits, `-`, `_`. */
  id: string;
  kind: ComponentKind;
  name: string;
  description?: string;
  /** Where the canvas draws it. */
  position?: Position;
  /** Set by import: this component was guessed from server objects, not declared. */
  guessed?: boolean;
}

export type DesignAnswers = { [K in keyof AnswersByTest]?: AnswersByTest[K] };

/** `core`: plain NATS pub/sub, nothing persisted (seed 003: "NATS Pub/Sub (non-persistent) … alongside JetStream"). */
export const PATH_PRIMITIVES = ['kv', 'stream', 'core'] as const;
export type PathPrimitive = (typeof PATH_PRIMITIVES)[number];

export interface PathOverride {
  primitive: PathPrimitive;
  /** Why the heuristic's answer is overruled: required, shown in plans and exports. */
  reason: string;
}

export interface DeadLetter {
  /**
   * `stream` (default for worker queues): a dead-letter stream captures the server's
   * max-deliveries / terminated advisories (seed 001, nats-facts.md). `external`: handled
   * elsewhere (say how in `reason`). `none`: no plan (the linter warns when MaxDeliver is set).
   */
  mode: 'stream' | 'external' | 'none';
  reason?: string;
}

export interface FlowPath {
  id: string;
  /** The publishing / writing component. */
  from: string;
  /** Receiving components: each gets its own durable consumer (or watches the bucket). */
  to: string[];
  description: string;
  /**
   * Stream paths: the subject (or pattern) publishers use, `{domain}.{entity}.{event}` (seed
   * 001); its first token is the bounded context, which gets one stream. KV paths:
   * `{bucket}.{key pattern}`. Core paths: the pub/sub subject.
   */
  subject: string;
  /** The four heuristic answers (seed 000); missing means not answered. */
  answers: DesignAnswers;
  /** The primitive the heuristic derived, stored so the file reads on its own; the planner recomputes it. */
  primitive?: PathPrimitive | 'undecided';
  override?: PathOverride;
  /** JSON Schema of the message payload. */
  schema?: Record<string, unknown>;
  /** Expected messages per second. */
  rate?: number;
  /** How long a receiver works on one message, e.g. "45s". */
  processingTime?: string;
  /** The receiver sends in-progress acks while it works (msg.working()). */
  inProgressAcks?: boolean;
  /** Receivers of a core path that share work join this queue group. */
  queueGroup?: string;
  deadLetter?: DeadLetter;
  /** Set by import: which fields were guessed (answers, from, …). */
  guessed?: string[];
}

/** Values a user may write in an override: the JetStream API field names; durations and sizes may be strings. */
export type OverrideValue = string | number | boolean | string[] | number[] | Record<string, string>;
export type Overrides = Record<string, OverrideValue>;

export interface DesignOverrides {
  /** Keyed by bounded context (the subject's first token), e.g. `routing`. */
  streams?: Record<string, Overrides>;
  /** Keyed by `<path id>/<receiver component id>`. */
  consumers?: Record<string, Overrides>;
  /** Keyed by bucket context (the KV path subject's first token). */
  buckets?: Record<string, Overrides>;
}

/** An object store the design needs (large blobs: artifacts, files); `components` use it. */
export interface ObjectStoreDesign {
  bucket: string;
  description?: string;
  components?: string[];
  /** JetStream API names; durations and sizes may be strings ("30d", "10GB"). */
  ttl?: string | number;
  max_bytes?: string | number;
  storage?: 'file' | 'memory';
  replicas?: number;
}

export interface FlowDesign {
  $schema?: string;
  version: typeof DESIGN_VERSION;
  name: string;
  description?: string;
  /** Shapes replicas, storage and limits (seed 001: R3 in production, R1 for development). */
  environment: Environment;
  components: Component[];
  paths: FlowPath[];
  objectStores?: ObjectStoreDesign[];
  overrides?: DesignOverrides;
}

/** `<path id>/<receiver id>`: the key of a consumer override. */
export function consumerKey(pathId: string, receiverId: string): string {
  return `${pathId}/${receiverId}`;
}

/** The bounded context of a subject: its first token. */
export function contextOf(subject: string): string {
  return subject.split('.')[0] ?? subject;
}

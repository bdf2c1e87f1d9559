/**
 * What every tail shares: a bounded ring of what arrived (with the dropped count), batched
 * delivery to listeners (one call per batch, never one per message), markers, and a close
 * that frees every subscription and consumer the tail made.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { JetStreamManager } from '@nats-io/jetstream';
import { marker, type TailEvent, type TailMarker } from '../../core/tail/events';
import { RingBuffer } from '../../core/tail/ring';
import type { TailSpec } from '../../core/tail/spec';

export interface TailSessionOptions {
  /** Events kept for late readers (the panel, an export). Default 10,000. */
  bufferSize?: number;
  /** Longest an event waits before listeners get it. Default 20 ms. */
  flushMs?: number;
  /** A batch this big is delivered at once. Default 4,096. */
  maxBatch?: number;
  /** JetStream API prefix (`$JS.API`, `$JS.<domain>.API`, or an imported prefix). */
  apiPrefix?: string;
  /** Messages per pull request for consumers. Default 2,000. */
  pullBatch?: number;
}

export interface TailContext {
  nc: NatsConnection;
  jsm: () => Promise<JetStreamManager>;
  apiPrefix: string;
  serverVersion: string;
  /** JetStream domain the tail is for, when the connection names one. */
  domain?: string;
}

export interface Disposable {
  dispose(): void;
}

export type TailListener = (batch: TailEvent[]) => void;

export abstract class TailSession {
  readonly ring: RingBuffer<TailEvent>;
  /** Events delivered so far (markers included). */
  received = 0;
  /** How this tail reads, in words ("ordered consumer", "direct get, batched", …); set on open. */
  mode = '';
  /** Resolves once the tail has ended (closed, or its source is gone). */
  readonly ended: Promise<void>;
  /** Why the tail ended by itself (its stream or bucket was deleted, …); undefined when closed by its owner. */
  failure?: string;
  protected closed = false;
  private endResolve!: () => void;
  private readonly listeners = new Set<TailListener>();
  private pending: TailEvent[] = [];
  private flushTimer?: ReturnType<typeof setTimeout>;
  private readonly flushMs: number;
  private readonly maxBatch: number;

  constructor(
    readonly spec: TailSpec,
    protected readonly ctx: TailContext,
    protected readonly opts: TailSessionOptions = {},
  ) {
    this.ring = new RingBuffer<TailEvent>(opts.bufferSize ?? 10_000);
    this.flushMs = opts.flushMs ?? 20;
    this.maxBatch = opts.maxBatch ?? 4096;
    this.ended = new Promise((r) => (this.endResolve = r));
  }

  /** Starts reading. Rejects with a clear message when the source cannot be read. */
  abstract open(): Promise<void>;
  /** Frees what the source holds (subscriptions, consumers, timers). */
  protected abstract release(): Promise<void>;

  get isClosed(): boolean {
    return this.closed;
  }

  onEvents(listener: TailListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  protected emit(e: TailEvent): void {
    if (this.closed) return;
    this.received++;
    this.ring.push(e);
    this.pending.push(e);
    if (this.pending.length >= this.maxBatch) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  protected emitMarker(m: TailMarker): void {
    this.emit(m);
  }

  protected note(kind: TailMarker['marker'], text: string): void {
    this.emit(marker(kind, text));
  }

  /** Delivers what is waiting now. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    for (const l of this.listeners) {
      try {
        l(batch);
      } catch {
        /* a listener's failure is its own; the tail goes on */
      }
    }
  }

  /** The source ended by itself (stream deleted, connection closed): deliver and end. */
  protected async finish(text: string): Promise<void> {
    if (this.closed) return;
    this.failure = text;
    this.emit(marker('end', text));
    await this.close();
  }

  /** Stops reading and frees every subscription and consumer; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    try {
      await this.release();
    } finally {
      this.listeners.clear();
      this.endResolve();
    }
  }
}

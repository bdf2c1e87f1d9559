/**
 * What every tail shares: a bounded ring of what arrived (with the dropped count), batched
 * delivery to listeners (one call per batch, never one per message), markers, and a close
 * that frees every subscription and consumer the tail made.
 *
 * Opening: the listeners given in the options are attached before the tail reads anything,
 * and what the tail says while it opens (its mode, a KV watch's live marker for an empty
 * bucket, a view's first messages) is held and delivered as one batch the moment opening
 * succeeds, before `open()` resolves. So those events reach the listeners first and exactly
 * once whatever the flush delay, and a tail that fails to open delivers nothing. The flush
 * delay only batches what arrives afterwards.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import type { JetStreamManager } from '@nats-io/jetstream';
import { marker, type TailEvent, type TailMarker } from '../../core/tail/events';
import { RingBuffer } from '../../core/tail/ring';
import type { TailSpec } from '../../core/tail/spec';

export interface TailSessionOptions {
  /** Events kept for late readers (the panel, an export). Default 10,000. */
  bufferSize?: number;
  /** Longest an event arriving after opening waits before listeners get it (it batches). Default 20 ms. */
  flushMs?: number;
  /** A batch this big is delivered at once. Default 4,096. */
  maxBatch?: number;
  /** JetStream API prefix (`$JS.API`, `$JS.<domain>.API`, or an imported prefix). */
  apiPrefix?: string;
  /** Messages per pull request for consumers. Default 2,000. */
  pullBatch?: number;
  /**
   * Idle heartbeat asked of the server on consumer pulls; a consumer silent for 2.5 of them is
   * checked. Default 1,000 ms. Tests lengthen it to show that a reconnect alone brings the tail back.
   */
  heartbeatMs?: number;
  /**
   * Listeners attached before the tail reads anything: they get every event, the ones said
   * while opening first. (`onEvents()` on an open session only gets what comes after.)
   */
  onEvents?: TailListener | TailListener[];
  /** Events delivered ahead of the tail's own, e.g. a restored panel's "picked up here" marker. */
  lead?: TailEvent[];
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
  /** True until open() succeeds: events wait, whatever the flush delay. */
  private opening = true;

  constructor(
    readonly spec: TailSpec,
    protected readonly ctx: TailContext,
    protected readonly opts: TailSessionOptions = {},
  ) {
    this.ring = new RingBuffer<TailEvent>(opts.bufferSize ?? 10_000);
    this.flushMs = opts.flushMs ?? 20;
    this.maxBatch = opts.maxBatch ?? 4096;
    this.ended = new Promise((r) => (this.endResolve = r));
    const given = opts.onEvents;
    for (const l of Array.isArray(given) ? given : given ? [given] : []) this.listeners.add(l);
    for (const e of opts.lead ?? []) this.emit(e);
  }

  /**
   * Starts reading, then delivers what the tail said while opening. Rejects with a clear
   * message when the source cannot be read; the session is then closed and its listeners got
   * nothing.
   */
  async open(): Promise<void> {
    try {
      await this.openSource();
    } catch (err) {
      await this.close().catch(() => undefined);
      throw err;
    }
    this.opening = false;
    if (!this.closed) this.flush();
  }

  /** Subscribes or makes the consumer; what it emits meanwhile is held until it resolves. */
  protected abstract openSource(): Promise<void>;
  /** Frees what the source holds (subscriptions, consumers, timers). */
  protected abstract release(): Promise<void>;

  get isClosed(): boolean {
    return this.closed;
  }

  /** Adds a listener for what is delivered from now on (pass `onEvents` in the options to get everything). */
  onEvents(listener: TailListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  protected emit(e: TailEvent): void {
    if (this.closed) return;
    this.received++;
    this.ring.push(e);
    this.pending.push(e);
    if (this.opening) return;
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
    if (!this.pending.length || this.opening) return;
    const all = this.pending;
    this.pending = [];
    // only what was held while opening can exceed a batch
    if (all.length <= this.maxBatch) this.deliver(all);
    else for (let i = 0; i < all.length; i += this.maxBatch) this.deliver(all.slice(i, i + this.maxBatch));
  }

  private deliver(batch: TailEvent[]): void {
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
    // a tail closed before it opened (its open failed) delivers nothing
    if (this.opening) this.pending = [];
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

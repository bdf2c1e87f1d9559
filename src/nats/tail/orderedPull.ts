/**
 * An ordered pull consumer we run ourselves, for stream tails and KV watches.
 *
 * Why not nats.js's: its ordered push consumer (used by kv.watch) forces 30 s heartbeats and
 * notices a lost consumer only after ~60 s; its ordered pull consumer backs off 30 s between
 * failed `info()` checks after a reconnect (JetStream is often not ready the moment the
 * socket is). A tail must be back within 2 s of the server accepting connections
 * (shared/notes/nats-facts.md, "Tails"), so this one keeps its own liveness: 1 s idle
 * heartbeats, a check every 250 ms, and a consumer info / recreate at once on reconnect.
 *
 * Ordered semantics: an ephemeral, memory-stored, R1, AckNone consumer; every delivery
 * sequence is checked, and any gap, loss or deletion recreates the consumer from the last
 * stream sequence seen + 1. So nothing is skipped and nothing is delivered twice.
 */
import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { ConsumerConfig, ConsumerInfo, JetStreamManager } from '@nats-io/jetstream';
import { marker, type TailHeaders, type TailMarker } from '../../core/tail/events';
import { parseAckSubject, type AckFields } from './ackSubject';
import { ServerNames } from './connectionMarkers';

/** Where a stream read starts. */
export type StartPoint =
  | { policy: 'new' }
  | { policy: 'all' }
  | { policy: 'seq'; seq: number }
  | { policy: 'time'; time: Date }
  | { policy: 'last' }
  | { policy: 'last-per-subject' };

/** One delivered stream message with what the ack subject says about it. */
export interface DeliveredMessage {
  subject: string;
  seq: number;
  /** When the server stored it, ms since the epoch (from the ack subject's nanoseconds). */
  timeMs: number;
  /** Messages left for this consumer after this one. */
  pending: number;
  headers?: TailHeaders;
  data: Uint8Array;
}

export interface OrderedPullOptions {
  nc: NatsConnection;
  jsm: JetStreamManager;
  /** JetStream API prefix, e.g. `$JS.API`. */
  apiPrefix: string;
  stream: string;
  filters: string[];
  start: StartPoint;
  headersOnly?: boolean;
  /** Messages per pull request. Default 2,000 (the raw nats.js default is 100). */
  batch?: number;
  /** Idle heartbeat asked of the server. Default 1,000 ms. */
  heartbeatMs?: number;
  /** Where a recreated consumer starts; default: the sequence after the last one seen. */
  restartFrom?: (lastSeq: number) => StartPoint;
  /** Each message in order. `m` is reused for the next one: copy what you keep. */
  onMessage(m: DeliveredMessage): void;
  onMarker(m: TailMarker): void;
  /** A message with nothing pending after it arrived, or a consumer was made with nothing pending. */
  onCaughtUp?(): void;
  /** Each time a consumer is made: its initial pending count, and whether it is a recreation. */
  onCreated?(info: { numPending: number; recreated: boolean; start: StartPoint }): void;
}

const CHECK_EVERY_MS = 250;
const PULL_MAX_BYTES = 8 * 1024 * 1024;

export function consumerStartConfig(start: StartPoint): Partial<ConsumerConfig> {
  switch (start.policy) {
    case 'new':
      return { deliver_policy: 'new' as ConsumerConfig['deliver_policy'] };
    case 'all':
      return { deliver_policy: 'all' as ConsumerConfig['deliver_policy'] };
    case 'last':
      return { deliver_policy: 'last' as ConsumerConfig['deliver_policy'] };
    case 'last-per-subject':
      return { deliver_policy: 'last_per_subject' as ConsumerConfig['deliver_policy'] };
    case 'seq':
      return { deliver_policy: 'by_start_sequence' as ConsumerConfig['deliver_policy'], opt_start_seq: start.seq };
    case 'time':
      return { deliver_policy: 'by_start_time' as ConsumerConfig['deliver_policy'], opt_start_time: start.time.toISOString() };
  }
}

/**
 * The filter part of the consumer config. nats-server (2.9 and 2.14 alike) refuses
 * `deliver_policy: last_per_subject` without a filter ("optional filter subject is not set",
 * err 10094), so an unfiltered last-per-subject read filters on `>`: both versions accept it on
 * any stream, whatever its subjects, and it is what natscli's `nats sub --last-per-subject`
 * asks for. Not the stream's own subjects: several of them would need filter_subjects (2.10+),
 * and a tail on them would miss subjects the stream gains while it runs.
 */
export function consumerFilterConfig(filters: string[], start: StartPoint): Partial<ConsumerConfig> {
  if (filters.length === 1) return { filter_subject: filters[0] };
  if (filters.length > 1) return { filter_subjects: filters };
  return start.policy === 'last-per-subject' ? { filter_subject: '>' } : {};
}

/** Headers of a message as ordered pairs (names repeat on the wire; keep them all). */
export function headerPairs(msg: Msg): TailHeaders | undefined {
  const h = msg.headers;
  if (!h) return undefined;
  const out: TailHeaders = [];
  for (const [k, vs] of h) for (const v of vs) out.push([k, v]);
  return out.length ? out : undefined;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class OrderedPull {
  private sub?: Subscription;
  private inboxBase = '';
  private generation = 0;
  private consumerName?: string;
  private expectedDeliverSeq = 1;
  /** Last stream sequence handed on (0 = none yet). */
  lastSeq = 0;
  private pendingPull = 0;
  private lastActivity = Date.now();
  private timer?: ReturnType<typeof setInterval>;
  private checking = false;
  /**
   * Bumped by each check: a check started during an outage waits out its request timeout
   * (5 s) after the reconnect, so the reconnect starts a fresh one and the stale one's answer
   * is ignored. Without this a tail came back 3–5 s late after an outage longer than 2.5 s.
   */
  private checkEpoch = 0;
  /** Consumer checks in a row that got no clear answer. */
  private failedChecks = 0;
  private recreating = false;
  private reconnecting = false;
  private closed = false;
  private statusDone = false;
  /** Names the servers in the markers (which one went away, which one it is back on). */
  private readonly servers: ServerNames;
  /** host:port of the server the connection lost, until the tail has resumed. */
  private lostServer?: string;
  private readonly batch: number;
  private readonly hbMs: number;
  private readonly api: string;
  /** Reused for every message (see ackSubject.ts). */
  private readonly ack: AckFields = { streamSeq: 0, deliverSeq: 0, timeMs: 0, pending: 0 };
  private readonly delivered: DeliveredMessage = { subject: '', seq: 0, timeMs: 0, pending: 0, headers: undefined, data: new Uint8Array(0) };

  constructor(private readonly o: OrderedPullOptions) {
    this.batch = o.batch ?? 2000;
    this.hbMs = o.heartbeatMs ?? 1000;
    this.api = o.apiPrefix;
    this.servers = new ServerNames(o.nc);
  }

  /** The consumer's name right now (for tests that look for it on the server). */
  get name(): string | undefined {
    return this.consumerName;
  }

  async start(): Promise<void> {
    this.inboxBase = createInbox();
    await this.create(this.o.start, false);
    this.watchStatus();
    this.timer = setInterval(() => this.tick(), CHECK_EVERY_MS);
  }

  private config(start: StartPoint): ConsumerConfig {
    this.consumerName = `nf_tail_${createInbox().split('.').pop()!}`;
    const c: Partial<ConsumerConfig> = {
      name: this.consumerName,
      ack_policy: 'none' as ConsumerConfig['ack_policy'],
      replay_policy: 'instant' as ConsumerConfig['replay_policy'],
      mem_storage: true,
      num_replicas: 1,
      // if we die without deleting it, the server removes it soon
      inactive_threshold: 10_000 * 1_000_000,
      ...consumerStartConfig(start),
      ...consumerFilterConfig(this.o.filters, start),
    };
    if (this.o.headersOnly) c.headers_only = true;
    return c as ConsumerConfig;
  }

  private async create(start: StartPoint, recreated: boolean): Promise<ConsumerInfo> {
    this.generation++;
    this.subscribe();
    this.expectedDeliverSeq = 1;
    this.pendingPull = 0;
    const ci = await this.o.jsm.consumers.add(this.o.stream, this.config(start));
    this.lastActivity = Date.now();
    this.o.onCreated?.({ numPending: ci.num_pending, recreated, start });
    if (ci.num_pending === 0) this.o.onCaughtUp?.();
    this.pull(this.batch);
    return ci;
  }

  /**
   * One subscription per consumer generation: JetStream delivers with the stream subject, so
   * only the subscription tells which pull a message answers; the old one goes away.
   */
  private subscribe(): void {
    try {
      this.sub?.unsubscribe();
    } catch {
      /* closed */
    }
    const gen = this.generation;
    this.sub = this.o.nc.subscribe(`${this.inboxBase}.${gen}`, { callback: (_err, msg) => this.onMsg(msg, gen) });
  }

  private pull(n: number): void {
    if (this.closed || !this.consumerName || n <= 0) return;
    this.pendingPull += n;
    // max_bytes bounds what one pull has in flight whatever the message size (2,000 messages of
    // 1 MB would overrun the server's per-connection pending limit); a pull it cuts short ends
    // with a 409 that onStatus answers with the next pull. Four max payloads, so one always fits.
    const maxBytes = Math.max(PULL_MAX_BYTES, 4 * (this.o.nc.info?.max_payload ?? 0));
    const req = { batch: n, max_bytes: maxBytes, expires: 30_000 * 1_000_000, idle_heartbeat: this.hbMs * 1_000_000 };
    try {
      this.o.nc.publish(`${this.api}.CONSUMER.MSG.NEXT.${this.o.stream}.${this.consumerName}`, JSON.stringify(req), { reply: `${this.inboxBase}.${this.generation}` });
    } catch {
      // connection closing or reconnecting: the liveness check pulls again
      this.pendingPull -= n;
    }
  }

  private onMsg(msg: Msg, gen: number): void {
    // replies to an older consumer's pulls are not ours any more
    if (this.closed || gen !== this.generation) return;
    this.lastActivity = Date.now();
    const reply = msg.reply;
    if (!reply) {
      this.onStatus(msg);
      return;
    }
    const f = this.ack;
    if (!parseAckSubject(reply, f)) return;
    const sseq = f.streamSeq;
    const dseq = f.deliverSeq;
    if (dseq !== this.expectedDeliverSeq) {
      const skipped = dseq - this.expectedDeliverSeq;
      void this.recreate(`delivery sequence jumped from ${this.expectedDeliverSeq} to ${dseq} (${skipped} lost in transit)`);
      return;
    }
    this.expectedDeliverSeq++;
    this.pendingPull--;
    if (this.pendingPull <= this.batch / 2) this.pull(this.batch - this.pendingPull);
    const pending = f.pending;
    // a recreated consumer (e.g. a fresh last-per-subject snapshot) may start before what we
    // already handed on: never deliver a sequence twice
    if (sseq > this.lastSeq) {
      this.lastSeq = sseq;
      const d = this.delivered;
      d.subject = msg.subject;
      d.seq = sseq;
      d.timeMs = f.timeMs;
      d.pending = pending;
      d.headers = headerPairs(msg);
      d.data = msg.data;
      this.o.onMessage(d);
    }
    if (pending === 0) this.o.onCaughtUp?.();
  }

  private onStatus(msg: Msg): void {
    const code = msg.headers?.code ?? 0;
    if (code === 100) return; // idle heartbeat: lastActivity already updated
    const left = Number(msg.headers?.get('Nats-Pending-Messages') || 0);
    if (code === 408 || code === 409) {
      const desc = msg.headers?.description?.toLowerCase() ?? '';
      if (desc.includes('consumer deleted')) {
        void this.recreate('the consumer was deleted on the server');
        return;
      }
      // an expired or refused pull: give back what it did not deliver, then pull again
      this.pendingPull = Math.max(0, this.pendingPull - (left || (code === 408 ? 0 : this.pendingPull)));
      if (this.pendingPull <= this.batch / 2) this.pull(this.batch - this.pendingPull);
      return;
    }
    if (code === 404) return;
  }

  private watchStatus(): void {
    void (async () => {
      for await (const s of this.o.nc.status()) {
        if (this.closed) break;
        if (s.type === 'disconnect') {
          this.lostServer ??= s.server;
          if (!this.reconnecting) {
            this.reconnecting = true;
            this.o.onMarker(marker('reconnecting', `disconnected from ${this.servers.label(s.server)}; reconnecting (last sequence ${this.lastSeq || 'none'})`, { seq: this.lastSeq, server: s.server }));
          }
        } else if (s.type === 'reconnect') {
          this.servers.learn(s.server);
          // do not wait for missed heartbeats: check the consumer now
          this.lastActivity = 0;
          void this.check(true);
        }
      }
      this.statusDone = true;
      // the connection is closed for good: nothing left to check, and no timer may keep a process alive
      if (this.timer) clearInterval(this.timer);
    })();
  }

  private tick(): void {
    if (this.o.nc.isClosed()) {
      if (this.timer) clearInterval(this.timer);
      return;
    }
    if (this.closed || this.checking || this.recreating) return;
    if (Date.now() - this.lastActivity > this.hbMs * 2.5) void this.check();
  }

  /** Is our consumer still there? Re-pull if so, recreate if not, try again soon otherwise. */
  private async check(afterReconnect = false): Promise<void> {
    if ((this.checking && !afterReconnect) || this.recreating || this.closed || !this.consumerName) return;
    const epoch = ++this.checkEpoch;
    this.checking = true;
    try {
      await this.o.jsm.consumers.info(this.o.stream, this.consumerName);
      if (epoch !== this.checkEpoch) return;
      this.failedChecks = 0;
      // it survived: whatever pulls were open died with the old connection or server
      this.lastActivity = Date.now();
      this.pendingPull = 0;
      this.pull(this.batch);
      this.resumed(this.lastSeq + 1, false);
    } catch (err) {
      if (epoch !== this.checkEpoch) return;
      const text = errText(err);
      this.failedChecks++;
      // gone, or its only replica is on a server that is down (R1 memory consumer in a
      // cluster): make a new one. After 2 s of unclear answers, try that too: a create that
      // cannot succeed yet just retries.
      if (/consumer not found|stream not found|consumer is offline|10014|10059/i.test(text) || this.failedChecks >= 8) {
        this.checking = false;
        this.failedChecks = 0;
        await this.recreate(`the consumer is gone (${text})`);
        return;
      }
      if (!this.reconnecting) {
        this.reconnecting = true;
        const at = this.servers.current;
        this.o.onMarker(marker('reconnecting', `${this.servers.label(at)} does not answer (${text}); retrying`, { seq: this.lastSeq, server: at }));
      }
      // the next tick (250 ms) tries again: lastActivity stays old
    } finally {
      if (epoch === this.checkEpoch) this.checking = false;
    }
  }

  private resumed(at: number, recreated: boolean): void {
    if (!this.reconnecting && !recreated) return;
    this.reconnecting = false;
    const now = this.servers.current;
    const lost = this.lostServer;
    this.lostServer = undefined;
    this.o.onMarker(marker('resumed', `resumed at stream sequence ${at} ${this.servers.backOn(now, lost)}`, { seq: at, server: now }));
  }

  /** Makes a new consumer from the sequence after the last one seen. */
  async recreate(why: string): Promise<void> {
    if (this.recreating || this.closed) return;
    this.recreating = true;
    const old = this.consumerName;
    this.generation++; // ignore anything still arriving for the old one
    try {
      this.sub?.unsubscribe();
    } catch {
      /* closed */
    }
    this.sub = undefined;
    if (old) this.o.jsm.consumers.delete(this.o.stream, old).catch(() => undefined);
    const start: StartPoint = this.o.restartFrom ? this.o.restartFrom(this.lastSeq) : this.lastSeq > 0 ? { policy: 'seq', seq: this.lastSeq + 1 } : this.o.start;
    let announced = false;
    while (!this.closed) {
      try {
        await this.create(start, true);
        const from = start.policy === 'seq' ? start.seq : this.lastSeq + 1;
        this.o.onMarker(marker('recreated', `consumer recreated (${why})`, { seq: from }));
        await this.reportGap(from);
        this.reconnecting = true;
        this.resumed(from, true);
        break;
      } catch (err) {
        if (this.o.nc.isClosed()) break;
        if (/stream not found|10059/i.test(errText(err))) {
          this.o.onMarker(marker('error', `stream "${this.o.stream}" was deleted; the tail stopped`));
          this.closed = true;
          break;
        }
        if (!announced && !this.reconnecting) {
          announced = true;
          this.reconnecting = true;
          const on = this.servers.current;
          this.o.onMarker(marker('reconnecting', `cannot recreate the consumer yet, asking ${this.servers.label(on)}: ${errText(err)}; retrying`, { seq: this.lastSeq, server: on }));
        }
        await new Promise((r) => setTimeout(r, CHECK_EVERY_MS));
      }
    }
    this.recreating = false;
  }

  /** Messages the stream dropped (limits, purge) between the last one seen and the restart. */
  private async reportGap(from: number): Promise<void> {
    if (this.lastSeq === 0) return;
    try {
      const si = await this.o.jsm.streams.info(this.o.stream);
      const first = si.state.first_seq;
      if (first > from) {
        const missed = first - from;
        this.o.onMarker(marker('gap', `the stream removed ${this.o.filters.length ? 'up to ' : ''}${missed} message${missed === 1 ? '' : 's'} (sequences ${from}–${first - 1}) before the tail could read them`, { seq: from, missed }));
      }
    } catch {
      /* the stream is there (we just made a consumer on it); a failed info only loses the gap note */
    }
  }

  /** Frees the subscription and deletes the consumer on the server. */
  async close(): Promise<void> {
    if (this.closed && !this.sub) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    try {
      this.sub?.unsubscribe();
    } catch {
      /* connection already closed */
    }
    this.sub = undefined;
    const name = this.consumerName;
    if (name && !this.o.nc.isClosed()) {
      // bounded wait, and the timer must not keep a CLI process alive after the delete
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.o.jsm.consumers.delete(this.o.stream, name).catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
    }
    void this.statusDone;
  }
}

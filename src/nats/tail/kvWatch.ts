/**
 * KV watch tail. Every event is a transition (previous value → value, with both revisions;
 * seed 004_a86e993beb744d77.txt) and the bootstrap phase — the values a watch replays when it
 * starts — is kept apart from live changes by a "live" marker we compute ourselves (seed
 * 000_0a057cbac6a60a0d.txt). nats.js's `kv.watch()` cannot be trusted for that marker: an
 * empty bucket gives no signal, a trailing delete hides the switch, and its `isUpdate` counts
 * against a pending number that purges and expiries make unreachable (nats.js #270).
 *
 * Our rule: the bucket stream's last sequence is read before the watch starts; an entry at or
 * below it is a replay, an entry above it happened after the watch started. The marker goes
 * out at the first entry above it, or when the server says nothing is pending (the last
 * replayed entry, or an empty watch). A consumer recreated mid-bootstrap of a "last values"
 * watch takes a fresh last-per-subject snapshot, and entries already delivered are skipped,
 * so replayed values never show as live and superseded revisions are not shown at all.
 */
import { marker, type KvChange, type KvOperation, type KvPrevious, type TailHeaders } from '../../core/tail/events';
import { subjectProblem, type TailSpec } from '../../core/tail/spec';
import { OrderedPull, type DeliveredMessage, type StartPoint } from './orderedPull';
import { TailSession } from './session';
import { msToIso } from './ackSubject';

type KvSpec = Extract<TailSpec, { kind: 'kv' }>;

function header(headers: TailHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const n = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === n) return v;
  return undefined;
}

/** What an entry is: a put, a delete, a purge, or (2.11+ markers) a MaxAge expiry. */
const PUT: { readonly op: KvOperation } = Object.freeze({ op: 'put' });

export function kvOperation(headers: TailHeaders | undefined): { op: KvOperation; reason?: string } {
  // most entries of a bootstrap are puts without headers: no allocation for them
  if (!headers) return PUT;
  const reason = header(headers, 'Nats-Marker-Reason');
  const kvOp = header(headers, 'KV-Operation')?.toUpperCase();
  if (reason) {
    if (/maxage/i.test(reason)) return { op: 'expired', reason };
    if (/remove/i.test(reason)) return { op: 'delete', reason };
    return { op: 'purge', reason };
  }
  if (kvOp === 'DEL') return { op: 'delete' };
  if (kvOp === 'PURGE') return { op: 'purge' };
  return { op: 'put' };
}

const KV_PULL_BATCH = 10_000;

export class KvWatch extends TailSession {
  private pull?: OrderedPull;
  private live = false;
  private boundarySeq = 0;
  private replayed = 0;
  private readonly known = new Map<string, KvPrevious>();

  get consumerName(): string | undefined {
    return this.pull?.name;
  }

  /** True once the bootstrap phase is over. */
  get isLive(): boolean {
    return this.live;
  }

  protected async openSource(): Promise<void> {
    const spec = this.spec as KvSpec;
    if (!/^[A-Za-z0-9_-]+$/.test(spec.bucket)) throw new Error(`"${spec.bucket}" is not a KV bucket name (letters, digits, _ and - only)`);
    const key = spec.key?.trim() || '>';
    const bad = subjectProblem(key);
    if (bad) throw new Error(`key pattern "${key}" ${bad}`);
    if (spec.fromRevision !== undefined && (!Number.isInteger(spec.fromRevision) || spec.fromRevision < 1)) throw new Error(`revision ${spec.fromRevision} is not a positive whole number`);
    const include = spec.include ?? 'last';
    const stream = `KV_${spec.bucket}`;
    const jsm = await this.ctx.jsm();
    let si;
    try {
      si = await jsm.streams.info(stream);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (/stream not found|10059/i.test(text)) throw new Error(`KV bucket "${spec.bucket}" does not exist`);
      throw new Error(`cannot read KV bucket "${spec.bucket}": ${text}`);
    }
    this.boundarySeq = si.state.last_seq;
    const prefix = `$KV.${spec.bucket}.`;
    const start: StartPoint = spec.fromRevision ? { policy: 'seq', seq: spec.fromRevision } : include === 'history' ? { policy: 'all' } : { policy: 'last-per-subject' };
    this.mode = `KV watch of ${key === '>' ? 'all keys' : key} (${spec.fromRevision ? `from revision ${spec.fromRevision}` : include === 'history' ? 'full history' : include === 'updates' ? 'updates only' : 'current values, then updates'}) on an ordered consumer`;
    this.emit(marker('mode', this.mode));
    this.pull = new OrderedPull({
      nc: this.ctx.nc,
      jsm,
      apiPrefix: this.ctx.apiPrefix,
      stream,
      filters: [`${prefix}${key}`],
      start,
      // a bootstrap replays the whole bucket: bigger pulls mean fewer round trips (max_bytes bounds them)
      batch: this.opts.pullBatch ?? KV_PULL_BATCH,
      heartbeatMs: this.opts.heartbeatMs,
      restartFrom: (lastSeq) => (!this.live && start.policy === 'last-per-subject' ? start : lastSeq > 0 ? { policy: 'seq', seq: lastSeq + 1 } : start),
      onMessage: (m) => this.onEntry(spec, prefix, include, m),
      onCaughtUp: () => this.goLive(),
      onMarker: (mk) => {
        // the only error an ordered pull reports is its stream gone: here that is the bucket
        if (mk.marker === 'error') void this.finish(`KV bucket "${spec.bucket}" was deleted; the watch stopped`);
        else this.emit(mk);
      },
    });
    await this.pull.start();
  }

  private goLive(): void {
    if (this.live) return;
    this.live = true;
    const what = (this.spec as KvSpec).include === 'updates' ? 'current values read (not shown)' : `${this.replayed} entr${this.replayed === 1 ? 'y' : 'ies'} replayed`;
    this.emit(marker('live', `bootstrap done: ${what}; what follows happened after the watch started`, { seq: this.boundarySeq }));
  }

  private onEntry(spec: KvSpec, prefix: string, include: string, m: DeliveredMessage): void {
    if (!this.live && m.seq > this.boundarySeq) this.goLive();
    const key = m.subject.startsWith(prefix) ? m.subject.slice(prefix.length) : m.subject;
    const { op, reason } = kvOperation(m.headers);
    const value = op === 'put' ? m.data : null;
    // stored entries are never changed, only replaced: a change can share its key's previous one
    const prev = this.known.get(key) ?? null;
    this.known.set(key, { revision: m.seq, value });
    const phase = this.live ? 'live' : 'bootstrap';
    if (phase === 'bootstrap') {
      this.replayed++;
      if (include === 'updates') return;
    }
    const c: KvChange = { kind: 'kv', bucket: spec.bucket, key, revision: m.seq, op, phase, prev, value, time: msToIso(m.timeMs) };
    if (reason) c.reason = reason;
    this.emit(c);
  }

  protected async release(): Promise<void> {
    await this.pull?.close();
  }
}

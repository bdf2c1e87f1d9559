/**
 * Reads a stream without a consumer, so WorkQueue and Interest streams are viewed, not
 * consumed: batched direct get on 2.11+ when the stream allows direct access, else one
 * message get per message. Used for those streams and for "Peek pending" of a consumer
 * (a view from its ack floor with its filters: nothing is acknowledged).
 *
 * It polls: when it has read everything stored it asks again 200 ms later. Messages a worker
 * takes off a WorkQueue stream between two polls are never seen; the mode marker says so.
 */
import { createInbox, type Msg, type Status } from '@nats-io/transport-node';
import type { StreamInfo } from '@nats-io/jetstream';
import type { TailHeaders, TailMessage } from '../../core/tail/events';
import { marker } from '../../core/tail/events';
import { fromBase64 } from '../../core/tail/payload';
import { subjectMatches, type TailSpec } from '../../core/tail/spec';
import { serverSupports } from '../serverInfo';
import { headerPairs } from './orderedPull';
import { TailSession } from './session';
import { checkFilters, streamInfoOrExplain } from './streamTail';
import { lastPerSubject, seqAtTime, type ViewRead, type ViewReadResult } from './viewStart';
import { ServerNames } from './connectionMarkers';

type StreamSpec = Extract<TailSpec, { kind: 'stream' }>;

const POLL_MS = 200;
const BATCH = 256;
const DIRECT_HEADERS = new Set(['nats-stream', 'nats-subject', 'nats-sequence', 'nats-time-stamp', 'nats-num-pending', 'nats-last-sequence']);


/** Parses a NATS header block (`NATS/1.0\r\nK: V\r\n\r\n`) as message get returns it. */
export function parseHeaderBlock(block: Uint8Array): TailHeaders {
  const text = new TextDecoder().decode(block);
  const out: TailHeaders = [];
  for (const line of text.split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) out.push([line.slice(0, i), line.slice(i + 1).trim()]);
  }
  return out;
}

export class StreamView extends TailSession {
  private stop?: () => void;
  private direct = false;

  protected async openSource(): Promise<void> {
    const spec = this.spec as StreamSpec;
    const si = await streamInfoOrExplain(this.ctx, spec.stream);
    let filters = spec.filters ?? [];
    let from = spec.from ?? 'new';
    let startSeq: number;
    if (spec.pendingOf) {
      const jsm = await this.ctx.jsm();
      let ci;
      try {
        ci = await jsm.consumers.info(spec.stream, spec.pendingOf);
      } catch (err) {
        throw new Error(`consumer "${spec.pendingOf}" on stream "${spec.stream}" cannot be read: ${err instanceof Error ? err.message : String(err)}`);
      }
      filters = ci.config.filter_subjects?.length ? ci.config.filter_subjects : ci.config.filter_subject ? [ci.config.filter_subject] : [];
      startSeq = Math.max(ci.ack_floor.stream_seq + 1, si.state.first_seq);
      from = `seq:${startSeq}`;
    }
    checkFilters(filters, this.ctx.serverVersion);
    const batchOk = serverSupports(this.ctx.serverVersion, 'batchDirectGet').supported;
    this.direct = batchOk && si.config.allow_direct === true;
    const why = !batchOk ? `batched direct get needs nats-server 2.11 (this is ${this.ctx.serverVersion})` : 'the stream does not allow direct get';
    this.mode = this.direct ? 'direct get, batched (no consumer)' : `message get, one request per message (no consumer; ${why})`;
    const start = await this.start(si, from, filters);
    startSeq = start.seq;
    const what = spec.pendingOf ? `messages consumer ${spec.pendingOf} has not had acknowledged (from stream sequence ${startSeq}; nothing is acknowledged)` : `${spec.stream} (${si.config.retention} retention) without consuming it`;
    this.emit(marker('mode', `viewing ${what}: ${this.mode}${start.how ? `; ${start.how}` : ''}; messages taken off the stream between two reads are not seen`));
    for (const m of start.first ?? []) this.emit(m);
    this.loop(spec.stream, startSeq, filters);
  }

  /** Where the view starts, and (last per subject) the messages it shows first. */
  private async start(si: StreamInfo, from: string, filters: string[]): Promise<{ seq: number; first?: TailMessage[]; how?: string }> {
    const st = si.state;
    const stream = si.config.name;
    const read: ViewRead = (seq, extra) => this.read(stream, seq, filters, extra);
    if (from === 'new') return { seq: st.last_seq + 1 };
    if (from === 'all') return { seq: Math.max(1, st.first_seq) };
    if (from.startsWith('seq:')) return { seq: Number(from.slice(4)) };
    if (from === 'last') {
      if (filters.length === 1) {
        const r = await read(0, { last_by_subj: filters[0] });
        return { seq: r.msgs[0]?.seq ?? st.last_seq + 1 };
      }
      return { seq: Math.max(1, st.last_seq) };
    }
    if (from === 'last-per-subject') {
      const l = await lastPerSubject({ jsm: await this.ctx.jsm(), stream, filters, direct: this.direct, lastSeq: st.last_seq, read });
      return { seq: l.upTo + 1, first: l.msgs, how: l.how };
    }
    if (from.startsWith('time:')) {
      if (this.direct) {
        const r = await read(0, { start_time: from.slice(5) });
        return { seq: r.msgs[0]?.seq ?? st.last_seq + 1 };
      }
      return { seq: await seqAtTime(read, st.first_seq, st.last_seq, new Date(from.slice(5))), how: 'start found by a binary search on the sequence with message get' };
    }
    throw new Error(`--from ${from} cannot be used when viewing a stream without a consumer; use all, new, last, last-per-subject, seq:N or time:ISO`);
  }

  private loop(stream: string, start: number, filters: string[]): void {
    let stopped = false;
    let wake: (() => void) | undefined;
    // the markers name the server: the one the connection lost (a read in flight then fails
    // only at its timeout, possibly after the reconnect) and the one the view is back on
    const servers = new ServerNames(this.ctx.nc);
    const status = this.ctx.nc.status() as AsyncIterable<Status> & { stop?: () => void };
    let lost: string | undefined;
    let down = false;
    void (async () => {
      for await (const s of status) {
        if (s.type === 'disconnect') {
          down = true;
          lost ??= s.server;
        } else if (s.type === 'reconnect') {
          down = false;
          servers.learn(s.server);
        }
      }
    })().catch(() => undefined);
    this.stop = () => {
      stopped = true;
      status.stop?.();
      wake?.();
    };
    const sleep = (ms: number) =>
      new Promise<void>((r) => {
        const t = setTimeout(r, ms);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
    void (async () => {
      let next = start;
      let failing = false;
      while (!stopped && !this.closed) {
        let r: ViewReadResult;
        try {
          r = await this.read(stream, next, filters);
        } catch (err) {
          if (stopped) break;
          const text = err instanceof Error ? err.message : String(err);
          // a direct get on a deleted stream gets "no responders", not "stream not found": ask
          if (/stream not found|10059/.test(text) || (await this.streamGone(stream))) {
            void this.finish(`stream "${stream}" was deleted; the view stopped`);
            break;
          }
          if (!failing) {
            const from = lost ?? servers.current;
            const what = lost ? `lost the connection to ${servers.label(lost)}; cannot read ${stream}` : `cannot read ${stream} from ${servers.label(from)}`;
            this.emit(marker('reconnecting', `${what} (${text}); retrying`, { seq: next, server: from }));
          }
          failing = true;
          await sleep(250);
          continue;
        }
        if (failing) this.emit(marker('resumed', `resumed at stream sequence ${next} ${servers.backOn(servers.current, lost)}`, { seq: next, server: servers.current }));
        // a drop that no read noticed (it was back before the next one) is no longer news
        if (failing || !down) lost = undefined;
        failing = false;
        for (const m of r.msgs) {
          if (m.seq! < next) continue;
          next = m.seq! + 1;
          if (filters.length > 1 && !filters.some((f) => subjectMatches(f, m.subject))) continue;
          this.emit(m);
        }
        if (!r.more) await sleep(POLL_MS);
      }
    })();
  }

  private async streamGone(stream: string): Promise<boolean> {
    try {
      await (await this.ctx.jsm()).streams.info(stream);
      return false;
    } catch (err) {
      return /stream not found|10059/i.test(err instanceof Error ? err.message : String(err));
    }
  }

  /** One read from `seq` on: a batch (direct) or one message (message get); `extra` asks for something else. */
  private read(stream: string, seq: number, filters: string[], extra: Record<string, unknown> = {}): Promise<ViewReadResult> {
    // next_by_subj also steps over deleted sequences (a WorkQueue stream is full of them)
    const nextBy = filters.length === 1 ? filters[0] : '>';
    let req: Record<string, unknown>;
    // the server refuses seq, next_by_subj or batch next to last_by_subj, and seq or next_by_subj
    // next to start_time / multi_last respectively
    if ('last_by_subj' in extra) req = { ...extra };
    else if ('multi_last' in extra) req = { seq, batch: BATCH, ...extra };
    else if ('start_time' in extra) req = { next_by_subj: nextBy, batch: BATCH, ...extra };
    else req = { seq, next_by_subj: nextBy, ...(this.direct ? { batch: BATCH } : {}) };
    return this.direct ? this.directBatch(stream, req) : this.msgGet(stream, req);
  }

  private directBatch(stream: string, req: Record<string, unknown>): Promise<ViewReadResult> {
    const { nc, apiPrefix } = this.ctx;
    return new Promise((resolve, reject) => {
      const inbox = createInbox();
      const msgs: TailMessage[] = [];
      const done = (err?: Error) => {
        clearTimeout(timer);
        sub.unsubscribe();
        if (err) reject(err);
        else resolve({ msgs, more: msgs.length >= BATCH });
      };
      const timer = setTimeout(() => done(new Error('direct get timed out')), 5000);
      const sub = nc.subscribe(inbox, {
        callback: (_e, msg: Msg) => {
          const code = msg.headers?.code ?? 0;
          if (code === 204 || code === 404) return done();
          if (code >= 400) return done(new Error(`${code} ${msg.headers?.description ?? ''}`.trim()));
          msgs.push(directMessage(stream, msg));
          // a single-message answer (last_by_subj) has no end-of-batch status
          if (!msg.headers?.get('Nats-Num-Pending')) done();
        },
      });
      try {
        nc.publish(`${apiPrefix}.DIRECT.GET.${stream}`, JSON.stringify(req), { reply: inbox });
      } catch (err) {
        done(err as Error);
      }
    });
  }

  private async msgGet(stream: string, req: Record<string, unknown>): Promise<ViewReadResult> {
    if (!('last_by_subj' in req) && req.seq === 0) req = { ...req, seq: 1 };
    const r = await this.ctx.nc.request(`${this.ctx.apiPrefix}.STREAM.MSG.GET.${stream}`, JSON.stringify(req), { timeout: 5000 });
    const body = JSON.parse(new TextDecoder().decode(r.data)) as {
      message?: { subject: string; seq: number; hdrs?: string; data?: string; time: string };
      error?: { code: number; err_code?: number; description?: string };
    };
    if (body.error) {
      if (body.error.code === 404 && body.error.err_code !== 10059) {
        // no message at or after seq: when the stream has later ones (a deleted sequence
        // with nothing matching), the next poll moves on from the same place
        return { msgs: [], more: false };
      }
      throw new Error(`${body.error.description ?? 'message get failed'} (${body.error.err_code ?? body.error.code})`);
    }
    const m = body.message!;
    return {
      msgs: [{ kind: 'msg', stream, seq: m.seq, subject: m.subject, time: m.time, headers: m.hdrs ? parseHeaderBlock(fromBase64(m.hdrs)) : undefined, data: m.data ? fromBase64(m.data) : new Uint8Array(0) }],
      more: true,
    };
  }

  protected async release(): Promise<void> {
    this.stop?.();
  }
}

function directMessage(stream: string, msg: Msg): TailMessage {
  const h = msg.headers!;
  const headers = (headerPairs(msg) ?? []).filter(([k]) => !DIRECT_HEADERS.has(k.toLowerCase()));
  return {
    kind: 'msg',
    stream,
    seq: Number(h.get('Nats-Sequence')),
    subject: h.get('Nats-Subject'),
    time: serverTime(h.get('Nats-Time-Stamp')),
    headers: headers.length ? headers : undefined,
    data: msg.data,
  };
}

/** `Nats-Time-Stamp` is RFC 3339 on new servers, Go's `2006-01-02 15:04:05.999 +0000 UTC` on older ones. */
export function serverTime(text: string): string {
  const t = Date.parse(text);
  if (!Number.isNaN(t)) return new Date(t).toISOString();
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)? ([+-]\d\d)(\d\d)/.exec(text);
  if (!m) return new Date().toISOString();
  const frac = (m[3] ?? '').slice(0, 4);
  return new Date(`${m[1]}T${m[2]}${frac}${m[4]}:${m[5]}`).toISOString();
}

/**
 * Stream tail: an ordered consumer of our own (see orderedPull.ts) from new / all / a
 * sequence / a time / last / last per subject, with one or more filters (several need 2.10).
 * WorkQueue and Interest streams are not read with a consumer (that would take or ack their
 * messages): `openStreamTail` hands those to StreamView.
 */
import type { StreamInfo } from '@nats-io/jetstream';
import { marker } from '../../core/tail/events';
import { subjectProblem, type StreamFrom, type TailSpec } from '../../core/tail/spec';
import { serverSupports } from '../serverInfo';
import { msToIso } from './ackSubject';
import { OrderedPull, type StartPoint } from './orderedPull';
import { TailSession } from './session';

type StreamSpec = Extract<TailSpec, { kind: 'stream' }>;

export function startPoint(from: StreamFrom | undefined): StartPoint {
  const f = from ?? 'new';
  if (f === 'new' || f === 'all' || f === 'last' || f === 'last-per-subject') return { policy: f };
  if (f.startsWith('seq:')) return { policy: 'seq', seq: Number(f.slice(4)) };
  return { policy: 'time', time: new Date(f.slice(5)) };
}


/** Throws a clear message for filters the server cannot take. */
export function checkFilters(filters: string[], serverVersion: string): void {
  for (const f of filters) {
    const bad = subjectProblem(f);
    if (bad) throw new Error(`filter "${f}" ${bad}`);
  }
  if (filters.length > 1) {
    const s = serverSupports(serverVersion, 'multiFilter');
    if (!s.supported) throw new Error(`${filters.length} filters at once (filter_subjects) ${s.reason}; tail with one --filter, or a wildcard that covers them`);
  }
}

export async function streamInfoOrExplain(ctx: { jsm: () => Promise<import('@nats-io/jetstream').JetStreamManager> }, stream: string): Promise<StreamInfo> {
  const jsm = await ctx.jsm();
  try {
    return await jsm.streams.info(stream);
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (/stream not found|10059/i.test(text)) throw new Error(`stream "${stream}" does not exist`);
    throw new Error(`cannot read stream "${stream}": ${text}`);
  }
}

export class StreamTail extends TailSession {
  private pull?: OrderedPull;

  get consumerName(): string | undefined {
    return this.pull?.name;
  }

  protected async openSource(): Promise<void> {
    const spec = this.spec as StreamSpec;
    const filters = spec.filters ?? [];
    checkFilters(filters, this.ctx.serverVersion);
    const si = await streamInfoOrExplain(this.ctx, spec.stream);
    if (si.config.retention !== 'limits') {
      throw new Error(`stream "${spec.stream}" has ${si.config.retention} retention: a consumer would take or acknowledge its messages; view it instead (read: view)`);
    }
    const stream = spec.stream;
    this.mode = `ordered consumer${filters.length ? ` filtered on ${filters.join(', ')}` : ''}`;
    this.pull = new OrderedPull({
      nc: this.ctx.nc,
      jsm: await this.ctx.jsm(),
      apiPrefix: this.ctx.apiPrefix,
      stream,
      filters,
      start: startPoint(spec.from),
      batch: this.opts.pullBatch,
      heartbeatMs: this.opts.heartbeatMs,
      onMessage: (m) => this.emit({ kind: 'msg', stream, seq: m.seq, subject: m.subject, time: msToIso(m.timeMs), headers: m.headers, data: m.data }),
      onMarker: (mk) => {
        if (mk.marker === 'error') void this.finish(mk.text);
        else this.emit(mk);
      },
    });
    await this.pull.start();
    this.emit(marker('mode', `reading ${stream} with an ${this.mode} from ${spec.from ?? 'new'}`));
  }

  protected async release(): Promise<void> {
    await this.pull?.close();
  }
}

/**
 * The public face of the tail engine: `openTail(nc, spec)` gives a TailSession for a stream
 * (ordered consumer, or a view for WorkQueue/Interest streams and consumer peeks), a core
 * subject, a KV watch or the JetStream advisories. No vscode here: the CLI and the panel share it.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { TailSpec } from '../../core/tail/spec';
import { AdvisoryTail } from './advisoryTail';
import { KvWatch } from './kvWatch';
import type { TailContext, TailSession, TailSessionOptions } from './session';
import { streamInfoOrExplain, StreamTail } from './streamTail';
import { StreamView } from './streamView';
import { SubjectTail } from './subjectTail';
import { watchOpening } from './connectionMarkers';

export { TailSession } from './session';
export type { TailSessionOptions, TailListener, Disposable } from './session';
export { StreamTail } from './streamTail';
export { StreamView } from './streamView';
export { SubjectTail } from './subjectTail';
export { KvWatch, kvOperation } from './kvWatch';
export { AdvisoryTail } from './advisoryTail';
export { TailOpenInterrupted } from './connectionMarkers';

export interface OpenTailOptions extends TailSessionOptions {
  /** JetStream domain (API at `$JS.<domain>.API`); `apiPrefix` wins when both are set. */
  domain?: string;
}

/**
 * Opens and starts a tail; rejects with a clear message when the source cannot be read, and
 * with a TailOpenInterrupted naming the server when the connection dropped while it opened.
 * Pass the listener as `opts.onEvents`: it is attached before anything is read, so it gets
 * the events said while opening (mode, a KV watch's live marker, …) first, exactly once, and
 * already by the time this resolves.
 */
export async function openTail(nc: NatsConnection, spec: TailSpec, opts: OpenTailOptions = {}): Promise<TailSession> {
  const opening = watchOpening(nc);
  try {
    return await openSession(nc, spec, opts);
  } catch (err) {
    throw await opening.interrupted(err);
  } finally {
    opening.stop();
  }
}

async function openSession(nc: NatsConnection, spec: TailSpec, opts: OpenTailOptions): Promise<TailSession> {
  const apiPrefix = opts.apiPrefix ?? (opts.domain ? `$JS.${opts.domain}.API` : '$JS.API');
  let jsmP: Promise<JetStreamManager> | undefined;
  const ctx: TailContext = {
    nc,
    apiPrefix,
    serverVersion: nc.info?.version ?? 'unknown',
    domain: opts.domain ?? /^\$JS\.([^.]+)\.API$/.exec(apiPrefix)?.[1],
    jsm: () => (jsmP ??= jetstreamManager(nc, { checkAPI: false, apiPrefix, timeout: 5000 })),
  };
  let session: TailSession;
  switch (spec.kind) {
    case 'stream': {
      let view = spec.read === 'view' || spec.pendingOf !== undefined;
      if (!view && spec.read !== 'consumer') {
        const si = await streamInfoOrExplain(ctx, spec.stream);
        view = si.config.retention !== 'limits';
      }
      session = view ? new StreamView(spec, ctx, opts) : new StreamTail(spec, ctx, opts);
      break;
    }
    case 'subject':
      session = new SubjectTail(spec, ctx, opts);
      break;
    case 'kv':
      session = new KvWatch(spec, ctx, opts);
      break;
    case 'advisories':
      session = new AdvisoryTail(spec, ctx, opts);
      break;
  }
  await session.open();
  return session;
}

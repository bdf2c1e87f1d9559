/**
 * Advisories tail: `$JS.EVENT.ADVISORY.>` (max deliveries, terminated messages, leader
 * elections, consumer created/deleted). An advisory that names a stream sequence links to it.
 *
 * JetStream domains: a server publishes its advisories on `$JS.EVENT.ADVISORY.>` whatever its
 * domain (nats-server jetstream_api.go: only the API, `$JS.<domain>.API.>`, and `$KV`/`$OBJ`
 * get domain mappings; there is no `$JS.<domain>.EVENT` subject), and leaf nodes do not deny
 * `$JS.EVENT.>`, so an account spanning a hub and its leaves hears every domain's advisories
 * on the same subject. Each advisory body names its `domain` (omitted when it has none, since
 * 2.9), so a tail for a domain keeps the advisories of that domain and skips the others.
 */
import type { Subscription } from '@nats-io/transport-node';
import { ADVISORY_SUBJECT } from '../../core/tail/spec';
import type { TailMessage } from '../../core/tail/events';
import { headerPairs } from './orderedPull';
import { TailSession } from './session';
import { coreReconnectMarkers } from './connectionMarkers';

/** Where an advisory points: `{stream, stream_seq}` in max_deliver / terminated / nak advisories. */
export function advisoryLink(body: unknown): TailMessage['link'] {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const seq = b.stream_seq;
  return typeof b.stream === 'string' && typeof seq === 'number' && seq > 0 ? { stream: b.stream, seq } : undefined;
}

export class AdvisoryTail extends TailSession {
  private sub?: Subscription;
  private unwatch?: () => void;

  protected async openSource(): Promise<void> {
    if (this.spec.kind !== 'advisories') throw new Error('AdvisoryTail needs an advisories spec');
    const subject = this.spec.subject ?? ADVISORY_SUBJECT;
    const domain = this.ctx.domain;
    this.mode = `core subscription to JetStream advisories${domain ? ` of domain ${domain}` : ''}`;
    const text = new TextDecoder();
    let skipped = 0;
    this.sub = this.ctx.nc.subscribe(subject, {
      callback: (_err, msg) => {
        let body: unknown;
        try {
          body = JSON.parse(text.decode(msg.data));
        } catch {
          body = undefined;
        }
        const b = (body ?? {}) as { type?: unknown; timestamp?: unknown; domain?: unknown };
        if (domain && b.domain !== domain) {
          if (skipped++ === 0) this.note('note', `skipping advisories from other JetStream domains (the first came from ${typeof b.domain === 'string' ? `domain ${b.domain}` : 'a JetStream without a domain'}): this tail shows domain ${domain}`);
          return;
        }
        const m: TailMessage = {
          kind: 'msg',
          subject: msg.subject,
          time: typeof b.timestamp === 'string' ? b.timestamp : new Date().toISOString(),
          headers: headerPairs(msg),
          data: msg.data,
        };
        if (typeof b.type === 'string') m.advisory = b.type;
        const link = advisoryLink(body);
        if (link) m.link = link;
        this.emit(m);
      },
    });
    await this.ctx.nc.flush();
    this.unwatch = coreReconnectMarkers(this.ctx.nc, subject, (m) => this.emit(m));
    this.note('note', `listening on ${subject}${domain ? ` for domain ${domain} (every domain publishes here; the others are skipped)` : ''}: advisories are core messages, so only those published while the tail listens are seen`);
  }

  protected async release(): Promise<void> {
    this.unwatch?.();
    try {
      this.sub?.unsubscribe();
      if (!this.ctx.nc.isClosed()) await this.ctx.nc.flush();
    } catch {
      /* closed connection */
    }
  }
}

/**
 * Test helpers for tails: collect what a TailSession delivers, wait for a condition on it,
 * and count what the tail left on the server (consumers via the JetStream API, subscriptions
 * via the monitoring endpoint /connz?subs=1).
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import type { KvChange, TailEvent, TailMarker, TailMessage } from '../../src/core/tail/events';
import type { NatsConnection } from '@nats-io/transport-node';
import type { TailSpec } from '../../src/core/tail/spec';
import { openTail, type OpenTailOptions, type TailSession } from '../../src/nats/tail';

export class TailProbe {
  readonly events: TailEvent[] = [];
  /** Every batch as the listener got it (tests of batching and of the opening batch). */
  readonly batches: TailEvent[][] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  private opened?: TailSession;

  /** Opens a tail with the probe as its listener, so it sees what the tail says while opening. */
  static async open(nc: NatsConnection, spec: TailSpec, opts: OpenTailOptions = {}): Promise<TailProbe> {
    const p = new TailProbe();
    p.opened = await openTail(nc, spec, { ...opts, onEvents: p.listener });
    return p;
  }

  get session(): TailSession {
    if (!this.opened) throw new Error('the probe has no session: open it with TailProbe.open');
    return this.opened;
  }

  readonly listener = (batch: TailEvent[]): void => {
    this.batches.push(batch);
    this.events.push(...batch);
    this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  };

  get messages(): TailMessage[] {
    return this.events.filter((e): e is TailMessage => e.kind === 'msg');
  }
  get changes(): KvChange[] {
    return this.events.filter((e): e is KvChange => e.kind === 'kv');
  }
  get markers(): TailMarker[] {
    return this.events.filter((e): e is TailMarker => e.kind === 'marker');
  }
  markerKinds(): string[] {
    return this.markers.map((m) => m.marker);
  }
  texts(): string[] {
    const d = new TextDecoder();
    return this.messages.map((m) => d.decode(m.data));
  }

  /** Resolves when `check` holds; rejects after `timeoutMs` with what was seen. */
  until(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    return TailProbe.until([this], check, timeoutMs, what);
  }

  /**
   * Resolves when `check` holds, checked after each batch any of `probes` gets (a condition on
   * several tails, e.g. members of a queue group, may turn true on either one's last batch).
   */
  static until(probes: TailProbe[], check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const drop = () => {
        for (const p of probes) p.waiters = p.waiters.filter((w) => w.resolve !== done);
      };
      const t = setTimeout(() => {
        drop();
        const events = probes.flatMap((p) => p.events);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw ${events.length} events: ${JSON.stringify(events.slice(-8).map(short))}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        drop();
        resolve();
      };
      for (const p of probes) p.waiters.push({ check, resolve: done });
    });
  }

  untilMessages(n: number, timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.messages.length >= n, timeoutMs, `${n} messages`);
  }
  untilMarker(kind: string, timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.markers.some((m) => m.marker === kind), timeoutMs, `a ${kind} marker`);
  }
}

function short(e: TailEvent): unknown {
  if (e.kind === 'marker') return { marker: e.marker, text: e.text };
  if (e.kind === 'kv') return { key: e.key, rev: e.revision, op: e.op, phase: e.phase };
  return { subject: e.subject, seq: e.seq };
}

/** Consumer names on a stream, as the server lists them. */
export async function consumerNames(jsm: JetStreamManager, stream: string): Promise<string[]> {
  const out: string[] = [];
  for await (const ci of jsm.consumers.list(stream)) out.push(ci.name);
  return out;
}

/** Subscriptions the server holds for connections with this name (monitoring endpoint). */
export async function serverSubscriptions(monitorUrl: string, connectionName: string): Promise<string[]> {
  const res = await fetch(`${monitorUrl}/connz?subs=1&limit=1024`);
  const body = (await res.json()) as { connections?: { name?: string; subscriptions_list?: string[] }[] };
  return (body.connections ?? []).filter((c) => c.name === connectionName).flatMap((c) => c.subscriptions_list ?? []);
}

export function texts(values: (Uint8Array | null | undefined)[]): (string | null)[] {
  const d = new TextDecoder();
  return values.map((v) => (v ? d.decode(v) : null));
}

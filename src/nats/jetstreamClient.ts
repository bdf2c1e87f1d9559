import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { featureTable, jetStreamVersion, type FeatureSupport, type ServerFeature } from './serverInfo';
import { toAdminError } from './adminError';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export interface JetStreamClientOptions {
  /** JetStream API prefix (default `$JS.API`); a domain sets `$JS.<domain>.API`. */
  apiPrefix?: string;
  domain?: string;
  /** Per-request timeout, default 5000 ms. */
  timeoutMs?: number;
}

/**
 * What the Catalog (reads) and Admin (changes) share: the API prefix and timeout, what the
 * connected server version supports, and the JetStream / KV / object store managers, each
 * made on first use.
 */
export abstract class JetStreamClient {
  /** What the JetStream server supports: from the connected server's version until ready(). */
  features: Record<ServerFeature, FeatureSupport>;
  readonly serverVersion: string;
  /** The version features are judged by (see jetStreamVersion); the connected one until ready(). */
  jetStreamVersion: string;
  private readyP?: Promise<void>;
  protected readonly prefix: string;
  protected readonly timeoutMs: number;
  private jsmP?: Promise<JetStreamManager>;
  private kvmV?: Kvm;
  private objmV?: Objm;

  constructor(
    protected readonly nc: NatsConnection,
    opts: JetStreamClientOptions = {},
  ) {
    this.serverVersion = nc.info?.version ?? 'unknown';
    this.jetStreamVersion = this.serverVersion;
    this.features = featureTable(this.serverVersion);
    this.prefix = opts.apiPrefix ?? (opts.domain ? `$JS.${opts.domain}.API` : '$JS.API');
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  /**
   * Asks the JetStream API once (`INFO`) which server answers, and judges features by that:
   * behind a leaf node or in another domain it is not the connected server. Never throws
   * (without an answer the connected server's version stands).
   */
  ready(): Promise<void> {
    this.readyP ??= this.api<{ api?: { level?: number }; reserved_memory?: number }>('INFO', undefined).then(
      (account) => {
        const v = jetStreamVersion(this.serverVersion, account);
        if (v === this.serverVersion) return;
        this.jetStreamVersion = v;
        const older = v === '2.9.0' || v === '2.10.0';
        this.features = featureTable(v, `the JetStream server answering is ${older ? 'older than 2.11' : `a ${v.replace(/\.0$/, '')}-level server`} (connected to ${this.serverVersion})`);
      },
      () => undefined,
    );
    return this.readyP;
  }

  /**
   * One JetStream API request with a JSON body, sent as is (no client-side merging); API
   * errors, timeouts and no-responders become an AdminError with a hint.
   */
  async api<T>(subject: string, body: unknown): Promise<T> {
    let msg;
    try {
      msg = await this.nc.request(`${this.prefix}.${subject}`, body === undefined ? undefined : encoder.encode(JSON.stringify(body)), {
        timeout: this.timeoutMs,
      });
    } catch (err) {
      throw toAdminError(err);
    }
    const r = JSON.parse(decoder.decode(msg.data)) as T & { error?: { code: number; err_code?: number; description?: string } };
    if (r.error) throw toAdminError(r.error);
    return r;
  }

  /** The JetStream manager, made on first use (checkAPI off: the first real request tells). */
  jsm(): Promise<JetStreamManager> {
    this.jsmP ??= jetstreamManager(this.nc, { checkAPI: false, apiPrefix: this.prefix, timeout: this.timeoutMs });
    return this.jsmP;
  }

  protected async kvm(): Promise<Kvm> {
    this.kvmV ??= new Kvm((await this.jsm()).jetstream());
    return this.kvmV;
  }

  protected async objm(): Promise<Objm> {
    this.objmV ??= new Objm((await this.jsm()).jetstream());
    return this.objmV;
  }
}

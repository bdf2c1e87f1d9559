/**
 * Scaffold settings from live objects: a stream's, consumer's or KV bucket's real config, so
 * generated code uses what the server has instead of defaults (issue 13: "never from
 * hard-coded defaults when a real value is known").
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import type { ScaffoldBucket, ScaffoldConsumer, ScaffoldOptions, ScaffoldStream } from '../core/scaffold';

export interface LiveNames {
  stream?: string;
  consumer?: string;
  bucket?: string;
}

/** Reads the named objects and returns the scaffold options they imply (names + configs). */
export async function liveScaffoldOptions(
  nc: NatsConnection,
  names: LiveNames,
  js: { domain?: string; apiPrefix?: string } = {},
): Promise<Pick<ScaffoldOptions, 'stream' | 'consumer' | 'bucket' | 'streamConfig' | 'consumerConfig' | 'bucketConfig' | 'source'>> {
  const jsm = await jetstreamManager(nc, { ...js, checkAPI: false });
  const named = <T>(what: string, p: Promise<T>): Promise<T> =>
    p.catch((e: unknown) => {
      const notFound = e instanceof JetStreamApiError && (e.code === JetStreamApiCodes.StreamNotFound || e.code === JetStreamApiCodes.ConsumerNotFound);
      throw new Error(notFound ? `${what} not found` : `${what}: ${e instanceof Error ? e.message : String(e)}`);
    });
  const out: Awaited<ReturnType<typeof liveScaffoldOptions>> = {};
  const from: string[] = [];
  if (names.stream) {
    const c = (await named(`stream ${names.stream}`, jsm.streams.info(names.stream))).config;
    const streamConfig: Partial<ScaffoldStream> = {
      subjects: c.subjects ?? [],
      retention: c.retention as ScaffoldStream['retention'],
      storage: c.storage as ScaffoldStream['storage'],
      replicas: c.num_replicas,
      duplicate_window: c.duplicate_window ?? 0,
      max_age: c.max_age,
    };
    out.stream = names.stream;
    out.streamConfig = streamConfig;
    from.push(`stream ${names.stream}`);
    if (names.consumer) {
      const cc = (await named(`consumer ${names.stream}/${names.consumer}`, jsm.consumers.info(names.stream, names.consumer))).config;
      const consumerConfig: Partial<ScaffoldConsumer> = {
        durable_name: cc.durable_name ?? cc.name ?? names.consumer,
        filter_subject: cc.filter_subject ?? cc.filter_subjects?.[0] ?? c.subjects?.[0] ?? '>',
        deliver_policy: cc.deliver_policy === 'new' ? 'new' : 'all',
        ack_wait: cc.ack_wait ?? 30_000_000_000,
        backoff: cc.backoff ?? [],
        max_ack_pending: cc.max_ack_pending ?? 1000,
      };
      // -1 (unlimited) has no dead-letter point; the generated code needs a bound to name one
      if (cc.max_deliver && cc.max_deliver > 0) consumerConfig.max_deliver = cc.max_deliver;
      else consumerConfig.max_deliver = Math.max(5, (cc.backoff?.length ?? 0) + 1);
      out.consumer = names.consumer;
      out.consumerConfig = consumerConfig;
      from.push(`consumer ${names.consumer}`);
    }
  }
  if (names.bucket) {
    const c = (await named(`KV bucket ${names.bucket}`, jsm.streams.info(`KV_${names.bucket}`))).config;
    const bucketConfig: Partial<ScaffoldBucket> = {
      history: c.max_msgs_per_subject > 0 ? c.max_msgs_per_subject : 1,
      ttl: c.max_age,
      storage: c.storage as ScaffoldBucket['storage'],
      replicas: c.num_replicas,
    };
    out.bucket = names.bucket;
    out.bucketConfig = bucketConfig;
    from.push(`bucket ${names.bucket}`);
  }
  if (from.length) out.source = `the live ${from.join(', ')}`;
  return out;
}

/**
 * Demo data for the sandbox and the screenshots: the Overmind streams and consumers from seed
 * 002_1ab6d19707f4e937.txt (as R1, file storage, on one local server), an ORDERS work queue,
 * KV buckets and an object store, and a trickle of live traffic so the explorer has
 * something moving to show.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, jetstream, jetstreamManager, type StreamConfig, type ConsumerConfig } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';

const s = (n: number) => n * 1_000_000_000;
const DAY = s(86_400);

const streams: (Partial<StreamConfig> & { name: string })[] = [
  { name: 'routing-decisions', description: 'LLM routing decisions made by the bridge', subjects: ['routing.>'], max_age: 7 * DAY, max_bytes: 1024 ** 3, storage: StorageType.File, num_replicas: 1, duplicate_window: s(120) },
  { name: 'memory-events', description: 'Memory tier transitions and consolidation', subjects: ['memory.>'], max_age: 30 * DAY, max_bytes: 5 * 1024 ** 3, storage: StorageType.File, num_replicas: 1, duplicate_window: s(120) },
  { name: 'llm-requests', description: 'LLM request lifecycle for metrics and cost', subjects: ['llm.>'], max_age: DAY, max_bytes: 500 * 1024 ** 2, storage: StorageType.File, num_replicas: 1, duplicate_window: s(120) },
  { name: 'ORDERS', description: 'Order work items: one worker handles each', subjects: ['orders.>'], retention: RetentionPolicy.Workqueue, storage: StorageType.File, num_replicas: 1, duplicate_window: s(120) },
];

const consumers: [string, Partial<ConsumerConfig>][] = [
  ['routing-decisions', { durable_name: 'api-consumer', filter_subject: 'routing.>', ack_policy: AckPolicy.Explicit, max_deliver: 3, ack_wait: s(30), deliver_policy: DeliverPolicy.All }],
  ['routing-decisions', { durable_name: 'analytics-consumer', filter_subject: 'routing.>', ack_policy: AckPolicy.Explicit, max_deliver: 5, ack_wait: s(60), max_batch: 1000, deliver_policy: DeliverPolicy.All }],
  ['memory-events', { durable_name: 'consolidation-consumer', filter_subject: 'memory.consolidated', ack_policy: AckPolicy.Explicit, max_deliver: 3, ack_wait: s(120), deliver_policy: DeliverPolicy.All }],
  ['llm-requests', { durable_name: 'metrics-consumer', filter_subject: 'llm.>', ack_policy: AckPolicy.Explicit, max_deliver: 3, ack_wait: s(30), deliver_policy: DeliverPolicy.All }],
  ['ORDERS', { durable_name: 'order-workers', ack_policy: AckPolicy.Explicit, max_deliver: 5, ack_wait: s(30), backoff: [s(1), s(5), s(30)], deliver_policy: DeliverPolicy.All }],
];

/** Creates (or updates to) the demo streams, consumers, buckets and object store. Idempotent. */
export async function seedDemo(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const cfg of streams) {
    try {
      await jsm.streams.info(cfg.name!);
      await jsm.streams.update(cfg.name!, cfg);
    } catch {
      await jsm.streams.add(cfg);
    }
  }
  for (const [stream, cfg] of consumers) {
    try {
      await jsm.consumers.info(stream, cfg.durable_name!);
    } catch {
      await jsm.consumers.add(stream, cfg);
    }
  }
  const kvm = new Kvm(nc);
  const sessions = await kvm.create('sessions', { history: 5, ttl: 3_600_000 });
  const config = await kvm.create('app-config', { history: 10 });
  const prices = await kvm.create('model-prices', { history: 3 });
  await config.put('routing.strategy', 'balanced');
  await config.put('routing.fallback.enabled', 'true');
  await config.put('memory.ttl.short-term', '15m');
  for (const [model, price] of Object.entries({ 'gemini-pro': 0.001, 'gpt-4o': 0.005, 'claude-sonnet': 0.003, 'llama-3-70b': 0.0008 })) {
    await prices.put(model, JSON.stringify({ model, usdPer1kTokens: price }));
  }
  await sessions.put('user-1', JSON.stringify({ user: 'ada', since: new Date().toISOString() }));
  const objm = new Objm(nc);
  const store = await objm.create('artifacts', { description: 'Build artifacts and prompts' });
  await store.putBlob({ name: 'prompts/system.txt', description: 'system prompt' }, new TextEncoder().encode('You are a helpful routing assistant.\n'));
  await store.putBlob({ name: 'reports/cost-2026-11.json' }, new TextEncoder().encode(JSON.stringify({ month: '2026-11', usd: 412.5 })));
}

/** Publishes a small steady flow (a few messages a second) until stopped. */
export function startTraffic(nc: NatsConnection, everyMs = 400): () => void {
  const js = jetstream(nc);
  const kvm = new Kvm(nc);
  const models = ['gemini-pro', 'gpt-4o', 'claude-sonnet', 'llama-3-70b'];
  let n = 0;
  const tick = async () => {
    n++;
    const model = models[n % models.length]!;
    const requestId = `req-${n}`;
    const now = new Date().toISOString();
    await js.publish('routing.model.selected', JSON.stringify({ requestId, timestamp: now, selectedModel: model, reason: 'balanced' }), { msgID: requestId });
    await js.publish('llm.request.started', JSON.stringify({ requestId, timestamp: now, provider: 'demo', model, status: 'started' }));
    if (n % 3 === 0) await js.publish('llm.request.completed', JSON.stringify({ requestId, timestamp: now, model, status: 'completed', tokens: { total: 300 + n } }));
    if (n % 5 === 0) await js.publish('memory.consolidated', JSON.stringify({ eventId: `mem-${n}`, timestamp: now, tier: 'working' }));
    if (n % 2 === 0) await js.publish(`orders.eu.created`, JSON.stringify({ orderId: n, total: (n * 7) % 300 }));
    if (n % 4 === 0) {
      const sessions = await kvm.open('sessions');
      await sessions.put(`user-${(n / 4) % 6}`, JSON.stringify({ user: `user-${(n / 4) % 6}`, lastSeen: now }));
    }
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    tick()
      .catch(() => undefined)
      .finally(() => (running = false));
  }, everyMs);
  return () => clearInterval(timer);
}

/**
 * AsyncAPI 3.0 export: one server with protocol `nats`; one channel per path whose address is
 * the path's subject and whose message carries the path's payload schema; a `send`
 * operation for the publishing component and a `receive` operation per receiver, with the
 * NATS operation binding `queue` where receivers share work (a queue group, or a worker
 * queue's durable consumer). JetStream has no AsyncAPI binding, so the planned streams,
 * consumers and buckets go under the `x-nats-jetstream` extension; `x-nats-flow` keeps what a
 * round trip through `nats-flow import --asyncapi` needs (components, answers, overrides).
 */
import { stringify } from 'yaml';
import type { FlowDesign } from '../model';
import type { Plan } from '../plan';
import type { ExportResult } from './files';

export const NATS_BINDING_VERSION = '0.1.0';

const opId = (component: string, action: string, path: string) => `${component}.${action}.${path}`.replace(/[^A-Za-z0-9_.-]/g, '_');

export function asyncApiDocument(design: FlowDesign, plan: Plan, opts: { server?: string } = {}): Record<string, unknown> {
  const cls = new Map(plan.paths.map((p) => [p.path, p]));
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const p of design.paths) {
    const messageName = `${p.id}.message`.replace(/[^A-Za-z0-9_.-]/g, '_');
    channels[p.id] = {
      address: p.subject,
      description: p.description,
      messages: {
        [messageName]: {
          name: messageName,
          contentType: 'application/json',
          payload: p.schema ?? { type: 'object' },
        },
      },
      'x-nats-flow': {
        primitive: cls.get(p.id)!.primitive,
        answers: p.answers,
        ...(p.override ? { override: p.override } : {}),
        ...(p.processingTime ? { processingTime: p.processingTime } : {}),
        ...(p.inProgressAcks !== undefined ? { inProgressAcks: p.inProgressAcks } : {}),
        ...(p.rate !== undefined ? { rate: p.rate } : {}),
        ...(p.deadLetter ? { deadLetter: p.deadLetter } : {}),
      },
    };
    const ref = { $ref: `#/channels/${p.id}` };
    const msgRef = { $ref: `#/channels/${p.id}/messages/${messageName}` };
    operations[opId(p.from, 'send', p.id)] = { action: 'send', channel: ref, messages: [msgRef], summary: p.description, 'x-nats-flow-component': p.from };
    const consumers = plan.consumers.filter((c) => c.path === p.id);
    for (const r of p.to) {
      const consumer = consumers.find((c) => c.receiver === r);
      // workers of one component share its durable consumer; on core NATS they share a queue group
      const queue = p.queueGroup ?? (consumer?.role === 'worker' ? consumer.config.durable_name : undefined);
      operations[opId(r, 'receive', p.id)] = {
        action: 'receive',
        channel: ref,
        messages: [msgRef],
        summary: p.description,
        ...(queue ? { bindings: { nats: { queue, bindingVersion: NATS_BINDING_VERSION } } } : {}),
        'x-nats-flow-component': r,
        ...(consumer ? { 'x-nats-jetstream-consumer': { stream: consumer.stream, durable_name: consumer.config.durable_name } } : {}),
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: { title: design.name, version: '1.0.0', ...(design.description ? { description: design.description } : {}) },
    servers: { nats: { host: opts.server ?? 'localhost:4222', protocol: 'nats', description: `NATS with JetStream (${plan.environment})` } },
    channels,
    operations,
    'x-nats-jetstream': {
      streams: plan.streams.map((s) => s.config),
      consumers: plan.consumers.map((c) => ({ stream: c.stream, config: c.config })),
      buckets: plan.buckets.map((b) => b.config),
      objectStores: plan.objectStores.map((o) => o.config),
    },
    'x-nats-flow': {
      environment: design.environment,
      components: design.components,
      ...(design.objectStores ? { objectStores: design.objectStores } : {}),
      ...(design.overrides ? { overrides: design.overrides } : {}),
    },
  };
}

export function exportAsyncApi(design: FlowDesign, plan: Plan, opts: { server?: string } = {}): ExportResult {
  const doc = asyncApiDocument(design, plan, opts);
  return { files: [{ path: `${design.name}.asyncapi.yaml`, content: stringify(doc, { lineWidth: 0 }) }], notes: [] };
}

/**
 * The small "shop" design the design unit tests start from: an API charging cards through a
 * worker pool (a work queue) and an audit log; with `status`, also the current order status
 * shown on a UI (a KV path). A fresh object each call, so tests may change it.
 */
import type { FlowDesign } from '../../src/core/design';

export function shopDesign(environment: FlowDesign['environment'], opts: { status: boolean }): FlowDesign {
  return {
    version: 1,
    name: 'shop',
    environment,
    components: [
      { id: 'api', kind: 'service', name: 'API' },
      { id: 'workers', kind: 'workerPool', name: 'Workers' },
      { id: 'audit', kind: 'service', name: 'Audit' },
      ...(opts.status ? [{ id: 'ui', kind: 'client' as const, name: 'UI' }] : []),
    ],
    paths: [
      { id: 'charge', from: 'api', to: ['workers'], description: 'charge the card', subject: 'orders.payment.requested', answers: { restart: 'no', fanout: 'one', processing: 'slow', nature: 'request' }, processingTime: '20s' },
      { id: 'audit-log', from: 'api', to: ['audit'], description: 'audit log of orders', subject: 'audit.order.recorded', answers: { restart: 'no' } },
      ...(opts.status
        ? [{ id: 'status', from: 'api', to: ['ui'], description: 'current order status', subject: 'status.order.current', answers: { restart: 'yes' as const, fanout: 'all' as const, processing: 'fast' as const, nature: 'fact' as const } }]
        : []),
    ],
  };
}

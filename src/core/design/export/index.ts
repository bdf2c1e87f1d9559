/** The export formats of `nats-flow export` and the designer. */
import type { FlowDesign } from '../model';
import { planDesign, type Plan, type PlanOptions } from '../plan';
import { exportAsyncApi } from './asyncapi';
import { exportCompose } from './compose';
import { exportMermaid } from './mermaid';
import { exportNack } from './nack';
import { exportNatsCli } from './natscli';
import type { ExportResult } from './files';

export const EXPORT_FORMATS = ['natscli', 'nack', 'compose', 'mermaid', 'asyncapi'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Formats that write one file (to stdout when no --out is given). */
export const SINGLE_FILE_FORMATS: readonly ExportFormat[] = ['nack', 'mermaid', 'asyncapi'];

export function exportDesign(format: ExportFormat, design: FlowDesign, opts: PlanOptions & { server?: string } = {}): ExportResult {
  // docker-compose runs one server: R3 would be refused there
  const plan: Plan = planDesign(design, format === 'compose' ? { ...opts, maxReplicas: 1 } : opts);
  switch (format) {
    case 'natscli':
      return exportNatsCli(plan);
    case 'nack':
      return exportNack(plan);
    case 'compose':
      return exportCompose(plan);
    case 'mermaid':
      return { files: [{ path: `${design.name}.md`, content: exportMermaid(design, plan) }], notes: [] };
    case 'asyncapi':
      return exportAsyncApi(design, plan, opts.server ? { server: opts.server } : {});
  }
}

export type { ExportResult, ExportFile } from './files';
export { asyncApiDocument, NATS_BINDING_VERSION } from './asyncapi';
export { kvAddArgs } from './natscli';
export { NACK_API_VERSION } from './nack';

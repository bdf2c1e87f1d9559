/**
 * Runtime checks for the designer's messages (types in `designProtocol.ts`). Dependency-free
 * apart from the shared validators, so the webview bundle imports it. A design that crosses
 * the boundary is only checked as bounded JSON here; the host then runs the design loader's
 * own validation (src/core/design) before anything is written.
 */
import type { FlowDesign } from '../core/design';
import type {
  DesignApplyResult,
  DesignChangeView,
  DesignDocumentState,
  DesignLiveState,
  DesignPreviewResult,
  DesignServerState,
  TailTarget,
} from './designProtocol';
import { arrayOf, bool, isPlainObject, jsonValue, num, object, oneOf, optional, str, ValidationError, type Check } from './validate';

/** 2 MB of design text is far beyond any real design (the 200/400 benchmark is ~250 KB). */
export const MAX_DESIGN_TEXT = 2_000_000;

export const checkDocument = object({ text: str(MAX_DESIGN_TEXT), version: num, fileName: str(1_000), external: bool }) as Check<DesignDocumentState>;

export const checkServer = object({ connected: bool, name: optional(str(500)) }) as Check<DesignServerState>;

const changeView = object({
  kind: oneOf('stream', 'consumer', 'bucket', 'object store'),
  name: str(1_000),
  stream: optional(str(1_000)),
  action: oneOf('create', 'update', 'unchanged', 'cannot-change', 'extra', 'delete'),
  details: arrayOf(str(5_000), 200),
  reason: optional(str(5_000)),
}) as Check<DesignChangeView>;

const replicasView = object({
  server: str(1_000),
  max: optional(num),
  most: optional(num),
  over: arrayOf(object({ object: str(1_000), planned: num }), 5_000),
  capped: arrayOf(object({ object: str(1_000), planned: num, capped: num }), 5_000),
  cap: optional(num),
});

export const checkPreview = object({ ok: bool, message: str(10_000), server: optional(str(500)), changes: arrayOf(changeView, 5_000), replicas: optional(replicasView) }) as Check<DesignPreviewResult>;

export const checkApplyResult = object({
  ok: bool,
  cancelled: bool,
  message: str(10_000),
  steps: arrayOf(object({ label: str(2_000), status: oneOf('done', 'failed', 'skipped'), error: optional(str(5_000)) }), 5_000),
}) as Check<DesignApplyResult>;

export const checkLive = object({
  at: str(100),
  streams: arrayOf(object({ name: str(1_000), exists: bool, messages: num, bytes: num, rate: num }), 5_000),
  consumers: arrayOf(object({ stream: str(1_000), name: str(1_000), exists: bool, pending: num, ackPending: num }), 5_000),
  buckets: arrayOf(object({ name: str(1_000), exists: bool, values: num }), 5_000),
}) as Check<DesignLiveState>;

/** A design-shaped JSON object: bounded JSON with components and paths lists (the loader checks the rest). */
export const checkDesignValue: Check<FlowDesign> = (v, path) => {
  const value = jsonValue(16)(v, path);
  if (!isPlainObject(value) || !Array.isArray(value.components) || !Array.isArray(value.paths)) {
    throw new ValidationError(path, 'expected a design with "components" and "paths" lists');
  }
  return value as unknown as FlowDesign;
};

export const checkEdit = object({ design: checkDesignValue, label: str(200), baseVersion: num });
export const checkPrune = object({ prune: bool, replicasCap: optional(num) });
export const checkExport = object({ format: oneOf('natscli', 'nack', 'compose', 'mermaid', 'asyncapi') });
export const checkOpenJson = object({ pointer: optional(str(2_000)) });
export const checkScaffold = object({ path: optional(str(1_000)) });
export const checkImport = object({ source: oneOf('server', 'asyncapi') });

export const checkTailTarget: Check<TailTarget> = (v, path) => {
  if (!isPlainObject(v)) throw new ValidationError(path, 'expected a tail target');
  switch (v.source) {
    case 'stream':
      return object({ source: oneOf('stream'), stream: str(1_000), filter: optional(str(2_000)) })(v, path) as TailTarget;
    case 'subject':
      return object({ source: oneOf('subject'), subject: str(2_000) })(v, path) as TailTarget;
    case 'kv':
      return object({ source: oneOf('kv'), bucket: str(1_000), key: optional(str(2_000)) })(v, path) as TailTarget;
    default:
      throw new ValidationError(`${path}.source`, 'expected stream, subject or kv');
  }
};

export const checkEditResult = object({ applied: bool, version: num, message: optional(str(10_000)) });
export const checkExportResult = object({ written: arrayOf(str(4_000), 1_000), message: str(10_000) });
export const checkOpened = object({ opened: bool });
export const checkImportResult = object({ opened: str(4_000), message: str(10_000) });
export const checkTailResult = object({ opened: bool, message: str(10_000) });
export const checkScaffoldResult = object({ message: str(10_000) });
export const checkRendered = object({ version: num, nodes: num, edges: num, findings: num, problems: num, ms: num });

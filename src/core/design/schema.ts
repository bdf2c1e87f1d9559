/**
 * The JSON Schema shipped as media/schemas/natsflow.json (package.json jsonValidation), made
 * from the same catalogues the loader checks against, so hand editing in VS Code gets the
 * completion and validation the planner agrees with. `node --import tsx scripts/design-schema.ts`
 * rewrites the file; a unit test fails when it is out of date.
 */
import { OBJECT_STORE_FIELDS, OVERRIDE_FIELDS, type FieldKind } from './fields';
import { COMPONENT_KINDS, PATH_PRIMITIVES } from './model';
import { DECISION_TESTS } from '../decide';
const duration = {
  anyOf: [
    { type: 'string', pattern: '^(0|(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h|d|w))+)$' },
    { type: 'integer', minimum: 0 },
  ],
  description: 'A duration such as "30s", "2m", "168h", "7d", or nanoseconds.',
};
const size = {
  anyOf: [
    { type: 'string', pattern: '^-?\\d+(\\.\\d+)?\\s*([kKmMgGtT]([iI]?[bB])?|[bB])?$' },
    { type: 'integer', minimum: -1 },
  ],
  description: 'A size such as "500MB", "1GB" (1024-based), or bytes; -1 for no limit.',
};
function fieldSchema(k: FieldKind): object {
  switch (k.type) {
    case 'string':
      return k.allowEmpty ? { type: 'string' } : { type: 'string', minLength: 1 };
    case 'subjects':
      return { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } };
    case 'enum':
      return { enum: k.values };
    case 'int':
      return { type: 'integer', ...(k.min !== undefined ? { minimum: k.min } : {}), ...(k.max !== undefined ? { maximum: k.max } : {}) };
    case 'duration':
      return duration;
    case 'durations':
      return { type: 'array', minItems: 1, items: duration };
    case 'size':
      return size;
    case 'bool':
      return { type: 'boolean' };
  }
}
const group = (t: keyof typeof OVERRIDE_FIELDS, keyDesc: string) => ({
  type: 'object',
  description: keyDesc,
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(OVERRIDE_FIELDS[t]).map(([n, k]) => [n, fieldSchema(k)])),
  },
});
const id = { type: 'string', pattern: '^[A-Za-z0-9_-]+$' };
export function designJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'NATS Flow design (*.natsflow.json)',
    type: 'object',
    additionalProperties: false,
    required: ['version', 'name', 'environment', 'components', 'paths'],
    properties: {
      $schema: { type: 'string' },
      version: { const: 1 },
      name: { type: 'string', minLength: 1 },
      description: { type: 'string', minLength: 1 },
      environment: { enum: ['production', 'development'], description: 'production: R3 streams and buckets; development: R1 (seed 001).' },
      components: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'kind', 'name'],
          properties: {
            id,
            kind: { enum: COMPONENT_KINDS },
            name: { type: 'string', minLength: 1 },
            description: { type: 'string', minLength: 1 },
            position: { type: 'object', additionalProperties: false, required: ['x', 'y'], properties: { x: { type: 'number' }, y: { type: 'number' } } },
            guessed: { type: 'boolean', description: 'Set by import: guessed from server objects.' },
          },
        },
      },
      paths: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'from', 'to', 'description', 'subject', 'answers'],
          properties: {
            id,
            from: { type: 'string', minLength: 1, description: 'Publishing component id.' },
            to: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 }, description: 'Receiving component ids.' },
            description: { type: 'string', minLength: 1 },
            subject: {
              type: 'string',
              minLength: 1,
              pattern: '^[^\\s]+$',
              description: '{domain}.{entity}.{event} (seed 001); KV paths: {bucket}.{key pattern}.',
            },
            answers: {
              type: 'object',
              additionalProperties: false,
              properties: Object.fromEntries(DECISION_TESTS.map((t) => [t.id, { enum: t.options.map((o) => o.answer), description: t.question }])),
            },
            primitive: { enum: [...PATH_PRIMITIVES, 'undecided'] },
            override: {
              type: 'object',
              additionalProperties: false,
              required: ['primitive', 'reason'],
              properties: { primitive: { enum: PATH_PRIMITIVES }, reason: { type: 'string', minLength: 1 } },
            },
            processingTime: duration,
            inProgressAcks: { type: 'boolean' },
            rate: { type: 'number', minimum: 0, description: 'Expected messages per second.' },
            queueGroup: { type: 'string', pattern: '^[^\\s.*>]+$' },
            deadLetter: {
              type: 'object',
              additionalProperties: false,
              required: ['mode'],
              properties: { mode: { enum: ['stream', 'external', 'none'] }, reason: { type: 'string', minLength: 1 } },
            },
            schema: { type: 'object', description: 'JSON Schema of the message payload.' },
            guessed: { type: 'array', items: { type: 'string' } },
          },
        },
      },
      objectStores: {
        type: 'array',
        description: 'Object stores the design needs (large blobs).',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['bucket'],
          properties: {
            bucket: { type: 'string', pattern: '^[-\\w]+$' },
            components: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Component ids that use it.' },
            ...Object.fromEntries(Object.entries(OBJECT_STORE_FIELDS).map(([n, k]) => [n, fieldSchema(k)])),
          },
        },
      },
      overrides: {
        type: 'object',
        additionalProperties: false,
        properties: {
          streams: group('streams', 'Keyed by bounded context (the first subject token). JetStream API field names.'),
          consumers: group('consumers', 'Keyed by "<path id>/<receiver component id>". JetStream API field names.'),
          buckets: group('buckets', "Keyed by bucket context (the KV path subject's first token)."),
        },
      },
    },
  };
}

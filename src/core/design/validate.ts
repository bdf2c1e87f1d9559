/**
 * Loads a `*.natsflow.json` text: JSON syntax, then the shape (the same rules as the shipped
 * JSON Schema, media/schemas/natsflow.json), then references between parts. Every problem
 * names the bad field as a JSON pointer with its line, so nothing is planned or applied
 * from a design that does not say what it means.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser/lib/esm/main.js'; // the ESM build: esbuild cannot bundle the UMD one (it requires './impl/…' at run time)
import { isAnswerFor, allowedAnswers, ENVIRONMENTS, TEST_IDS } from '../decide';
import { COMPONENT_KINDS, DESIGN_VERSION, PATH_PRIMITIVES, type FlowDesign } from './model';
import { OBJECT_STORE_FIELDS, OVERRIDE_FIELDS, normalizeField, type FieldKind, type OverrideTarget } from './fields';
import { queueGroupIssue, subjectIssue } from './subjects';
import { parseDuration } from './units';

export interface DesignProblem {
  /** RFC 6901 JSON pointer of the bad value, "" for the whole document. */
  pointer: string;
  message: string;
  /** 1-based line and column when the text is known. */
  line?: number;
  column?: number;
}

export type LoadResult = { ok: true; design: FlowDesign; problems: [] } | { ok: false; problems: DesignProblem[] };

const ID_RE = /^[A-Za-z0-9_-]+$/;

function escapePointer(seg: string | number): string {
  return String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(path: readonly (string | number)[]): string {
  return path.map((s) => `/${escapePointer(s)}`).join('');
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly problems: { path: (string | number)[]; message: string }[] = [];

  add(path: (string | number)[], message: string): void {
    this.problems.push({ path, message });
  }

  keys(path: (string | number)[], v: Obj, allowed: readonly string[], required: readonly string[] = []): void {
    for (const k of required) if (!(k in v)) this.add(path, `missing required field "${k}"`);
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.add([...path, k], `unknown field "${k}" (allowed: ${allowed.join(', ')})`);
  }

  string(path: (string | number)[], v: unknown, opts: { optional?: boolean; pattern?: RegExp; what?: string } = {}): v is string {
    if (v === undefined && opts.optional) return false;
    if (typeof v !== 'string' || v.length === 0) {
      this.add(path, `must be a non-empty string`);
      return false;
    }
    if (opts.pattern && !opts.pattern.test(v)) {
      this.add(path, `"${v}" is not a valid ${opts.what ?? 'value'}`);
      return false;
    }
    return true;
  }

  oneOf(path: (string | number)[], v: unknown, values: readonly string[], optional = false): void {
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || !values.includes(v)) this.add(path, `must be one of ${values.join(', ')} (got ${JSON.stringify(v)})`);
  }
}

/** Checks a parsed value; problems carry pointers but no lines. */
export function validateDesign(value: unknown): { design?: FlowDesign; problems: DesignProblem[] } {
  const c = new Checker();
  if (!isObj(value)) {
    c.add([], 'a design is a JSON object with "version", "name", "environment", "components" and "paths"');
    return { problems: c.problems.map((p) => ({ pointer: pointerOf(p.path), message: p.message })) };
  }
  c.keys([], value, ['$schema', 'version', 'name', 'description', 'environment', 'components', 'paths', 'objectStores', 'overrides'], ['version', 'name', 'environment', 'components', 'paths']);
  if ('version' in value && value.version !== DESIGN_VERSION) c.add(['version'], `must be ${DESIGN_VERSION} (got ${JSON.stringify(value.version)})`);
  if ('name' in value) c.string(['name'], value.name);
  if ('description' in value) c.string(['description'], value.description);
  if ('$schema' in value) c.string(['$schema'], value.$schema);
  if ('environment' in value) c.oneOf(['environment'], value.environment, ENVIRONMENTS);

  const componentIds = new Set<string>();
  if ('components' in value) {
    if (!Array.isArray(value.components)) c.add(['components'], 'must be a list of components');
    else
      value.components.forEach((comp, i) => {
        const p = ['components', i];
        if (!isObj(comp)) return c.add(p, 'a component is an object with "id", "kind" and "name"');
        c.keys(p, comp, ['id', 'kind', 'name', 'description', 'position', 'guessed'], ['id', 'kind', 'name']);
        if (c.string([...p, 'id'], comp.id, { pattern: ID_RE, what: 'id (letters, digits, "-", "_")' })) {
          if (componentIds.has(comp.id)) c.add([...p, 'id'], `duplicate component id "${comp.id}"`);
          componentIds.add(comp.id);
        }
        if ('kind' in comp) c.oneOf([...p, 'kind'], comp.kind, COMPONENT_KINDS);
        if ('name' in comp) c.string([...p, 'name'], comp.name);
        if ('description' in comp) c.string([...p, 'description'], comp.description);
        if ('guessed' in comp && typeof comp.guessed !== 'boolean') c.add([...p, 'guessed'], 'must be true or false');
        if ('position' in comp) {
          const pos = comp.position;
          if (!isObj(pos)) c.add([...p, 'position'], 'must be {"x": number, "y": number}');
          else {
            c.keys([...p, 'position'], pos, ['x', 'y'], ['x', 'y']);
            for (const k of ['x', 'y'] as const) if (k in pos && (typeof pos[k] !== 'number' || !Number.isFinite(pos[k]))) c.add([...p, 'position', k], 'must be a number');
          }
        }
      });
  }

  const pathIds = new Map<string, string[]>();
  if ('paths' in value) {
    if (!Array.isArray(value.paths)) c.add(['paths'], 'must be a list of paths');
    else
      value.paths.forEach((path, i) => {
        const p = ['paths', i];
        if (!isObj(path)) return c.add(p, 'a path is an object with "id", "from", "to", "description", "subject" and "answers"');
        c.keys(
          p,
          path,
          ['id', 'from', 'to', 'description', 'subject', 'answers', 'primitive', 'override', 'schema', 'rate', 'processingTime', 'inProgressAcks', 'queueGroup', 'deadLetter', 'guessed'],
          ['id', 'from', 'to', 'description', 'subject', 'answers'],
        );
        let id: string | undefined;
        if (c.string([...p, 'id'], path.id, { pattern: ID_RE, what: 'id (letters, digits, "-", "_")' })) {
          id = path.id;
          if (pathIds.has(id)) c.add([...p, 'id'], `duplicate path id "${id}"`);
        }
        if (c.string([...p, 'from'], path.from) && componentIds.size && !componentIds.has(path.from)) {
          c.add([...p, 'from'], `no component has id "${path.from}"`);
        }
        const receivers: string[] = [];
        if ('to' in path) {
          if (!Array.isArray(path.to)) c.add([...p, 'to'], 'must be a list of component ids');
          else
            path.to.forEach((t, j) => {
              if (!c.string([...p, 'to', j], t)) return;
              if (componentIds.size && !componentIds.has(t)) c.add([...p, 'to', j], `no component has id "${t}"`);
              if (receivers.includes(t)) c.add([...p, 'to', j], `"${t}" is listed twice`);
              receivers.push(t);
            });
        }
        if (id) pathIds.set(id, receivers);
        if ('description' in path) c.string([...p, 'description'], path.description);
        if (c.string([...p, 'subject'], path.subject)) {
          const issue = subjectIssue(path.subject);
          if (issue) c.add([...p, 'subject'], `subject "${path.subject}" ${issue}`);
        }
        if ('answers' in path) {
          const a = path.answers;
          if (!isObj(a)) c.add([...p, 'answers'], `must be an object with any of ${TEST_IDS.join(', ')}`);
          else {
            c.keys([...p, 'answers'], a, TEST_IDS);
            for (const t of TEST_IDS) if (t in a && !isAnswerFor(t, a[t])) c.add([...p, 'answers', t], `must be one of ${allowedAnswers(t).join(', ')} (got ${JSON.stringify(a[t])})`);
          }
        }
        if ('primitive' in path) c.oneOf([...p, 'primitive'], path.primitive, [...PATH_PRIMITIVES, 'undecided']);
        if ('override' in path) {
          const o = path.override;
          if (!isObj(o)) c.add([...p, 'override'], 'must be {"primitive": …, "reason": …}');
          else {
            c.keys([...p, 'override'], o, ['primitive', 'reason'], ['primitive', 'reason']);
            if ('primitive' in o) c.oneOf([...p, 'override', 'primitive'], o.primitive, PATH_PRIMITIVES);
            if ('reason' in o) c.string([...p, 'override', 'reason'], o.reason);
          }
        }
        if ('schema' in path && !isObj(path.schema)) c.add([...p, 'schema'], 'must be a JSON Schema object');
        if ('rate' in path && (typeof path.rate !== 'number' || !(path.rate >= 0))) c.add([...p, 'rate'], 'must be a number of messages per second ≥ 0');
        if ('processingTime' in path && parseDuration(path.processingTime) === undefined) {
          c.add([...p, 'processingTime'], `must be a duration such as "500ms", "45s", "5m" (got ${JSON.stringify(path.processingTime)})`);
        }
        if ('inProgressAcks' in path && typeof path.inProgressAcks !== 'boolean') c.add([...p, 'inProgressAcks'], 'must be true or false');
        if ('queueGroup' in path && c.string([...p, 'queueGroup'], path.queueGroup)) {
          const issue = queueGroupIssue(path.queueGroup);
          if (issue) c.add([...p, 'queueGroup'], `queue group "${path.queueGroup}" ${issue}`);
        }
        if ('deadLetter' in path) {
          const d = path.deadLetter;
          if (!isObj(d)) c.add([...p, 'deadLetter'], 'must be {"mode": "stream"|"external"|"none", "reason"?: …}');
          else {
            c.keys([...p, 'deadLetter'], d, ['mode', 'reason'], ['mode']);
            if ('mode' in d) c.oneOf([...p, 'deadLetter', 'mode'], d.mode, ['stream', 'external', 'none']);
            if ('reason' in d) c.string([...p, 'deadLetter', 'reason'], d.reason);
            if (d.mode === 'external' && !d.reason) c.add([...p, 'deadLetter'], 'an external dead-letter plan needs a "reason" saying where failed messages go');
          }
        }
        if ('guessed' in path && !(Array.isArray(path.guessed) && path.guessed.every((g) => typeof g === 'string'))) c.add([...p, 'guessed'], 'must be a list of field names');
      });
  }

  if ('objectStores' in value) {
    if (!Array.isArray(value.objectStores)) c.add(['objectStores'], 'must be a list of object stores');
    else {
      const seen = new Set<string>();
      value.objectStores.forEach((os, i) => {
        const p = ['objectStores', i];
        if (!isObj(os)) return c.add(p, 'an object store is an object with "bucket"');
        c.keys(p, os, ['bucket', 'components', ...Object.keys(OBJECT_STORE_FIELDS)], ['bucket']);
        if (c.string([...p, 'bucket'], os.bucket, { pattern: /^[-\w]+$/, what: 'object store name (letters, digits, "-", "_")' })) {
          if (seen.has(os.bucket)) c.add([...p, 'bucket'], `duplicate object store "${os.bucket}"`);
          seen.add(os.bucket);
        }
        if ('components' in os) {
          if (!Array.isArray(os.components)) c.add([...p, 'components'], 'must be a list of component ids');
          else os.components.forEach((id, j) => c.string([...p, 'components', j], id) && componentIds.size && !componentIds.has(id) && c.add([...p, 'components', j], `no component has id "${id}"`));
        }
        checkFields(c, p, os, OBJECT_STORE_FIELDS, 'object store', ['bucket', 'components']);
      });
    }
  }

  if ('overrides' in value) {
    const o = value.overrides;
    if (!isObj(o)) c.add(['overrides'], 'must be an object with "streams", "consumers" and/or "buckets"');
    else {
      c.keys(['overrides'], o, ['streams', 'consumers', 'buckets']);
      for (const target of ['streams', 'consumers', 'buckets'] as OverrideTarget[]) {
        if (!(target in o)) continue;
        const group = o[target];
        if (!isObj(group)) {
          c.add(['overrides', target], 'must be an object keyed by ' + (target === 'consumers' ? '"<path id>/<receiver id>"' : 'bounded context (first subject token)'));
          continue;
        }
        for (const [key, fields] of Object.entries(group)) {
          const p = ['overrides', target, key];
          if (target === 'consumers') {
            const [pathId, receiver, ...rest] = key.split('/');
            const receivers = pathIds.get(pathId ?? '');
            if (rest.length || !receiver) c.add(p, `consumer override keys are "<path id>/<receiver id>" (got "${key}")`);
            else if (!receivers) c.add(p, `no path has id "${pathId}"`);
            else if (!receivers.includes(receiver)) c.add(p, `"${receiver}" is not a receiver of path "${pathId}" (receivers: ${receivers.join(', ') || 'none'})`);
          }
          if (!isObj(fields)) {
            c.add(p, 'must be an object of JetStream API fields');
            continue;
          }
          checkFields(c, p, fields, OVERRIDE_FIELDS[target], target.slice(0, -1));
        }
      }
    }
  }

  const problems = c.problems.map((p) => ({ pointer: pointerOf(p.path), message: p.message }));
  return problems.length ? { problems } : { design: value as unknown as FlowDesign, problems };
}

/** Each field of `obj` against a catalogue (object-store settings, overrides); `skip` fields are checked elsewhere. */
function checkFields(c: Checker, p: (string | number)[], obj: Obj, known: Record<string, FieldKind>, what: string, skip: readonly string[] = []): void {
  for (const [field, v] of Object.entries(obj)) {
    if (skip.includes(field)) continue;
    const kind = known[field];
    if (!kind) {
      c.add([...p, field], `unknown ${what} field "${field}" (known: ${Object.keys(known).join(', ')})`);
      continue;
    }
    const r = normalizeField(kind, v);
    if ('problem' in r) c.add([...p, field], `${field} ${r.problem} (got ${JSON.stringify(v)})`);
    else if (kind.type === 'subjects') {
      for (const [j, s] of (v as string[]).entries()) {
        const issue = subjectIssue(s);
        if (issue) c.add([...p, field, j], `subject "${s}" ${issue}`);
      }
    }
  }
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/**
 * Parses and checks a design file's text. A valid design (every keystroke in the designer's
 * common case) costs one JSON.parse and the checks; the position-keeping parse tree, which
 * only serves to give problems their lines, is built when there is a problem to place.
 */
export function loadDesign(text: string): LoadResult {
  let value: unknown;
  let parsed = false;
  try {
    value = JSON.parse(text);
    parsed = true;
  } catch {
    // the tree parser below names the error and its place
  }
  const r = parsed ? validateDesign(value) : undefined;
  if (r?.design) return { ok: true, design: r.design, problems: [] };
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (!tree && !errors.length) return { ok: false, problems: [{ pointer: '', message: 'the file is empty', line: 1, column: 1 }] };
  if (errors.length || !tree) {
    const problems = errors.map((e) => ({ pointer: '', message: `JSON syntax: ${printParseErrorCode(e.error)}`, ...lineCol(text, e.offset) }));
    return { ok: false, problems };
  }
  if (!r) return { ok: false, problems: [{ pointer: '', message: 'JSON syntax: the text is not JSON', line: 1, column: 1 }] };
  return {
    ok: false,
    problems: r.problems.map((p) => {
      const node = nodeAt(tree, p.pointer);
      return node ? { ...p, ...lineCol(text, node.offset) } : p;
    }),
  };
}

/** The deepest node on the pointer's path (a missing field points at its parent). */
function nodeAt(tree: Node, pointer: string): Node | undefined {
  const segs = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  for (let n = segs.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, segs.slice(0, n));
    if (node) {
      // a property value's node: point at its key when the problem is the key itself
      return node.parent?.type === 'property' && n === segs.length ? node.parent : node;
    }
  }
  return undefined;
}

export function formatProblems(file: string, problems: readonly DesignProblem[]): string {
  return problems.map((p) => `${file}${p.line ? `:${p.line}:${p.column}` : ''}: ${p.pointer || '(document)'}: ${p.message}`).join('\n');
}

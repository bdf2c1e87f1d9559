/**
 * A design from an AsyncAPI 3.x document (YAML or JSON): each channel becomes a path whose
 * subject is the channel address; `send` operations give the publishing component and
 * `receive` operations the receivers (a NATS `queue` binding becomes the path's queue
 * group). The four heuristic answers come from the pre-classifier of seed 000 run on the
 * channel's description, and are marked guessed. Documents written by `nats-flow export
 * --format asyncapi` carry `x-nats-flow` extensions, so they round-trip exactly.
 */
import { parse } from 'yaml';
import { classify, TEST_IDS } from '../decide';
import type { Component, DesignAnswers, FlowDesign, FlowPath } from './model';
import type { ImportResult } from './fromServer';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const safeId = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^-+|-+$/g, '') || 'x';

export class AsyncApiImportError extends Error {
  override name = 'AsyncApiImportError';
}

function inferAnswers(description: string): DesignAnswers {
  const inf = classify(description);
  const out: Record<string, string> = {};
  for (const t of TEST_IDS) if (inf[t] && inf[t]!.answer !== 'unsure') out[t] = inf[t]!.answer;
  return out as DesignAnswers;
}

export function designFromAsyncApi(text: string): ImportResult {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new AsyncApiImportError(`not YAML or JSON: ${(err as Error).message}`);
  }
  if (!isObj(doc) || typeof doc.asyncapi !== 'string') throw new AsyncApiImportError('not an AsyncAPI document (no "asyncapi" version field)');
  if (!doc.asyncapi.startsWith('3.')) throw new AsyncApiImportError(`AsyncAPI ${doc.asyncapi}: only 3.x documents are read (convert a 2.x document with the AsyncAPI CLI: asyncapi convert)`);
  const notes: string[] = [];
  const meta = isObj(doc['x-nats-flow']) ? doc['x-nats-flow'] : undefined;
  const title = isObj(doc.info) && typeof doc.info.title === 'string' ? doc.info.title : 'asyncapi';
  const appId = safeId(title.toLowerCase());
  const components: Component[] = Array.isArray(meta?.components) ? meta!.components.map((c: Obj) => ({ ...c }) as Component) : [];
  const ensure = (id: string, c: Omit<Component, 'id'>) => {
    if (!components.some((x) => x.id === id)) components.push({ id, ...c });
    return id;
  };

  const channels = isObj(doc.channels) ? doc.channels : {};
  const operations = isObj(doc.operations) ? doc.operations : {};
  const opsOf = (key: string) => Object.values(operations).filter((o): o is Obj => isObj(o) && isObj(o.channel) && o.channel.$ref === `#/channels/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  const paths: FlowPath[] = [];
  let row = 0;
  for (const [key, ch] of Object.entries(channels)) {
    if (!isObj(ch)) continue;
    const id = safeId(key);
    const address = typeof ch.address === 'string' ? ch.address : key;
    // AsyncAPI parameters {name} stand for one token: a "*" on NATS
    const subject = address.replace(/\{[^}]+\}/g, '*');
    const ops = opsOf(key);
    const description = (typeof ch.description === 'string' && ch.description) || ops.find((o) => typeof o.summary === 'string')?.summary || `Messages on ${address}`;
    const flow = isObj(ch['x-nats-flow']) ? ch['x-nats-flow'] : undefined;
    const guessed: string[] = [];
    const senders = ops.filter((o) => o.action === 'send');
    const receivers = ops.filter((o) => o.action === 'receive');
    let from: string;
    if (senders[0]?.['x-nats-flow-component']) from = String(senders[0]['x-nats-flow-component']);
    else if (senders.length) from = ensure(appId, { kind: 'service', name: title, position: { x: 0, y: 0 } });
    else {
      from = ensure(safeId(`${id}-publisher`), { kind: 'external', name: `Publishers on ${address}`, position: { x: 0, y: ++row * 160 }, guessed: true });
      guessed.push('from');
    }
    if (senders.length > 1) notes.push(`channel ${key}: ${senders.length} send operations; the first names the publisher`);
    const to: string[] = [];
    let queueGroup: string | undefined;
    for (const r of receivers) {
      const comp = r['x-nats-flow-component'] ? String(r['x-nats-flow-component']) : ensure(appId, { kind: 'service', name: title, position: { x: 600, y: 0 } });
      if (!to.includes(comp)) to.push(comp);
      const q = isObj(r.bindings) && isObj(r.bindings.nats) && typeof r.bindings.nats.queue === 'string' ? r.bindings.nats.queue : undefined;
      if (q && !r['x-nats-jetstream-consumer']) queueGroup = q;
    }
    const msg = isObj(ch.messages) ? Object.values(ch.messages).find(isObj) : undefined;
    const payload = msg && isObj(msg.payload) ? msg.payload : undefined;
    const trivial = payload && Object.keys(payload).length === 1 && payload.type === 'object';
    let answers: DesignAnswers;
    if (flow && isObj(flow.answers)) answers = flow.answers as DesignAnswers;
    else {
      answers = inferAnswers(description);
      guessed.push('answers');
    }
    const path: FlowPath = {
      id,
      from,
      to,
      description,
      subject,
      answers,
      ...(flow?.primitive ? { primitive: flow.primitive } : {}),
      ...(flow?.override ? { override: flow.override } : {}),
      ...(flow?.processingTime ? { processingTime: flow.processingTime } : {}),
      ...(flow?.inProgressAcks !== undefined ? { inProgressAcks: flow.inProgressAcks } : {}),
      ...(flow?.rate !== undefined ? { rate: flow.rate } : {}),
      ...(queueGroup ? { queueGroup } : {}),
      ...(flow?.deadLetter ? { deadLetter: flow.deadLetter } : {}),
      ...(payload && !trivial ? { schema: payload } : {}),
      ...(guessed.length ? { guessed } : {}),
    };
    paths.push(path);
  }
  for (const c of components) if (!c.position) c.position = { x: 0, y: 0 };
  const design: FlowDesign = {
    version: 1,
    name: title,
    ...(isObj(doc.info) && typeof doc.info.description === 'string' ? { description: doc.info.description } : {}),
    environment: meta?.environment === 'production' ? 'production' : 'development',
    components,
    paths,
    ...(Array.isArray(meta?.objectStores) ? { objectStores: meta!.objectStores } : {}),
    ...(isObj(meta?.overrides) ? { overrides: meta!.overrides } : {}),
  };
  if (!paths.length) notes.push('the document has no channels: the design has no paths');
  return { design, notes };
}

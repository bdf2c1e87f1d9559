/** TypeScript KV watcher, idempotent publisher and request/reply. */
import { formatDuration } from '../../decide';
import type { ScaffoldFile, ScaffoldSpec } from '../spec';
import { ms, q, tsProjectFiles } from './common';
import { tsTopology } from './topology';
import { liveFlagDeclaration, tsLiveCheck } from '../bootstrap';

function kvWatcherTs(spec: ScaffoldSpec): string {
  const b = spec.bucket;
  return `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { JetStreamApiCodes, JetStreamApiError, StorageType, jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

// Settings from ${spec.source}.
export const BUCKET = ${q(b.bucket)};
export const KEYS = ${q(spec.keyPattern)};
// the watcher's cursor (seed 004: "your subscriber owns the cursor"): the last revision handled
const CURSOR_FILE = process.env.KV_CURSOR_FILE ?? '.' + BUCKET + '.cursor';

/** One key's state: a value with its revision. */
export interface KvValue {
  value: Uint8Array;
  revision: number;
}

/** A transition (seed 004): what the key was → what it is, with both revisions. */
export interface KvTransition {
  key: string;
  op: 'PUT' | 'DEL' | 'PURGE';
  /** Undefined when the key was deleted. */
  current?: KvValue;
  /** Undefined for a new key, or for a change made while this watcher was down. */
  previous?: KvValue;
  revision: number;
  /** True for changes made after our cursor but before this start (caught up in bootstrap). */
  whileDown: boolean;
}

export interface KvHandlers {
  /** Bootstrap: a value that existed when the watcher started. Rebuild state; it is not a new event. */
  initial(key: string, value: KvValue): void | Promise<void>;
  /** Bootstrap done (also for an empty bucket): from here on everything is live. */
  ready(keys: number): void | Promise<void>;
  change(t: KvTransition): void | Promise<void>;
}

/** Opens the bucket, creating it when missing. */
export async function openBucket(nc: NatsConnection): Promise<KV> {
  const kvm = new Kvm(nc);
  try {
    const kv = await kvm.open(BUCKET);
    await kv.status(); // open() does not look the bucket up; status() fails when it is missing
    return kv;
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) && !/not found/i.test(String(err))) throw err;
    // history keeps the KV "twofer" audit trail (seed 000); file storage survives restarts
    return kvm.create(BUCKET, { history: ${b.history}, ttl: ${ms(b.ttl)} /* ${formatDuration(b.ttl)}, 0 = never */, replicas: ${b.replicas}, storage: StorageType.File });
  }
}

function readCursor(): number {
  // no cursor yet (first start): everything in the bucket is existing state
  return existsSync(CURSOR_FILE) ? Number(readFileSync(CURSOR_FILE, 'utf8').trim()) || 0 : Number.MAX_SAFE_INTEGER;
}

/**
 * Watches KEYS and tells bootstrap from live (seed 000). A KV watch first replays every
 * current value, then goes live; nats.js gives no end-of-bootstrap signal, the last initial
 * entry already says isUpdate=true, and an empty bucket yields nothing at all. So count the
 * keys up front and end bootstrap at zero, or at the entry whose delta (pending) is 0.
 * Returns a stop function.
 */
export async function watch(nc: NatsConnection, kv: KV, on: KvHandlers): Promise<() => Promise<void>> {
  const cursor = readCursor();
  const jsm = await jetstreamManager(nc);
  // one subject per key, so the number of subjects matching the filter is what bootstrap replays
  const info = await jsm.streams.info('KV_' + BUCKET, { subjects_filter: '$KV.' + BUCKET + '.' + KEYS });
  const expected = Object.keys(info.state.subjects ?? {}).length;
  const state = new Map<string, KvValue>();
  ${liveFlagDeclaration('ts')}
  let lastRevision = 0;
  const goLive = async () => {
    live = true;
    await on.ready(state.size);
  };
  const watcher = await kv.watch({ key: KEYS });
  if (expected === 0) await goLive();
  // safety net: keys counted above can be purged before the watch starts, and then no entry
  // with delta 0 comes; after 5 s without a bootstrap entry, bootstrap is over
  let lastEntry = Date.now();
  let busy = false;
  const fallback = setInterval(() => {
    if (live) clearInterval(fallback);
    else if (!busy && Date.now() - lastEntry > 5000) {
      clearInterval(fallback);
      console.warn('no bootstrap entry for 5 s: going live');
      void goLive();
    }
  }, 1000);
  const loop = (async () => {
    for await (const e of watcher) {
      busy = true;
      await handleEntry(e);
      ${tsLiveCheck('e', 'await goLive()')}
      busy = false;
      lastEntry = Date.now();
    }
  })();

  async function handleEntry(e: KvEntry): Promise<void> {
    const op = e.operation;
    const current = op === 'PUT' ? { value: e.value, revision: e.revision } : undefined;
    const previous = state.get(e.key);
    if (current) state.set(e.key, current);
    else state.delete(e.key);
    if (!live && e.revision <= cursor) {
      // seen before this restart: state, not news
      if (current) await on.initial(e.key, current);
    } else {
      const whileDown = !live;
      // a delete we never saw the value of is noise during bootstrap
      if (!(whileDown && !current && !previous)) {
        await on.change({ key: e.key, op, current, previous: whileDown ? undefined : previous, revision: e.revision, whileDown });
      }
    }
    if (e.revision > lastRevision) {
      lastRevision = e.revision;
      writeFileSync(CURSOR_FILE, String(lastRevision));
    }
  }

  return async () => {
    clearInterval(fallback);
    watcher.stop();
    await loop;
  };
}

/**
 * Compare-and-set: read, compute the new value, write only if nobody wrote in between (the
 * expected revision), else read again and retry. create() refuses an existing key and
 * update() a moved revision with the same "wrong last sequence" error.
 */
export async function updateWithRetry(kv: KV, key: string, change: (current: Uint8Array | undefined) => Uint8Array, attempts = 20): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const entry = await kv.get(key);
    const existing = entry && entry.operation === 'PUT' ? entry : undefined;
    const next = change(existing?.value);
    try {
      return existing ? await kv.update(key, next, existing.revision) : await kv.create(key, next);
    } catch (err) {
      const conflict = err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamWrongLastSequence;
      if (!conflict || attempt >= attempts) throw err;
    }
  }
}
`;
}

function kvMain(spec: ScaffoldSpec): string {
  return `import { connectFromEnv, shutdownOnSignal } from './connection.js';
import { openBucket, updateWithRetry, watch, BUCKET, KEYS } from './kvWatcher.js';
import { handlers } from './handler.js';

const nc = await connectFromEnv(${q(spec.project)});
const kv = await openBucket(nc);

if (process.argv[2] === 'incr' && process.argv[3]) {
  // \`main.js incr KEY\`: a counter bumped with compare-and-set, safe with many writers
  const key = process.argv[3];
  const rev = await updateWithRetry(kv, key, (cur) => new TextEncoder().encode(String(Number(cur ? new TextDecoder().decode(cur) : '0') + 1)));
  console.log('updated ' + key + ' revision=' + rev);
  await nc.drain();
} else {
  const stop = await watch(nc, kv, handlers);
  shutdownOnSignal(nc, stop);
  console.log('watching ' + BUCKET + ' ' + KEYS);
}
`;
}

const KV_HANDLER = `import type { KvHandlers } from './kvWatcher.js';

const text = (v: Uint8Array) => new TextDecoder().decode(v);

/** Your reactions. Keep them fast and idempotent: every watcher sees every change. */
export const handlers: KvHandlers = {
  initial(key, v) {
    console.log('initial ' + key + '=' + text(v.value) + ' rev=' + v.revision);
  },
  ready(keys) {
    console.log('live after bootstrap of ' + keys + ' keys');
  },
  change(t) {
    const from = t.previous ? text(t.previous.value) + '@' + t.previous.revision : '(none)';
    const to = t.current ? text(t.current.value) + '@' + t.current.revision : '(' + t.op.toLowerCase() + ')';
    console.log('change ' + t.key + ' ' + from + ' -> ' + to + (t.whileDown ? ' while down' : ''));
  },
};
`;

export function tsKvWatcher(spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    ...tsProjectFiles(spec, ['main'], true),
    { path: 'src/kvWatcher.ts', content: kvWatcherTs(spec) },
    { path: 'src/main.ts', content: kvMain(spec) },
    { path: 'src/handler.ts', content: KV_HANDLER },
  ];
}

const PUBLISHER_TS = `import { JetStreamApiError, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

export interface Published {
  seq: number;
  /** The stream already had this Nats-Msg-Id within its duplicate window: nothing was stored. */
  duplicate: boolean;
}

/**
 * Publishes with a Nats-Msg-Id and waits for the stream's ack. Retrying with the SAME id is
 * safe: if the first attempt did land, the stream drops the retry and says duplicate. The id
 * must come from the business event (order id + event), never be random per attempt.
 * Dedupe only lasts the stream's duplicate_window.
 */
export async function publishOnce(nc: NatsConnection, subject: string, data: Uint8Array, msgId: string, attempts = 5): Promise<Published> {
  const js = jetstream(nc, { timeout: 2000 });
  for (let attempt = 1; ; attempt++) {
    try {
      const ack = await js.publish(subject, data, { msgID: msgId });
      return { seq: ack.seq, duplicate: ack.duplicate };
    } catch (err) {
      // an API error (no stream for the subject, limits) will not fix itself
      if (err instanceof JetStreamApiError || attempt >= attempts) throw err;
      // a timeout or a lost connection: the message may or may not have landed, retry the same id
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}
`;

function publisherMain(spec: ScaffoldSpec): string {
  return `import { jetstreamManager } from '@nats-io/jetstream';
import { connectFromEnv } from './connection.js';
import { ensureTopology, SUBJECT } from './topology.js';
import { publishOnce } from './publisher.js';
import { buildEvent } from './handler.js';

// \`main.js ID [DATA]\`: publishes one event whose Nats-Msg-Id is ID.
const [id, payload] = process.argv.slice(2);
if (!id) {
  console.error('usage: node dist/main.js ID [DATA]');
  process.exit(2);
}
const nc = await connectFromEnv(${q(spec.project)});
await ensureTopology(await jetstreamManager(nc));
const event = buildEvent(id, payload ?? '');
const r = await publishOnce(nc, event.subject ?? SUBJECT, event.data, event.msgId);
console.log(r.duplicate ? 'duplicate of seq=' + r.seq + ' (id ' + event.msgId + ')' : 'published seq=' + r.seq + ' (id ' + event.msgId + ')');
await nc.drain();
`;
}

const PUBLISHER_HANDLER = `/** Your event: the payload, and a Nats-Msg-Id derived from what makes it unique. */
export function buildEvent(id: string, payload: string): { subject?: string; data: Uint8Array; msgId: string } {
  return { data: new TextEncoder().encode(payload), msgId: id };
}
`;

export function tsPublisher(spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    ...tsProjectFiles(spec, ['main'], false),
    { path: 'src/topology.ts', content: tsTopology(spec, { consumer: false, dlq: false }) },
    { path: 'src/publisher.ts', content: PUBLISHER_TS },
    { path: 'src/main.ts', content: publisherMain(spec) },
    { path: 'src/handler.ts', content: PUBLISHER_HANDLER },
  ];
}

function responderTs(spec: ScaffoldSpec): string {
  return `import { connectFromEnv, shutdownOnSignal } from './connection.js';
import { headers } from '@nats-io/transport-node';
import { respond } from './handler.js';

const SUBJECT = ${q(spec.subject)};
// a queue group: run several responders and each request goes to one of them
const QUEUE = ${q(spec.queue)};

const nc = await connectFromEnv(${q(spec.project + '-responder')});
const sub = nc.subscribe(SUBJECT, { queue: QUEUE });
const loop = (async () => {
  for await (const m of sub) {
    try {
      m.respond(await respond(m.data, m.subject));
    } catch (err) {
      // answer with an error instead of silence, so the requester does not wait for its timeout
      const h = headers(500, err instanceof Error ? err.message : String(err));
      h.set('Nats-Service-Error', err instanceof Error ? err.message : String(err));
      h.set('Nats-Service-Error-Code', '500');
      m.respond(new Uint8Array(), { headers: h });
    }
  }
})();
// drain (not close): requests already received still get their replies
shutdownOnSignal(nc, async () => {
  await sub.drain();
  await loop;
});
console.log('responding on ' + SUBJECT + ' (queue ' + QUEUE + ')');
`;
}

function requesterTs(spec: ScaffoldSpec): string {
  return `import { connectFromEnv } from './connection.js';

const SUBJECT = ${q(spec.subject)};
const nc = await connectFromEnv(${q(spec.project + '-requester')});
try {
  // core request/reply: no responder gives an immediate "no responders" error, a slow one a timeout
  const reply = await nc.request(SUBJECT, new TextEncoder().encode(process.argv[2] ?? ''), { timeout: 5000 });
  const error = reply.headers?.get('Nats-Service-Error');
  if (error) {
    console.error('error reply: ' + error);
    process.exitCode = 1;
  } else console.log('reply: ' + reply.string());
} catch (err) {
  console.error('request failed: ' + (err instanceof Error ? err.message : String(err)));
  process.exitCode = 1;
} finally {
  await nc.drain();
}
`;
}

const RESPONDER_HANDLER = `/** Answer one request. Throw to send an error reply (Nats-Service-Error header). */
export async function respond(data: Uint8Array, subject: string): Promise<Uint8Array> {
  return new TextEncoder().encode('ok: ' + new TextDecoder().decode(data) + ' (' + subject + ')');
}
`;

export function tsResponder(spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    ...tsProjectFiles(spec, ['responder', 'requester'], false),
    { path: 'src/responder.ts', content: responderTs(spec) },
    { path: 'src/requester.ts', content: requesterTs(spec) },
    { path: 'src/handler.ts', content: RESPONDER_HANDLER },
  ];
}

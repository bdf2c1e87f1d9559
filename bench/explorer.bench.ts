/**
 * Explorer listing benchmark: 10,000 streams, one stream with 1,000 consumers and a KV bucket
 * with 20,000 keys on a real nats-server (the test rig), listed three ways in the same run:
 *   ours    — Catalog (what the tree and `nats-flow ls` use)
 *   raw     — nats.js jsm.streams.list() / jsm.consumers.list() / kv.keys()
 *   natscli — `nats stream ls --json` / `nats consumer ls STREAM --json` / `nats kv ls BUCKET`
 *             (a process each)
 * For keys it also reports the consumers each way left on the bucket's stream.
 * Reports time to first page, full listing and heap growth, with ratios, and writes JSON to
 * bench/results/ (git-ignored).
 *
 *   node --import tsx bench/explorer.bench.ts [--streams 10000] [--consumers 1000] [--keys 20000] [--runs 3]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { natsCli, startNatsServer, type NatsServer } from '../test/helpers/natsServer';
import { findNatsCli } from '../test/helpers/binaries';
import { Catalog } from '../src/nats/catalog';
import { median } from './stats';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const { values } = parseArgs({ options: { streams: { type: 'string' }, consumers: { type: 'string' }, keys: { type: 'string' }, runs: { type: 'string' } } });
const N_STREAMS = Number(values.streams ?? 10_000);
const N_CONSUMERS = Number(values.consumers ?? 1_000);
const N_KEYS = Number(values.keys ?? 20_000);
const RUNS = Number(values.runs ?? 3);
const enc = new TextEncoder();

/** Sends `n` JetStream API requests with at most `window` in flight. */
async function windowed(nc: NatsConnection, n: number, window: number, make: (i: number) => { subject: string; body: unknown }): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const { subject, body } = make(i);
      const m = await nc.request(subject, enc.encode(JSON.stringify(body)), { timeout: 30_000 });
      const r = JSON.parse(new TextDecoder().decode(m.data)) as { error?: { description: string } };
      if (r.error) throw new Error(`${subject}: ${r.error.description}`);
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
}

interface Measure {
  firstPageMs?: number;
  fullMs: number;
  items: number;
  heapDeltaMB?: number;
}


async function measure(runs: number, fn: () => Promise<{ firstPageMs?: number; items: number }>): Promise<Measure> {
  const first: number[] = [];
  const full: number[] = [];
  const heap: number[] = [];
  let items = 0;
  for (let i = 0; i < runs; i++) {
    gc();
    const h0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const r = await fn();
    full.push(performance.now() - t0);
    // heap held by the result and what the listing left behind, before collection
    heap.push((process.memoryUsage().heapUsed - h0) / 1024 / 1024);
    if (r.firstPageMs !== undefined) first.push(r.firstPageMs);
    items = r.items;
  }
  return { ...(first.length ? { firstPageMs: median(first) } : {}), fullMs: median(full), items, heapDeltaMB: median(heap) };
}

/** ours: every page through the Catalog (`page()` first, then `page({ offset })` until no `next`). */
async function listPaged(page: (opts?: { offset: number }) => Promise<{ items: unknown[]; next?: number }>): Promise<{ firstPageMs: number; items: number }> {
  const t0 = performance.now();
  const first = await page();
  const firstPageMs = performance.now() - t0;
  let n = first.items.length;
  let offset = first.next;
  while (offset !== undefined) {
    const p = await page({ offset });
    n += p.items.length;
    offset = p.next;
  }
  return { firstPageMs, items: n };
}

/** raw: a nats.js lister drained until it returns an empty page (`list` is timed too). */
async function listRaw(list: () => { next(): Promise<unknown[]> }): Promise<{ firstPageMs: number; items: number }> {
  const t0 = performance.now();
  const lister = list();
  let n = (await lister.next()).length;
  const firstPageMs = performance.now() - t0;
  for (;;) {
    const page = await lister.next();
    if (page.length === 0) break;
    n += page.length;
  }
  return { firstPageMs, items: n };
}

/** natscli: one `nats … ls --json` process, counting the array it prints. */
async function listNatscli(server: NatsServer, args: string[]): Promise<{ items: number }> {
  const r = await natsCli(args, { server, timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(r.stderr);
  return { items: (JSON.parse(r.stdout) as unknown[]).length };
}

async function main(): Promise<void> {
  const started = performance.now();
  const server = await startNatsServer({ extraConfig: 'max_payload: 8MB' });
  const nc = await connect({ servers: server.url });
  console.log(`nats-server ${server.version} at ${server.url}`);

  let t = performance.now();
  await windowed(nc, N_STREAMS, 256, (i) => {
    const name = `S${String(i).padStart(5, '0')}`;
    return { subject: `$JS.API.STREAM.CREATE.${name}`, body: { name, subjects: [`bench.${name}`], storage: 'memory', num_replicas: 1 } };
  });
  console.log(`created ${N_STREAMS} streams in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await windowed(nc, 1, 1, () => ({ subject: '$JS.API.STREAM.CREATE.MANY', body: { name: 'MANY', subjects: ['many.>'], storage: 'memory' } }));
  await windowed(nc, N_CONSUMERS, 128, (i) => {
    const name = `C${String(i).padStart(4, '0')}`;
    return { subject: `$JS.API.CONSUMER.CREATE.MANY.${name}`, body: { stream_name: 'MANY', config: { durable_name: name, ack_policy: 'explicit', filter_subject: `many.${i}` } } };
  });
  console.log(`created ${N_CONSUMERS} consumers in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await new Kvm(nc).create('KEYS', { history: 1, storage: 'memory' as never });
  await windowed(nc, N_KEYS, 512, (i) => ({ subject: `$KV.KEYS.key.${String(i).padStart(6, '0')}`, body: i }));
  console.log(`put ${N_KEYS} keys in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const totalStreams = N_STREAMS + 1;
  const catalog = new Catalog(nc);
  const jsm = await jetstreamManager(nc);
  const cli = findNatsCli();

  const results: Record<string, Record<string, Measure>> = { streams: {}, consumers: {}, keys: {} };

  results.streams.ours = await measure(RUNS, () => listPaged((opts) => catalog.streams(opts)));
  results.streams.raw = await measure(RUNS, () => listRaw(() => jsm.streams.list()));
  if (cli) results.streams.natscli = await measure(RUNS, () => listNatscli(server, ['stream', 'ls', '--json']));

  results.consumers.ours = await measure(RUNS, () => listPaged((opts) => catalog.consumers('MANY', opts)));
  results.consumers.raw = await measure(RUNS, () => listRaw(() => jsm.consumers.list('MANY')));
  if (cli) results.consumers.natscli = await measure(RUNS, () => listNatscli(server, ['consumer', 'ls', 'MANY', '--json']));

  // keys: consumers left on KV_KEYS right after all runs of each way
  const leftOn = async () => (await jsm.streams.info('KV_KEYS')).state.consumer_count;
  const consumersLeft: Record<string, number> = {};
  const base = await leftOn();
  results.keys.ours = await measure(RUNS, () => listPaged((opts) => catalog.kvKeys('KEYS', opts)));
  consumersLeft.ours = (await leftOn()) - base;
  const kv = await new Kvm(nc).open('KEYS');
  results.keys.raw = await measure(RUNS, async () => {
    let n = 0;
    for await (const _k of await kv.keys()) n++;
    return { items: n };
  });
  consumersLeft.raw = (await leftOn()) - base - consumersLeft.ours;
  if (cli) {
    results.keys.natscli = await measure(RUNS, async () => {
      const r = await natsCli(['kv', 'ls', 'KEYS'], { server, timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(r.stderr);
      return { items: r.stdout.split('\n').filter((l) => l.trim().startsWith('key.')).length };
    });
    consumersLeft.natscli = (await leftOn()) - base - consumersLeft.ours - consumersLeft.raw;
  }

  await nc.close();
  await server.stop();

  // report
  const fmt = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(1));
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? '-' : (a / b).toFixed(2));
  const lines: string[] = [];
  lines.push(`${'listing'.padEnd(10)} ${'client'.padEnd(8)} ${'items'.padStart(6)} ${'first ms'.padStart(9)} ${'full ms'.padStart(9)} ${'heap MB'.padStart(8)}`);
  for (const [what, byClient] of Object.entries(results)) {
    for (const [client, m] of Object.entries(byClient)) {
      lines.push(`${what.padEnd(10)} ${client.padEnd(8)} ${String(m.items).padStart(6)} ${fmt(m.firstPageMs).padStart(9)} ${fmt(m.fullMs).padStart(9)} ${fmt(m.heapDeltaMB).padStart(8)}`);
    }
  }
  lines.push('');
  lines.push('ratios (lower is better for ours):');
  for (const [what, r] of Object.entries(results)) {
    lines.push(
      `  ${what}: first page ours/raw ${ratio(r.ours.firstPageMs, r.raw.firstPageMs)}; full ours/raw ${ratio(r.ours.fullMs, r.raw.fullMs)}; full ours/natscli ${ratio(r.ours.fullMs, r.natscli?.fullMs)}`,
    );
  }
  lines.push(`  consumers left on KV_KEYS after ${RUNS} key listings: ${Object.entries(consumersLeft).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`\n${RUNS} runs each, medians; ${totalStreams} streams (${N_STREAMS} + MANY), ${N_CONSUMERS} consumers on MANY, ${N_KEYS} keys in KV KEYS`);
  console.log(lines.join('\n'));

  const outDir = join(__dirname, 'results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `explorer-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        server: server.version,
        natscli: cli?.version,
        node: process.version,
        streams: totalStreams,
        consumers: N_CONSUMERS,
        keys: N_KEYS,
        runs: RUNS,
        results,
        consumersLeftOnKeys: consumersLeft,
        totalSeconds: (performance.now() - started) / 1000,
      },
      null,
      2,
    ),
  );
  console.log(`\nwrote ${file} (total ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

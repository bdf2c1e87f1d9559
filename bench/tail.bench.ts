/**
 * Tail benchmark on a real nats-server (the test rig), side by side in one run:
 *   stream ingest of N 128-byte messages (default 200,000; --messages 1000000 for the big run)
 *     raw      nats.js ordered consumer, consume() loop (js.consumers.get(stream))
 *     engine   our TailSession (openTail), counting what its listeners get
 *     cli      `nats-flow tail --stream S --from all --limit N --json > file` (process start included)
 *     natscli  `nats sub --stream S --all --count N > file` (process start included)
 *   RSS of this process before and after the engine run (bounded by the ring, not the stream)
 *   KV bootstrap of K keys (default 100,000): raw kv.watch() until the last initial entry vs
 *   our KV watch until its live marker (and that the marker came after exactly K entries),
 *   in R alternating rounds (default 5): on a shared 2-core machine one round of each swings
 *   by ±50 %, so the ratio reported is of the median times, with the CPU time this process
 *   spent (less disturbed by other load) beside it
 * Prints ratios and writes bench/results/tail.json (git-ignored).
 *
 *   node --import tsx bench/tail.bench.ts [--messages 200000] [--keys 100000] [--rounds 5] [--only stream|kv]
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { startNatsServer } from '../test/helpers/natsServer';
import { findNatsCli } from '../test/helpers/binaries';
import { openTail } from '../src/nats/tail';
import { median } from './stats';

const { values } = parseArgs({ options: { messages: { type: 'string' }, keys: { type: 'string' }, rounds: { type: 'string' }, only: { type: 'string' } } });
const N = Number(values.messages ?? 200_000);
const K = Number(values.keys ?? 100_000);
const ROUNDS = Number(values.rounds ?? 5);
const only = values.only;
if (only !== undefined && only !== 'stream' && only !== 'kv') throw new Error(`--only "${only}" is not stream or kv`);
const root = join(__dirname, '..');

async function fill(nc: NatsConnection, n: number, subject: (i: number) => string, window = 2000): Promise<void> {
  const js = jetstream(nc);
  const payload = new Uint8Array(128).fill(0x61);
  let inflight: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    inflight.push(js.publish(subject(i), payload));
    if (inflight.length >= window) {
      await Promise.all(inflight);
      inflight = [];
    }
  }
  await Promise.all(inflight);
}

function run(cmd: string, args: string[], outFile: string): Promise<{ ms: number; code: number | null }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const fd = require('node:fs').openSync(outFile, 'w');
    const child = spawn(cmd, args, { stdio: ['ignore', fd, 'inherit'] });
    child.on('close', (code) => {
      require('node:fs').closeSync(fd);
      resolve({ ms: performance.now() - t0, code });
    });
  });
}

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const server = await startNatsServer({ serverName: 'tail-bench' });
  const nc = await connect({ servers: server.url });
  const jsm = await jetstreamManager(nc);
  const out = join(tmpdir(), `nf-tail-bench-${process.pid}`);
  mkdirSync(out, { recursive: true });
  const results: Record<string, unknown> = { messages: N, keys: K, server: server.version };
  try {
    if (only !== 'kv') await streamIngest(nc, jsm, server.url, out, results);
    if (only !== 'stream') await kvBootstrap(nc, results);
  } finally {
    await nc.close();
    await server.stop();
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'tail.json'), JSON.stringify(results, null, 2));
}

async function streamIngest(nc: NatsConnection, jsm: JetStreamManager, serverUrl: string, out: string, results: Record<string, unknown>): Promise<void> {
  await jsm.streams.add({ name: 'BENCH', subjects: ['bench.>'], max_bytes: -1 });
  let t0 = performance.now();
  await fill(nc, N, (i) => `bench.${i % 16}`);
  console.log(`filled ${N.toLocaleString()} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // raw nats.js ordered consumer
  t0 = performance.now();
  {
    const c = await jetstream(nc).consumers.get('BENCH');
    const it = await c.consume();
    let n = 0;
    for await (const _m of it) {
      if (++n >= N) break;
    }
  }
  const rawMs = performance.now() - t0;

  // our engine
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  t0 = performance.now();
  {
    let n = 0;
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const s = await openTail(nc, { kind: 'stream', stream: 'BENCH', from: 'all' }, {
      onEvents: (batch) => {
        for (const e of batch) if (e.kind === 'msg') n++;
        if (n >= N) done();
      },
    });
    await all;
    await s.close();
  }
  const engineMs = performance.now() - t0;
  const rss1 = process.memoryUsage().rss;

  // the built CLI and natscli, each writing to a file
  const cliFile = join(out, 'cli.ndjson');
  const cli = await run(process.execPath, [join(root, 'dist', 'cli.js'), 'tail', '--server', serverUrl, '--stream', 'BENCH', '--from', 'all', '--limit', String(N), '--json'], cliFile);
  const natscli = findNatsCli();
  const nf = natscli ? await run(natscli.path, ['--server', serverUrl, 'sub', '--stream', 'BENCH', '--all', '--count', String(N)], join(out, 'natscli.txt')) : undefined;

  results.stream = {
    rawMsgPerS: rate(N, rawMs),
    engineMsgPerS: rate(N, engineMs),
    engineVsRaw: +(rawMs / engineMs).toFixed(2),
    cliMsgPerS: rate(N, cli.ms),
    cliVsRaw: +(rawMs / cli.ms).toFixed(2),
    cliExit: cli.code,
    cliFileMB: mb(statSync(cliFile).size),
    ...(nf ? { natscliMsgPerS: rate(N, nf.ms), cliVsNatscli: +(nf.ms / cli.ms).toFixed(2), natscliExit: nf.code } : { natscli: 'not installed' }),
    rssBeforeMB: mb(rss0),
    rssAfterMB: mb(rss1),
  };
  console.log('stream ingest', results.stream);
}

async function kvBootstrap(nc: NatsConnection, results: Record<string, unknown>): Promise<void> {
  const kv = await new Kvm(nc).create('BENCHKV');
  let t0 = performance.now();
  await fill(nc, K, (i) => `$KV.BENCHKV.k${i}`);
  console.log(`filled ${K.toLocaleString()} keys in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const rounds: { rawMs: number; oursMs: number; rawCpuMs: number; oursCpuMs: number; entriesBeforeLive: number }[] = [];
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  for (let r = 0; r < ROUNDS; r++) {
    global.gc?.();
    let c0 = process.cpuUsage();
    t0 = performance.now();
    {
      const w = await kv.watch();
      let n = 0;
      for await (const e of w) {
        n++;
        if (e.delta === 0 || n >= K) break;
      }
      w.stop();
    }
    const rawMs = performance.now() - t0;
    const rawCpuMs = cpuMs(process.cpuUsage(c0));
    global.gc?.();
    c0 = process.cpuUsage();
    t0 = performance.now();
    let before = 0;
    // timed up to the live marker, as raw is up to its last initial entry: closing (deleting
    // the consumer on the server) is not part of the bootstrap, and raw's stop() is not awaited
    let oursMs = 0;
    let oursCpuMs = 0;
    {
      let live!: () => void;
      const wentLive = new Promise<void>((resolve) => (live = resolve));
      const s = await openTail(nc, { kind: 'kv', bucket: 'BENCHKV' }, {
        onEvents: (batch) => {
          for (const e of batch) {
            if (e.kind === 'kv') before++;
            if (e.kind === 'marker' && e.marker === 'live') {
              oursMs = performance.now() - t0;
              oursCpuMs = cpuMs(process.cpuUsage(c0));
              live();
            }
          }
        },
      });
      await wentLive;
      await s.close();
    }
    rounds.push({ rawMs: Math.round(rawMs), oursMs: Math.round(oursMs), rawCpuMs: Math.round(rawCpuMs), oursCpuMs: Math.round(oursCpuMs), entriesBeforeLive: before });
    console.log(`kv round ${r + 1}/${ROUNDS}: raw ${Math.round(rawMs)} ms, ours ${Math.round(oursMs)} ms (${(oursMs / rawMs).toFixed(2)}×)`);
  }
  const m = (k: keyof (typeof rounds)[number]) => median(rounds.map((x) => x[k]));
  results.kv = {
    rounds: ROUNDS,
    rawMs: m('rawMs'),
    oursMs: m('oursMs'),
    oursVsRaw: +(m('oursMs') / m('rawMs')).toFixed(2),
    bestOursVsBestRaw: +(Math.min(...rounds.map((x) => x.oursMs)) / Math.min(...rounds.map((x) => x.rawMs))).toFixed(2),
    cpuOursVsRaw: +(m('oursCpuMs') / m('rawCpuMs')).toFixed(2),
    entriesBeforeLive: rounds.map((x) => x.entriesBeforeLive),
    markerRight: rounds.every((x) => x.entriesBeforeLive === K),
  };
  console.log('kv bootstrap (medians)', results.kv);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

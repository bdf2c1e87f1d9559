/**
 * "Scaffold the whole design", then do what the generated READMEs say, against a real
 * nats-server (one for the file): apply the design (`nats-flow apply`, as the root README
 * writes it), build each project as its README says and start its run lines, with the design's
 * planned settings as they are (no shortened timings). Only the worker's handler is replaced,
 * by one that injects a poison message, as a user's handler would.
 *
 *   codeforge (seed 003) in TypeScript: a publisher, a worker (poison → DLQ copy and the
 *     terminated advisory in the planned dead-letter stream, the work queue left empty) and KV
 *     watchers (empty bucket goes live, transitions from the writer's `incr`, restart: state
 *     is not news, the change made while down is);
 *   overmind (seed 002, production R3) in TypeScript: the README applies it to the one-server
 *     sandbox with `--replicas-cap 1`, naming each stream; two listener services each see
 *     every routing decision once;
 *   codeforge across languages, as the seed's architecture is: the Go core's publisher feeds
 *     the Python workers' worker, the Python workers' publisher feeds the Go core's worker.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { scaffoldCommand } from '../../src/cli/commands/scaffold';
import type { CliIO } from '../../src/cli/command';
import { loadDesign, planDesign, TERMINATED_ADVISORY } from '../../src/core/design';
import type { ScaffoldLang } from '../../src/core/scaffold';
import { makeTempDir, removeTempDir, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { toolchainSkipReason, type Program } from '../helpers/scaffoldRig';
import { pollUntil, stopCleanly, WORKER_HANDLERS } from '../helpers/scaffoldScenarios';
import { buildAsReadme, followDesignReadme, type ReadmeProject } from '../helpers/readmeSteps';
import { cli } from '../helpers/cliInProcess';

const EXAMPLES = join(__dirname, '../../examples');
const CODEFORGE = join(EXAMPLES, 'codeforge.natsflow.json');
const OVERMIND = join(EXAMPLES, 'overmind.natsflow.json');
const planOf = (file: string) => {
  const r = loadDesign(readFileSync(file, 'utf8'));
  assert.ok(r.ok);
  return planDesign(r.design);
};

async function scaffoldWhole(design: string, lang: ScaffoldLang, out: string): Promise<string> {
  let text = '';
  const io: CliIO = { out: (t) => void (text += t), err: (t) => void (text += t), env: {} };
  assert.equal(await scaffoldCommand.run(['--design', design, '--lang', lang, '--out', out], io), 0, text);
  return text;
}

/** The copies and advisories the planned dead-letter stream holds, by subject. */
async function deadLetters(jsm: JetStreamManager, dlq: string): Promise<{ subject: string; data: string; headers: Record<string, string> }[]> {
  const out: { subject: string; data: string; headers: Record<string, string> }[] = [];
  const info = await jsm.streams.info(dlq);
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages; seq++) {
    const m = await jsm.streams.getMessage(dlq, { seq }).catch(() => null);
    if (!m) continue;
    const headers: Record<string, string> = {};
    for (const [k] of m.header ?? []) headers[k] = m.header.get(k);
    out.push({ subject: m.subject, data: m.string(), headers });
  }
  return out;
}

/**
 * Runs the worker of a work-queue path on jobs the path's publisher sends (by its README's
 * run line, with our ids): every good job handled once, the poison one terminated once, copied
 * into the planned dead-letter stream with its reason and sequence next to the server's
 * terminated advisory, the work queue empty, the consumer still as planned.
 */
async function workQueueScenario(o: { jsm: JetStreamManager; env: Record<string, string>; publisher: ReadmeProject; worker: ReadmeProject; stream: string; durable: string; dlq: string; prefix: string; stopWith: NodeJS.Signals; running: Program[] }): Promise<void> {
  const { jsm, env } = o;
  const w = o.worker.start(0, env);
  o.running.push(w);
  await w.waitFor(/worker ready/, 60_000);
  const good = [1, 2, 3].map((i) => `${o.prefix}-ok-${i}`);
  const seqOf: Record<string, number> = {};
  for (const job of [...good, `poison-${o.prefix}`]) {
    const p = o.publisher.start(0, env, [job, job]);
    assert.equal(await p.exited, 0, p.output());
    seqOf[job] = Number(/published seq=(\d+)/.exec(p.output())?.[1]);
  }
  await pollUntil('every good job done, the poison one dead-lettered and nothing pending', async () => {
    if (!good.every((j) => w.lines.some((l) => l.startsWith(`done ${j} `)))) return false;
    const copies = (await deadLetters(jsm, o.dlq)).filter((d) => d.subject === `dlq.${o.stream}.${o.durable}` && d.data === `poison-${o.prefix}`);
    const si = await jsm.streams.info(o.stream);
    const ci = await jsm.consumers.info(o.stream, o.durable);
    // a work queue (agent-tasks) loses what is acked; a limits stream (task-results) keeps it, its consumer is done
    return copies.length === 1 && ci.num_pending === 0 && ci.num_ack_pending === 0 && (si.config.retention !== 'workqueue' || si.state.messages === 0);
  }, 60_000).catch((e: Error) => assert.fail(`${e.message}\n${w.output()}`));
  for (const j of good) assert.equal(w.count(new RegExp(`^attempt ${j} `)), 1, `${j} handled once:\n${w.output()}`);
  assert.equal(w.count(new RegExp(`^attempt poison-${o.prefix} `)), 1, 'poison is terminated, not retried');
  const letters = await deadLetters(jsm, o.dlq);
  const copy = letters.find((d) => d.subject === `dlq.${o.stream}.${o.durable}` && d.data === `poison-${o.prefix}`)!;
  assert.match(copy.headers['Dlq-Reason'] ?? '', /^terminated: /);
  assert.equal(copy.headers['Dlq-Stream-Seq'], String(seqOf[`poison-${o.prefix}`]));
  // the planned DLQ stream also captures the server's advisory for it (apply made its subjects)
  const advisory = letters.find((d) => d.subject === `${TERMINATED_ADVISORY}.${o.stream}.${o.durable}` && JSON.parse(d.data).stream_seq === seqOf[`poison-${o.prefix}`]);
  assert.ok(advisory, `terminated advisory captured in ${o.dlq}: ${letters.map((d) => d.subject).join(', ')}`);
  const ci = await jsm.consumers.info(o.stream, o.durable);
  assert.equal(ci.num_ack_pending, 0);
  await stopCleanly(w, `${o.durable} worker`, o.stopWith);
}

describe('whole-design scaffolds, applied and run as their READMEs say', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const root = makeTempDir('nats-flow-design-run-');
  const running: Program[] = [];

  before(async () => {
    // overmind's streams reserve 6.5 GB (seed 002's limits): a roomy store, as the sandbox has
    server = await startNatsServer({ maxFileStore: 16 * 1024 ** 3 });
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
  });
  after(async () => {
    for (const p of running) p.kill();
    await nc?.close();
    await server?.stop();
    removeTempDir(root);
  });

  test('codeforge in TypeScript: publisher → worker (poison to the planned DLQ), KV watcher bootstrap vs live across a restart', async () => {
    const out = join(root, 'codeforge-ts');
    await scaffoldWhole(CODEFORGE, 'ts', out);
    const { env, apply } = await followDesignReadme(out, CODEFORGE, server.url);
    assert.match(apply.out, /\+ create +stream TASKS/);
    const plan = planOf(CODEFORGE);
    const tasks = plan.consumers.find((c) => c.path === 'agent-tasks')!;
    const dlq = plan.streams.find((s) => s.role === 'dead-letter' && s.paths.includes('agent-tasks'))!.config.name;
    writeFileSync(join(out, 'python-workers/agent-tasks-worker', WORKER_HANDLERS.ts.path), WORKER_HANDLERS.ts.content);
    const [publisher, worker, watcher, writer] = await buildAsReadme(
      ['go-core/agent-tasks-publisher', 'python-workers/agent-tasks-worker', 'python-workers/agent-sessions-kv-watcher', 'go-core/agent-sessions-kv-watcher'].map((d) => ({ dir: join(out, d), lang: 'ts' as const })),
    );

    // the publisher's README line as written, twice: the second is the duplicate it reports
    const first = publisher.start(0, env);
    assert.equal(await first.exited, 0, first.output());
    assert.match(first.output(), /published seq=\d+ \(id order-1\)/);
    const again = publisher.start(0, env);
    assert.equal(await again.exited, 0, again.output());
    assert.match(again.output(), /duplicate of seq=\d+ \(id order-1\)/);
    // the worker's planned settings are the ones the server holds: 10m ack wait (2 × 5m processing), backoff, max deliver
    const ci = await jsm.consumers.info(tasks.stream, tasks.config.durable_name);
    assert.equal(ci.config.ack_wait, tasks.config.ack_wait);
    assert.deepEqual(ci.config.backoff, tasks.config.backoff);
    assert.equal(ci.config.max_deliver, tasks.config.max_deliver);
    await workQueueScenario({ jsm, env, publisher, worker, stream: tasks.stream, durable: tasks.config.durable_name, dlq, prefix: 'ts', stopWith: 'SIGTERM', running });
    // the copier consumer the worker made on the planned DLQ is part of the design's dead-letter plan: apply --prune leaves it
    const copierName = `${tasks.config.durable_name}-dlq-copier`;
    assert.equal((await jsm.consumers.info(dlq, copierName)).name, copierName);
    const prune = await cli(['apply', CODEFORGE, '--server', server.url, '--prune', '--dry-run']);
    assert.equal(prune.code, 0, prune.out + prune.err);
    assert.doesNotMatch(prune.out, /dlq-copier/);
    assert.match(prune.out, /Nothing to change\./);

    // KV: the watcher on the planned (empty) bucket, the writer's compare-and-set `incr`
    const bucket = plan.buckets.find((b) => b.paths.includes('agent-sessions'))!.config.bucket;
    const cursor = { ...env, KV_CURSOR_FILE: join(root, 'sessions.cursor') };
    assert.deepEqual(watcher.runs.map((r) => r.slice(2).join(' ')), ['', 'incr KEY']);
    const w1 = watcher.start(0, cursor);
    running.push(w1);
    await w1.waitFor(/^live after bootstrap of 0 keys$/, 60_000);
    for (const key of ['agent.s1', 'agent.s1']) {
      const r = writer.start(1, env, ['incr', key]);
      assert.equal(await r.exited, 0, r.output());
    }
    await w1.waitFor(/^change agent\.s1 1@1 -> 2@2$/);
    assert.ok(w1.lines.includes('change agent.s1 (none) -> 1@1'), w1.output());
    await stopCleanly(w1, 'kv watcher');
    const down = writer.start(1, env, ['incr', 'agent.s2']);
    assert.equal(await down.exited, 0, down.output());
    const w2 = watcher.start(0, cursor);
    running.push(w2);
    await w2.waitFor(/^live after bootstrap of 2 keys$/, 60_000);
    assert.ok(w2.lines.includes('initial agent.s1=2 rev=2'), `existing key is state:\n${w2.output()}`);
    assert.equal(w2.count(/^change agent\.s1 /), 0, `existing key not reported as new:\n${w2.output()}`);
    assert.ok(w2.lines.includes('change agent.s2 (none) -> 1@3 while down'), `missed change caught up:\n${w2.output()}`);
    await stopCleanly(w2, 'restarted kv watcher');
    const kv = await jsm.streams.info(`KV_${bucket}`);
    assert.equal(kv.config.max_msgs_per_subject, plan.buckets[0]!.config.history, 'the planned history');
  });

  test('overmind (production, R3) in TypeScript: the README applies it with --replicas-cap 1 naming each stream; two listener services each see every routing decision once', async () => {
    const out = join(root, 'overmind-ts');
    await scaffoldWhole(OVERMIND, 'ts', out);
    const plan = planOf(OVERMIND);
    const { env, apply } = await followDesignReadme(out, OVERMIND, server.url);
    for (const s of plan.streams) assert.ok(apply.out.includes(`  stream ${s.config.name}: 3 → 1 replica\n`), `${s.config.name} named as capped:\n${apply.out}`);
    for (const s of plan.streams) assert.equal((await jsm.streams.info(s.config.name)).config.num_replicas, 1);
    const listeners = plan.consumers.filter((c) => c.path === 'routing-decisions');
    assert.deepEqual(listeners.map((c) => c.role), ['listener', 'listener']);
    const [publisher, ...services] = await buildAsReadme(['bridge/routing-decisions-publisher', ...listeners.map((c) => `${c.receiver}/routing-decisions-listener`)].map((d) => ({ dir: join(out, d), lang: 'ts' as const })));
    const progs = services.map((s) => s.start(0, env));
    running.push(...progs);
    for (const p of progs) await p.waitFor(/listener ready/, 60_000);
    const ids = Array.from({ length: 6 }, (_, i) => `decision-${i}`);
    for (const id of ids) {
      const p = publisher.start(0, env, [id, id]);
      assert.equal(await p.exited, 0, p.output());
    }
    for (const [i, p] of progs.entries()) {
      const name = listeners[i]!.config.durable_name;
      await p.until(`${name} got ${ids.length}`, (ls) => ls.filter((l) => l.startsWith(`${name} got `)).length >= ids.length);
      const seen = p.lines.filter((l) => l.startsWith(`${name} got `)).map((l) => l.split(': ')[1]);
      assert.deepEqual([...seen].sort(), [...ids].sort(), `${name} sees each decision once`);
      await stopCleanly(p, `${name} listener`);
      const ci = await jsm.consumers.info('routing-decisions', name);
      assert.equal(ci.num_ack_pending, 0);
      assert.equal(ci.config.ack_wait, listeners[i]!.config.ack_wait, 'the planned ack wait');
    }
  });

  const crossSkip = toolchainSkipReason('go') || toolchainSkipReason('python');
  test('codeforge across languages (seed 003): the Go core publishes tasks a Python worker runs, the Python workers publish results a Go worker runs; poison reaches each DLQ', { skip: crossSkip }, async () => {
    const go = join(root, 'codeforge-go');
    const py = join(root, 'codeforge-python');
    await scaffoldWhole(CODEFORGE, 'go', go);
    await scaffoldWhole(CODEFORGE, 'python', py);
    const { env } = await followDesignReadme(go, CODEFORGE, server.url);
    const plan = planOf(CODEFORGE);
    writeFileSync(join(py, 'python-workers/agent-tasks-worker', WORKER_HANDLERS.python.path), WORKER_HANDLERS.python.content);
    writeFileSync(join(go, 'go-core/task-results-worker', WORKER_HANDLERS.go.path), WORKER_HANDLERS.go.content);
    const [goPublisher, goWorker, pyWorker, pyPublisher] = await buildAsReadme([
      { dir: join(go, 'go-core/agent-tasks-publisher'), lang: 'go' },
      { dir: join(go, 'go-core/task-results-worker'), lang: 'go' },
      { dir: join(py, 'python-workers/agent-tasks-worker'), lang: 'python' },
      { dir: join(py, 'python-workers/task-results-publisher'), lang: 'python' },
    ]);
    for (const [path, publisher, worker, prefix, stopWith] of [
      ['agent-tasks', goPublisher, pyWorker, 'py', 'SIGTERM'],
      ['task-results', pyPublisher, goWorker, 'go', 'SIGINT'],
    ] as const) {
      const c = plan.consumers.find((x) => x.path === path)!;
      const dlq = plan.streams.find((s) => s.role === 'dead-letter' && s.paths.includes(path))!.config.name;
      await workQueueScenario({ jsm, env, publisher, worker, stream: c.stream, durable: c.config.durable_name, dlq, prefix, stopWith, running });
    }
  });
});

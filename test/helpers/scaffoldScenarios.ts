/**
 * The proof that scaffolded code is right: one suite per language that generates all five
 * patterns, builds them once, and runs each against a real nats-server (one per suite) in a
 * scenario that fails if the semantics are wrong. The worker's handler is replaced by one
 * that injects failures (poison, always failing, flaky, slow), as a user's handler would.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { ScaffoldLang, ScaffoldOptions } from '../../src/core/scaffold';
import { startNatsServer, removeTempDir, type NatsServer } from './natsServer';
import { buildProject, Program, runToEnd, scaffoldRoot, toolchainSkipReason, writeProject, type BuiltProject } from './scaffoldRig';

const S = 1_000_000_000;

export const WORKER_HANDLERS: Record<ScaffoldLang, { path: string; content: string }> = {
  ts: {
    path: 'src/handler.ts',
    content: `import { PoisonMessage, type Delivery } from './delivery.js';
export async function handle(d: Delivery): Promise<void> {
  const p = d.text();
  console.log('attempt ' + p + ' delivery=' + d.delivery + ' at=' + Date.now());
  if (p.startsWith('poison')) throw new PoisonMessage('bad ' + p);
  if (p.startsWith('fail')) throw new Error('always fails');
  if (p.startsWith('flaky') && d.delivery === 1) throw new Error('first try fails');
  if (p.startsWith('slow')) await new Promise((r) => setTimeout(r, 2500));
  console.log('done ' + p + ' delivery=' + d.delivery);
}
`,
  },
  go: {
    path: 'handler/handler.go',
    content: `package handler

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"
)

func Handle(ctx context.Context, d Delivery) error {
	p := string(d.Data)
	log.Printf("attempt %s delivery=%d at=%d", p, d.Delivery, time.Now().UnixMilli())
	switch {
	case strings.HasPrefix(p, "poison"):
		return fmt.Errorf("bad %s: %w", p, ErrPoison)
	case strings.HasPrefix(p, "fail"):
		return errors.New("always fails")
	case strings.HasPrefix(p, "flaky") && d.Delivery == 1:
		return errors.New("first try fails")
	case strings.HasPrefix(p, "slow"):
		time.Sleep(2500 * time.Millisecond)
	}
	log.Printf("done %s delivery=%d", p, d.Delivery)
	return nil
}
`,
  },
  python: {
    path: 'handler.py',
    content: `import asyncio
import time

from delivery import Delivery, PoisonMessage


async def handle(d: Delivery) -> None:
    p = d.data.decode()
    print(f"attempt {p} delivery={d.delivery} at={int(time.time() * 1000)}")
    if p.startswith("poison"):
        raise PoisonMessage(f"bad {p}")
    if p.startswith("fail"):
        raise RuntimeError("always fails")
    if p.startswith("flaky") and d.delivery == 1:
        raise RuntimeError("first try fails")
    if p.startswith("slow"):
        await asyncio.sleep(2.5)
    print(f"done {p} delivery={d.delivery}")
`,
  },
};

/** The listener's handler: logs each call with its delivery count; `slow-*` payloads take 400 ms. */
export const LISTENER_HANDLERS: Record<ScaffoldLang, { path: string; content: string }> = {
  ts: {
    path: 'src/handler.ts',
    content: `import type { Delivery } from './delivery.js';
export async function handle(d: Delivery, service: string): Promise<void> {
  if (d.text().startsWith('slow')) await new Promise((r) => setTimeout(r, 400));
  console.log(service + ' got ' + d.subject + ' seq=' + d.streamSeq + ' delivery=' + d.delivery + ': ' + d.text());
}
`,
  },
  go: {
    path: 'handler/handler.go',
    content: `package handler

import (
	"context"
	"log"
	"strings"
	"time"
)

func Handle(ctx context.Context, d Delivery, service string) error {
	if strings.HasPrefix(string(d.Data), "slow") {
		time.Sleep(400 * time.Millisecond)
	}
	log.Printf("%s got %s seq=%d delivery=%d: %s", service, d.Subject, d.StreamSeq, d.Delivery, d.Data)
	return nil
}
`,
  },
  python: {
    path: 'handler.py',
    content: `import asyncio

from delivery import Delivery


async def handle(d: Delivery, service: str) -> None:
    if d.data.startswith(b"slow"):
        await asyncio.sleep(0.4)
    print(f"{service} got {d.subject} seq={d.stream_seq} delivery={d.delivery}: {d.data.decode()}")
`,
  },
};

function options(lang: ScaffoldLang): Record<string, ScaffoldOptions> {
  return {
    worker: {
      pattern: 'worker',
      lang,
      stream: 'JOBS',
      subject: 'jobs.run',
      consumer: 'job-worker',
      streamConfig: { subjects: ['jobs.>'], retention: 'workqueue' },
      // short timings so redelivery and MaxDeliver happen within seconds; the slow job (2.5 s)
      // outlives the 1 s AckWait and survives only through in-progress acks
      consumerConfig: { ack_wait: S, backoff: [S, S], max_deliver: 3 },
    },
    listener: {
      pattern: 'listener',
      lang,
      stream: 'EVENTS',
      subject: 'events.user.created',
      consumer: 'audit',
      streamConfig: { subjects: ['events.>'], retention: 'limits' },
      // a 1 s AckWait, so a batch of 400 ms jobs outlives it while waiting its turn
      consumerConfig: { ack_wait: S, backoff: [], max_deliver: 5 },
    },
    'kv-watcher': { pattern: 'kv-watcher', lang, bucket: 'profiles', key: 'user.>' },
    publisher: { pattern: 'publisher', lang, stream: 'PAYMENTS', subject: 'payments.card.charged', streamConfig: { subjects: ['payments.>'], retention: 'limits' } },
    responder: { pattern: 'responder', lang, subject: 'tools.result.get' },
  };
}

/** Connections the server has for a client name prefix (from /connz). */
async function connectionsNamed(server: NatsServer, prefix: string): Promise<number> {
  const connz = (await (await fetch(`${server.monitorUrl}/connz`)).json()) as { connections?: { name?: string }[] };
  return (connz.connections ?? []).filter((c) => c.name?.startsWith(prefix)).length;
}

/** Signals a scaffolded program and checks it drained and exited cleanly. */
export async function stopCleanly(p: Program, what: string, sig: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  p.signal(sig);
  const code = await p.exited;
  if (sig === 'SIGINT') {
    // Ctrl-C on `go run .`: go run always exits 1 once interrupted, and prints "exit status N"
    // (or "signal: …") only when the program it ran failed
    assert.doesNotMatch(p.output(), /^(exit status \d+|signal: )/m, `${what} exits 0 on SIGINT:\n${p.output()}`);
  } else assert.equal(code, 0, `${what} exits 0 on ${sig}:\n${p.output()}`);
  assert.match(p.output(), /drained/, `${what} drains before exit`);
}

export async function pollUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function scaffoldSuite(lang: ScaffoldLang): void {
  describe(`scaffolded ${lang} code against a real nats-server`, { skip: toolchainSkipReason(lang) }, () => {
    let server: NatsServer;
    let nc: NatsConnection;
    let root: string;
    const built: Record<string, BuiltProject> = {};
    const running: Program[] = [];
    const env = () => ({ NATS_URL: server.url });
    const start = (name: string, entry = 'main', extra: Record<string, string> = {}, args: string[] = []) => {
      const b = built[name]!;
      const p = new Program(b.command(entry, args), b.dir, { ...env(), ...extra });
      running.push(p);
      return p;
    };

    before(async () => {
      root = scaffoldRoot(lang);
      server = await startNatsServer();
      nc = await connect({ servers: server.url });
      const opts = options(lang);
      const handlers: Record<string, { path: string; content: string }> = { worker: WORKER_HANDLERS[lang], listener: LISTENER_HANDLERS[lang] };
      // build all five first: a compile error fails here with the compiler's output
      for (const [name, o] of Object.entries(opts)) {
        const h = handlers[name];
        built[name] = await buildProject(writeProject(root, o, h ? { [h.path]: h.content } : {}));
      }
    });

    after(async () => {
      for (const p of running) p.kill();
      await nc?.close();
      await server?.stop();
      if (root) removeTempDir(root);
    });

    test('all five patterns compile strictly (tsc strict / go build + go vet / compileall + mypy strict)', () => {
      assert.deepEqual(Object.keys(built).sort(), ['kv-watcher', 'listener', 'publisher', 'responder', 'worker']);
    });

    test('worker: two instances share the queue with no loss under redelivery, in-progress acks keep slow work, poison and MaxDeliver land in the DLQ, SIGTERM drains', async () => {
      // two instances: without in-progress acks the slow job's AckWait expires and the server
      // hands it to the idle instance mid-flight
      const workers = [start('worker'), start('worker')];
      for (const w of workers) await w.waitFor(/worker ready/);
      const lines = () => workers.flatMap((w) => w.lines);
      const output = () => workers.map((w, i) => `--- worker ${i + 1}\n${w.output()}`).join('\n');
      const count = (re: RegExp) => lines().filter((l) => re.test(l)).length;
      const js = jetstream(nc);
      const ok = Array.from({ length: 8 }, (_, i) => `ok-${i}`);
      const payloads = ['slow-1', ...ok, 'flaky-1', 'flaky-2', 'poison-1', 'fail-1'];
      const seqOf: Record<string, number> = {};
      for (const p of payloads) seqOf[p] = (await js.publish('jobs.run', p)).seq;

      const success = [...ok, 'flaky-1', 'flaky-2', 'slow-1'];
      const jsm = await jetstreamManager(nc);
      await pollUntil('every good job done, two dead letters copied and the work queue empty', async () => {
        if (!success.every((p) => lines().some((l) => l.startsWith(`done ${p} `)))) return false;
        const dlq = await jsm.streams.info('JOBS_DLQ', { subjects_filter: 'dlq.JOBS.job-worker' });
        const jobs = await jsm.streams.info('JOBS');
        return (dlq.state.subjects?.['dlq.JOBS.job-worker'] ?? 0) === 2 && jobs.state.messages === 0;
      }, 60_000).catch((e: Error) => assert.fail(`${e.message}\n${output()}`));

      for (const p of ok) assert.equal(count(new RegExp(`^attempt ${p} `)), 1, `${p} handled once:\n${output()}`);
      assert.equal(count(/^attempt slow-1 /), 1, `slow job (2.5 s > 1 s AckWait) not redelivered thanks to in-progress acks:\n${output()}`);
      for (const p of ['flaky-1', 'flaky-2']) {
        assert.equal(count(new RegExp(`^done ${p} delivery=2$`)), 1, `${p} succeeds on its redelivery:\n${output()}`);
      }
      assert.equal(count(/^attempt poison-1 /), 1, 'poison is terminated at once, not retried');
      assert.equal(count(/^attempt fail-1 /), 3, 'a failing job is tried max_deliver (3) times');
      // nak with the backoff delay (1 s), not a bare nak that redelivers at once
      const at = lines().filter((l) => l.startsWith('attempt fail-1 ')).map((l) => Number(/ at=(\d+)/.exec(l)![1]));
      for (let i = 1; i < at.length; i++) assert.ok(at[i]! - at[i - 1]! >= 800, `redelivery ${i} came ${at[i]! - at[i - 1]!} ms after the previous attempt, expected the 1 s backoff`);

      // the copies in the DLQ name where they came from and why
      const copies: Record<string, { reason: string; seq: string }> = {};
      for (let seq = 1; seq <= 10; seq++) {
        const m = await jsm.streams.getMessage('JOBS_DLQ', { seq }).catch(() => null);
        if (m && m.subject === 'dlq.JOBS.job-worker') copies[m.string()] = { reason: m.header.get('Dlq-Reason'), seq: m.header.get('Dlq-Stream-Seq') };
      }
      assert.match(copies['poison-1']?.reason ?? '', /^terminated: /);
      assert.equal(copies['poison-1']?.seq, String(seqOf['poison-1']));
      assert.match(copies['fail-1']?.reason ?? '', /^max deliveries \(3\)/);
      assert.equal(copies['fail-1']?.seq, String(seqOf['fail-1']));
      const ci = await jsm.consumers.info('JOBS', 'job-worker');
      assert.equal(ci.num_ack_pending, 0);
      assert.equal(ci.num_pending, 0);
      // the copier has its own small in-flight limit, not the worker's (1000 here)
      assert.equal(ci.config.max_ack_pending, 1000);
      assert.equal((await jsm.consumers.info('JOBS_DLQ', 'job-worker-dlq-copier')).config.max_ack_pending, 10, 'the DLQ copier consumer has its own max_ack_pending');

      for (const w of workers) await stopCleanly(w, 'worker');
      // the server notices a closed socket a moment after the process exits
      await pollUntil('no worker connection left on the server', async () => (await connectionsNamed(server, built.worker!.spec.project)) === 0, 5_000);
    });

    test('worker: SIGTERM in the middle of a slow job finishes and acks it before exiting', async () => {
      const w = start('worker');
      await w.waitFor(/worker ready/);
      await jetstream(nc).publish('jobs.run', 'slow-2');
      await w.waitFor(/^attempt slow-2 /);
      await stopCleanly(w, 'worker stopped mid-job');
      assert.equal(w.count(/^done slow-2 delivery=1$/), 1, `the job in hand completes:\n${w.output()}`);
      const jsm = await jetstreamManager(nc);
      assert.equal((await jsm.streams.info('JOBS')).state.messages, 0, 'acked before exit: nothing left to redeliver');
      assert.equal((await jsm.consumers.info('JOBS', 'job-worker')).num_ack_pending, 0);
    });

    test('worker: a dead letter the copier cannot fetch (the user may not read messages) is retried, never acked away uncopied; auth comes from NATS_USER/NATS_PASSWORD', async () => {
      // a second server whose user may do everything but STREAM.MSG.GET: fetching the original fails, not "not found"
      const denied = await startNatsServer({
        extraConfig: 'authorization { users: [ { user: "worker", password: "s3cret", permissions: { publish: { allow: [">"], deny: ["$JS.API.STREAM.MSG.GET.>"] }, subscribe: ">" } } ] }',
      });
      const w = new Program(built.worker!.command('main'), built.worker!.dir, { NATS_URL: denied.url, NATS_USER: 'worker', NATS_PASSWORD: 's3cret' });
      running.push(w);
      const admin = await connect({ servers: denied.url, user: 'worker', pass: 's3cret' });
      try {
        await w.waitFor(/worker ready/);
        await jetstream(admin).publish('jobs.run', 'fail-denied');
        await w.waitFor(/^gave up seq=1 after 3 deliveries/, 30_000);
        await w.waitFor(/dlq copier/, 30_000);
        const jsm = await jetstreamManager(admin);
        const copier = (await jsm.consumers.list('JOBS_DLQ').next()).find((c) => c.name.endsWith('-dlq-copier'))!;
        const ci = await jsm.consumers.info('JOBS_DLQ', copier.name);
        assert.equal(ci.ack_floor.stream_seq, 0, `the advisory is not acked while its message could not be copied:\n${w.output()}`);
        assert.equal(ci.num_ack_pending + ci.num_pending, 1, 'it waits for a retry');
        const dlq = await jsm.streams.info('JOBS_DLQ', { subjects_filter: 'dlq.>' });
        assert.equal(Object.keys(dlq.state.subjects ?? {}).length, 0, 'no copy was made');
        assert.equal((await jsm.streams.info('JOBS')).state.messages, 1, 'the original is kept for the retry');
        await stopCleanly(w, 'worker on the restricted server');
      } finally {
        w.kill();
        await admin.close();
        await denied.stop();
      }
    });

    test('listener: each service (its own durable consumer) sees every message exactly once; REPLAY_FROM replays from a sequence with an ordered consumer', async () => {
      const a = start('listener', 'main', { SERVICE_NAME: 'billing' });
      const b = start('listener', 'main', { SERVICE_NAME: 'audit' });
      await a.waitFor(/listener ready/);
      await b.waitFor(/listener ready/);
      const js = jetstream(nc);
      const n = 20;
      for (let i = 0; i < n; i++) await js.publish(`events.user.created`, `user-${i}`);
      for (const [p, name] of [[a, 'billing'], [b, 'audit']] as const) {
        await p.until(`${name} got ${n}`, (ls) => ls.filter((l) => l.startsWith(`${name} got `)).length >= n);
        const seen = p.lines.filter((l) => l.startsWith(`${name} got `)).map((l) => l.split(': ')[1]);
        assert.deepEqual([...seen].sort(), Array.from({ length: n }, (_, i) => `user-${i}`).sort(), `${name} sees each message once`);
      }
      await stopCleanly(a, 'billing listener');
      await stopCleanly(b, 'audit listener');
      const jsm = await jetstreamManager(nc);
      for (const name of ['billing', 'audit']) {
        const ci = await jsm.consumers.info('EVENTS', name);
        assert.equal(ci.num_ack_pending, 0, `${name} acked everything`);
        assert.equal(ci.delivered.stream_seq, n);
      }

      // replay from anywhere: an ordered consumer from seq 15, leaving no consumer behind
      const r = start('listener', 'main', { SERVICE_NAME: 'billing', REPLAY_FROM: '15' });
      await r.until('replayed 15..20', (ls) => ls.filter((l) => l.startsWith('billing (replay) got ')).length >= n - 14);
      const replayed = r.lines.filter((l) => l.startsWith('billing (replay) got ')).map((l) => Number(/seq=(\d+)/.exec(l)![1]));
      assert.deepEqual(replayed, [15, 16, 17, 18, 19, 20], `in order, from the sequence asked:\n${r.output()}`);
      await stopCleanly(r, 'replaying listener');
      const names: string[] = [];
      for await (const c of jsm.consumers.list('EVENTS')) names.push(c.name);
      assert.deepEqual(names.sort(), ['audit', 'billing'], 'the ordered consumer is gone; the durables are untouched');
      assert.equal((await jsm.consumers.info('EVENTS', 'billing')).delivered.stream_seq, n);
    });

    test('listener: a batch behind a handler slower than AckWait / prefetch is kept alive with in-progress acks: nothing is redelivered, also not to a second instance; SIGTERM mid-batch hands the rest back at once', async () => {
      const jsm = await jetstreamManager(nc);
      const a = start('listener', 'main', { SERVICE_NAME: 'slowpoke' });
      await a.waitFor(/listener ready/);
      // 12 × 400 ms: most of a batch waits well past the 1 s AckWait before its turn
      const js = jetstream(nc);
      const n = 12;
      for (let i = 0; i < n; i++) await js.publish('events.user.created', `slow-${i}`);
      const got = (p: Program, re: RegExp) => p.lines.filter((l) => l.startsWith('slowpoke got ') && re.test(l));
      await a.until('the first message handled', () => got(a, /: slow-/).length >= 1, 30_000);
      // a second instance of the service, idle and pulling while the first works through its
      // batch: an expired message in that batch would be redelivered to it
      const b = start('listener', 'main', { SERVICE_NAME: 'slowpoke' });
      await b.waitFor(/listener ready/);
      const both = (re: RegExp) => [...got(a, re), ...got(b, re)];
      const output = () => `--- instance 1\n${a.output()}\n--- instance 2\n${b.output()}`;
      const payloads = () => new Set(both(/: slow-/).map((l) => l.split(': ')[1]));
      await pollUntil(`all ${n} handled`, async () => payloads().size >= n, 60_000).catch((e: Error) => assert.fail(`${e.message}\n${output()}`));
      // the last ack goes out after the last log line: wait for the server to have it
      await pollUntil('every message acked', async () => (await jsm.consumers.info('EVENTS', 'slowpoke')).num_ack_pending === 0, 10_000);
      const ci = await jsm.consumers.info('EVENTS', 'slowpoke');
      // every redelivery takes a consumer sequence: equal sequences mean none ever happened
      assert.equal(ci.delivered.consumer_seq, n, `delivered ${ci.delivered.consumer_seq} times for ${n} messages (redeliveries):\n${output()}`);
      assert.equal(both(/: slow-/).length, n, `each handled once across both instances:\n${output()}`);
      assert.equal(both(/ delivery=1: slow-/).length, n, `each on its first delivery:\n${output()}`);
      assert.equal(a.count(/duplicate seq=/) + b.count(/duplicate seq=/), 0, `no redelivered copies to skip:\n${output()}`);
      await stopCleanly(a, 'slow listener');
      await stopCleanly(b, 'second slow listener');

      // SIGTERM with a batch in hand: the message in hand finishes, the rest goes back at once.
      // Published while it is down, so the next start takes all six in one batch.
      for (let i = 0; i < 6; i++) await js.publish('events.user.created', `slow-stop-${i}`);
      const q = start('listener', 'main', { SERVICE_NAME: 'slowpoke' });
      const stopGot = (p: Program) => got(p, /: slow-stop-/);
      await q.until('the first of the batch', () => stopGot(q).length >= 1, 30_000);
      // one of them may be acked already; one at a time would leave at most one pending
      assert.ok((await jsm.consumers.info('EVENTS', 'slowpoke')).num_ack_pending >= 4, 'the batch is in hand');
      // the server announces each nak: the rest is handed back at once, not left to its AckWait
      const naked = nc.subscribe('$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.EVENTS.slowpoke');
      let naks = 0;
      void (async () => {
        for await (const _ of naked) naks++;
      })();
      await nc.flush();
      await stopCleanly(q, 'slow listener stopped mid-batch');
      const handled = stopGot(q).length;
      assert.ok(handled < 6, `stopped without handling the whole batch (${handled} of 6):\n${q.output()}`);
      await pollUntil(`${6 - handled} nak advisories`, async () => naks >= 6 - handled, 5_000).catch((e: Error) => assert.fail(`${e.message} (got ${naks}):\n${q.output()}`));
      naked.unsubscribe();
      const again = start('listener', 'main', { SERVICE_NAME: 'slowpoke' });
      await again.until('the rest handled after a restart', () => stopGot(again).length >= 6 - handled, 30_000);
      assert.equal(stopGot(again).filter((l) => / delivery=2: /.test(l)).length, 6 - handled, `the rest comes back as its second delivery:\n${again.output()}`);
      await stopCleanly(again, 'restarted slow listener');
    });

    test('KV watcher: empty bucket goes live, transitions, restart does not report existing keys as new, CAS counter', async () => {
      const cursor = { KV_CURSOR_FILE: join(root, `${lang}-profiles.cursor`) };
      const w1 = start('kv-watcher', 'main', cursor);
      await w1.waitFor(/^live after bootstrap of 0 keys$/);
      const kv = await new Kvm(nc).open('profiles');
      await kv.put('user.1', 'alice');
      await kv.put('user.1', 'alicia');
      await kv.put('user.2', 'bob');
      await kv.delete('user.2');
      await w1.waitFor(/^change user\.2 bob@3 -> \(del\)$/);
      assert.ok(w1.lines.includes('change user.1 (none) -> alice@1'), w1.output());
      assert.ok(w1.lines.includes('change user.1 alice@1 -> alicia@2'), `transition with both revisions:\n${w1.output()}`);
      await stopCleanly(w1, 'kv watcher');

      // while it is down: one new key
      await kv.put('user.3', 'carol');
      const w2 = start('kv-watcher', 'main', cursor);
      await w2.waitFor(/^live after bootstrap of 2 keys$/);
      assert.ok(w2.lines.includes('initial user.1=alicia rev=2'), `existing key is state, not news:\n${w2.output()}`);
      assert.equal(w2.count(/^change user\.1 /), 0, `existing key not reported as a change:\n${w2.output()}`);
      assert.ok(w2.lines.includes('change user.3 (none) -> carol@5 while down'), `missed change caught up:\n${w2.output()}`);
      await kv.put('user.3', 'caroline');
      await w2.waitFor(/^change user\.3 carol@5 -> caroline@6$/);
      await stopCleanly(w2, 'restarted kv watcher');

      // compare-and-set from 5 concurrent processes: no lost update
      const b = built['kv-watcher']!;
      const runs = await Promise.all(Array.from({ length: 5 }, () => runToEnd(b.command('main', ['incr', 'counter']), b.dir, env())));
      for (const r of runs) assert.equal(r.code, 0, r.output);
      assert.equal((await kv.get('counter'))?.string(), '5');
    });

    test('publisher: a retried message (same Nats-Msg-Id) is deduplicated and reported', async () => {
      const b = built.publisher!;
      const first = await runToEnd(b.command('main', ['charge-42', '{"amount":10}']), b.dir, env());
      assert.equal(first.code, 0, first.output);
      assert.match(first.output, /published seq=1 \(id charge-42\)/);
      const retry = await runToEnd(b.command('main', ['charge-42', '{"amount":10}']), b.dir, env());
      assert.match(retry.output, /duplicate of seq=1 \(id charge-42\)/);
      const other = await runToEnd(b.command('main', ['charge-43', '{"amount":5}']), b.dir, env());
      assert.match(other.output, /published seq=2/);
      const jsm = await jetstreamManager(nc);
      assert.equal((await jsm.streams.info('PAYMENTS')).state.messages, 2, 'the retry stored nothing');
    });

    test('request/reply: the requester gets the responder\'s reply; the responder drains on SIGTERM', async () => {
      const r = start('responder', 'responder');
      await r.waitFor(/responding on tools\.result\.get/);
      const b = built.responder!;
      const req = await runToEnd(b.command('requester', ['hello']), b.dir, env());
      assert.equal(req.code, 0, req.output);
      assert.match(req.output, /reply: ok: hello \(tools\.result\.get\)/);
      await stopCleanly(r, 'responder');
      const none = await runToEnd(b.command('requester', ['again']), b.dir, env());
      assert.equal(none.code, 1, 'no responder: the requester fails instead of hanging');
      assert.match(none.output, /request failed/i);
    });
  });
}

/**
 * Every Admin action does what it says, checked independently (natscli or raw nats.js);
 * bad names never reach the server; server refusals come back with a code and a hint that
 * names the clash; version-gated actions are refused on old servers and work on new ones.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { findNatsServer29, natsCliSkipReason, natsServer29SkipReason } from '../helpers/binaries';
import { natsCli, natsCliJson, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { Admin, AdminError, nameProblem, subjectProblem, subjectsCollide } from '../../src/nats/admin';
import { consumerTemplate, diffConfig, kvTemplate, natsCliArgs, streamTemplate, toNatsCliCommand } from '../../src/nats/templates';

/** Counts JetStream API requests seen on the server (a second, real connection listening on $JS.API.>). */
async function apiSpy(server: NatsServer): Promise<{ count(): number; subjects: string[]; close(): Promise<void> }> {
  const spyNc = await connect({ servers: server.url });
  const subjects: string[] = [];
  const sub: Subscription = spyNc.subscribe('$JS.API.>', {
    callback: (_e, m) => {
      subjects.push(m.subject);
    },
  });
  await spyNc.flush();
  return {
    subjects,
    count: () => subjects.length,
    async close() {
      sub.unsubscribe();
      await spyNc.close();
    },
  };
}

async function rejectsBeforeSending(server: NatsServer, nc: NatsConnection, fn: () => Promise<unknown>, pattern: RegExp, code = 'invalid'): Promise<void> {
  const spy = await apiSpy(server);
  try {
    await assert.rejects(fn, (err: unknown) => {
      assert.ok(err instanceof AdminError, `expected AdminError, got ${String(err)}`);
      assert.equal(err.code, code);
      assert.match(err.message, pattern);
      return true;
    });
    await nc.flush();
    await spy.close();
    assert.deepEqual(spy.subjects, [], 'no JetStream API request was sent');
  } finally {
    await spy.close().catch(() => undefined);
  }
}

describe('admin on the current nats-server', { skip: natsCliSkipReason() }, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let admin: Admin;
  let jsm: JetStreamManager;

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    admin = new Admin(nc);
    jsm = await jetstreamManager(nc);
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('creates, updates and deletes a stream (as natscli sees it)', async () => {
    await admin.addStream({ name: 'ORDERS', subjects: ['orders.>'], max_msgs: 1000 });
    let info = await natsCliJson<{ config: { subjects: string[]; max_msgs: number; description?: string } }>(['stream', 'info', 'ORDERS'], { server });
    assert.deepEqual(info.config.subjects, ['orders.>']);
    assert.equal(info.config.max_msgs, 1000);
    const live = (await jsm.streams.info('ORDERS')).config;
    await admin.updateStream({ ...live, description: 'orders', max_msgs: 5000 });
    info = await natsCliJson(['stream', 'info', 'ORDERS'], { server });
    assert.equal(info.config.max_msgs, 5000);
    assert.equal(info.config.description, 'orders');
    await admin.addStream({ name: 'TMP', subjects: ['tmp'] });
    await admin.deleteStream('TMP');
    const r = await natsCli(['stream', 'info', 'TMP'], { server });
    assert.notEqual(r.code, 0, 'TMP is gone');
  });

  test('an overlapping stream is refused with 10065, naming the stream that holds the subjects', async () => {
    await assert.rejects(admin.addStream({ name: 'ORDERS2', subjects: ['orders.eu.*'] }), (err: AdminError) => {
      assert.equal(err.code, 'overlap');
      assert.equal(err.errCode, 10065);
      assert.match(err.message, /"ORDERS"/);
      assert.ok(err.hint);
      return true;
    });
  });

  test('a stream name in use with a different config is refused with 10058 and a hint to update', async () => {
    await assert.rejects(admin.addStream({ name: 'ORDERS', subjects: ['orders.>'], max_msgs: 1 }), (err: AdminError) => {
      assert.equal(err.errCode, 10058);
      assert.equal(err.code, 'exists');
      assert.match(err.hint!, /update/);
      return true;
    });
  });

  test('purges all, by filter, keeping N, and below a sequence', async () => {
    await admin.addStream({ name: 'P', subjects: ['p.*'] });
    const js = jetstream(nc);
    const fill = async () => {
      for (let i = 0; i < 10; i++) await js.publish(i % 2 ? 'p.odd' : 'p.even', `${i}`);
    };
    await fill();
    assert.equal(await admin.purgeStream('P', { filter: 'p.odd' }), 5);
    assert.equal((await jsm.streams.info('P')).state.messages, 5);
    assert.equal(await admin.purgeStream('P', { keep: 2 }), 3);
    assert.equal((await jsm.streams.info('P')).state.messages, 2);
    await fill(); // seqs 11..20
    const before = (await jsm.streams.info('P')).state;
    assert.equal(await admin.purgeStream('P', { untilSeq: 15 }), before.messages - 6);
    assert.equal((await jsm.streams.info('P')).state.first_seq, 15);
    await admin.purgeStream('P');
    const cli = await natsCliJson<{ state: { messages: number } }>(['stream', 'info', 'P'], { server });
    assert.equal(cli.state.messages, 0);
  });

  test('gets a message by sequence and the last on a subject; deletes one message', async () => {
    const js = jetstream(nc);
    const a = await js.publish('orders.new', 'first', { headers: undefined });
    const b = await js.publish('orders.new', 'second');
    await js.publish('orders.paid', new Uint8Array([0xff, 0xfe]));
    const m = await admin.getMessage('ORDERS', a.seq);
    assert.equal(m.text, 'first');
    assert.equal(m.subject, 'orders.new');
    const last = await admin.getLastMessage('ORDERS', 'orders.new');
    assert.equal(last.seq, b.seq);
    assert.equal(last.text, 'second');
    const bin = await admin.getLastMessage('ORDERS', 'orders.paid');
    assert.equal(bin.base64, Buffer.from([0xff, 0xfe]).toString('base64'));
    await admin.deleteMessage('ORDERS', a.seq);
    await assert.rejects(jsm.streams.getMessage('ORDERS', { seq: a.seq }).then((x) => x ?? Promise.reject(new Error('gone'))));
    await assert.rejects(admin.getMessage('ORDERS', a.seq), (err: AdminError) => err.code === 'notFound');
  });

  test('creates, updates and deletes a consumer', async () => {
    await admin.addConsumer('ORDERS', { durable_name: 'SHIP', filter_subject: 'orders.shipped', max_deliver: 5 });
    const info = await natsCliJson<{ config: { filter_subject: string; ack_policy: string; max_deliver: number } }>(['consumer', 'info', 'ORDERS', 'SHIP'], { server });
    assert.equal(info.config.filter_subject, 'orders.shipped');
    assert.equal(info.config.ack_policy, 'explicit');
    await admin.updateConsumer('ORDERS', { ...(await jsm.consumers.info('ORDERS', 'SHIP')).config, max_deliver: 7 });
    assert.equal((await jsm.consumers.info('ORDERS', 'SHIP')).config.max_deliver, 7);
    await admin.addConsumer('ORDERS', { durable_name: 'GONE' });
    await admin.deleteConsumer('ORDERS', 'GONE');
    await assert.rejects(jsm.consumers.info('ORDERS', 'GONE'));
    await assert.rejects(admin.deleteConsumer('ORDERS', 'GONE'), (err: AdminError) => err.code === 'notFound' && err.errCode === 10014);
  });

  test('on a workqueue stream an overlapping consumer is refused (10100), naming the consumer it clashes with', async () => {
    await admin.addStream({ name: 'JOBS', subjects: ['jobs.>'], retention: 'workqueue' as never });
    await admin.addConsumer('JOBS', { durable_name: 'EMAIL', filter_subject: 'jobs.email.>' });
    await assert.rejects(admin.addConsumer('JOBS', { durable_name: 'ALL', filter_subject: 'jobs.>' }), (err: AdminError) => {
      assert.equal(err.errCode, 10100);
      assert.match(err.message, /"EMAIL" \(jobs\.email\.>\)/);
      assert.ok(err.hint);
      return true;
    });
  });

  test('pauses and resumes a consumer on 2.11+', async () => {
    const until = new Date(Date.now() + 3_600_000);
    const r = await admin.pauseConsumer('ORDERS', 'SHIP', until);
    assert.equal(r.paused, true);
    const info = await natsCliJson<{ paused?: boolean }>(['consumer', 'info', 'ORDERS', 'SHIP'], { server });
    assert.equal(info.paused, true);
    assert.equal((await admin.resumeConsumer('ORDERS', 'SHIP')).paused, false);
    assert.ok(!(await jsm.consumers.info('ORDERS', 'SHIP')).paused);
  });

  test('resets a consumer to a stream sequence on 2.14', { skip: !new Admin({ info: { version: '2.14.0' } } as never).features.consumerReset.supported }, async (t) => {
    if (!admin.features.consumerReset.supported) return t.skip(admin.features.consumerReset.reason);
    await admin.addStream({ name: 'RS', subjects: ['rs'] });
    const js = jetstream(nc);
    for (let i = 1; i <= 10; i++) await js.publish('rs', `${i}`);
    await admin.addConsumer('RS', { durable_name: 'R' });
    const c = await js.consumers.get('RS', 'R');
    for (let i = 0; i < 8; i++) (await c.next({ expires: 2000 }))!.ack();
    assert.equal((await jsm.consumers.info('RS', 'R')).num_pending, 2);
    const r = await admin.resetConsumer('RS', 'R', 3);
    assert.equal(r.resetSeq, 3);
    const next = await c.next({ expires: 2000 });
    assert.equal(next?.seq, 3, 'delivery restarts at sequence 3');
  });

  test('KV: create, put, get, CAS update, create-only, delete, purge and history', async () => {
    await admin.createKv(kvTemplate({ bucket: 'cfg', clustered: false }).config);
    const cli = await natsCliJson<{ config: { max_msgs_per_subject: number } }>(['stream', 'info', 'KV_cfg'], { server });
    assert.equal(cli.config.max_msgs_per_subject, 5);
    const r1 = await admin.kvPut('cfg', 'db.url', 'postgres://a');
    const r2 = await admin.kvUpdate('cfg', 'db.url', 'postgres://b', r1);
    assert.equal((await admin.kvGet('cfg', 'db.url'))!.text, 'postgres://b');
    const viaCli = await natsCli(['kv', 'get', 'cfg', 'db.url', '--raw'], { server });
    assert.equal(viaCli.stdout.trim(), 'postgres://b');

    await assert.rejects(admin.kvUpdate('cfg', 'db.url', 'stale write', r1), (err: AdminError) => {
      assert.equal(err.code, 'casMismatch');
      assert.equal(err.message, `key "db.url" in bucket cfg changed: expected revision ${r1}, current revision is ${r2}`);
      assert.ok(err.hint);
      return true;
    });
    assert.equal((await admin.kvGet('cfg', 'db.url'))!.text, 'postgres://b', 'stale write did not land');
    await assert.rejects(admin.kvPut('cfg', 'db.url', 'x', { expectedRevision: r1 }), (err: AdminError) => err.code === 'casMismatch');

    await assert.rejects(admin.kvCreate('cfg', 'db.url', 'again'), (err: AdminError) => {
      assert.match(err.message, new RegExp(`key "db.url" in bucket cfg already exists at revision ${r2}`));
      return true;
    });
    const r3 = await admin.kvCreate('cfg', 'db.pool', '10');
    assert.ok(r3 > r2);
    assert.equal((await admin.kvGet('cfg', 'db.url', { revision: r1 }))!.text, 'postgres://a');

    await admin.kvDelete('cfg', 'db.url');
    assert.equal((await admin.kvGet('cfg', 'db.url'))?.operation ?? 'none', 'DEL');
    const hist = await admin.kvHistory('cfg', 'db.url');
    assert.deepEqual(hist.map((h) => h.operation), ['PUT', 'PUT', 'DEL']);
    assert.deepEqual(hist.map((h) => h.text), ['postgres://a', 'postgres://b', undefined]);

    await admin.kvPurge('cfg', 'db.url');
    const after = await admin.kvHistory('cfg', 'db.url');
    assert.deepEqual(after.map((h) => h.operation), ['PURGE']);

    await admin.updateKv({ bucket: 'cfg', history: 10, description: 'config' });
    assert.equal((await jsm.streams.info('KV_cfg')).config.max_msgs_per_subject, 10);
    await admin.deleteKv('cfg');
    await assert.rejects(jsm.streams.info('KV_cfg'));
  });

  test('object stores: create and delete', async () => {
    await admin.createObjectStore({ bucket: 'files', description: 'blobs' });
    const ls = await natsCli(['object', 'ls'], { server });
    assert.match(ls.stdout, /files/);
    await admin.updateObjectStore({ bucket: 'files', description: 'more blobs' });
    assert.equal((await jsm.streams.info('OBJ_files')).config.description, 'more blobs');
    await admin.deleteObjectStore('files');
    await assert.rejects(jsm.streams.info('OBJ_files'));
  });

  test('objects: put (replace), get, info and delete, as natscli sees them', async () => {
    await admin.createObjectStore({ bucket: 'docs' });
    const text = 'hello objects\n'.repeat(100);
    const put = await admin.putObject('docs', 'notes/readme.txt', text, { description: 'a text' });
    assert.equal(put.size, Buffer.byteLength(text));
    assert.equal(put.name, 'notes/readme.txt');
    const binary = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
    await admin.putObject('docs', 'blob.bin', binary);
    // natscli lists both and returns the same bytes
    // `nats object ls STORE` prints a table (no --json): each name appears in it
    const ls = await natsCli(['object', 'ls', 'docs'], { server });
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /notes\/readme\.txt/);
    assert.match(ls.stdout, /blob\.bin/);
    const out = join(server.dir, 'readme.out');
    const got = await natsCli(['object', 'get', 'docs', 'notes/readme.txt', '--output', out, '--force'], { server });
    assert.equal(got.code, 0, got.stderr);
    assert.equal(readFileSync(out, 'utf8'), text);

    const c = await admin.getObject('docs', 'notes/readme.txt');
    assert.equal(c.text, text);
    assert.equal(c.info.description, 'a text');
    const b = await admin.getObject('docs', 'blob.bin');
    assert.equal(b.text, undefined, 'binary is not decoded as text');
    assert.deepEqual(b.data, binary);
    assert.equal(b.info.chunks > 1, true);

    // put on an existing name replaces the content
    await admin.putObject('docs', 'notes/readme.txt', 'v2');
    assert.equal((await admin.getObject('docs', 'notes/readme.txt')).text, 'v2');
    assert.equal((await admin.objectInfo('docs', 'notes/readme.txt'))?.size, 2);

    await admin.deleteObject('docs', 'blob.bin');
    assert.equal(await admin.objectInfo('docs', 'blob.bin'), undefined);
    const after = await natsCli(['object', 'ls', 'docs'], { server });
    assert.doesNotMatch(after.stdout, /blob\.bin/);
    assert.match(after.stdout, /notes\/readme\.txt/);
    await assert.rejects(admin.getObject('docs', 'blob.bin'), (err: unknown) => err instanceof AdminError && err.code === 'notFound' && /no object "blob\.bin"/.test(err.message));
    await assert.rejects(admin.deleteObject('docs', 'blob.bin'), (err: unknown) => err instanceof AdminError && err.code === 'notFound');
    await rejectsBeforeSending(server, nc, () => admin.putObject('docs', '', 'x'), /object name is empty/);
    await rejectsBeforeSending(server, nc, () => admin.getObject('docs', 'bad\u0000name'), /control character/);
    await rejectsBeforeSending(server, nc, () => admin.getObject('no.such', 'x'), /object store name "no\.such"/);
    await admin.deleteObjectStore('docs');
  });

  test('bad names and subjects are rejected before any request, with the rule broken', async () => {
    await rejectsBeforeSending(server, nc, () => admin.addStream({ name: 'my stream', subjects: ['a'] }), /contains U\+0020.*cannot contain spaces/);
    await rejectsBeforeSending(server, nc, () => admin.addStream({ name: 'a.b', subjects: ['a'] }), /contains "\."/);
    await rejectsBeforeSending(server, nc, () => admin.addStream({ name: 'x'.repeat(256), subjects: ['a'] }), /256 characters long; the limit is 255/);
    await rejectsBeforeSending(server, nc, () => admin.addStream({ name: 'OK', subjects: ['a.>.b'] }), /">" must be a whole token and the last one/);
    await rejectsBeforeSending(server, nc, () => admin.addStream({ name: 'OK', subjects: ['a..b'] }), /empty token/);
    await rejectsBeforeSending(server, nc, () => admin.addConsumer('ORDERS', { durable_name: 'w*' }), /consumer name "w\*" contains "\*"/);
    await rejectsBeforeSending(server, nc, () => admin.deleteStream('ORD/ERS'), /contains "\/"/);
    await rejectsBeforeSending(server, nc, () => admin.createKv({ bucket: 'my.bucket' }), /KV bucket name/);
    await rejectsBeforeSending(server, nc, () => admin.kvPut('cfg', '.bad', 'x'), /cannot start or end with "\."/);
    await rejectsBeforeSending(server, nc, () => admin.purgeStream('ORDERS', { filter: 'orders. x' }), /whitespace/);
    await rejectsBeforeSending(server, nc, () => admin.addStream({ name: 'tab\there', subjects: ['a'] }), /U\+0009/);
    const names = (await jsm.streams.list().next()).map((s) => s.config.name);
    assert.ok(!names.some((n) => n.includes(' ') || n.includes('.')), 'nothing was created');
  });

  test('templates follow seed 001 and the copied natscli command creates the same thing', async () => {
    const st = streamTemplate({ name: 'TPL', subjects: ['tpl.>'], clustered: admin.clustered });
    assert.equal(st.config.num_replicas, 1, 'single dev server: R1');
    assert.equal(st.config.duplicate_window, 120_000_000_000);
    assert.equal(st.config.storage, 'file');
    assert.equal(streamTemplate({ name: 'X', clustered: true }).config.num_replicas, 3);
    const ct = consumerTemplate({ stream: 'TPL', name: 'WORK' });
    assert.equal(ct.config.max_deliver, 5);
    assert.ok(ct.config.backoff!.length < ct.config.max_deliver!);
    assert.ok(ct.notes.some((n) => n.includes('$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.TPL.WORK')));

    // natscli runs our argv; the stream it creates matches the one Admin creates from the same config
    const cmd = toNatsCliCommand('stream', st.config);
    assert.match(cmd, /^nats stream add TPL --subjects='tpl\.>'/);
    const r = await natsCli(natsCliArgs('stream', st.config), { server });
    assert.equal(r.code, 0, `${cmd}\n${r.stderr}`);
    await admin.addStream({ ...st.config, name: 'TPL2', subjects: ['tpl2.>'] });
    const a = (await jsm.streams.info('TPL')).config;
    const b = (await jsm.streams.info('TPL2')).config;
    const diff = diffConfig('stream', { ...a, name: 'X', subjects: [], metadata: {} }, { ...b, name: 'X', subjects: [], metadata: {} });
    assert.deepEqual(diff, [], 'natscli command and Admin give the same stream');

    const cr = await natsCli(natsCliArgs('consumer', { ...ct.config, stream_name: 'TPL', backoff: undefined }), { server });
    assert.equal(cr.code, 0, cr.stderr);
    const ci = await jsm.consumers.info('TPL', 'WORK');
    assert.equal(ci.config.max_deliver, 5);
    assert.equal(ci.config.ack_wait, 30_000_000_000);

    const kvr = await natsCli(natsCliArgs('kv', kvTemplate({ bucket: 'tplkv', clustered: false }).config), { server });
    assert.equal(kvr.code, 0, kvr.stderr);
    assert.equal((await new Kvm(nc).open('tplkv').then((kv) => kv.status())).history, 5);
    assert.match(toNatsCliCommand('stream', st.config, { style: 'config' }), /^cat > TPL\.json <<'EOF'\n\{/);
  });

  test('diffConfig lists changed fields and flags the ones the server cannot change', async () => {
    const live = (await jsm.streams.info('ORDERS')).config;
    const diff = diffConfig('stream', live, { ...live, storage: 'memory' as never, max_age: 60_000_000_000, retention: 'workqueue' as never });
    assert.deepEqual(
      diff.map((d) => [d.field, d.immutable]),
      [
        ['retention', true],
        ['storage', true],
        ['max_age', false],
      ],
    );
    // and the server agrees that storage cannot change
    await assert.rejects(admin.updateStream({ ...live, storage: 'memory' as never }), (err: AdminError) => err instanceof AdminError);
    const c = (await jsm.consumers.info('ORDERS', 'SHIP')).config;
    const cd = diffConfig('consumer', c, { ...c, deliver_policy: 'new' as never, max_deliver: 9 });
    assert.deepEqual(cd.map((d) => [d.field, d.immutable]), [['deliver_policy', true], ['max_deliver', false]]);
  });
});

const v29 = findNatsServer29();
describe(`admin on nats-server 2.9${v29 ? ` (${v29.version})` : ''}`, { skip: natsServer29SkipReason() }, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let admin: Admin;
  before(async () => {
    server = await startNatsServer({ binary: v29!.path });
    nc = await connect({ servers: server.url });
    admin = new Admin(nc);
    await admin.addStream({ name: 'OLD', subjects: ['old.>'] });
    await admin.addConsumer('OLD', { durable_name: 'W' });
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('pause is refused with the reason, before any request', async () => {
    const reason = `needs nats-server 2.11 or later; connected to ${v29!.version}`;
    await rejectsBeforeSending(server, nc, () => admin.pauseConsumer('OLD', 'W', new Date(Date.now() + 60_000)), new RegExp(`^consumer pause ${reason.replace(/\./g, '\\.')}$`), 'unsupported');
    await rejectsBeforeSending(server, nc, () => admin.resetConsumer('OLD', 'W', 1), /consumer reset needs nats-server 2\.14 or later/, 'unsupported');
    await rejectsBeforeSending(server, nc, () => admin.addConsumer('OLD', { durable_name: 'M', filter_subjects: ['old.a', 'old.b'] }), /needs nats-server 2\.10/, 'unsupported');
  });

  test('streams, consumers and KV still work', async () => {
    const r = await admin.kvPut('cfgold', 'k', 'v').catch((e: AdminError) => e);
    assert.ok(r instanceof AdminError, 'no bucket yet');
    await admin.createKv({ bucket: 'cfgold', history: 2 });
    const rev = await admin.kvPut('cfgold', 'k', 'v');
    await assert.rejects(admin.kvUpdate('cfgold', 'k', 'w', rev + 5), (e: AdminError) => e.code === 'casMismatch' && e.message.includes(`expected revision ${rev + 5}, current revision is ${rev}`));
    assert.equal((await admin.purgeStream('OLD')), 0);
  });
});

test('validation helpers', () => {
  assert.equal(nameProblem('stream', 'ORDERS'), undefined);
  assert.match(nameProblem('stream', '')!, /empty/);
  assert.match(nameProblem('stream', 'a>b')!, /">"/);
  assert.match(nameProblem('consumer', 'a\u0007')!, /U\+0007/);
  assert.equal(subjectProblem('orders.*.created'), undefined);
  assert.equal(subjectProblem('orders.>'), undefined);
  assert.match(subjectProblem('orders.a*')!, /"\*" must be a whole token/);
  assert.match(subjectProblem('orders.*', { wildcards: false })!, /cannot contain wildcards/);
  assert.ok(subjectsCollide('jobs.>', 'jobs.email.>'));
  assert.ok(subjectsCollide('a.*.c', 'a.b.*'));
  assert.ok(!subjectsCollide('a.b', 'a.c'));
  assert.ok(!subjectsCollide('a.>', 'a'));
});

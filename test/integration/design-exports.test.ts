/**
 * Exports checked by tools no one here wrote: the natscli export run by the real natscli
 * against a fresh server produces what apply creates; the NACK export decodes strictly into
 * NACK's own Go API types.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { findNatsCli, natsCliSkipReason } from '../helpers/binaries';
import { makeTempDir, natsCliJson, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { nackCheckSkipReason, nackDecode } from '../helpers/nackCheck';
import { loadDesign, planDesign, exportDesign, type FlowDesign } from '../../src/core/design';
import { Admin } from '../../src/nats/admin';
import { applyPlan, diffPlan, bucketFromStream, objectStoreFromStream } from '../../src/nats/designApply';

const run = promisify(execFile);

function example(name: string): FlowDesign {
  const r = loadDesign(readFileSync(join(__dirname, '../../examples', `${name}.natsflow.json`), 'utf8'));
  assert.ok(r.ok);
  // an object store too, so every exported kind is checked
  r.design.objectStores = [{ bucket: `${name}-files`, description: 'Blobs', ttl: '7d', max_bytes: '100MB' }];
  return r.design;
}
const one = (format: Parameters<typeof exportDesign>[0], d: FlowDesign) => exportDesign(format, d).files[0]!.content;

describe('natscli export, run by the real natscli', { skip: natsCliSkipReason() }, () => {
  let byCli: NatsServer;
  let byApply: NatsServer;
  let ncCli: NatsConnection;
  let ncApply: NatsConnection;
  before(async () => {
    [byCli, byApply] = await Promise.all([startNatsServer({ maxFileStore: 16 * 1024 ** 3 }), startNatsServer({ maxFileStore: 16 * 1024 ** 3 })]);
    ncCli = await connect({ servers: byCli.url });
    ncApply = await connect({ servers: byApply.url });
  });
  after(async () => {
    await Promise.all([ncCli?.close(), ncApply?.close()]);
    await Promise.all([byCli?.stop(), byApply?.stop()]);
  });

  for (const name of ['codeforge', 'overmind']) {
    test(`${name}: setup.sh makes the same streams, consumers and buckets as apply`, async () => {
      // one server each: plan for R1
      const design = example(name);
      const plan = planDesign(design, { maxReplicas: 1 });
      const out = makeTempDir('nats-flow-natscli-export-');
      for (const f of exportDesign('natscli', design, { maxReplicas: 1 }).files) {
        mkdirSync(dirname(join(out, f.path)), { recursive: true });
        writeFileSync(join(out, f.path), f.content);
        if (f.executable) chmodSync(join(out, f.path), 0o755);
      }
      const env = { ...process.env, NATS: findNatsCli()!.path, NATS_OPTS: `--server ${byCli.url}`, XDG_CONFIG_HOME: out, NATS_CONTEXT: '' };
      await run('sh', [join(out, 'setup.sh')], { env, timeout: 120_000 });
      const report = await applyPlan(new Admin(ncApply), plan, await diffPlan(new Admin(ncApply), plan));
      assert.equal(report.failed, 0);

      const cli = { server: byCli };
      const app = { server: byApply };
      for (const s of plan.streams) {
        const a = await natsCliJson<{ config: Record<string, unknown> }>(['stream', 'info', s.config.name], cli);
        const b = await natsCliJson<{ config: Record<string, unknown> }>(['stream', 'info', s.config.name], app);
        assert.deepEqual(a.config, b.config, `stream ${s.config.name}: natscli and apply agree`);
      }
      for (const c of plan.consumers) {
        const a = await natsCliJson<{ config: Record<string, unknown> }>(['consumer', 'info', c.stream, c.config.durable_name], cli);
        const b = await natsCliJson<{ config: Record<string, unknown> }>(['consumer', 'info', c.stream, c.config.durable_name], app);
        assert.deepEqual(a.config, b.config, `consumer ${c.stream}/${c.config.durable_name}: natscli and apply agree`);
      }
      for (const bkt of plan.buckets) {
        const a = await natsCliJson<{ config: never }>(['stream', 'info', `KV_${bkt.config.bucket}`], cli);
        const b = await natsCliJson<{ config: never }>(['stream', 'info', `KV_${bkt.config.bucket}`], app);
        assert.deepEqual(bucketFromStream(bkt.config.bucket, a.config), bucketFromStream(bkt.config.bucket, b.config), `bucket ${bkt.config.bucket}`);
      }
      for (const o of plan.objectStores) {
        const a = await natsCliJson<{ config: never }>(['stream', 'info', `OBJ_${o.config.bucket}`], cli);
        const b = await natsCliJson<{ config: never }>(['stream', 'info', `OBJ_${o.config.bucket}`], app);
        assert.deepEqual(objectStoreFromStream(o.config.bucket, a.config), objectStoreFromStream(o.config.bucket, b.config), `object store ${o.config.bucket}`);
      }
      // and apply finds nothing to change on what natscli made
      const diff = await diffPlan(new Admin(ncCli), plan);
      assert.deepEqual(diff.filter((c) => c.action !== 'unchanged' && c.action !== 'extra').map((c) => `${c.action} ${c.name}`), []);
      // the setup script is safe to run twice
      await run('sh', [join(out, 'setup.sh')], { env, timeout: 120_000 });
    });
  }
});

describe('NACK export, decoded by NACK\'s own Go types', { skip: nackCheckSkipReason() }, () => {
  test('decodes strictly into NACK\'s own Go types (github.com/nats-io/nack v0.22.4), values equal the plan', { skip: nackCheckSkipReason(), timeout: 900_000 }, () => {
    for (const name of ['overmind', 'codeforge']) {
      const d = example(name);
      const plan = planDesign(d);
      const decoded = nackDecode(one('nack', d));
      assert.equal(decoded.filter((x) => x.kind === 'Stream').length, plan.streams.length);
      assert.equal(decoded.filter((x) => x.kind === 'Consumer').length, plan.consumers.length);
      assert.equal(decoded.filter((x) => x.kind === 'KeyValue').length, plan.buckets.length);
      assert.equal(decoded.filter((x) => x.kind === 'ObjectStore').length, 1);
      const store = decoded.find((x) => x.kind === 'ObjectStore')!;
      assert.equal(store.durations.ttl, 7 * 86_400e9);
      assert.equal(store.spec.maxBytes, 100 * 1024 ** 2);
      assert.equal(store.spec.storage, 'file');
      for (const s of plan.streams) {
        const x = decoded.find((y) => y.kind === 'Stream' && y.spec.name === s.config.name)!;
        assert.equal(x.durations.maxAge ?? 0, s.config.max_age, `${s.config.name} maxAge`);
        assert.equal(x.durations.duplicateWindow, s.config.duplicate_window);
        assert.equal(x.spec.replicas, s.config.num_replicas);
        assert.equal(x.spec.storage, s.config.storage);
        assert.deepEqual(x.spec.subjects, s.config.subjects);
        assert.equal(x.spec.maxBytes ?? -1, s.config.max_bytes === -1 ? -1 : s.config.max_bytes);
      }
      for (const c of plan.consumers) {
        const x = decoded.find((y) => y.kind === 'Consumer' && y.spec.durableName === c.config.durable_name)!;
        assert.equal(x.spec.streamName, c.stream);
        assert.equal(x.spec.ackPolicy, c.config.ack_policy);
        assert.equal(x.durations.ackWait, c.config.ack_wait);
        assert.equal(x.spec.maxDeliver, c.config.max_deliver);
        assert.equal(x.spec.filterSubject, c.config.filter_subject);
        (c.config.backoff ?? []).forEach((b, i) => assert.equal(x.durations[`backoff[${i}]`], b));
      }
    }
    // and it really is strict: an unknown field is refused
    assert.throws(() => nackDecode('apiVersion: jetstream.nats.io/v1beta2\nkind: Stream\nmetadata: {name: x}\nspec: {name: X, maxAge: 7d}\n'), /not a Go duration/);
    assert.throws(() => nackDecode('apiVersion: jetstream.nats.io/v1beta2\nkind: Stream\nmetadata: {name: x}\nspec: {name: X, max_age: 1}\n'), /unknown field "max_age"/);
  });
});

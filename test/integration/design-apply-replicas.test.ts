/**
 * Replicas against the server's size: a production design plans R3 (seed 001), which a single
 * server refuses. `nats-flow apply` tells the size from the server (INFO's cluster and
 * connect_urls), refuses before changing anything while an object asks for more replicas than
 * the server holds, naming each one, and applies with `--replicas-cap N`, naming each object
 * it lowers. On the 3-node cluster the same design applies with R3 unchanged, and a 5-replica
 * override is refused there and capped at 3. natscli reads the result as an independent client.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { makeTempDir, natsCliJson, removeTempDir, startNatsCluster, startNatsServer, type NatsCluster, type NatsServer } from '../helpers/natsServer';
import { cli } from '../helpers/cliInProcess';
import { Admin } from '../../src/nats/admin';
import { planDesign, loadDesign } from '../../src/core/design';

const OVERMIND = join(__dirname, '../../examples/overmind.natsflow.json');
const overmind = () => {
  const r = loadDesign(readFileSync(OVERMIND, 'utf8'));
  assert.ok(r.ok);
  return r.design;
};
/** The four streams the production plan makes, R3 each (three by override, the DLQ follows its stream). */
const STREAMS = planDesign(overmind()).streams.map((s) => s.config.name);

async function streamNames(nc: NatsConnection): Promise<string[]> {
  const out: string[] = [];
  for await (const n of (await jetstreamManager(nc)).streams.names()) out.push(n);
  return out.sort();
}

describe('apply: replicas against a single server', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  before(async () => {
    server = await startNatsServer({ maxFileStore: 16 * 1024 ** 3 });
    nc = await connect({ servers: server.url });
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('the server is known to hold 1 replica', () => {
    const limit = new Admin(nc).replicaLimit();
    assert.equal(limit.max, 1);
    assert.match(limit.describe, /is a single server \(not clustered\)/);
  });

  test('R3 plan: refused before any change, naming every stream and the flag; --dry-run says the same', async () => {
    assert.deepEqual(STREAMS.length, 4);
    for (const extra of [['--yes'], ['--dry-run']]) {
      const r = await cli(['apply', OVERMIND, '--server', server.url, ...extra]);
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.err, /is a single server \(not clustered\) holds at most 1 replica, and the plan asks for more:/);
      for (const s of STREAMS) assert.ok(r.err.includes(`  stream ${s}: 3 replicas\n`), `${s} named:\n${r.err}`);
      assert.match(r.err, /Nothing was applied\. --replicas-cap 1 applies them with 1 replica \(the design keeps asking for 3\), or apply to a cluster of at least 3 servers\./);
      assert.deepEqual(await streamNames(nc), [], 'nothing was created');
    }
  });

  test('--replicas-cap 1: applied with 1 replica, each lowered stream named; again converges; without the cap it is refused again and nothing changes', async () => {
    const r = await cli(['apply', OVERMIND, '--server', server.url, '--replicas-cap', '1', '--yes']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /Replicas capped at 1 as asked \(the server: nats-server [^)]+ is a single server \(not clustered\)\); the design asks for more:/);
    for (const s of STREAMS) assert.ok(r.out.includes(`  stream ${s}: 3 → 1 replica\n`), `${s} named as lowered:\n${r.out}`);
    assert.match(r.out, /8 done, 0 failed, 0 skipped/);
    for (const s of STREAMS) {
      const info = await natsCliJson<{ config: { num_replicas: number } }>(['stream', 'info', s], { server });
      assert.equal(info.config.num_replicas, 1, s);
    }
    const again = await cli(['apply', OVERMIND, '--server', server.url, '--replicas-cap', '1', '--yes']);
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.out, /Nothing to change\./);

    const uncapped = await cli(['apply', OVERMIND, '--server', server.url, '--yes']);
    assert.equal(uncapped.code, 1);
    assert.match(uncapped.out, /~ update +stream routing-decisions: num_replicas 1 → 3/);
    assert.match(uncapped.err, /holds at most 1 replica/);
    for (const s of STREAMS) assert.equal((await (await jetstreamManager(nc)).streams.info(s)).config.num_replicas, 1, `${s} untouched`);
  });

  test('a development design (R1) is not affected; a bad cap is bad usage', async () => {
    const codeforge = join(__dirname, '../../examples/codeforge.natsflow.json');
    const r = await cli(['apply', codeforge, '--server', server.url, '--dry-run']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.doesNotMatch(r.out + r.err, /replica/i);
    for (const bad of ['0', '6', 'three']) {
      const b = await cli(['apply', OVERMIND, '--server', server.url, '--replicas-cap', bad, '--yes']);
      assert.equal(b.code, 2, b.err);
      assert.match(b.err, new RegExp(`--replicas-cap: the replicas cap must be a whole number from 1 to 5 \\(JetStream's limit\\), got "${bad}"`));
    }
  });
});

describe('apply: replicas against a 3-node cluster', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;
  const tmp = makeTempDir('nats-flow-replicas-');
  before(async () => {
    cluster = await startNatsCluster(3, { maxFileStore: 16 * 1024 ** 3 });
    nc = await connect({ servers: cluster.urls });
  });
  after(async () => {
    await nc?.close();
    await cluster?.stop();
    removeTempDir(tmp);
  });

  test('the cluster is known to hold 3 replicas; the production design applies with R3 as planned', async () => {
    const limit = new Admin(nc).replicaLimit();
    assert.equal(limit.max, 3);
    assert.match(limit.describe, /cluster "nf-cluster" of 3 servers/);
    const r = await cli(['apply', OVERMIND, '--server', cluster.urls.join(','), '--yes']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.doesNotMatch(r.out + r.err, /capped|holds at most/);
    for (const s of STREAMS) {
      const info = await natsCliJson<{ config: { num_replicas: number }; cluster: { replicas?: unknown[] } }>(['stream', 'info', s], { server: cluster.urls[0]! });
      assert.equal(info.config.num_replicas, 3, s);
      assert.equal(info.cluster.replicas?.length, 2, `${s} has a leader and two replicas`);
    }
  });

  test('a stream asking for 5 replicas is refused on 3 servers, and --replicas-cap 3 applies it with 3', async () => {
    const d = JSON.parse(readFileSync(OVERMIND, 'utf8'));
    d.overrides.streams.llm.num_replicas = 5;
    const file = join(tmp, 'r5.natsflow.json');
    writeFileSync(file, JSON.stringify(d));
    const refused = await cli(['apply', file, '--server', cluster.urls[0]!, '--yes']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /cluster "nf-cluster" of 3 servers holds at most 3 replicas, and the plan asks for more:\n  stream llm-requests: 5 replicas\nNothing was applied\. --replicas-cap 3 applies it with 3 replicas/);
    const capped = await cli(['apply', file, '--server', cluster.urls[0]!, '--replicas-cap', '3', '--yes']);
    assert.equal(capped.code, 0, capped.out + capped.err);
    assert.match(capped.out, /Replicas capped at 3 as asked[^\n]*\n  stream llm-requests: 5 → 3 replicas\n(?!  )/);
    // the stream was already R3: nothing to change
    assert.match(capped.out, /Nothing to change\./);
  });
});

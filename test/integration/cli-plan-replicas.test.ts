/**
 * `nats-flow plan` against a real single nats-server: the production Overmind design plans R3
 * (seed 001). With `--replicas-cap 1` the plan holds R1 and names every object it lowered, in
 * apply's words; without the cap plan still succeeds but warns that the server holds 1 replica
 * and points to --replicas-cap. Where the size cannot be told (a JetStream domain) it says it
 * did not check. Plan changes nothing on the server and leaves no connection.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { cli } from '../helpers/cliInProcess';
import { pollUntil } from '../helpers/scaffoldScenarios';
import { loadDesign, planDesign } from '../../src/core/design';

const OVERMIND = join(__dirname, '../../examples/overmind.natsflow.json');
const CODEFORGE = join(__dirname, '../../examples/codeforge.natsflow.json');
const overmind = loadDesign(readFileSync(OVERMIND, 'utf8'));
assert.ok(overmind.ok);
/** The four streams the production plan makes, R3 each. */
const STREAMS = planDesign(overmind.design).streams.map((s) => s.config.name);

/** `num_replicas` as the plan text prints it, per stream block. */
function printedReplicas(out: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of out.matchAll(/^stream (\S+)[^\n]*\n(?:  [^\n]*\n)*?  num_replicas +(\d+)$/gm)) found[m[1]!] = m[2]!;
  return found;
}

describe('plan: replicas against a single server', () => {
  let server: NatsServer;
  /** Open client connections the CLI made, and streams on the server, from the monitoring endpoint. */
  const cliConnections = async () => ((await (await fetch(`${server.monitorUrl}/connz?limit=1024`)).json()) as { connections?: { name?: string }[] }).connections?.filter((c) => c.name === 'nats-flow CLI').length ?? 0;
  const streamCount = async () => ((await (await fetch(`${server.monitorUrl}/jsz`)).json()) as { streams: number }).streams;

  before(async () => {
    assert.equal(STREAMS.length, 4);
    server = await startNatsServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('--replicas-cap 1: the plan shows R1 and names each lowered stream with the server; no warning; nothing on the server', async () => {
    const r = await cli(['plan', OVERMIND, '--server', server.url, '--replicas-cap', '1']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(r.err, '', 'no warning: the capped plan fits the server');
    assert.match(r.out, /^Replicas capped at 1 as asked \(the server: nats-server [^)]+ is a single server \(not clustered\)\); the design asks for more:\n/);
    for (const s of STREAMS) assert.ok(r.out.includes(`  stream ${s}: 3 → 1 replica\n`), `${s} named as lowered:\n${r.out}`);
    assert.deepEqual(printedReplicas(r.out), Object.fromEntries(STREAMS.map((s) => [s, '1'])));
    await pollUntil('the CLI connection to close', async () => (await cliConnections()) === 0, 10_000);
    assert.equal(await streamCount(), 0, 'plan creates nothing');
  });

  test('the lowered objects are named in the same words as apply --dry-run --replicas-cap 1', async () => {
    const capped = (out: string) => out.slice(out.indexOf('Replicas capped'), out.indexOf('\n\n', out.indexOf('Replicas capped')));
    const plan = await cli(['plan', OVERMIND, '--server', server.url, '--replicas-cap', '1']);
    const apply = await cli(['apply', OVERMIND, '--server', server.url, '--replicas-cap', '1', '--dry-run']);
    assert.equal(apply.code, 0, apply.out + apply.err);
    // apply prints its change list right after the block; compare the block line by line
    const lines = (s: string) => s.split('\n').filter((l) => l.startsWith('Replicas capped') || / → \d replica/.test(l));
    assert.deepEqual(lines(capped(plan.out)), lines(apply.out));
    assert.equal(lines(apply.out).length, 5);
  });

  test('without the cap: plan succeeds with R3 but warns, naming each stream and --replicas-cap 1', async () => {
    const r = await cli(['plan', OVERMIND, '--server', server.url]);
    assert.equal(r.code, 0, 'a warning, not a failure');
    assert.match(r.err, /^nats-flow plan: warning: nats-server [^\n]+ is a single server \(not clustered\) holds at most 1 replica, and the plan asks for more:\n/);
    for (const s of STREAMS) assert.ok(r.err.includes(`  stream ${s}: 3 replicas\n`), `${s} named:\n${r.err}`);
    assert.match(r.err, /Apply would refuse this plan there before changing anything; --replicas-cap 1 applies them with 1 replica \(the design keeps asking for 3\), or apply to a cluster of at least 3 servers\./);
    assert.deepEqual(printedReplicas(r.out), Object.fromEntries(STREAMS.map((s) => [s, '3'])));
    assert.doesNotMatch(r.out, /Replicas capped/);
    // a cap the server still cannot hold is planned, and warned about
    const cap3 = await cli(['plan', OVERMIND, '--server', server.url, '--replicas-cap', '3']);
    assert.equal(cap3.code, 0);
    assert.match(cap3.err, /holds at most 1 replica, and the plan asks for more:/);
    await pollUntil('the CLI connections to close', async () => (await cliConnections()) === 0, 10_000);
  });

  test('--json carries the server, what it cannot hold and what the cap lowered; the warning stays on stderr', async () => {
    const over = await cli(['plan', OVERMIND, '--server', server.url, '--json']);
    assert.equal(over.code, 0);
    const o = JSON.parse(over.out);
    assert.equal(o.replicas.limit.max, 1);
    assert.match(o.replicas.limit.describe, /is a single server \(not clustered\)/);
    assert.deepEqual(o.replicas.over, STREAMS.map((s) => ({ object: `stream ${s}`, planned: 3, capped: 1 })));
    assert.deepEqual(o.replicas.capped, []);
    assert.match(over.err, /warning: .* holds at most 1 replica/);

    const capped = await cli(['plan', OVERMIND, '--server', server.url, '--json', '--replicas-cap', '1']);
    assert.equal(capped.code, 0);
    assert.equal(capped.err, '');
    const c = JSON.parse(capped.out);
    assert.equal(c.replicas.cap, 1);
    assert.deepEqual(c.replicas.over, []);
    // listed in the order the planner lowers them (a dead-letter stream with its stream)
    const byObject = (a: { object: string }, b: { object: string }) => a.object.localeCompare(b.object);
    assert.deepEqual([...c.replicas.capped].sort(byObject), STREAMS.map((s) => ({ object: `stream ${s}`, planned: 3, capped: 1 })).sort(byObject));
    assert.ok(c.streams.every((s: { num_replicas: number }) => s.num_replicas === 1));
  });

  test('when the size cannot be told (JetStream in a domain) plan says it did not check; an unreachable server fails like apply', async () => {
    const r = await cli(['plan', OVERMIND, '--server', server.url, '--js-domain', 'hub']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '', 'no size, so no warning');
    assert.match(r.out, /^Replicas not checked against the server: JetStream at API prefix \$JS\.hub\.API \(its cluster size is not known from here\)\.\n/);
    const down = await cli(['plan', OVERMIND, '--server', 'nats://127.0.0.1:1', '--replicas-cap', '1']);
    assert.equal(down.code, 1);
    assert.match(down.err, /^nats-flow plan: Connection "command line": cannot reach nats:\/\/127\.0\.0\.1:1/);
    assert.equal(down.out, '', 'no plan printed as if it had been checked');
  });

  test('a development design (R1) plans without a warning; a bad cap is bad usage before connecting', async () => {
    const r = await cli(['plan', CODEFORGE, '--server', server.url]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.doesNotMatch(r.out, /capped|holds at most/);
    for (const bad of ['0', '6', 'three', '']) {
      // port 1 is closed: a connect attempt would fail with exit 1, not 2
      const b = await cli(['plan', OVERMIND, '--server', 'nats://127.0.0.1:1', '--replicas-cap', bad]);
      assert.equal(b.code, 2, b.err);
      assert.ok(b.err.startsWith(`nats-flow plan: --replicas-cap: the replicas cap must be a whole number from 1 to 5 (JetStream's limit), got "${bad}"\n`), b.err);
      assert.equal(b.out, '');
    }
  });
});

/**
 * `--replicas-cap N` without a server: the flag's parsing (shared by plan, apply and scaffold),
 * the capped plan that plan and apply share (lint from the design as written), and what
 * `nats-flow plan` prints and puts in its JSON. The server side (size, warning) is in
 * test/integration/cli-plan-replicas.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../helpers/cliInProcess';
import { checkPreview } from '../../src/shared/designValidate';
import { checkReplicas, loadDesign, mostReplicasAsked, parseReplicasCap, planAndLint, planWithReplicasCap, replicasCappedText, replicasRefusal, replicasWarning, type FlowDesign } from '../../src/core/design';

const OVERMIND = join(__dirname, '../../examples/overmind.natsflow.json');
const CODEFORGE = join(__dirname, '../../examples/codeforge.natsflow.json');
const load = (file: string): FlowDesign => {
  const r = loadDesign(readFileSync(file, 'utf8'));
  assert.ok(r.ok);
  return r.design;
};
/** In plan order: the context streams, then the dead-letter one. */
const STREAMS = ['routing-decisions', 'memory-events', 'llm-requests', 'memory-events-dlq'];

describe('parseReplicasCap', () => {
  test('a whole number from 1 to 5 is the cap; absent is no cap', () => {
    assert.deepEqual(parseReplicasCap(undefined), {});
    assert.deepEqual(parseReplicasCap('1'), { cap: 1 });
    assert.deepEqual(parseReplicasCap(' 3 '), { cap: 3 });
    assert.deepEqual(parseReplicasCap('5'), { cap: 5 });
    assert.deepEqual(parseReplicasCap(2), { cap: 2 });
  });

  test('anything else is refused, naming the value (an empty flag too: it is not "no cap")', () => {
    for (const bad of ['0', '6', '-1', '1.5', '1e0', 'three', '', '  ', '99999999999999999999']) {
      const r = parseReplicasCap(bad);
      assert.equal(r.cap, undefined, bad);
      assert.equal(r.error, `the replicas cap must be a whole number from 1 to 5 (JetStream's limit), got "${bad}"`);
    }
    assert.match(parseReplicasCap(0).error!, /got "0"/);
    assert.match(parseReplicasCap(2.5).error!, /got "2.5"/);
  });
});

describe('planWithReplicasCap (what plan and apply share)', () => {
  test('lowers every object above the cap and lists it; findings are those of the design as written', () => {
    const d = load(OVERMIND);
    const asWritten = planAndLint(d);
    const { plan, findings } = planWithReplicasCap(d, { replicasCap: 1 });
    assert.ok(plan.streams.every((s) => s.config.num_replicas === 1));
    assert.deepEqual(plan.replicasCapped!.map((c) => c.object).sort(), STREAMS.map((s) => `stream ${s}`).sort());
    assert.ok(plan.replicasCapped!.every((c) => c.planned === 3 && c.capped === 1));
    // capping R3 to R1 for one server must not raise "R1 in production"
    assert.deepEqual(findings, asWritten.findings);
    assert.equal(planWithReplicasCap(d).plan.replicasCapped, undefined, 'no cap: nothing listed');
    assert.deepEqual(planWithReplicasCap(d, { replicasCap: 3 }).plan.replicasCapped, [], 'a cap at the planned size lowers nothing');
  });

  test('the explanation names the cap; a custom reason replaces the flag', () => {
    const d = load(OVERMIND);
    const why = (reason?: string) => {
      const { plan } = planWithReplicasCap(d, { replicasCap: 2, ...(reason ? { capReason: reason } : {}) });
      return plan.streams[0]!.why.num_replicas;
    };
    assert.equal(why(), '2: capped from 3 (--replicas-cap 2)');
    assert.equal(why("capped at 2 in the designer's Apply tab"), "2: capped from 3 (capped at 2 in the designer's Apply tab)");
  });
});

describe('mostReplicasAsked (the designer offers caps 1..server size when it is above 1)', () => {
  test('the highest replicas of any object, counting what a cap lowered at its planned value', () => {
    const d = load(OVERMIND);
    assert.equal(mostReplicasAsked(planAndLint(d).plan), 3);
    assert.equal(mostReplicasAsked(planWithReplicasCap(d, { replicasCap: 1 }).plan), 3, 'capped: still asks for 3');
    const r5 = structuredClone(d);
    r5.overrides!.streams!.llm!.num_replicas = 5;
    assert.equal(mostReplicasAsked(planWithReplicasCap(r5, { replicasCap: 2 }).plan), 5);
    assert.equal(mostReplicasAsked(planAndLint(load(CODEFORGE)).plan), 1, 'a development design asks for 1: nothing to cap');
  });

  test('the preview message keeps it through the webview protocol check', () => {
    const result = { ok: true, message: '', changes: [], replicas: { server: 'cluster "c" of 3 servers', max: 3, most: 3, over: [], capped: [] } };
    assert.equal(checkPreview(result, 'result').replicas?.most, 3);
  });
});

describe('replicas texts', () => {
  const d = load(OVERMIND);
  const limit = { max: 1, describe: 'nats-server 2.14.5 "n1" is a single server (not clustered)' };

  test('capped: one line per object, with the server when there is one', () => {
    const { plan } = planWithReplicasCap(d, { replicasCap: 1 });
    const lines = (t: string) => t.trimEnd().split('\n');
    const offline = replicasCappedText({ capped: plan.replicasCapped!, cap: 1 });
    assert.equal(lines(offline)[0], 'Replicas capped at 1 as asked; the design asks for more:');
    assert.deepEqual(lines(offline).slice(1).sort(), STREAMS.map((s) => `  stream ${s}: 3 → 1 replica`).sort());
    const online = replicasCappedText(checkReplicas(plan, limit, 1));
    assert.equal(lines(online)[0], `Replicas capped at 1 as asked (the server: ${limit.describe}); the design asks for more:`);
    assert.deepEqual(lines(online).slice(1), lines(offline).slice(1));
    assert.equal(replicasCappedText({ capped: [] }), '');
  });

  test('the warning plan gives and the refusal apply gives name the same objects and the same way out', () => {
    const check = checkReplicas(planAndLint(d).plan, limit);
    const head = `${limit.describe} holds at most 1 replica, and the plan asks for more:\n${STREAMS.map((s) => `  stream ${s}: 3 replicas`).join('\n')}\n`;
    const way = '--replicas-cap 1 applies them with 1 replica (the design keeps asking for 3), or apply to a cluster of at least 3 servers.';
    assert.equal(replicasRefusal(check), `${head}Nothing was applied. ${way}`);
    assert.equal(replicasWarning(check), `${head}Apply would refuse this plan there before changing anything; ${way}`);
  });
});

describe('nats-flow plan --replicas-cap (offline)', () => {
  test('the plan text starts with the lowered objects and shows 1 replica in every stream', async () => {
    const r = await cli(['plan', OVERMIND, '--replicas-cap', '1']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '', 'no server given: nothing to warn about');
    assert.ok(r.out.startsWith('Replicas capped at 1 as asked; the design asks for more:\n'), r.out.slice(0, 200));
    for (const s of STREAMS) assert.ok(r.out.includes(`  stream ${s}: 3 → 1 replica\n`), s);
    const printed = [...r.out.matchAll(/^  num_replicas +(\d+)$/gm)].map((m) => m[1]);
    assert.deepEqual(printed, ['1', '1', '1', '1']);
    assert.match(r.out, /\nPlan for overmind \(production\)\n/);

    const explained = await cli(['plan', OVERMIND, '--replicas-cap', '2', '--explain']);
    assert.match(explained.out, /num_replicas +2\n +↳ 2: capped from 3 \(--replicas-cap 2\)/);
    for (const s of STREAMS) assert.ok(explained.out.includes(`  stream ${s}: 3 → 2 replicas\n`), s);
  });

  test('without the cap, or with a cap the design stays under, nothing is said and nothing changes', async () => {
    const plain = await cli(['plan', OVERMIND]);
    assert.doesNotMatch(plain.out, /Replicas capped/);
    assert.deepEqual([...plain.out.matchAll(/^  num_replicas +(\d+)$/gm)].map((m) => m[1]), ['3', '3', '3', '3']);
    const atSize = await cli(['plan', OVERMIND, '--replicas-cap', '3']);
    assert.equal(atSize.out, plain.out);
    const dev = await cli(['plan', CODEFORGE]);
    const devCapped = await cli(['plan', CODEFORGE, '--replicas-cap', '1']);
    assert.equal(devCapped.out, dev.out, 'an R1 design is not affected');
  });

  test('--json: lowered replicas in the configs, and a "replicas" record of the cap and each lowered object', async () => {
    const c = JSON.parse((await cli(['plan', OVERMIND, '--replicas-cap', '1', '--json'])).out);
    assert.ok(c.streams.every((s: { num_replicas: number }) => s.num_replicas === 1));
    assert.equal(c.replicas.cap, 1);
    assert.deepEqual(c.replicas.capped.map((o: { object: string }) => o.object).sort(), STREAMS.map((s) => `stream ${s}`).sort());
    assert.ok(!('limit' in c.replicas) && !('over' in c.replicas), 'no server: no size and nothing over it');
    assert.ok(c.explain.some((e: { field: string; why: string }) => e.field === 'num_replicas' && e.why === '1: capped from 3 (--replicas-cap 1)'));
    const plain = JSON.parse((await cli(['plan', OVERMIND, '--json'])).out);
    assert.deepEqual(plain.replicas, { capped: [] });
    assert.ok(plain.streams.every((s: { num_replicas: number }) => s.num_replicas === 3));
  });

  test('a bad cap is bad usage (exit 2) naming the value, checked before the file is read', async () => {
    for (const bad of ['0', '6', 'two', '1.5', '']) {
      const r = await cli(['plan', '/nonexistent/design.natsflow.json', '--replicas-cap', bad]);
      assert.equal(r.code, 2, `${bad}: ${r.err}`);
      assert.equal(r.err, `nats-flow plan: --replicas-cap: the replicas cap must be a whole number from 1 to 5 (JetStream's limit), got "${bad}"\nRun "nats-flow plan --help" for usage.\n`);
      assert.equal(r.out, '');
    }
    const missing = await cli(['plan', OVERMIND, '--replicas-cap']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--replicas-cap/);
  });

  test('--help documents the flag and the optional server check', async () => {
    const r = await cli(['plan', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Usage: nats-flow plan FILE \[--env development\|production\] \[--replicas-cap N\] \[--json\] \[--explain\] \[connection flags\]/);
    assert.match(r.out, /--replicas-cap N\n +give no stream, bucket or object store more than N replicas/);
    assert.match(r.out, /With any connection flag, plan connects and warns/);
    assert.match(r.out, /-s, --server URL/);
  });
});

/**
 * The linter's subject rules find overlapping pairs through a token trie (patternTrie.ts)
 * instead of comparing every pair. These tests hold it to the all-pairs answer: the trie
 * against `patternsOverlap` on random patterns, and the lint findings against an all-pairs
 * reference on random (seeded) plans and on the example designs.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintDesign, loadDesign, patternsOverlap, planDesign, type Finding, type FlowDesign, type FlowPath, type Plan } from '../../src/core/design';
import { PatternTrie } from '../../src/core/design/patternTrie';
import { overlappingPairs } from '../../src/core/design/lint';
import { seededRandom } from '../helpers/seededRandom';

const rng = seededRandom;
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** 1–4 tokens; "*" and ">" may stand anywhere (also ">" before the end, which the lint must treat as patternsOverlap does). */
function pattern(r: () => number, wellFormed = false): string {
  const n = 1 + Math.floor(r() * 4);
  const tokens = Array.from({ length: n }, (_, i) => {
    const t = pick(r, ['a', 'b', 'c', '*', '*', '>']);
    return wellFormed && t === '>' && i < n - 1 ? '*' : t;
  });
  return tokens.join('.');
}

describe('PatternTrie', () => {
  for (const seed of [1, 2, 3, 42]) {
    test(`seed ${seed}: names exactly the stored patterns patternsOverlap says overlap`, () => {
      const r = rng(seed);
      const stored = Array.from({ length: 150 }, () => pattern(r, seed % 2 === 0));
      const trie = new PatternTrie<number>();
      stored.forEach((p, i) => trie.add(p, i));
      let hits = 0;
      for (let k = 0; k < 1500; k++) {
        const q = pattern(r, k % 2 === 0);
        const want = stored.flatMap((p, i) => (patternsOverlap(q, p) ? [i] : []));
        const got = [...new Set(trie.overlapping(q))].sort((x, y) => x - y);
        assert.deepEqual(got, want, `query ${q}`);
        assert.equal(trie.overlapsAny(q), want.length > 0, `query ${q}`);
        hits += want.length;
      }
      assert.ok(hits > 1000, 'the random patterns overlap often enough to test something');
    });
  }

  test('the edge cases of ">" and of length', () => {
    const trie = new PatternTrie<string>();
    for (const p of ['a', 'a.>', 'a.*', '>', '*', 'a.b.c', 'b.>.c']) trie.add(p, p);
    const of = (q: string) => [...trie.overlapping(q)].sort();
    assert.deepEqual(of('a'), ['*', '>', 'a']);
    assert.deepEqual(of('a.>'), ['>', 'a.*', 'a.>', 'a.b.c']);
    assert.deepEqual(of('b.x'), ['>', 'b.>.c']);
    assert.deepEqual(of('x.y'), ['>']);
    assert.deepEqual(of('>'), ['*', '>', 'a', 'a.*', 'a.>', 'a.b.c', 'b.>.c']);
  });
});

test('overlappingPairs: the pairs two nested loops would find, in their order', () => {
  const r = rng(7);
  for (let k = 0; k < 200; k++) {
    const groups = Array.from({ length: 1 + Math.floor(r() * 12) }, () => Array.from({ length: Math.floor(r() * 3) }, () => pattern(r)));
    const want: [number, number][] = [];
    for (let a = 0; a < groups.length; a++) for (let b = a + 1; b < groups.length; b++) if (groups[a]!.some((x) => groups[b]!.some((y) => patternsOverlap(x, y)))) want.push([a, b]);
    assert.deepEqual(overlappingPairs(groups), want);
  }
});

/**
 * What the three subject rules must report, computed the old way (every pair), as short keys
 * in the order the linter emits them.
 */
function allPairsKeys(plan: Plan): string[] {
  const keys: string[] = [];
  const s = plan.streams;
  for (let a = 0; a < s.length; a++) {
    for (let b = a + 1; b < s.length; b++) {
      const clash = s[a]!.config.subjects.flatMap((x) => s[b]!.config.subjects.filter((y) => patternsOverlap(x, y)).map((y) => `${x} / ${y}`));
      if (clash.length) keys.push(`subject-overlap ${s[a]!.config.name} ${s[b]!.config.name} (${clash.join(', ')})`);
    }
  }
  for (const st of s) {
    if (st.config.retention !== 'workqueue') continue;
    const mine = plan.consumers.filter((c) => c.stream === st.config.name);
    for (let a = 0; a < mine.length; a++) {
      for (let b = a + 1; b < mine.length; b++) {
        const fa = mine[a]!.config.filter_subject ?? '>';
        const fb = mine[b]!.config.filter_subject ?? '>';
        if (patternsOverlap(fa, fb)) keys.push(`workqueue-filter-overlap ${st.config.name} ${mine[a]!.config.durable_name} (${fa}) ${mine[b]!.config.durable_name} (${fb})`);
      }
    }
  }
  for (const c of plan.consumers) {
    const f = c.config.filter_subject;
    const st = s.find((x) => x.config.name === c.stream)!;
    if (f && !st.config.subjects.some((y) => patternsOverlap(f, y))) keys.push(`filter-outside-stream ${c.stream}/${c.config.durable_name} ${f}`);
  }
  return keys;
}

/** The same keys read back from the linter's findings. */
function lintKeys(findings: Finding[]): string[] {
  return findings.flatMap((f) => {
    let m: RegExpExecArray | null;
    if (f.rule === 'subject-overlap' && (m = /^streams (\S+) and (\S+) capture overlapping subjects \((.*)\): /.exec(f.message))) return [`subject-overlap ${m[1]} ${m[2]} (${m[3]})`];
    if (f.rule === 'workqueue-filter-overlap' && (m = /^work-queue stream (\S+): consumers (\S+) \((\S+)\) and (\S+) \((\S+)\) overlap/.exec(f.message))) return [`workqueue-filter-overlap ${m[1]} ${m[2]} (${m[3]}) ${m[4]} (${m[5]})`];
    if (f.rule === 'filter-outside-stream' && (m = /^consumer (\S+) filters on "(\S+)"/.exec(f.message))) return [`filter-outside-stream ${m[1]} ${m[2]}`];
    if (['subject-overlap', 'workqueue-filter-overlap', 'filter-outside-stream'].includes(f.rule)) throw new Error(`unexpected message: ${f.message}`);
    return [];
  });
}

/** A design with several contexts, worker queues (several workers per stream) and listeners. */
function design(r: () => number): FlowDesign {
  const d: FlowDesign = { version: 1, name: 'random', environment: 'development', components: Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, kind: 'service' as const, name: `C${i}` })), paths: [] };
  for (let i = 0; i < 40; i++) {
    const worker = r() < 0.5;
    const p: FlowPath = { id: `p${i}`, from: `c${i % 12}`, to: [`c${(i + 1 + Math.floor(r() * 10)) % 12}`], description: `path ${i}`, subject: `ctx${Math.floor(r() * 5)}.${pattern(r, true)}`, answers: worker ? { restart: 'no', fanout: 'one', processing: 'slow', nature: 'request' } : { restart: 'no', fanout: 'all', processing: 'fast', nature: 'fact' } };
    if (!worker) p.override = { primitive: 'stream', reason: 'event log' };
    d.paths.push(p);
  }
  return d;
}

/** Random stream subjects, retentions and consumer filters (wildcards anywhere) on a real plan. */
function scramble(plan: Plan, r: () => number): void {
  for (const s of plan.streams) {
    s.config.subjects = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pattern(r));
    if (r() < 0.5) s.config.retention = 'workqueue';
  }
  for (const c of plan.consumers) {
    const roll = r();
    if (roll < 0.2) delete c.config.filter_subject;
    else if (roll < 0.8) c.config.filter_subject = pattern(r);
  }
}

describe('indexed lint = all-pairs lint', () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    test(`random design, seed ${seed}`, () => {
      const r = rng(seed);
      const d = design(r);
      const plan = planDesign(d);
      assert.ok(plan.streams.length >= 3 && plan.consumers.length >= 10, 'the random design plans several streams and consumers');
      const before = allPairsKeys(plan);
      assert.deepEqual(lintKeys(lintDesign(d, plan)), before, 'planned as is');
      scramble(plan, r);
      const want = allPairsKeys(plan);
      assert.ok(want.some((k) => k.startsWith('subject-overlap')) && want.some((k) => k.startsWith('workqueue-filter-overlap')) && want.some((k) => k.startsWith('filter-outside-stream')), 'the scrambled plan trips all three rules');
      assert.deepEqual(lintKeys(lintDesign(d, plan)), want, 'scrambled');
    });
  }

  for (const name of ['codeforge', 'overmind']) {
    test(`examples/${name}.natsflow.json, as is and scrambled`, () => {
      const loaded = loadDesign(readFileSync(join(__dirname, `../../examples/${name}.natsflow.json`), 'utf8'));
      assert.ok(loaded.ok, `${name} loads`);
      const d = loaded.design;
      const plan = planDesign(d);
      assert.deepEqual(lintKeys(lintDesign(d, plan)), allPairsKeys(plan));
      const r = rng(name.length);
      for (let k = 0; k < 5; k++) {
        scramble(plan, r);
        assert.deepEqual(lintKeys(lintDesign(d, plan)), allPairsKeys(plan), `scramble ${k}`);
      }
    });
  }
});

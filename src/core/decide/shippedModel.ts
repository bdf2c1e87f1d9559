/**
 * The shipped model files (weights.json from scripts/train-decide.ts, clusters.json from
 * scripts/decide-clusters.ts), loaded on first use rather than when the module loads.
 *
 * An `import` of a JSON file becomes an object literal that every bundle evaluates at load:
 * ~690 KB of them cost every CLI run and the extension host's bundle load about 20 ms of CPU,
 * even when nothing is classified (bench/decideLoad.bench.ts). A `require()` call runs only when
 * reached: esbuild keeps the file as a lazily initialised module in every bundle (host, CLI,
 * designer webview, test suites) and tsx hands it to Node's JSON loader, so the tests and the
 * decide scripts read the same files the same way.
 */
import type { ModelWeights } from './model';

// the webview tsconfig has no Node types; esbuild and tsx both resolve a plain require()
declare const require: (path: string) => unknown;

export interface ClusterFile {
  about: string;
  /** One cluster per entry: its words, space-separated. */
  clusters: string[];
}

let weights: ModelWeights | undefined;
let clusters: ClusterFile | undefined;
const loadMs: { weights?: number; clusters?: number } = {};

/** The trained weights the classifier uses unless given others. */
export function shippedWeights(): ModelWeights {
  if (!weights) {
    const started = performance.now();
    weights = require('./weights.json') as ModelWeights;
    loadMs.weights = performance.now() - started;
  }
  return weights;
}

/** The word clusters features.ts maps each word to. */
export function shippedClusters(): ClusterFile {
  if (!clusters) {
    const started = performance.now();
    clusters = require('./clusters.json') as ClusterFile;
    loadMs.clusters = performance.now() - started;
  }
  return clusters;
}

/** How long loading each model file took, in ms; a file not loaded yet is absent. */
export function modelLoadTimes(): { weights?: number; clusters?: number } {
  return { ...loadMs };
}

// esbuild plugin for the Decide pre-classifier's model files (src/core/decide/weights.json and
// clusters.json, ~690 KB). src/core/decide/shippedModel.ts require()s them on first use, so
// esbuild already wraps each in a lazily initialised module; but its JSON loader writes the
// data as an object literal, which V8 still pre-parses at bundle load and parses again on the
// first call. As one string handed to JSON.parse, the load pays for scanning a string and the
// first call for JSON.parse, the faster of the two (bench/decideLoad.bench.ts). Plain ESM with
// types in decideModelPlugin.d.mts, so scripts/build.mjs and the .ts benchmark share it.
import { readFile } from 'node:fs/promises';

/** The model files: JSON under src/core/decide/. */
export const DECIDE_MODEL_FILTER = /[\\/]src[\\/]core[\\/]decide[\\/][^\\/]+\.json$/;

export const decideModelPlugin = {
  name: 'decide-model-json',
  setup(build) {
    build.onLoad({ filter: DECIDE_MODEL_FILTER }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      try {
        JSON.parse(text);
      } catch (err) {
        // fail the build as esbuild's own JSON loader would, instead of shipping a broken model
        return { errors: [{ text: `${args.path} is not valid JSON: ${err.message}` }] };
      }
      return { contents: `module.exports = JSON.parse(${JSON.stringify(text)});\n`, loader: 'js' };
    });
  },
};

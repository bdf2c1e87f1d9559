import type { Plugin } from 'esbuild';
/** The model files: JSON under src/core/decide/. */
export declare const DECIDE_MODEL_FILTER: RegExp;
/** Loads the Decide model files as JSON text parsed when first required. */
export declare const decideModelPlugin: Plugin;

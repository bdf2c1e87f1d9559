/** `import source from './x.worker.ts?worker-source'`: the worker's bundled code as text (scripts/build.mjs). */
declare module '*?worker-source' {
  const source: string;
  export default source;
}

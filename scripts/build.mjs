// Builds the extension host bundle, the CLI, one bundle per webview panel and the
// extension-host test suite with esbuild. `--production` minifies and drops source maps,
// `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, statSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decideModelPlugin } from './lib/decideModelPlugin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = !production && !process.argv.includes('--no-tests');
// `--webviews-to DIR`: only the webview bundles (and codicons), into DIR, leaving dist/ alone;
// the designer benchmark builds the production bundle users get this way
const webviewsTo = process.argv.includes('--webviews-to') ? process.argv[process.argv.indexOf('--webviews-to') + 1] : undefined;

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  absWorkingDir: root,
  // every bundle that reaches src/core/decide carries the model as JSON text parsed on first use
  plugins: [decideModelPlugin],
};

const host = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // designerTools: the designer's exports and imports, required by the extension on first use
  entryPoints: { extension: 'src/vscode/extension.ts', cli: 'src/cli/main.ts', designerTools: 'src/vscode/designer/designerTools.ts' },
  outdir: 'dist',
};

/** One entry per folder under webview/ that has an index.tsx (webview/components is shared). */
function webviewEntries() {
  const dir = join(root, 'webview');
  const entries = {};
  if (!existsSync(dir)) return entries;
  for (const name of readdirSync(dir)) {
    const entry = join(dir, name, 'index.tsx');
    if (existsSync(entry) && statSync(entry).isFile()) entries[name] = `webview/${name}/index.tsx`;
  }
  return entries;
}

/**
 * `import src from './layout.worker.ts?worker-source'`: bundles that file on its own and
 * hands its code over as a string, so a webview can start it from a blob: URL (a worker
 * cannot be loaded from the webview resource origin).
 */
const workerSourcePlugin = {
  name: 'worker-source',
  setup(build) {
    build.onResolve({ filter: /\?worker-source$/ }, (args) => ({ path: join(args.resolveDir, args.path.replace(/\?worker-source$/, '')), namespace: 'worker-source' }));
    build.onLoad({ filter: /.*/, namespace: 'worker-source' }, async (args) => {
      const r = await esbuild.build({ ...common, sourcemap: false, entryPoints: [args.path], platform: 'browser', format: 'iife', target: 'es2022', write: false });
      return { contents: `export default ${JSON.stringify(r.outputFiles[0].text)};`, loader: 'js', watchFiles: [args.path] };
    });
  },
};

const webviews = {
  ...common,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  entryPoints: webviewEntries(),
  outdir: 'dist/webview',
  jsx: 'automatic',
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file' },
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
  plugins: [decideModelPlugin, workerSourcePlugin],
};

/** The Mocha suite that runs inside VS Code: one bundle, `vscode` and `mocha` resolved at run time. */
function suiteEntries() {
  const dir = join(root, 'test', 'suite');
  if (!existsSync(dir)) return {};
  const entries = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.ts')) entries[f.replace(/\.ts$/, '')] = `test/suite/${f}`;
  return entries;
}

const suite = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  entryPoints: suiteEntries(),
  outdir: 'out/test/suite',
};

function copyCodicons(dest = join(root, 'dist/webview/codicons')) {
  const src = join(root, 'node_modules/@vscode/codicons/dist');
  mkdirSync(dest, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(src, f), join(dest, f));
}

/**
 * The tree-sitter runtime and the grammars the code lenses parse with (src/core/lenses):
 * loaded from dist/wasm/ at run time, on the first parse of each language.
 */
const LENS_GRAMMARS = ['typescript', 'tsx', 'javascript', 'go', 'python'];
function copyTreeSitterWasm() {
  const dest = join(root, 'dist/wasm');
  mkdirSync(dest, { recursive: true });
  copyFileSync(join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'), join(dest, 'web-tree-sitter.wasm'));
  for (const g of LENS_GRAMMARS) copyFileSync(join(root, `node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-${g}.wasm`), join(dest, `tree-sitter-${g}.wasm`));
}

const configs = [host, webviews];
if (withTests && Object.keys(suiteEntries()).length) configs.push(suite);

if (webviewsTo) {
  const started = Date.now();
  await esbuild.build({ ...webviews, outdir: webviewsTo });
  copyCodicons(join(webviewsTo, 'codicons'));
  console.log(`[build] ${production ? 'production' : 'development'} webviews in ${webviewsTo} in ${Date.now() - started} ms`);
  process.exit(0);
}

// a production build starts from an empty dist/, so no development source map survives into a package
if (production) rmSync(join(root, 'dist'), { recursive: true, force: true });

if (watch) {
  for (const c of configs) await (await esbuild.context(c)).watch();
  copyCodicons();
  copyTreeSitterWasm();
  console.log('[build] watching…');
} else {
  const started = Date.now();
  await Promise.all(configs.map((c) => (Object.keys(c.entryPoints).length ? esbuild.build(c) : null)));
  copyCodicons();
  copyTreeSitterWasm();
  const sizes = ['dist/extension.js', 'dist/cli.js', ...Object.keys(webviews.entryPoints).map((e) => `dist/webview/${e}.js`)]
    .filter((f) => existsSync(join(root, f)))
    .map((f) => `${f} ${(statSync(join(root, f)).size / 1024).toFixed(0)} KiB`);
  console.log(`[build] ${production ? 'production' : 'development'} build in ${Date.now() - started} ms: ${sizes.join(', ')}`);
}

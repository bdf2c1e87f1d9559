// @vscode/test-cli configuration (`npx vscode-test`) for machines that can download VS Code.
// It runs the same compiled suite as scripts/vscode-test.mjs (which uses code-server and works
// offline): out/test/suite/*.test.js, built by `node scripts/build.mjs`, Mocha `tdd` UI.
import { defineConfig } from '@vscode/test-cli';
import { mkdirSync } from 'node:fs';

// inside .vscode-test/ (git-ignored), next to the VS Code download
const workspace = '.vscode-test/workspace';
const xdgConfig = '.vscode-test/xdg-config';
for (const d of [workspace, xdgConfig]) mkdirSync(d, { recursive: true });

export default defineConfig({
  label: 'extension-host',
  files: 'out/test/suite/*.test.js',
  // the lowest VS Code package.json's engines.vscode allows; use 'stable' for the newest
  version: '1.95.0',
  workspaceFolder: workspace,
  mocha: { ui: 'tdd', timeout: 60_000, color: false },
  // like the code-server route: no developer NATS setup leaks into the run
  // (empty, not undefined: undefined keys are dropped and the caller's value would leak through)
  env: { NATS_URL: '', NATS_CONTEXT: '', XDG_CONFIG_HOME: `${process.cwd()}/${xdgConfig}` },
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
});

/**
 * The Mocha entry VS Code calls as `extensionTestsPath` (out/test/suite/index.js). The build
 * bundles every test/suite/*.ts separately, so this loads each sibling `*.test.js` at run
 * time. UI is `tdd` (`suite`/`test`/`suiteSetup`), the same as .vscode-test.mjs, so a file
 * runs the same under code-server (scripts/vscode-test.mjs) and @vscode/test-cli.
 *
 * Each result is printed with console.log — the extension host forwards that to the
 * workbench, where scripts/vscode-test.mjs reads it through `codeAutomationLog` — and all
 * results are also written as JSON to $NATS_FLOW_TEST_RESULTS (set on the code-server
 * process, whose environment the extension host inherits) as a fallback.
 *
 * Filters, also through the environment: NATS_FLOW_TEST_FILES (comma list of file names,
 * with or without `.test.js`) and NATS_FLOW_TEST_GREP (a Mocha grep).
 */
import Mocha from 'mocha';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TestResult {
  title: string;
  fullTitle: string;
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
  stack?: string;
}

export interface TestResults {
  startedAt: string;
  finishedAt?: string;
  vscodeVersion?: string;
  files: string[];
  passed: number;
  failed: number;
  pending: number;
  tests: TestResult[];
  /** Set when the run itself broke (a file did not load, Mocha threw). */
  error?: string;
}

const PREFIX = '[nats-flow-test]';

export function run(): Promise<void> {
  const results: TestResults = { startedAt: new Date().toISOString(), files: [], passed: 0, failed: 0, pending: 0, tests: [] };
  const resultsFile = process.env.NATS_FLOW_TEST_RESULTS || join(__dirname, '..', 'vscode-results.json');
  const save = () => {
    try {
      mkdirSync(dirname(resultsFile), { recursive: true });
      writeFileSync(resultsFile, JSON.stringify(results, null, 2));
    } catch (err) {
      console.error(`${PREFIX} could not write ${resultsFile}: ${String(err)}`);
    }
  };

  try {
    // `vscode` is only resolvable inside the extension host; ask lazily so a plain `node` load
    // of this file (a mistake, but a common one) fails with the message below, not at import
    results.vscodeVersion = (require('vscode') as typeof import('vscode')).version;
  } catch {
    /* not in VS Code */
  }

  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: reporterFor(results, save) });
  if (process.env.NATS_FLOW_TEST_GREP) mocha.grep(process.env.NATS_FLOW_TEST_GREP);

  const wanted = (process.env.NATS_FLOW_TEST_FILES ?? '')
    .split(',')
    .map((s) => s.trim().replace(/(\.test)?(\.js|\.ts)?$/, ''))
    .filter(Boolean);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.test\.js$/, '')))
    .sort();
  results.files = files;
  for (const f of files) mocha.addFile(join(__dirname, f));
  console.log(`${PREFIX} VS Code ${results.vscodeVersion ?? '?'}, ${files.length} file(s): ${files.join(', ') || '(none)'}`);

  return new Promise<void>((resolve, reject) => {
    const finish = (err?: unknown) => {
      if (err) results.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results.finishedAt = new Date().toISOString();
      save();
      console.log(`${PREFIX} done: ${results.passed} passed, ${results.failed} failed, ${results.pending} pending`);
      if (results.error) reject(new Error(results.error));
      else if (results.failed > 0) reject(new Error(`${results.failed} test(s) failed`));
      else if (results.passed === 0) reject(new Error('no tests ran'));
      else resolve();
    };
    try {
      mocha.run(() => finish());
    } catch (err) {
      console.error(`${PREFIX} Mocha could not run: ${String(err)}`);
      finish(err);
    }
  });
}

/** A reporter that records into `results` and prints one line per test through console.log. */
function reporterFor(results: TestResults, save: () => void) {
  return class NatsFlowReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_SUITE_BEGIN } = Mocha.Runner.constants;
      runner.on(EVENT_SUITE_BEGIN, (s: Mocha.Suite) => {
        if (s.title) console.log(`${PREFIX} suite: ${s.fullTitle()}`);
      });
      runner.on(EVENT_TEST_PASS, (t: Mocha.Test) => {
        results.passed++;
        results.tests.push({ title: t.title, fullTitle: t.fullTitle(), file: short(t.file), state: 'passed', durationMs: t.duration });
        console.log(`${PREFIX} pass: ${t.fullTitle()} (${t.duration ?? 0} ms)`);
        save();
      });
      // also fires for failing hooks (`"before all" hook for …`), which are failures too
      runner.on(EVENT_TEST_FAIL, (t: Mocha.Test, err: Error) => {
        results.failed++;
        results.tests.push({ title: t.title, fullTitle: t.fullTitle(), file: short(t.file), state: 'failed', durationMs: t.duration, error: err?.message ?? String(err), stack: err?.stack });
        console.log(`${PREFIX} fail: ${t.fullTitle()}: ${err?.message ?? String(err)}`);
        if (err?.stack) console.log(err.stack.split('\n').slice(0, 8).join('\n'));
        save();
      });
      runner.on(EVENT_TEST_PENDING, (t: Mocha.Test) => {
        results.pending++;
        results.tests.push({ title: t.title, fullTitle: t.fullTitle(), file: short(t.file), state: 'pending' });
        console.log(`${PREFIX} skip: ${t.fullTitle()}`);
      });
    }
  };
}

function short(file: string | undefined): string | undefined {
  return file?.split(/[\\/]/).pop();
}

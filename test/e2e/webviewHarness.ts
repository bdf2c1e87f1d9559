/**
 * The rig shared by the webview e2e tests (test/e2e/*-webview.test.ts): a BUILT webview
 * (dist/webview/<entry>.js + .css) served over HTTP under the exact HTML and CSP the extension
 * serves (renderWebviewHtml), opened in Debian's Chromium (flags and binary from
 * scripts/lib/chromiumFlags.mjs, as the code-server runs use them), with a fake
 * `acquireVsCodeApi` — the VS Code boundary — that records what the webview posts.
 *
 *   const harness = await startWebviewHarness('decide', { title: 'Decide: KV or Stream' });
 *   const hp = await harness.newPage();   // closes the previous page's context first
 *   await hp.post({ kind: 'notification', method: 'decide/state', params: s });
 *   await harness.close();
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { makeNonce, renderWebviewHtml } from '../../src/vscode/webview/webviewHtml';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/lib/chromiumFlags.mjs';

export const root = join(__dirname, '..', '..');
const DIST = 'dist/webview';

/** Hostile strings the tests post: markup that would run if a webview rendered text as HTML. */
export const PWN = '<img src=x onerror=window.__pwned=1>';
export const PWN_SCRIPT = '<script>window.__pwned=2</script>';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html', '.map': 'application/json' };

/** A message the webview posted through the fake VS Code API (`seen` marks an answered request). */
export type Sent = { kind: string; method: string; id?: number; params?: unknown; seen?: boolean };

/**
 * The page globals the page callbacks touch. The host tsconfig (which covers test/) has no
 * DOM lib on purpose, so page code is typed through this; the casts are erased at run time.
 */
export interface PageGlobals {
  __sent: Sent[];
  __state: unknown;
  __pwned?: number;
  __cspViolations: string[];
  __acquired: number;
  acquireVsCodeApi?: () => unknown;
  postMessage(message: unknown, targetOrigin: string): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  document: any;
  sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void };
}

export interface HarnessOptions {
  /** The page title renderWebviewHtml writes. */
  title: string;
  /** Default 1400x900. */
  viewport?: { width: number; height: number };
  /** The page's CSP allows blob: workers (the designer's layout worker). */
  workers?: boolean;
  /** The bundles' folder under the repository root; default dist/webview (the benchmark passes its production build). */
  distDir?: string;
}

/** One fresh page (its own browser context) with the webview loaded and `webview/ready` said. */
export interface HarnessPage {
  page: Page;
  /** Everything the webview posted so far. */
  sent(): Promise<Sent[]>;
  /** Posts a message to the webview as the host would. */
  post(message: unknown): Promise<void>;
  /** CSP violations the page reported (`<directive> <blocked URI>`). */
  cspViolations(): Promise<string[]>;
  /** What the webview last stored with setState. */
  state(): Promise<unknown>;
  /** Waits for a request the webview posted that no earlier call returned, and marks it seen. */
  waitForRequest(method: string): Promise<Sent>;
  /** The inner text of the element with this data-testid. */
  text(testid: string): Promise<string>;
}

export interface WebviewHarness {
  origin: string;
  /** `state`: what getState() returns at start, as VS Code gives a webview its saved state after a reload. */
  newPage(options?: { state?: unknown }): Promise<HarnessPage>;
  close(): Promise<void>;
}

/** Serves dist/webview/<entry>.js as the extension would and launches Chromium for it. */
export async function startWebviewHarness(entry: 'decide' | 'report' | (string & {}), opts: HarnessOptions): Promise<WebviewHarness> {
  const distDir = opts.distDir ?? DIST;
  assert.ok(existsSync(join(root, distDir, `${entry}.js`)), `${distDir}/${entry}.js is missing: run \`node scripts/build.mjs\` first`);
  const executablePath = chromiumPath();
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        renderWebviewHtml({
          title: opts.title,
          panel: entry,
          cspSource: origin,
          nonce: makeNonce(),
          scriptUri: `${origin}/${distDir}/${entry}.js`,
          codiconUri: `${origin}/${distDir}/codicons/codicon.css`,
          styleUris: [`${origin}/theme.css`, `${origin}/${distDir}/${entry}.css`],
          workers: opts.workers,
        }),
      );
      return;
    }
    const file = url.pathname === '/theme.css' ? join(__dirname, 'fixtures', 'vscode-dark-modern.css') : normalize(join(root, url.pathname));
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  } catch (err) {
    await new Promise((r) => server.close(r));
    throw err;
  }
  let context: BrowserContext | undefined;

  return {
    origin,
    async newPage(options = {}) {
      await context?.close();
      context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 }, colorScheme: 'dark' });
      const page = await context.newPage();
      // tsx compiles the functions below with esbuild's keepNames, which calls a __name helper
      // that does not exist in the page; give the page a no-op one
      await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      // the VS Code boundary: what acquireVsCodeApi gives a real webview
      await page.addInitScript((initial) => {
        const w = globalThis as unknown as PageGlobals;
        w.__sent = [];
        w.__state = initial ?? undefined;
        w.__cspViolations = [];
        w.__acquired = 0;
        w.document.addEventListener('securitypolicyviolation', (e: { violatedDirective: string; blockedURI: string }) =>
          w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
        w.acquireVsCodeApi = () => {
          if (w.__acquired++ > 0) throw new Error('An instance of the VS Code API has already been acquired');
          return {
            postMessage: (m: unknown) => w.__sent.push(JSON.parse(JSON.stringify(m))),
            getState: () => w.__state,
            setState: (s: unknown) => {
              w.__state = s;
            },
          };
        };
      }, (options.state ?? null) as never);
      page.on('pageerror', (err) => {
        throw new Error(`page error: ${err.message}`);
      });
      await page.goto(`${origin}/index.html`);
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__sent.some((m) => m.method === 'webview/ready'));
      return harnessPage(page);
    },
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

function harnessPage(page: Page): HarnessPage {
  return {
    page,
    sent: () => page.evaluate(() => (globalThis as unknown as PageGlobals).__sent),
    post: async (message) => {
      await page.evaluate((m) => (globalThis as unknown as PageGlobals).postMessage(m, '*'), message as never);
    },
    cspViolations: () => page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations),
    state: () => page.evaluate(() => (globalThis as unknown as PageGlobals).__state),
    async waitForRequest(method) {
      const handle = await page.waitForFunction(
        (m) => (globalThis as unknown as PageGlobals).__sent.find((x) => x.kind === 'request' && x.method === m && !x.seen),
        method,
      );
      const req = (await handle.jsonValue()) as Sent;
      await page.evaluate((id) => {
        for (const x of (globalThis as unknown as PageGlobals).__sent) if (x.id === id) x.seen = true;
      }, req.id!);
      return req;
    },
    text: (testid) => page.getByTestId(testid).innerText(),
  };
}

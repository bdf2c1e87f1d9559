/** The load the tail panel is measured under, shared by its Chromium test and bench/tailPanel.bench.ts. */
import type { Page } from 'playwright-core';

export interface TailFeedRun {
  /** Frame intervals, ms. */
  frames: number[];
  seconds: number;
  /** The counts line when it ended. */
  shown: string;
}

/**
 * Plays the host from a worker: rows are made and serialised off the page's main thread (as the
 * real host does, in another process), the page pays only what a webview pays: receiving
 * (deserialising) each batch and drawing it. 40 batches, one every 100 ms, of `perBatch`
 * 128-byte stream rows; frame intervals from requestAnimationFrame. The harness must allow
 * workers (`startWebviewHarness(…, { workers: true })`).
 */
export async function feedTailPanel(page: Page, perBatch: number): Promise<TailFeedRun> {
  return page.evaluate(async (n) => {
    const w = globalThis as unknown as {
      requestAnimationFrame(cb: (t: number) => void): void;
      dispatchEvent(e: unknown): void;
      MessageEvent: new (type: string, init: { data: unknown }) => unknown;
      Worker: new (url: string) => { onmessage: (e: { data: unknown }) => void; postMessage(m: unknown): void; terminate(): void };
      Blob: new (parts: string[], o: { type: string }) => unknown;
      URL: { createObjectURL(b: unknown): string };
      document: { querySelector(s: string): { textContent: string | null } | null };
    };
    const source = `
      onmessage = async (e) => {
        const n = e.data;
        const data = btoa('x'.repeat(128));
        let id = 1;
        const t0 = performance.now();
        for (let b = 0; b < 40; b++) {
          const rows = [];
          for (let i = 0; i < n; i++, id++) rows.push({ id, kind: 'msg', time: new Date().toISOString(), subject: 'load.' + (i % 10), seq: id, size: 128, headers: [], data, stream: 'LOAD' });
          postMessage({ kind: 'notification', method: 'tail/append', params: { rows, received: (b + 1) * n, skipped: 0 } });
          const next = t0 + (b + 1) * 100;
          await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
        }
        postMessage('done');
      };`;
    const worker = new w.Worker(w.URL.createObjectURL(new w.Blob([source], { type: 'text/javascript' })));
    const frames: number[] = [];
    let last = 0;
    let stop = false;
    const tick = (t: number) => {
      if (last) frames.push(t - last);
      last = t;
      if (!stop) w.requestAnimationFrame(tick);
    };
    w.requestAnimationFrame(tick);
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      // the webview listens on window "message", where VS Code's messages arrive
      worker.onmessage = (e) => (e.data === 'done' ? resolve() : w.dispatchEvent(new w.MessageEvent('message', { data: e.data })));
      worker.postMessage(n);
    });
    const seconds = (performance.now() - t0) / 1000;
    worker.terminate();
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    return { frames, seconds, shown: w.document.querySelector('[data-testid=counts]')?.textContent ?? '' };
  }, perBatch);
}

/**
 * The canvas side of auto-layout: one worker, made from the worker bundle's source (inlined
 * at build time) through a blob: URL; each request resolves with the positions of its nodes.
 * Where workers are not allowed, a plain grid stands in, so the canvas never hangs.
 */
import workerSource from './layout.worker.ts?worker-source';
import type { LayoutDirection, LayoutRequest, LayoutResponse } from './layout-protocol';

let worker: Worker | undefined;
let failed = false;
let nextId = 1;
const pending = new Map<number, (r: LayoutResponse) => void>();

function getWorker(): Worker | undefined {
  if (worker || failed) return worker;
  try {
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    worker = new Worker(url);
    worker.onmessage = (e: MessageEvent<LayoutResponse>) => {
      const resolve = pending.get(e.data.id);
      pending.delete(e.data.id);
      resolve?.(e.data);
    };
    worker.onerror = () => {
      failed = true;
      for (const [id, resolve] of pending) resolve({ id, positions: {}, ms: 0, error: 'the layout worker failed' });
      pending.clear();
      worker = undefined;
    };
  } catch {
    failed = true;
  }
  return worker;
}

function gridLayout(req: LayoutRequest): LayoutResponse {
  const cols = Math.max(1, Math.ceil(Math.sqrt(req.nodes.length)));
  const positions: LayoutResponse['positions'] = {};
  req.nodes.forEach((n, i) => (positions[n.id] = { x: (i % cols) * 320, y: Math.floor(i / cols) * 160 }));
  return { id: req.id, positions, ms: 0 };
}

/** Starts the worker ahead of the first layout (parsing dagre takes a moment on a busy machine). */
export function warmUpLayout(): void {
  getWorker();
}

export function layout(direction: LayoutDirection, nodes: LayoutRequest['nodes'], edges: LayoutRequest['edges']): Promise<LayoutResponse> {
  const req: LayoutRequest = { id: nextId++, direction, nodes, edges };
  const w = getWorker();
  if (!w) return Promise.resolve(gridLayout(req));
  return new Promise((resolve) => {
    pending.set(req.id, (r) => resolve(r.error ? { ...gridLayout(req), error: r.error } : r));
    w.postMessage(req);
  });
}

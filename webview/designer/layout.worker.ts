/**
 * Auto-layout off the UI thread: dagre (layered, the shape of a flow) in a Web Worker, so a
 * 200-component design lays out without freezing the canvas. Bundled on its own and loaded
 * from a blob: URL (the webview CSP allows `worker-src blob:` and nothing else).
 */
import dagre from '@dagrejs/dagre';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';

declare const self: { onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null; postMessage(m: LayoutResponse): void };

self.onmessage = (e) => {
  const req = e.data;
  const started = performance.now();
  try {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: req.direction, nodesep: 40, ranksep: 140, edgesep: 20, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of req.nodes) g.setNode(n.id, { width: n.width, height: n.height });
    req.edges.forEach((edge, i) => {
      if (g.hasNode(edge.source) && g.hasNode(edge.target) && edge.source !== edge.target) g.setEdge(edge.source, edge.target, {}, `e${i}`);
    });
    dagre.layout(g);
    const positions: LayoutResponse['positions'] = {};
    for (const n of req.nodes) {
      const p = g.node(n.id);
      // dagre gives centres; the canvas positions top-left corners
      positions[n.id] = { x: Math.round(p.x - n.width / 2), y: Math.round(p.y - n.height / 2) };
    }
    self.postMessage({ id: req.id, positions, ms: performance.now() - started });
  } catch (err) {
    self.postMessage({ id: req.id, positions: {}, ms: performance.now() - started, error: err instanceof Error ? err.message : String(err) });
  }
};

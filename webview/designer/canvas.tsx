/**
 * The flow canvas (@xyflow/react v12). Nodes are components, edges are one per receiver of a
 * path. Node positions live in local state while dragging (so frames stay cheap) and are
 * written to the document only when a drag ends; everything else is derived from the
 * analysis of the document text.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnSelectionChangeParams,
  type Viewport,
} from '@xyflow/react';
import type { FlowDesign } from '../../src/core/design/model';
import { ComponentNodeView, NODE_HEIGHT, NODE_WIDTH, type ComponentNode } from './component-node';
import { PathEdgeView, type PathEdge, type PathLive } from './path-edge';
import { VERDICT_LABELS, verdictOf, type Analysis, type Marks } from './view-model';
import { PRIMITIVE_LABELS } from '../../src/core/decide/engine';

const nodeTypes = { component: ComponentNodeView };
const edgeTypes = { path: PathEdgeView };

export interface Selection {
  components: string[];
  /** Edge ids `<path>>`<receiver>` and the paths they belong to. */
  edges: { path: string; to: string }[];
}

export interface CanvasProps {
  analysis: Analysis;
  direction: 'LR' | 'TB';
  search: string;
  live: Map<string, PathLive>;
  viewport: Viewport | undefined;
  /** The selection to start with (restored after a reload); read once, on mount. */
  initialSelection: Selection;
  onViewport(v: Viewport): void;
  onEdit(design: FlowDesign, label: string): void;
  onSelection(s: Selection): void;
  onEdgeMenu(pathId: string, x: number, y: number): void;
}

export const edgeId = (path: string, to: string) => `${path}>${to}`;

function matches(q: string, ...texts: (string | undefined)[]): boolean {
  if (!q) return false;
  const lq = q.toLowerCase();
  return texts.some((t) => t?.toLowerCase().includes(lq));
}

/** What of a node's or edge's lint marks changes its look. */
const marksKey = (m: Marks | undefined) => (m ? `${m.severity}:${m.findings.map((f) => f.rule).join()}` : '');

export function Canvas(props: CanvasProps) {
  const { analysis, direction, search } = props;
  const { design } = analysis;
  const flow = useReactFlow();
  const [nodes, setNodes] = useState<ComponentNode[]>([]);
  // a restored selection keeps only what still exists; until React Flow reports it back, its
  // mount-time "nothing selected" is not passed on (it would wipe the restored selection)
  const [restored] = useState(() => ({
    components: props.initialSelection.components.filter((id) => design.components.some((c) => c.id === id)),
    edges: props.initialSelection.edges.filter((e) => design.paths.some((p) => p.id === e.path && p.to.includes(e.to))).map((e) => edgeId(e.path, e.to)),
  }));
  const restoring = useRef(restored.components.length + restored.edges.length > 0);
  const selected = useRef(new Set<string>(restored.components));
  // the callbacks given to xyflow stay the same object: a new one makes it re-emit selection
  const cb = useRef(props);
  cb.current = props;
  // edges are derived from the document, so their selection is kept here
  const [edgeSel, setEdgeSel] = useState<ReadonlySet<string>>(() => new Set(restored.edges));

  // The document is the truth: rebuild nodes from it, keeping what is selected. A node whose
  // inputs did not change stays xyflow's own object (the one carrying its measured size), so
  // React Flow neither re-renders nor re-measures it; a changed node keeps the measured size
  // and handle places of its predecessor unless the direction (where its handles sit) changed.
  // Handing xyflow fresh objects without `measured` made it drop every node's handle bounds and
  // unmount and remount every edge on each text edit (bench/designer.bench.ts).
  const nodeCache = useRef(new Map<string, { key: string; direction: string }>());
  const edgeCache = useRef(new Map<string, { key: string; edge: PathEdge }>());
  // a layout effect: the new nodes are drawn in the same frame as the new edges, not one later
  useLayoutEffect(() => {
    const cache = nodeCache.current;
    const next = new Map<string, { key: string; direction: string }>();
    setNodes((current) => {
      const now = new Map(current.map((n) => [n.id, n]));
      return design.components.map((c, i) => {
        const marks = analysis.componentMarks.get(c.id);
        const match = matches(search, c.name, c.id, c.description);
        const sel = selected.current.has(c.id);
        const key = `${JSON.stringify(c)}|${marksKey(marks)}|${direction}|${match}|${sel}`;
        const hit = cache.get(c.id);
        const cur = now.get(c.id);
        next.set(c.id, { key, direction });
        if (cur && (cur.dragging || hit?.key === key)) return cur;
        return {
          id: c.id,
          type: 'component',
          position: c.position ?? { x: (i % 8) * 300, y: Math.floor(i / 8) * 140 },
          data: { component: c, marks, direction, match },
          selected: sel,
          width: NODE_WIDTH,
          height: NODE_HEIGHT,
          ...(cur?.measured && hit?.direction === direction ? { measured: cur.measured } : {}),
        };
      });
    });
    nodeCache.current = next;
  }, [design, analysis, direction, search]);

  // A selected edge whose receiver left its path (removed in the inspector, or by a JSON edit)
  // hands the selection to the path's other edges, so the inspector stays on that path.
  const liveSel = useMemo<ReadonlySet<string>>(() => {
    let lost = false;
    const out = new Set<string>();
    for (const id of edgeSel) {
      const pathId = id.slice(0, id.indexOf('>'));
      const p = design.paths.find((x) => x.id === pathId);
      if (p?.to.some((t) => edgeId(p.id, t) === id)) out.add(id);
      else {
        lost = true;
        p?.to.forEach((t) => out.add(edgeId(p.id, t)));
      }
    }
    return lost ? out : edgeSel;
  }, [design, edgeSel]);
  useEffect(() => {
    if (liveSel !== edgeSel) setEdgeSel(liveSel);
  }, [liveSel, edgeSel]);

  const edges = useMemo<PathEdge[]>(() => {
    const cache = edgeCache.current;
    const next = new Map<string, { key: string; edge: PathEdge }>();
    const out = design.paths.flatMap((p) => {
      const cls = analysis.classes.get(p.id);
      const verdict = verdictOf(cls);
      const match = matches(search, p.subject, p.id, p.description);
      const marks = analysis.pathMarks.get(p.id);
      const live = props.live.get(p.id);
      const base = `${JSON.stringify(p)}|${verdict}|${cls?.primitive}|${marksKey(marks)}|${live?.text ?? ''}|${match}`;
      return p.to.map((to, i) => {
        const id = edgeId(p.id, to);
        const key = `${base}|${i}|${liveSel.has(id)}`;
        const hit = cache.get(id);
        const edge: PathEdge =
          hit && hit.key === key
            ? hit.edge
            : {
                id,
                source: p.from,
                target: to,
                type: 'path' as const,
                selected: liveSel.has(id),
                markerEnd: { type: MarkerType.ArrowClosed },
                data: {
                  path: p,
                  verdict,
                  ...(cls?.overridden && cls.primitive !== 'undecided' ? { overriddenTo: cls.primitive === 'core' ? VERDICT_LABELS.core : PRIMITIVE_LABELS[cls.primitive] } : {}),
                  marks,
                  live,
                  match,
                  // one label per path (on its first receiver) keeps a fan-out readable
                  showLabel: i === 0,
                },
              };
        next.set(id, { key, edge });
        return edge;
      });
    });
    edgeCache.current = next;
    return out;
  }, [design, analysis, search, props.live, liveSel]);

  const onNodesChange = useCallback((changes: NodeChange<ComponentNode>[]) => {
    // removals go through onDelete (one document edit); positions and selection stay local
    setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), ns));
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<PathEdge>[]) => {
    const picks = changes.filter((c) => c.type === 'select');
    if (!picks.length) return;
    setEdgeSel((cur) => {
      const next = new Set(cur);
      for (const c of picks) if (c.type === 'select') c.selected ? next.add(c.id) : next.delete(c.id);
      return next;
    });
  }, []);

  // a click on a path's label selects the path (the label lives outside the edge's SVG)
  useEffect(() => {
    const onPick = (e: Event) => {
      const id = (e as CustomEvent<string>).detail;
      const p = design.paths.find((x) => x.id === id);
      if (!p) return;
      selected.current = new Set();
      setNodes((ns) => ns.map((n) => (n.selected ? { ...n, selected: false } : n)));
      setEdgeSel(new Set(p.to.map((t) => edgeId(p.id, t))));
      cb.current.onSelection({ components: [], edges: p.to.map((to) => ({ path: p.id, to })) });
    };
    window.addEventListener('nf-select-path', onPick);
    return () => window.removeEventListener('nf-select-path', onPick);
  }, [design]);

  const onNodeDragStop = useCallback(
    (_e: unknown, _n: ComponentNode, dragged: ComponentNode[]) => {
      const moves = new Map(dragged.map((n) => [n.id, n.position]));
      const next = { ...design, components: design.components.map((c) => (moves.has(c.id) ? { ...c, position: { x: Math.round(moves.get(c.id)!.x), y: Math.round(moves.get(c.id)!.y) } } : c)) };
      cb.current.onEdit(next, dragged.length > 1 ? `move ${dragged.length} components` : `move ${dragged[0]?.data.component.name ?? 'component'}`);
    },
    [design],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.source || !c.target || c.source === c.target) return;
      window.dispatchEvent(new CustomEvent('nf-connect', { detail: { from: c.source, to: c.target } }));
    },
    [],
  );

  const onSelectionChange = useCallback(
    ({ nodes: ns, edges: es }: OnSelectionChangeParams) => {
      if (restoring.current && !ns.length && !es.length) return;
      restoring.current = false;
      selected.current = new Set(ns.map((n) => n.id));
      cb.current.onSelection({ components: ns.map((n) => n.id), edges: es.map((e) => ({ path: (e.data as { path: { id: string } }).path.id, to: e.target })) });
    },
    [],
  );

  const onMoveEnd = useCallback((_e: unknown, v: Viewport) => cb.current.onViewport(v), []);
  const onEdgeContextMenu = useCallback((e: React.MouseEvent, edge: PathEdge) => {
    e.preventDefault();
    cb.current.onEdgeMenu(edge.data!.path.id, e.clientX, e.clientY);
  }, []);

  const colorMode = document.body.classList.contains('vscode-light') ? 'light' : 'dark';

  return (
    <div className="nf-canvas" data-testid="canvas">
      <ReactFlow<ComponentNode, PathEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onSelectionChange={onSelectionChange}
        onMoveEnd={onMoveEnd}
        onEdgeContextMenu={onEdgeContextMenu}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        selectionKeyCode="Shift"
        defaultViewport={props.viewport ?? { x: 40, y: 40, zoom: 0.8 }}
        fitView={!props.viewport}
        minZoom={0.05}
        maxZoom={2}
        onlyRenderVisibleElements
        colorMode={colorMode}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <MiniMap pannable zoomable ariaLabel="Mini map" />
        <Controls showInteractive={false} />
      </ReactFlow>
      <span hidden data-testid="flow-api" data-nodes={nodes.length} data-edges={edges.length} ref={() => void flow} />
    </div>
  );
}

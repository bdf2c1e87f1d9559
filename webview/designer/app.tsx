/**
 * The flow designer webview: the document text comes from the host (`design/document`), is
 * analysed here with the pure core (load, classify, plan, lint), and drawn; every edit is
 * shown at once (optimistically, from the canonical text it will become) and sent to the host
 * as `design/edit`, one at a time, each on the version it was made from.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider, useReactFlow, type Viewport } from '@xyflow/react';
import type { ComponentKind, FlowDesign } from '../../src/core/design/model';
import { COMPONENT_KINDS } from '../../src/core/design/model';
import { formatDesign } from '../../src/core/design/format';
import type { DesignerProtocol, DesignLiveState, DesignServerState, TailTarget } from '../../src/shared/designProtocol';
import { Codicon } from '../components/codicon';
import { ErrorBanner } from '../components/error-banner';
import { ErrorBoundary } from '../components/error-boundary';
import { useHost } from '../components/use-host';
import { Canvas, type Selection } from './canvas';
import { designerChecks } from './checks';
import { addComponent, connect, copyItems, deleteItems, KIND_ICONS, KIND_LABELS, moveComponents, pasteItems, type Clip } from './design-edits';
import { analyseDesign, load, type Analysis, type Loaded } from './view-model';
import { layout } from './layout';
import { NODE_HEIGHT, NODE_WIDTH } from './component-node';
import { Inspector } from './inspector';
import { PlanPanel } from './plan-panel';
import { ApplyPanel } from './apply-panel';
import { FindingsList, ProblemsView } from './findings';
import { liveByPath, tailTargets } from './live';

type Tab = 'inspector' | 'plan' | 'findings' | 'apply';

interface SavedState {
  viewport?: Viewport;
  direction: 'LR' | 'TB';
  tab: Tab;
  /** What was selected: it comes back after a reload (ids that no longer exist are dropped). */
  selection?: Selection;
}

const selectionKey = (s: Selection) => `${[...s.components].sort().join()}|${s.edges.map((e) => `${e.path}>${e.to}`).sort().join()}`;
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length < 1_000).slice(0, 5_000) : []);
const checkSelection = (v: unknown): Selection | undefined => {
  const s = (v ?? {}) as { components?: unknown; edges?: unknown };
  const edges = Array.isArray(s.edges) ? s.edges.filter((e): e is { path: string; to: string } => typeof e?.path === 'string' && typeof e?.to === 'string').slice(0, 5_000).map((e) => ({ path: e.path, to: e.to })) : [];
  const components = ids(s.components);
  return components.length || edges.length ? { components, edges } : undefined;
};

const checkSaved = (v: unknown): SavedState => {
  const s = (v ?? {}) as Partial<SavedState>;
  const vp = s.viewport;
  return {
    ...(vp && [vp.x, vp.y, vp.zoom].every((n) => typeof n === 'number' && Number.isFinite(n)) ? { viewport: { x: vp.x, y: vp.y, zoom: vp.zoom } } : {}),
    direction: s.direction === 'TB' ? 'TB' : 'LR',
    tab: (['inspector', 'plan', 'findings', 'apply'] as const).includes(s.tab as Tab) ? (s.tab as Tab) : 'inspector',
    ...(checkSelection(s.selection) ? { selection: checkSelection(s.selection) } : {}),
  };
};

export function App() {
  return (
    <ReactFlowProvider>
      <Designer />
    </ReactFlowProvider>
  );
}

function Designer() {
  const flow = useReactFlow();
  const [doc, setDoc] = useState<{ text: string; version: number; fileName: string } | null>(null);
  const [server, setServer] = useState<DesignServerState>({ connected: false });
  const [live, setLive] = useState<DesignLiveState | null>(null);
  const [problem, setProblem] = useState<{ title: string; detail: string } | null>(null);
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const [autoPositions, setAutoPositions] = useState<Map<string, { x: number; y: number }>>(new Map());
  const [menu, setMenu] = useState<{ path: string; x: number; y: number } | null>(null);
  const clip = useRef<Clip | null>(null);
  const version = useRef(0);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const searchBox = useRef<HTMLInputElement>(null);
  const renderStarted = useRef(0);

  const host = useHost<DesignerProtocol>(designerChecks, {
    onNotification: (n) => {
      switch (n.method) {
        case 'design/document':
          renderStarted.current = performance.now();
          version.current = n.params.version;
          setDoc({ text: n.params.text, version: n.params.version, fileName: n.params.fileName });
          return;
        case 'design/server':
          setServer(n.params);
          if (!n.params.connected) setLive(null);
          return;
        case 'design/live':
          setLive(n.params);
          return;
      }
    },
    onInvalid: (error) => setProblem({ title: 'Received a message the designer cannot show.', detail: error }),
  });

  const [saved, setSaved] = useState<SavedState>(() => checkSaved(host.getState((v) => v)));
  useEffect(() => host.setState(saved), [host, saved]);
  const [selection, setSelection] = useState<Selection>(() => saved.selection ?? { components: [], edges: [] });
  const selectionRef = useRef(selection);
  selectionRef.current = selection;
  useEffect(() => setSaved((s) => (s.selection === selection ? s : { ...s, selection })), [selection]);
  const [tab, setTabState] = useState<Tab>(saved.tab);
  const setTab = (t: Tab) => {
    setTabState(t);
    setSaved((s) => ({ ...s, tab: t }));
  };

  const parsed: Loaded | null = useMemo(() => (doc ? load(doc.text) : null), [doc]);
  const design = parsed?.ok ? parsed.design : undefined;
  // Plan + lint (7–14 ms warm for 200 components / 400 paths, more on a busy machine) follow
  // the drawing: a text edit is drawn with its own classification and the previous analysis's
  // plan and marks, and the analysis of the new text lands a task later. Only the first text
  // is analysed before it is drawn.
  const [analysed, setAnalysed] = useState<Analysis | null>(null);
  const analysis: Analysis | null = useMemo(() => {
    if (!parsed?.ok) return null;
    if (!analysed) return analyseDesign(parsed.design);
    return analysed.design === parsed.design ? analysed : { ...analysed, design: parsed.design, classes: parsed.classes };
  }, [parsed, analysed]);
  const current = Boolean(analysis && analysed && analysed.design === analysis.design);
  useEffect(() => {
    if (!analysis || current) return;
    if (!analysed) {
      setAnalysed(analysis); // the first text, analysed in render
      return;
    }
    const d = analysis.design;
    const t = setTimeout(() => setAnalysed(analyseDesign(d)), 0);
    return () => clearTimeout(t);
  }, [analysis, current]);
  const complete = Boolean(parsed) && (!parsed?.ok || current);

  // components without a stored position are laid out (not written) in the worker
  const displayAnalysis = useMemo(() => {
    if (!analysis) return null;
    if (!analysis.design.components.some((c) => !c.position)) return analysis;
    return { ...analysis, design: { ...analysis.design, components: analysis.design.components.map((c) => (c.position ? c : { ...c, position: autoPositions.get(c.id) })) } };
  }, [analysis, autoPositions]);
  const unplaced = useMemo(() => (design ? design.components.filter((c) => !c.position && !autoPositions.has(c.id)).length : 0), [design, autoPositions]);

  useEffect(() => {
    if (!design || !unplaced) return;
    let cancelled = false;
    const d = design;
    void layout(
      saved.direction,
      d.components.map((c) => ({ id: c.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
      d.paths.flatMap((p) => p.to.map((t) => ({ source: p.from, target: t }))),
    ).then((r) => {
      if (cancelled) return;
      setAutoPositions(new Map(Object.entries(r.positions)));
      if (!saved.viewport) requestAnimationFrame(() => void flow.fitView({ padding: 0.1 }));
    });
    return () => {
      cancelled = true;
    };
  }, [design, unplaced, saved.direction]);

  // tell the host (and the tests) what is on screen, once it is painted with its own findings
  useEffect(() => {
    if (!doc || !parsed || !complete || (design && unplaced)) return;
    const v = doc.version;
    requestAnimationFrame(() => {
      const ms = performance.now() - renderStarted.current;
      host.notify('design/rendered', {
        version: v,
        nodes: analysis?.design.components.length ?? 0,
        edges: analysis?.design.paths.reduce((n, p) => n + p.to.length, 0) ?? 0,
        findings: analysis?.findings.length ?? 0,
        problems: parsed.ok ? 0 : parsed.problems.length,
        ms,
      });
    });
  }, [doc, parsed, unplaced, complete]);

  /** Shows the edit at once and queues it for the host. */
  const edit = useCallback(
    (design: FlowDesign, label: string) => {
      const text = formatDesign(design);
      setDoc((d) => (d ? { ...d, text } : d));
      queue.current = queue.current.then(async () => {
        try {
          const r = await host.request('design/edit', { design, label, baseVersion: version.current });
          if (r.applied) version.current = r.version;
          else setStatus(`Not applied: ${r.message ?? 'refused'}`);
        } catch (err) {
          setProblem({ title: `Could not ${label}.`, detail: err instanceof Error ? err.message : String(err) });
        }
      });
    },
    [host],
  );

  const addKind = useCallback(
    (kind: ComponentKind) => {
      if (!design) return;
      const center = flow.screenToFlowPosition({ x: window.innerWidth / 3, y: window.innerHeight / 2 });
      const r = addComponent(design, kind, { x: center.x + Math.random() * 40, y: center.y + Math.random() * 40 });
      edit(r.design, `add ${KIND_LABELS[kind]}`);
      setStatus(`Added ${r.id}.`);
    },
    [design, edit, flow],
  );

  const deleteSelection = useCallback(() => {
    if (!design || (!selection.components.length && !selection.edges.length)) return;
    edit(deleteItems(design, new Set(selection.components), selection.edges), `delete ${selection.components.length + selection.edges.length} item(s)`);
    setSelection({ components: [], edges: [] });
  }, [design, selection, edit]);

  const autoLayout = useCallback(
    async (direction: 'LR' | 'TB') => {
      if (!design) return;
      setSaved((s) => ({ ...s, direction }));
      setStatus('Laying out…');
      const r = await layout(
        direction,
        design.components.map((c) => ({ id: c.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
        design.paths.flatMap((p) => p.to.map((t) => ({ source: p.from, target: t }))),
      );
      edit(moveComponents(design, new Map(Object.entries(r.positions))), `auto-layout ${direction === 'LR' ? 'left to right' : 'top to bottom'}`);
      setStatus(`Laid out ${design.components.length} components in ${r.ms.toFixed(0)} ms${r.error ? ` (grid: ${r.error})` : ''}.`);
      requestAnimationFrame(() => void flow.fitView({ padding: 0.1, duration: 200 }));
    },
    [design, edit, flow],
  );

  // connections drawn on the canvas
  useEffect(() => {
    const onConnect = (e: Event) => {
      const { from, to } = (e as CustomEvent<{ from: string; to: string }>).detail;
      if (!design) return;
      const r = connect(design, from, to);
      if (!r) return;
      edit(r.design, `connect ${from} → ${to}`);
      setSelection({ components: [], edges: [{ path: r.id, to }] });
      setTab('inspector');
    };
    window.addEventListener('nf-connect', onConnect);
    return () => window.removeEventListener('nf-connect', onConnect);
  }, [design, edit]);

  // VS Code-like shortcuts (not while typing in a field)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        searchBox.current?.focus();
        return;
      }
      if (typing || !design) return;
      if (e.key === 'Delete' || e.key === 'Backspace') {
        e.preventDefault();
        deleteSelection();
      } else if (mod && e.key.toLowerCase() === 'c') {
        clip.current = copyItems(design, new Set(selection.components));
        setStatus(`Copied ${clip.current.components.length} component(s).`);
      } else if (mod && e.key.toLowerCase() === 'x') {
        clip.current = copyItems(design, new Set(selection.components));
        deleteSelection();
      } else if (mod && e.key.toLowerCase() === 'v' && clip.current?.components.length) {
        e.preventDefault();
        const r = pasteItems(design, clip.current);
        edit(r.design, `paste ${r.ids.length} component(s)`);
      } else if (mod && e.key.toLowerCase() === 'a') {
        e.preventDefault();
        flow.setNodes((ns) => ns.map((n) => ({ ...n, selected: true })));
      } else if (e.key === 'Escape') {
        setMenu(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [design, selection, edit, deleteSelection, flow]);

  const liveMap = useMemo(() => (analysis && live ? liveByPath(analysis, live) : new Map()), [analysis, live]);

  const openTail = async (target: TailTarget) => {
    setMenu(null);
    try {
      const r = await host.request('design/openTail', target);
      setStatus(r.message);
    } catch (err) {
      setProblem({ title: 'Could not open the tail.', detail: err instanceof Error ? err.message : String(err) });
    }
  };

  const request = async <M extends 'design/export' | 'design/import' | 'design/openJson' | 'design/scaffold'>(method: M, params: Parameters<typeof host.request<M>>[1], what: string) => {
    try {
      const r = (await host.request(method, params)) as { message?: string };
      if (r.message) setStatus(r.message);
    } catch (err) {
      setProblem({ title: `Could not ${what}.`, detail: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <ErrorBoundary onError={(m) => host.reportError(m)}>
      <div className="nf-designer" data-testid="designer" onClick={() => setMenu(null)}>
        <header className="nf-toolbar" role="toolbar" aria-label="Designer">
          <strong className="nf-title" data-testid="title">{design?.name ?? doc?.fileName ?? 'Flow design'}</strong>
          <span className="nf-toolbar__group" aria-label="Add component">
            {COMPONENT_KINDS.map((k) => (
              <button key={k} type="button" className="nf-button" data-testid={`add-${k}`} title={`Add ${KIND_LABELS[k]}`} disabled={!design} onClick={() => addKind(k)}>
                <Codicon name={KIND_ICONS[k]} /> {KIND_LABELS[k].split(' ')[0]}
              </button>
            ))}
          </span>
          <span className="nf-toolbar__group">
            <button type="button" className="nf-button" data-testid="layout-lr" title="Auto-layout left to right" disabled={!design} onClick={() => void autoLayout('LR')}>
              <Codicon name="arrow-right" /> Layout
            </button>
            <button type="button" className="nf-button" data-testid="layout-tb" title="Auto-layout top to bottom" disabled={!design} onClick={() => void autoLayout('TB')}>
              <Codicon name="arrow-down" />
            </button>
            <button type="button" className="nf-button" data-testid="fit" title="Zoom to fit" onClick={() => void flow.fitView({ padding: 0.1, duration: 200 })}>
              <Codicon name="screen-full" />
            </button>
            <button type="button" className="nf-button" data-testid="delete" title="Delete the selection (Delete)" disabled={!selection.components.length && !selection.edges.length} onClick={deleteSelection}>
              <Codicon name="trash" />
            </button>
          </span>
          <input
            ref={searchBox}
            className="nf-input nf-search"
            data-testid="search"
            type="search"
            placeholder="Search components and subjects (Ctrl+F)"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && design) {
                const q = search.toLowerCase();
                const hit = design.components.find((c) => c.name.toLowerCase().includes(q) || c.id.includes(q)) ?? design.components.find((c) => design.paths.some((p) => p.from === c.id && p.subject.toLowerCase().includes(q)));
                if (hit) void flow.fitView({ nodes: [{ id: hit.id }], duration: 200, maxZoom: 1.2 });
              }
            }}
          />
          <span className="nf-toolbar__group">
            <select className="nf-input" data-testid="export" value="" aria-label="Export" onChange={(e) => e.target.value && void request('design/export', { format: e.target.value as never }, 'export')}>
              <option value="">Export…</option>
              <option value="natscli">natscli script + configs</option>
              <option value="nack">NACK (Kubernetes) YAML</option>
              <option value="compose">docker-compose</option>
              <option value="mermaid">Markdown + Mermaid</option>
              <option value="asyncapi">AsyncAPI 3.0</option>
            </select>
            <select className="nf-input" data-testid="import" value="" aria-label="Import" onChange={(e) => e.target.value && void request('design/import', { source: e.target.value as never }, 'import')}>
              <option value="">Import…</option>
              <option value="server" disabled={!server.connected}>from the connected server</option>
              <option value="asyncapi">from an AsyncAPI file</option>
            </select>
            <button type="button" className="nf-button" data-testid="scaffold-design" title="Scaffold the whole design: a folder per component, code for each of its paths" disabled={!design} onClick={() => void request('design/scaffold', {}, 'scaffold code')}>
              <Codicon name="code" /> Scaffold
            </button>
            <button type="button" className="nf-button" data-testid="open-json" title="Open as JSON" onClick={() => void request('design/openJson', {}, 'open the JSON')}>
              <Codicon name="json" />
            </button>
          </span>
          <span className={`nf-server${server.connected ? ' nf-server--on' : ''}`} data-testid="server">
            <Codicon name={server.connected ? 'plug' : 'debug-disconnect'} /> {server.connected ? server.name ?? 'connected' : 'not connected'}
          </span>
        </header>
        {problem ? <ErrorBanner title={problem.title} detail={problem.detail} onDismiss={() => setProblem(null)} /> : null}
        <div className="nf-main">
          <section className="nf-stage">
            {!doc ? (
              <p className="nf-muted nf-pad" data-testid="waiting">
                <Codicon name="loading" spin /> Loading the design…
              </p>
            ) : parsed && !parsed.ok ? (
              <ProblemsView problems={parsed.problems} onOpen={(pointer) => void request('design/openJson', { pointer }, 'open the JSON')} />
            ) : displayAnalysis && !unplaced ? (
              <Canvas
                analysis={displayAnalysis}
                direction={saved.direction}
                search={search}
                live={liveMap}
                viewport={saved.viewport}
                initialSelection={selection}
                onViewport={(viewport) => setSaved((s) => ({ ...s, viewport }))}
                onEdit={edit}
                onSelection={(s) => {
                  // the same selection coming back (React Flow reporting a restored one) keeps the tab
                  if (selectionKey(s) === selectionKey(selectionRef.current)) return;
                  setSelection(s);
                  if (s.components.length || s.edges.length) setTab('inspector');
                }}
                onEdgeMenu={(path, x, y) => setMenu({ path, x, y })}
              />
            ) : displayAnalysis ? (
              <p className="nf-muted nf-pad" data-testid="laying-out">
                <Codicon name="loading" spin /> Laying out {unplaced} components…
              </p>
            ) : null}
          </section>
          <aside className="nf-side" aria-label="Details">
            <nav className="nf-tabs" role="tablist">
              {(['inspector', 'plan', 'findings', 'apply'] as const).map((t) => (
                <button key={t} type="button" role="tab" aria-selected={tab === t} className={`nf-tab${tab === t ? ' nf-tab--active' : ''}`} data-testid={`tab-${t}`} onClick={() => setTab(t)}>
                  {t === 'inspector' ? 'Inspector' : t === 'plan' ? 'Plan' : t === 'findings' ? `Problems${analysis ? ` (${analysis.findings.length})` : ''}` : 'Apply'}
                </button>
              ))}
            </nav>
            <div className="nf-side__body">
              {analysis && tab === 'inspector' ? <Inspector analysis={analysis} selection={selection} onEdit={edit} /> : null}
              {analysis && tab === 'plan' ? (
                <PlanPanel
                  analysis={analysis}
                  onSelectPath={(id) => {
                    const p = analysis.design.paths.find((x) => x.id === id);
                    if (p) {
                      setSelection({ components: [], edges: [{ path: id, to: p.to[0]! }] });
                      void flow.fitView({ nodes: [{ id: p.from }, ...p.to.map((t) => ({ id: t }))], duration: 200, maxZoom: 1.2 });
                    }
                  }}
                />
              ) : null}
              {analysis && tab === 'findings' ? <FindingsList analysis={analysis} onEdit={edit} onOpen={(pointer) => void request('design/openJson', { pointer }, 'open the JSON')} /> : null}
              {analysis && tab === 'apply' ? <ApplyPanel host={host} server={server} analysis={analysis} /> : null}
            </div>
          </aside>
        </div>
        <footer className="nf-status nf-muted" role="status" data-testid="status">
          {status}
        </footer>
        {menu && analysis ? (
          <ul className="nf-menu" role="menu" data-testid="edge-menu" style={{ left: menu.x, top: menu.y }}>
            {tailTargets(analysis, menu.path).map((t) => (
              <li key={t.label} role="menuitem">
                <button type="button" className="nf-menu__item" disabled={!server.connected} title={server.connected ? '' : 'Connect first'} onClick={() => void openTail(t.target)}>
                  {t.label}
                </button>
              </li>
            ))}
            <li role="menuitem">
              <button type="button" className="nf-menu__item" data-testid="scaffold-path" title="Code for this path's sender and receivers, with the planned settings" onClick={() => (setMenu(null), void request('design/scaffold', { path: menu.path }, 'scaffold code'))}>
                Scaffold code…
              </button>
            </li>
            <li role="menuitem">
              <button type="button" className="nf-menu__item" onClick={() => void request('design/openJson', { pointer: `/paths/${analysis.design.paths.findIndex((p) => p.id === menu.path)}` }, 'open the JSON')}>
                Show in JSON
              </button>
            </li>
          </ul>
        ) : null}
      </div>
    </ErrorBoundary>
  );
}

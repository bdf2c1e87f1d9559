/**
 * Canvas edits as pure functions: design in, new design out (never mutated, so React sees the
 * change and the host gets a whole design to write canonically).
 */
import type { Component, ComponentKind, FlowDesign, FlowPath, Position } from '../../src/core/design/model';

export const KIND_LABELS: Record<ComponentKind, string> = {
  service: 'Service',
  workerPool: 'Worker pool',
  client: 'UI / WebSocket client',
  external: 'External system',
  store: 'Store',
};

/** A codicon per component kind. */
export const KIND_ICONS: Record<ComponentKind, string> = {
  service: 'server-process',
  workerPool: 'organization',
  client: 'browser',
  external: 'globe',
  store: 'database',
};

function uniqueId(base: string, taken: Set<string>): string {
  const clean = base.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'item';
  if (!taken.has(clean)) return clean;
  for (let i = 2; ; i++) if (!taken.has(`${clean}-${i}`)) return `${clean}-${i}`;
}

export function addComponent(design: FlowDesign, kind: ComponentKind, position: Position): { design: FlowDesign; id: string } {
  const id = uniqueId(KIND_LABELS[kind].split(' ')[0]!, new Set(design.components.map((c) => c.id)));
  const component: Component = { id, kind, name: `${KIND_LABELS[kind]} ${design.components.filter((c) => c.kind === kind).length + 1}`, position: { x: Math.round(position.x), y: Math.round(position.y) } };
  return { design: { ...design, components: [...design.components, component] }, id };
}

export function moveComponents(design: FlowDesign, moves: Map<string, Position>): FlowDesign {
  return {
    ...design,
    components: design.components.map((c) => {
      const p = moves.get(c.id);
      return p ? { ...c, position: { x: Math.round(p.x), y: Math.round(p.y) } } : c;
    }),
  };
}

/** A subject the path can start with: `{domain}.{entity}.{event}` from the publisher's id (seed 001). */
export function suggestedSubject(design: FlowDesign, from: string): string {
  const token = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'domain';
  const comp = design.components.find((c) => c.id === from);
  return `${token(comp?.id ?? from)}.item.changed`;
}

/** Connecting A to B adds B to an existing A path only when asked; a new path otherwise. */
export function connect(design: FlowDesign, from: string, to: string): { design: FlowDesign; id: string } | undefined {
  if (from === to) return undefined;
  const id = uniqueId(`${from}-to-${to}`, new Set(design.paths.map((p) => p.id)));
  const source = design.components.find((c) => c.id === from);
  const target = design.components.find((c) => c.id === to);
  if (!source || !target) return undefined;
  const path: FlowPath = {
    id,
    from,
    to: [to],
    description: `${source.name} tells ${target.name} that something happened.`,
    subject: suggestedSubject(design, from),
    answers: {},
  };
  return { design: { ...design, paths: [...design.paths, path] }, id };
}

export function updatePath(design: FlowDesign, id: string, change: (p: FlowPath) => FlowPath): FlowDesign {
  return { ...design, paths: design.paths.map((p) => (p.id === id ? change(p) : p)) };
}

export function updateComponent(design: FlowDesign, id: string, change: (c: Component) => Component): FlowDesign {
  return { ...design, components: design.components.map((c) => (c.id === id ? change(c) : c)) };
}

/**
 * Deletes components (and the paths that lose their publisher or every receiver) and single
 * edges (a receiver leaves its path; the path goes when none is left).
 */
export function deleteItems(design: FlowDesign, components: Set<string>, edges: { path: string; to: string }[]): FlowDesign {
  const paths: FlowPath[] = [];
  for (const p of design.paths) {
    if (components.has(p.from)) continue;
    const removed = new Set(edges.filter((e) => e.path === p.id).map((e) => e.to));
    const to = p.to.filter((t) => !components.has(t) && !removed.has(t));
    if (!to.length) continue;
    paths.push(to.length === p.to.length ? p : { ...p, to });
  }
  const keptPaths = new Set(paths.map((p) => p.id));
  const overrides = design.overrides?.consumers
    ? { ...design.overrides, consumers: Object.fromEntries(Object.entries(design.overrides.consumers).filter(([k]) => { const [pid, rid] = k.split('/'); return keptPaths.has(pid!) && paths.find((p) => p.id === pid)!.to.includes(rid!); })) }
    : design.overrides;
  if (overrides?.consumers && !Object.keys(overrides.consumers).length) delete overrides.consumers;
  const next: FlowDesign = { ...design, components: design.components.filter((c) => !components.has(c.id)), paths };
  if (overrides && Object.keys(overrides).length) next.overrides = overrides;
  else delete next.overrides;
  return next;
}

/** What copy puts on the canvas clipboard: components and the paths among them. */
export interface Clip {
  components: Component[];
  paths: FlowPath[];
}

export function copyItems(design: FlowDesign, ids: Set<string>): Clip {
  const components = design.components.filter((c) => ids.has(c.id));
  const paths = design.paths
    .filter((p) => ids.has(p.from) && p.to.some((t) => ids.has(t)))
    .map((p) => ({ ...p, to: p.to.filter((t) => ids.has(t)) }));
  return structuredClone({ components, paths });
}

/** Pastes with fresh ids, offset so the copies do not hide the originals. */
export function pasteItems(design: FlowDesign, clip: Clip, offset = 40): { design: FlowDesign; ids: string[] } {
  const taken = new Set(design.components.map((c) => c.id));
  const takenPaths = new Set(design.paths.map((p) => p.id));
  const map = new Map<string, string>();
  const components = clip.components.map((c) => {
    const id = uniqueId(c.id, taken);
    taken.add(id);
    map.set(c.id, id);
    return { ...c, id, name: `${c.name} (copy)`, position: { x: (c.position?.x ?? 0) + offset, y: (c.position?.y ?? 0) + offset } };
  });
  const paths = clip.paths.map((p) => {
    const id = uniqueId(p.id, takenPaths);
    takenPaths.add(id);
    return { ...p, id, from: map.get(p.from)!, to: p.to.map((t) => map.get(t)!) };
  });
  return { design: { ...design, components: [...design.components, ...components], paths: [...design.paths, ...paths] }, ids: components.map((c) => c.id) };
}

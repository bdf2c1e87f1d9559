/**
 * Lint findings the designer can fix by itself, as pure design → design transforms (no
 * `vscode`): the Problems panel's quick fixes and the canvas use the same ones. Findings
 * whose fix needs a human decision (split a conflicting concept, pick disjoint filters) only
 * show their advice.
 */
import type { FlowDesign, Finding, PathClassification } from '../../core/design';

export interface DesignFix {
  title: string;
  apply(design: FlowDesign): FlowDesign;
}

const clone = (d: FlowDesign): FlowDesign => structuredClone(d);

function decodePointerSeg(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function fixFor(finding: Finding, classes: readonly PathClassification[]): DesignFix | undefined {
  const pathId = finding.location.path;
  switch (finding.rule) {
    case 'primitive-stale': {
      const cls = classes.find((c) => c.path === pathId);
      if (!cls) return undefined;
      return {
        title: `Set "primitive" to "${cls.primitive}"`,
        apply(design) {
          const d = clone(design);
          const p = d.paths.find((x) => x.id === pathId);
          if (p) p.primitive = cls.primitive;
          return d;
        },
      };
    }
    case 'override-unused': {
      const segs = (finding.location.pointer ?? '').split('/').slice(1).map(decodePointerSeg);
      if (segs[0] !== 'overrides' || segs.length !== 3) return undefined;
      const [, target, key] = segs as [string, 'streams' | 'consumers' | 'buckets', string];
      return {
        title: `Remove the unused override ${target}.${key}`,
        apply(design) {
          const d = clone(design);
          const group = d.overrides?.[target];
          if (group) {
            delete group[key];
            if (!Object.keys(group).length) delete d.overrides![target];
            if (d.overrides && !Object.keys(d.overrides).length) delete d.overrides;
          }
          return d;
        },
      };
    }
    case 'worker-dead-letter': {
      if (!pathId) return undefined;
      return {
        title: 'Plan a dead-letter stream (remove deadLetter "none")',
        apply(design) {
          const d = clone(design);
          const p = d.paths.find((x) => x.id === pathId);
          if (p?.deadLetter?.mode === 'none') delete p.deadLetter;
          return d;
        },
      };
    }
    default:
      return undefined;
  }
}

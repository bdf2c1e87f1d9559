import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import type { FlowPath } from '../../src/core/design/model';
import { Codicon } from '../components/codicon';
import type { PathLive } from './live';
import { VERDICT_LABELS, type Marks, type Verdict } from './view-model';

export type { PathLive };

export type PathEdgeData = { path: FlowPath; verdict: Verdict; overriddenTo?: string; marks?: Marks; live?: PathLive; match: boolean; showLabel: boolean };
export type PathEdge = Edge<PathEdgeData, 'path'>;

const VERDICT_ICONS: Record<Verdict, string> = {
  kv: 'database',
  stream: 'list-ordered',
  core: 'broadcast',
  conflict: 'warning',
  undecided: 'question',
  overridden: 'pinned',
};

/** A path: a curve with its subject and verdict badge (and live numbers when connected). */
export const PathEdgeView = memo(function PathEdgeView(props: EdgeProps<PathEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  const [d, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  if (!data) return null;
  const severity = data.marks?.severity;
  return (
    <>
      <BaseEdge id={id} path={d} markerEnd={markerEnd} className={`nf-edge nf-edge--${data.verdict}${severity ? ` nf-edge--${severity}` : ''}${selected ? ' nf-edge--selected' : ''}`} />
      {data.showLabel ? (
        <EdgeLabelRenderer>
          <div
            className={`nf-edge-label nodrag nopan${selected ? ' nf-edge-label--selected' : ''}${data.match ? ' nf-edge-label--match' : ''}`}
            // xyflow positions labels with a transform; React sets it through the CSSOM, which the CSP allows
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-${data.path.id}`}
            data-verdict={data.verdict}
            data-lint={severity ?? ''}
            onClick={(e) => {
              e.stopPropagation();
              window.dispatchEvent(new CustomEvent('nf-select-path', { detail: data.path.id }));
            }}
            title={data.marks ? data.marks.findings.map((f) => `${f.severity}: ${f.message}`).join('\n') : data.path.description}
          >
            <span className="nf-edge-label__subject nf-mono" data-testid="edge-subject">{data.path.subject}</span>
            <span className={`nf-badge nf-badge--${data.verdict}`} data-testid="edge-verdict">
              <Codicon name={VERDICT_ICONS[data.verdict]} /> {VERDICT_LABELS[data.verdict]}
              {data.overriddenTo ? `: ${data.overriddenTo}` : ''}
            </span>
            {severity ? <Codicon name={severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'info'} className={`nf-lint nf-lint--${severity}`} label={`${data.marks!.findings.length} finding(s)`} /> : null}
            {data.live ? (
              <span className={`nf-live${data.live.missing ? ' nf-live--missing' : ''}`} data-testid="edge-live">
                {data.live.text}
              </span>
            ) : null}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
});

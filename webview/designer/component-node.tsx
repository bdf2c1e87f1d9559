import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { Component } from '../../src/core/design/model';
import { Codicon } from '../components/codicon';
import { KIND_ICONS, KIND_LABELS } from './design-edits';
import type { Marks } from './view-model';

export type ComponentNodeData = { component: Component; marks?: Marks; direction: 'LR' | 'TB'; match: boolean };
export type ComponentNode = Node<ComponentNodeData, 'component'>;

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 64;

/** A component on the canvas: icon by kind, name, kind, and its lint mark. Text only, never HTML. */
export const ComponentNodeView = memo(function ComponentNodeView({ data, selected }: NodeProps<ComponentNode>) {
  const c = data.component;
  const severity = data.marks?.severity;
  const vertical = data.direction === 'TB';
  return (
    <div
      className={`nf-node nf-node--${c.kind}${severity ? ` nf-node--${severity}` : ''}${selected ? ' nf-node--selected' : ''}${data.match ? ' nf-node--match' : ''}${c.guessed ? ' nf-node--guessed' : ''}`}
      data-testid={`node-${c.id}`}
      data-lint={severity ?? ''}
      title={data.marks ? data.marks.findings.map((f) => `${f.severity}: ${f.message}`).join('\n') : c.description ?? ''}
    >
      <Handle type="target" position={vertical ? Position.Top : Position.Left} />
      <Codicon name={KIND_ICONS[c.kind]} className="nf-node__icon" />
      <div className="nf-node__text">
        <div className="nf-node__name" data-testid="node-name">{c.name}</div>
        <div className="nf-node__kind nf-muted">
          {KIND_LABELS[c.kind]}
          {c.guessed ? ' · guessed' : ''}
        </div>
      </div>
      {severity ? <Codicon name={severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'info'} className={`nf-lint nf-lint--${severity}`} label={`${data.marks!.findings.length} finding(s)`} /> : null}
      <Handle type="source" position={vertical ? Position.Bottom : Position.Right} />
    </div>
  );
});

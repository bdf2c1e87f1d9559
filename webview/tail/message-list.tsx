/**
 * The virtualized list (@tanstack/react-virtual): only the rows on screen exist in the DOM,
 * so 10,000 buffered messages cost no more to show than 30. Markers are inline rows.
 */
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { previewOf, type ShownRow } from './rows';
import { visible } from './payload-views';

const ROW_HEIGHT = 22;

function timeOf(iso: string): string {
  const i = iso.indexOf('T');
  return i > 0 ? iso.slice(i + 1, i + 13) : iso;
}

function Cells({ r }: { r: ShownRow }) {
  const row = r.row;
  if (row.kind === 'marker') {
    return (
      <div className={`tail-row__marker tail-marker--${row.marker ?? 'note'}`} data-testid={`marker-${row.marker}`}>
        <span className="tail-marker__label">{row.marker === 'live' ? 'LIVE' : (row.marker ?? '').toUpperCase()}</span> {visible(row.text ?? '')}
      </div>
    );
  }
  return (
    <>
      <span className="tail-col tail-col--time">{timeOf(row.time)}</span>
      <span className="tail-col tail-col--subject" title={visible(row.subject)}>
        {visible(row.subject)}
      </span>
      <span className="tail-col tail-col--seq">{row.seq ?? ''}</span>
      <span className="tail-col tail-col--size">{row.size}</span>
      <span className="tail-col tail-col--hdrs">{row.kind === 'kv' ? <span className={`tail-badge tail-badge--${row.op}`}>{row.op}</span> : row.headers.length || ''}</span>
      <span className="tail-col tail-col--preview">
        {row.kind === 'kv' ? <span className={`tail-badge tail-badge--${row.phase}`}>{row.phase}</span> : null}
        {previewOf(r)}
      </span>
    </>
  );
}

export function MessageList({ rows, selected, onSelect, follow }: { rows: ShownRow[]; selected: number | undefined; onSelect: (id: number) => void; follow: boolean }) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  useEffect(() => {
    if (follow && rows.length) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
  }, [follow, rows.length, virtualizer]);
  return (
    <div className="tail-list" ref={parent} data-testid="list" role="listbox" aria-label="Messages">
      <div className="tail-list__head" aria-hidden="true">
        <span className="tail-col tail-col--time">Time</span>
        <span className="tail-col tail-col--subject">Subject / key</span>
        <span className="tail-col tail-col--seq">Seq / rev</span>
        <span className="tail-col tail-col--size">Size</span>
        <span className="tail-col tail-col--hdrs">Hdrs / op</span>
        <span className="tail-col tail-col--preview">Preview</span>
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const r = rows[v.index]!;
          return (
            <div
              key={r.row.id}
              className={`tail-row tail-row--${r.row.kind}${r.row.id === selected ? ' tail-row--selected' : ''}`}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
              role="option"
              aria-selected={r.row.id === selected}
              data-testid="row"
              data-kind={r.row.kind}
              onClick={() => onSelect(r.row.id)}
            >
              <Cells r={r} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

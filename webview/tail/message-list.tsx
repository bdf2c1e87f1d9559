/**
 * The virtualized list (@tanstack/react-virtual): only the rows on screen exist in the DOM,
 * so 10,000 buffered messages cost no more to show than 30. Markers are inline rows.
 */
import { memo, useLayoutEffect, useRef, useState, type CSSProperties, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { previewOf, type ShownRow } from './rows';
import { visible } from './payload-views';
import { formatClockTime } from '../../src/core/time';

const ROW_HEIGHT = 22;
/** Local times with the widest hours of the day (the column is sized so each fits whole). */
const CLOCK_SAMPLES = ['2026-11-30T00:00:00.000', '2026-11-30T10:58:58.888', '2026-11-30T12:58:58.888', '2026-11-30T22:58:58.888', '2026-11-30T23:48:48.888'];
const COL_PADDING = 12;

/** Width of the time column: the widest clock time of the display locale in the list's font. */
function useTimeColumnWidth(probe: RefObject<HTMLSpanElement | null>, locale: string | undefined): number | undefined {
  const [width, setWidth] = useState<number>();
  useLayoutEffect(() => {
    const el = probe.current;
    if (!el) return;
    let w = 0;
    for (const iso of CLOCK_SAMPLES) {
      el.textContent = formatClockTime(iso);
      w = Math.max(w, el.getBoundingClientRect().width);
    }
    el.textContent = '';
    setWidth(Math.ceil(w) + COL_PADDING + 2);
  }, [probe, locale]);
  return width;
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
      <span className="tail-col tail-col--time" title={row.time}>{formatClockTime(row.time)}</span>
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

/** One row; memoised so a render for new rows redraws only rows that changed or moved. */
const Row = memo(function Row({ r, start, selected, onSelect }: { r: ShownRow; start: number; selected: boolean; onSelect: (id: number) => void }) {
  return (
    <div
      className={`tail-row tail-row--${r.row.kind}${selected ? ' tail-row--selected' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      role="option"
      aria-selected={selected}
      data-testid="row"
      data-kind={r.row.kind}
      onClick={() => onSelect(r.row.id)}
    >
      <Cells r={r} />
    </div>
  );
});

/**
 * `rows` is the app's live buffer (the same array between batches, to avoid copying 10,000+
 * rows per batch): `version` says it changed. Memoised, so renders for other reasons (the rate
 * meter each second, counts) do not redraw the list.
 */
export const MessageList = memo(function MessageList({ rows, selected, onSelect, follow, locale }: { rows: ShownRow[]; version: number; selected: number | undefined; onSelect: (id: number) => void; follow: boolean; locale?: string }) {
  const parent = useRef<HTMLDivElement>(null);
  const probe = useRef<HTMLSpanElement>(null);
  const timeWidth = useTimeColumnWidth(probe, locale);
  // no flushSync on scroll: a batch's rows and the scroll they cause render together
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 12, useFlushSync: false });
  const total = virtualizer.getTotalSize();
  // following: jump to the end by writing the offset (never reading layout back), once per render
  useLayoutEffect(() => {
    const el = parent.current;
    if (follow && el && rows.length) el.scrollTop = total + ROW_HEIGHT;
  });
  return (
    <div className="tail-list" ref={parent} data-testid="list" role="listbox" aria-label="Messages" style={timeWidth ? ({ '--tail-time-width': `${timeWidth}px` } as CSSProperties) : undefined}>
      <span className="tail-list__probe" ref={probe} aria-hidden="true" />
      <div className="tail-list__head" aria-hidden="true">
        <span className="tail-col tail-col--time">Time</span>
        <span className="tail-col tail-col--subject">Subject / key</span>
        <span className="tail-col tail-col--seq">Seq / rev</span>
        <span className="tail-col tail-col--size">Size</span>
        <span className="tail-col tail-col--hdrs">Hdrs / op</span>
        <span className="tail-col tail-col--preview">Preview</span>
      </div>
      <div className="tail-list__body" style={{ height: total }}>
        {virtualizer.getVirtualItems().map((v) => {
          const r = rows[v.index]!;
          return <Row key={r.row.id} r={r} start={v.start} selected={r.row.id === selected} onSelect={onSelect} />;
        })}
      </div>
    </div>
  );
});

import type { ReportColumnView, ReportRowView, ReportSort } from '../../src/shared/protocol';
import { Codicon } from '../components/codicon';
import { Flags } from './flags';

/**
 * The table: every header is a button (so Tab and Enter/Space sort, as a screen reader
 * expects), `aria-sort` on the sorted column, numeric columns right-aligned. Every value is
 * rendered as text.
 */
export function ReportTable(props: {
  columns: ReportColumnView[];
  rows: ReportRowView[];
  sort: ReportSort;
  onSort: (column: ReportColumnView) => void;
}) {
  const { columns, rows, sort } = props;
  return (
    <table className="nf-table report__table" data-testid="report-table">
      <thead>
        <tr>
          {columns.map((c) => {
            const active = c.id === sort.column;
            const direction = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
            return (
              <th key={c.id} scope="col" data-col={c.id} aria-sort={direction} className={c.numeric ? 'report__num' : undefined} title={c.tooltip}>
                <button
                  type="button"
                  className={`report__sort${active ? ' report__sort--active' : ''}`}
                  onClick={() => props.onSort(c)}
                  aria-label={`${c.title}: sort ${active && !sort.descending ? 'descending' : active ? 'ascending' : c.numeric ? 'descending' : 'ascending'}`}
                >
                  <span>{c.title}</span>
                  <Codicon name={active ? (sort.descending ? 'arrow-down' : 'arrow-up') : 'blank'} className="report__sort-icon" />
                </button>
              </th>
            );
          })}
          <th scope="col" data-col="health">
            Health
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-row={r.id} className={r.flags.length ? 'report__row--flagged' : undefined}>
            {r.cells.map((cell, i) => {
              const c = columns[i]!;
              return (
                <td key={c.id} data-col={c.id} className={c.numeric ? 'report__num' : undefined} title={cell.title}>
                  {i === 0 ? (
                    <>
                      <div className="report__name">{cell.text}</div>
                      {r.description ? <div className="nf-muted report__description" data-testid="description">{r.description}</div> : null}
                    </>
                  ) : (
                    cell.text
                  )}
                </td>
              );
            })}
            <td data-col="health">
              <Flags flags={r.flags} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

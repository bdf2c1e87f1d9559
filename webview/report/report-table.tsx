import type { ReportColumnView, ReportRowView, ReportSort } from '../../src/shared/protocol';
import { Codicon } from '../components/codicon';
import { Flags } from './flags';

/**
 * The table: every header is a button (so Tab and Enter/Space sort, as a screen reader
 * expects), `aria-sort` on the sorted column, numeric columns right-aligned. Health comes
 * right after the name so it never falls off a narrow window; hidden columns are left out.
 * Every value is rendered as text.
 */
export function ReportTable(props: {
  columns: ReportColumnView[];
  rows: ReportRowView[];
  sort: ReportSort;
  onSort: (column: ReportColumnView) => void;
  hidden?: string[];
}) {
  const { columns, rows, sort } = props;
  const hidden = new Set(props.hidden ?? []);
  // indexes into each row's cells, in column order, without the hidden ones
  const visible = columns.map((c, i) => [c, i] as const).filter(([c]) => c.id === 'name' || !hidden.has(c.id));
  const [nameCol, ...rest] = visible;
  function header(c: ReportColumnView) {
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
  }

  return (
    <table className="nf-table report__table" data-testid="report-table">
      <thead>
        <tr>
          {[nameCol!].map(([c]) => header(c))}
          {hidden.has('health') ? null : (
            <th scope="col" data-col="health">
              Health
            </th>
          )}
          {rest.map(([c]) => header(c))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-row={r.id} className={r.flags.length ? 'report__row--flagged' : undefined}>
            {[nameCol!].map(([c, i]) => (
              <td key={c.id} data-col={c.id} title={r.cells[i]?.title}>
                <div className="report__name">{r.cells[i]?.text}</div>
                {r.description ? (
                  <div className="nf-muted report__description" data-testid="description">
                    {r.description}
                  </div>
                ) : null}
              </td>
            ))}
            {hidden.has('health') ? null : (
              <td data-col="health">
                <Flags flags={r.flags} />
              </td>
            )}
            {rest.map(([c, i]) => (
              <td key={c.id} data-col={c.id} className={c.numeric ? 'report__num' : undefined} title={r.cells[i]?.title}>
                {r.cells[i]?.text}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import type { ReportColumnView } from '../../src/shared/protocol';
import { Codicon } from '../components/codicon';

/**
 * "Columns": a disclosure with one checkbox per column, so a wide report fits the window.
 * Native <details> and checkboxes: keyboard and screen readers work without extra code.
 */
export function ColumnPicker(props: { columns: ReportColumnView[]; hidden: string[]; onToggle: (id: string) => void }) {
  const shown = props.columns.length - props.hidden.filter((id) => props.columns.some((c) => c.id === id)).length;
  return (
    <details className="report__columns" data-testid="columns">
      <summary>
        <Codicon name="list-selection" /> Columns ({shown} of {props.columns.length})
      </summary>
      <ul>
        {props.columns.map((c) => (
          <li key={c.id}>
            <label>
              <input
                type="checkbox"
                data-col={c.id}
                checked={!props.hidden.includes(c.id)}
                // the name identifies the row: it always stays
                disabled={c.id === 'name'}
                onChange={() => props.onToggle(c.id)}
              />{' '}
              {c.title}
            </label>
          </li>
        ))}
      </ul>
    </details>
  );
}

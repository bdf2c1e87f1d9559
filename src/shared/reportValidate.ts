/**
 * Runtime checks for the report panel's messages (types in `protocol.ts`) and the one sort
 * both sides use, so the rows a command returns are in the order the table first shows.
 * Dependency-free: the webview bundle imports it.
 */
import type { ReportCell, ReportColumnView, ReportFlag, ReportRowView, ReportSort, ReportViewState } from './protocol';
import { arrayOf, bool, emptyParams, num, object, oneOf, optional, str, ValidationError, type Check } from './validate';

/** A report lists every stream of an account (10,000 is a real size) or consumers of a stream. */
export const MAX_REPORT_ROWS = 50_000;
export const FLAG_KINDS = ['nearLimit', 'sealed', 'lost', 'replicaOffline', 'replicaLag', 'behind', 'paused', 'ackPendingNearMax'] as const;

const cell: Check<ReportCell> = (v, path) => {
  const c = object({ text: str(10_000), sort: (x, p) => (typeof x === 'string' ? str(10_000)(x, p) : num(x, p)), title: optional(str(10_000)) })(v, path);
  return c as ReportCell;
};

const column: Check<ReportColumnView> = (v, path) => {
  const c = object({ id: str(60), title: str(200), numeric: bool, tooltip: optional(str(1_000)) })(v, path);
  if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(c.id)) throw new ValidationError(`${path}.id`, 'not a column id');
  return c as ReportColumnView;
};

const flag = object({ kind: oneOf(...FLAG_KINDS), label: str(1_000) }) as Check<ReportFlag>;

const checkSort = object({ column: str(60), descending: bool }) as Check<ReportSort>;

export const checkReportViewState: Check<ReportViewState> = (v, path) => {
  const s = object({
    kind: oneOf('streams', 'consumers'),
    title: str(500),
    subtitle: str(2_000),
    stream: str(1_000),
    generatedAt: str(100),
    clustered: bool,
    columns: arrayOf(column, 40),
    rows: arrayOf(
      object({ id: str(1_000), description: optional(str(10_000)), cells: arrayOf(cell, 40), flags: arrayOf(flag, 20) }) as Check<ReportRowView>,
      MAX_REPORT_ROWS,
    ),
    sort: checkSort,
  })(v, path) as ReportViewState;
  s.rows.forEach((r, i) => {
    if (r.cells.length !== s.columns.length) throw new ValidationError(`${path ? `${path}.` : ''}rows[${i}].cells`, `expected ${s.columns.length} cells (one per column), got ${r.cells.length}`);
  });
  return s;
};

export const checkReportRendered = object({
  kind: oneOf('streams', 'consumers'),
  rows: num,
  shown: num,
  sort: checkSort,
  filter: str(1_000),
});

export { emptyParams };

/** The column a sort names, by id or (as the commands' `sort` argument always did) by title, case-insensitive. */
export function findColumn(columns: readonly ReportColumnView[], name: string): number {
  const n = name.toLowerCase();
  return columns.findIndex((c) => c.id.toLowerCase() === n || c.title.toLowerCase() === n);
}

/**
 * Rows in the given order: numeric columns by number, text columns by natural order (so
 * ORDERS_2 comes before ORDERS_10); ties keep the name order. Unknown column: unchanged.
 */
export function sortRows(columns: readonly ReportColumnView[], rows: readonly ReportRowView[], sort: ReportSort): ReportRowView[] {
  const i = findColumn(columns, sort.column);
  if (i < 0) return [...rows];
  const numeric = columns[i]!.numeric;
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const dir = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a.cells[i]!.sort;
    const y = b.cells[i]!.sort;
    const cmp = numeric && typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return cmp !== 0 ? cmp * dir : collator.compare(a.id, b.id);
  });
}

/** Rows whose name, description or any cell text contains `filter` (case-insensitive). */
export function filterRows(rows: readonly ReportRowView[], filter: string): ReportRowView[] {
  const f = filter.trim().toLowerCase();
  if (!f) return [...rows];
  return rows.filter(
    (r) => r.id.toLowerCase().includes(f) || (r.description ?? '').toLowerCase().includes(f) || r.cells.some((c) => c.text.toLowerCase().includes(f)) || r.flags.some((fl) => fl.label.toLowerCase().includes(f)),
  );
}

import { useCallback, useEffect, useMemo, useState } from 'react';
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import VscodeTextfield from '@vscode-elements/react-elements/dist/components/VscodeTextfield.js';
import type { ReportColumnView, ReportProtocol, ReportSort, ReportViewState } from '../../src/shared/protocol';
import { checkReportViewState, filterRows, findColumn, sortRows } from '../../src/shared/reportValidate';
import { arrayOf, bool, object, optional, str } from '../../src/shared/validate';
import { Codicon } from '../components/codicon';
import { ErrorBanner } from '../components/error-banner';
import { ErrorBoundary } from '../components/error-boundary';
import { useHost } from '../components/use-host';
import { reportChecks } from './checks';
import { ColumnPicker } from './column-picker';
import { ReportTable } from './report-table';

/** What survives the panel being hidden: the rows and the user's own sort and filter. */
const checkSaved = object({
  view: checkReportViewState,
  sort: optional(object({ column: str(60), descending: bool })),
  filter: optional(str(1_000)),
  hidden: optional(arrayOf(str(60), 64)),
});

export function App() {
  const [view, setView] = useState<ReportViewState | null>(null);
  const [sort, setSort] = useState<ReportSort | null>(null);
  const [filter, setFilter] = useState('');
  /** Column ids the user hid (the name column cannot be hidden). */
  const [hidden, setHidden] = useState<string[]>([]);
  const [problem, setProblem] = useState<{ title: string; detail: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  const show = useCallback((state: ReportViewState, opts: { keepSort?: boolean } = {}) => {
    setView(state);
    setProblem(null);
    // a new report from the command brings its own order; a refresh keeps the user's
    if (!opts.keepSort) setSort(state.sort);
  }, []);

  const host = useHost<ReportProtocol>(reportChecks, {
    onNotification: (n) => {
      if (n.method === 'report/state') show(n.params);
    },
    onInvalid: (error) => setProblem({ title: 'Received a message this view cannot show.', detail: error }),
  });

  useEffect(() => {
    const saved = host.getState(checkSaved);
    if (saved) {
      setView((current) => current ?? saved.view);
      setSort((current) => current ?? saved.sort ?? saved.view.sort);
      setFilter((current) => current || (saved.filter ?? ''));
      setHidden((current) => (current.length ? current : (saved.hidden ?? [])));
    }
  }, [host]);

  const activeSort = sort ?? view?.sort ?? { column: 'name', descending: false };
  const shown = useMemo(() => (view ? filterRows(sortRows(view.columns, view.rows, activeSort), filter) : []), [view, activeSort, filter]);

  useEffect(() => {
    if (!view) return;
    host.setState({ view, sort: activeSort, filter, hidden });
    host.notify('report/rendered', { kind: view.kind, rows: view.rows.length, shown: shown.length, sort: activeSort, filter });
  }, [host, view, shown, activeSort, filter, hidden]);

  const toggleColumn = useCallback((id: string) => setHidden((h) => (h.includes(id) ? h.filter((x) => x !== id) : [...h, id])), []);

  const onSort = useCallback(
    (c: ReportColumnView) =>
      setSort((s) => {
        const current = s ?? view?.sort;
        return current && current.column === c.id ? { column: c.id, descending: !current.descending } : { column: c.id, descending: c.numeric };
      }),
    [view],
  );

  const refresh = useCallback(async () => {
    setBusy(true);
    setStatus('Reading the server…');
    try {
      const next = await host.request('report/refresh', {});
      show(next, { keepSort: true });
      setStatus(`Refreshed: ${next.rows.length} ${next.kind === 'streams' ? 'streams' : 'consumers'}.`);
    } catch (err) {
      setStatus('');
      setProblem({ title: 'Could not refresh the report.', detail: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }, [host, show]);

  const noun = view?.kind === 'consumers' ? 'consumers' : 'streams';
  const sortTitle = view ? view.columns[findColumn(view.columns, activeSort.column)]?.title : undefined;

  return (
    <ErrorBoundary onError={(m) => host.reportError(m)}>
      <main className="report" data-testid="report" aria-busy={busy}>
        {problem ? <ErrorBanner title={problem.title} detail={problem.detail} onDismiss={() => setProblem(null)} /> : null}
        {view ? (
          <ErrorBoundary key={view.generatedAt} onError={(m) => host.reportError(m)}>
            <header className="report__header">
              <div>
                <h1 data-testid="title">{view.title}</h1>
                <div className="nf-muted" data-testid="subtitle">
                  {view.subtitle} · read {new Date(view.generatedAt).toLocaleString()}
                </div>
              </div>
            </header>
            <div className="report__toolbar">
              <VscodeTextfield
                className="report__filter"
                data-testid="filter"
                placeholder={`Filter ${noun} (name, subject, any value)`}
                value={filter}
                aria-label={`Filter ${noun}`}
                onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
              >
                <Codicon name="filter" className="report__filter-icon" />
              </VscodeTextfield>
              <VscodeButton icon="refresh" secondary disabled={busy} onClick={refresh} data-testid="refresh">
                Refresh
              </VscodeButton>
              <ColumnPicker columns={view.columns} hidden={hidden} onToggle={toggleColumn} />
              <span className="nf-muted report__count" data-testid="count">
                {shown.length === view.rows.length ? `${view.rows.length} ${noun}` : `${shown.length} of ${view.rows.length} ${noun}`}
                {sortTitle ? ` · sorted by ${sortTitle} ${activeSort.descending ? '↓' : '↑'}` : ''}
              </span>
            </div>
            <div className="nf-status nf-muted" role="status" data-testid="status">
              {status}
            </div>
            {view.rows.length === 0 ? (
              <p className="nf-muted report__empty" data-testid="empty">
                {view.kind === 'consumers' ? `Stream ${view.stream} has no consumers.` : 'This account has no streams.'}
              </p>
            ) : (
              <>
                <div className="report__scroll">
                  <ReportTable columns={view.columns} rows={shown} sort={activeSort} onSort={onSort} hidden={hidden} />
                </div>
                {shown.length === 0 ? (
                  <p className="nf-muted report__empty" data-testid="no-match">
                    No {noun} match “{filter}”.
                  </p>
                ) : null}
              </>
            )}
          </ErrorBoundary>
        ) : problem ? null : (
          <p className="nf-muted" data-testid="waiting">
            <Codicon name="loading" spin /> Reading the server…
          </p>
        )}
      </main>
    </ErrorBoundary>
  );
}

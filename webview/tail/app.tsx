import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import type { TailProtocol, TailRowView, TailStateView } from '../../src/shared/protocol';
import { checkTailState } from '../../src/shared/tailValidate';
import { bool, num, object, optional, str } from '../../src/shared/validate';
import { setDisplayLocale } from '../../src/core/time';
import { Codicon } from '../components/codicon';
import { ErrorBanner } from '../components/error-banner';
import { ErrorBoundary } from '../components/error-boundary';
import { useHost } from '../components/use-host';
import { tailChecks } from './checks';
import { DetailPane } from './detail-pane';
import { MessageList } from './message-list';
import { PublishForm } from './publish-form';
import { RateMeter } from './rate-meter';
import { matches, shownRow, type ShownRow } from './rows';

/** What survives a reload: the tail's spec (inside view) and where it was, for the serializer. */
const checkSaved = object({ view: checkTailState, lastSeq: optional(num), lastTime: optional(str(100)), paused: optional(bool) });

/** The stream sequence or KV revision a shown row proves the tail has read up to. */
function positionOf(r: TailRowView): number | undefined {
  if (r.seq === undefined) return undefined;
  if (r.kind === 'kv' || (r.kind === 'msg' && r.stream)) return r.seq;
  // a KV watch's live marker: everything up to this revision has been read
  if (r.kind === 'marker' && r.marker === 'live') return r.seq;
  return undefined;
}

export function App() {
  const [view, setView] = useState<TailStateView | null>(null);
  const [problem, setProblem] = useState<{ title: string; detail: string } | null>(null);
  const rows = useRef<ShownRow[]>([]);
  const held = useRef<ShownRow[]>([]);
  const [version, setVersion] = useState(0);
  const [paused, setPaused] = useState(false);
  const pausedRef = useRef(false);
  const [dropped, setDropped] = useState(0);
  const [received, setReceived] = useState(0);
  const [subjectFilter, setSubjectFilter] = useState('');
  const [textFilter, setTextFilter] = useState('');
  const [selected, setSelected] = useState<number | undefined>();
  const [showPublish, setShowPublish] = useState(false);
  const [status, setStatus] = useState('');
  const [samples, setSamples] = useState<number[]>([]);
  const counted = useRef(0);
  const liveSeen = useRef(false);
  const hostSkipped = useRef(0);
  const lastSeq = useRef<number | undefined>(undefined);
  const lastTime = useRef<string | undefined>(undefined);
  /** Where the shown rows reach (held rows are not shown yet: a reload while paused re-reads them). */
  const reached = useCallback((list: ShownRow[]) => {
    for (const { row } of list) {
      const p = positionOf(row);
      if (p !== undefined) lastSeq.current = Math.max(lastSeq.current ?? 0, p);
      if (row.kind !== 'marker') lastTime.current = row.time;
    }
  }, []);

  const bufferSize = view?.bufferSize ?? 10_000;
  const keep = useCallback(
    (list: ShownRow[]) => {
      if (list.length > bufferSize) {
        const over = list.length - bufferSize;
        setDropped((d) => d + over);
        list.splice(0, over);
      }
    },
    [bufferSize],
  );

  const append = useCallback(
    (incoming: TailRowView[], total: number, skipped: number) => {
      const made = incoming.map(shownRow);
      if (!liveSeen.current && incoming.some((r) => r.marker === 'live')) liveSeen.current = true;
      counted.current += incoming.length;
      setReceived(total);
      // the host's count is a running total of rows it never sent: add what is new
      if (skipped > hostSkipped.current) {
        const more = skipped - hostSkipped.current;
        hostSkipped.current = skipped;
        setDropped((d) => d + more);
      }
      // paused: hold what arrives (and count it); the host never stops reading
      const target = pausedRef.current ? held.current : rows.current;
      if (!pausedRef.current) reached(made);
      target.push(...made);
      keep(target);
      setVersion((v) => v + 1);
    },
    [keep, reached],
  );

  const host = useHost<TailProtocol>(tailChecks, {
    onNotification: (n) => {
      if (n.method === 'tail/state') {
        setDisplayLocale(n.params.locale);
        setView(n.params);
      }
      else if (n.method === 'tail/append') append(n.params.rows, n.params.received, n.params.skipped);
      else if (n.method === 'tail/pause' && n.params.paused !== pausedRef.current) togglePause();
    },
    onInvalid: (error) => setProblem({ title: 'Received a message this view cannot show.', detail: error }),
  });

  useEffect(() => {
    const saved = host.getState(checkSaved);
    if (saved) {
      setView((v) => v ?? saved.view);
      // a restored panel starts empty but knows where it was, should it reload again before a new row
      lastSeq.current ??= saved.lastSeq;
      lastTime.current ??= saved.lastTime;
    }
  }, [host]);

  // rate: rows per second, one sample a second, a minute kept
  useEffect(() => {
    const t = setInterval(() => {
      const n = counted.current;
      counted.current = 0;
      setSamples((s) => [...s.slice(-59), n]);
    }, 1000);
    return () => clearInterval(t);
  }, []);

  const togglePause = () => {
    if (pausedRef.current) {
      reached(held.current);
      rows.current.push(...held.current);
      held.current = [];
      keep(rows.current);
    }
    pausedRef.current = !pausedRef.current;
    setPaused(pausedRef.current);
    setVersion((v) => v + 1);
  };

  const clear = async () => {
    rows.current = [];
    held.current = [];
    liveSeen.current = false;
    setDropped(0);
    setSelected(undefined);
    setVersion((v) => v + 1);
    await host.request('tail/clear', {}).catch(() => undefined);
  };

  // no filter: the list reads the buffer itself (no copy of 10,000+ rows per batch)
  const filtering = subjectFilter.trim() !== '' || textFilter !== '';
  const shown = useMemo(() => (filtering ? rows.current.filter((r) => matches(r, subjectFilter.trim(), textFilter)) : rows.current), [version, filtering, subjectFilter, textFilter]); // eslint-disable-line react-hooks/exhaustive-deps
  const live = liveSeen.current;
  const selectedRow = selected !== undefined ? rows.current.find((r) => r.row.id === selected)?.row : undefined;

  useEffect(() => {
    if (!view) return;
    host.setState({ view, lastSeq: lastSeq.current, lastTime: lastTime.current, paused });
    host.notify('tail/rendered', { rows: rows.current.length, shown: shown.length, paused, held: held.current.length, live, ...(lastSeq.current !== undefined ? { lastSeq: lastSeq.current } : {}), ...(lastTime.current ? { lastTime: lastTime.current } : {}) });
  }, [host, view, shown, shown.length, paused, live, version]);

  const exportNdjson = async () => {
    const r = await host.request('tail/export', {}).catch((e: Error) => ({ message: e.message }));
    setStatus(r.message);
  };
  const openJson = async (id: number) => {
    await host.request('tail/openJson', { id }).catch((e: Error) => setStatus(e.message));
  };

  return (
    <ErrorBoundary onError={(m) => host.reportError(m)}>
      <main className="tail" data-testid="tail">
        {problem ? <ErrorBanner title={problem.title} detail={problem.detail} onDismiss={() => setProblem(null)} /> : null}
        {view?.error ? <ErrorBanner title="The tail could not start." detail={view.error} /> : null}
        <header className="tail__header">
          <h1 data-testid="title">{view?.source ?? 'Tail'}</h1>
          <span className="nf-muted" data-testid="mode">{view?.mode}</span>
        </header>
        <div className="tail__toolbar">
          <VscodeButton icon={paused ? 'debug-continue' : 'debug-pause'} onClick={togglePause} data-testid="pause">
            {paused ? 'Resume' : 'Pause'}
          </VscodeButton>
          <VscodeButton secondary icon="clear-all" onClick={() => void clear()} data-testid="clear">
            Clear
          </VscodeButton>
          <input className="tail-filter" placeholder="Subject / key pattern (orders.*.eu, >)" value={subjectFilter} onChange={(e) => setSubjectFilter(e.target.value)} data-testid="subject-filter" aria-label="Subject pattern filter" />
          <input className="tail-filter" placeholder="Text in payload or headers" value={textFilter} onChange={(e) => setTextFilter(e.target.value)} data-testid="text-filter" aria-label="Text filter" />
          <VscodeButton secondary icon="export" onClick={() => void exportNdjson()} data-testid="export">
            Export NDJSON
          </VscodeButton>
          <VscodeButton secondary icon="send" onClick={() => setShowPublish((s) => !s)} data-testid="toggle-publish">
            Publish…
          </VscodeButton>
          <RateMeter samples={samples} />
        </div>
        <div className="nf-muted tail__counts" data-testid="counts">
          {shown.length === rows.current.length ? `${rows.current.length.toLocaleString()} shown` : `${shown.length.toLocaleString()} of ${rows.current.length.toLocaleString()} shown`} · {received.toLocaleString()} received
          {dropped ? ` · ${dropped.toLocaleString()} dropped (buffer ${bufferSize.toLocaleString()})` : ''}
          {paused ? (
            <span data-testid="held">
              {' '}
              · <Codicon name="debug-pause" /> paused, {held.current.length.toLocaleString()} waiting (still receiving)
            </span>
          ) : null}
          {status ? ` · ${status}` : ''}
        </div>
        {showPublish && view ? <PublishForm host={host} defaultSubject={view.defaultSubject} /> : null}
        <div className="tail__body">
          <MessageList rows={shown} version={version} selected={selected} onSelect={setSelected} follow={!paused && selected === undefined} locale={view?.locale} />
          {selectedRow ? <DetailPane row={selectedRow} onOpenJson={() => void openJson(selectedRow.id)} onClose={() => setSelected(undefined)} /> : null}
        </div>
      </main>
    </ErrorBoundary>
  );
}

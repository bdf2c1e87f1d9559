import { useCallback, useEffect, useState } from 'react';
import type { DecideAnswers, Environment } from '../../src/core/decide';
import type { DecideProtocol, DecideViewState } from '../../src/shared/protocol';
import { checkViewState } from '../../src/shared/decideValidate';
import { Codicon } from '../components/codicon';
import { ErrorBanner } from '../components/error-banner';
import { ErrorBoundary } from '../components/error-boundary';
import { useHost } from '../components/use-host';
import { decideChecks } from './checks';
import { VerdictHeader } from './verdict-header';
import { ConflictBanner } from './conflict-banner';
import { TestsTable } from './tests-table';
import { CaseCard } from './case-card';
import { ConfigView } from './config-view';
import { ActionsBar } from './actions-bar';
import { AnswersForm } from './answers-form';

export function App() {
  const [view, setView] = useState<DecideViewState | null>(null);
  const [problem, setProblem] = useState<{ title: string; detail: string } | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const show = useCallback((state: DecideViewState) => {
    setView(state);
    setProblem(null);
  }, []);

  const host = useHost<DecideProtocol>(decideChecks, {
    onNotification: (n) => {
      if (n.method === 'decide/state') show(n.params);
    },
    onInvalid: (error) => setProblem({ title: 'Received a message this view cannot show.', detail: error }),
  });

  // a panel that was hidden comes back with its last state at once
  useEffect(() => {
    const saved = host.getState(checkViewState);
    if (saved) setView((current) => current ?? saved);
  }, [host]);

  useEffect(() => {
    if (!view) return;
    host.setState(view);
    host.notify('decide/rendered', { primitive: view.decision.primitive, tests: view.decision.tests.length });
  }, [host, view]);

  const run = useCallback(
    async (description: string, answers: DecideAnswers, environment: Environment) => {
      setBusy(true);
      setStatus('Deciding…');
      try {
        show(await host.request('decide/run', { description, answers, environment }));
        setStatus('Decided again with your answers.');
      } catch (err) {
        setStatus('');
        setProblem({ title: 'Could not run the decision.', detail: err instanceof Error ? err.message : String(err) });
      } finally {
        setBusy(false);
      }
    },
    [host, show],
  );

  const copy = useCallback(async () => {
    try {
      const r = await host.request('decide/copyConfig', {});
      setStatus(r.copied ? `Configuration copied as JSON (${r.chars} characters).` : 'Nothing to copy: no configuration is suggested yet.');
    } catch (err) {
      setStatus('');
      setProblem({ title: 'Could not copy the configuration.', detail: err instanceof Error ? err.message : String(err) });
    }
  }, [host]);

  const create = useCallback(async () => {
    setBusy(true);
    setStatus('Waiting for your confirmation…');
    try {
      const r = await host.request('decide/create', {});
      if (r.ok || r.cancelled) setStatus(r.message);
      else {
        setStatus('');
        setProblem({ title: 'Could not create on the server.', detail: r.message });
      }
    } catch (err) {
      setStatus('');
      setProblem({ title: 'Could not create on the server.', detail: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }, [host]);

  const scaffold = useCallback(async () => {
    setBusy(true);
    setStatus('Scaffolding: answer the questions in VS Code…');
    try {
      const r = await host.request('decide/scaffold', {});
      setStatus(r.message);
    } catch (err) {
      setStatus('');
      setProblem({ title: 'Could not scaffold code.', detail: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }, [host]);

  return (
    <ErrorBoundary onError={(m) => host.reportError(m)}>
      <main className="decide" data-testid="decide" aria-busy={busy}>
        {problem ? <ErrorBanner title={problem.title} detail={problem.detail} onDismiss={() => setProblem(null)} /> : null}
        {view ? (
          <ErrorBoundary key={JSON.stringify(view.decision.tests.map((t) => t.answer)) + view.description.length} onError={(m) => host.reportError(m)}>
            <DecisionView view={view} busy={busy} status={status} onRun={run} onCopy={copy} onCreate={create} onScaffold={scaffold} />
          </ErrorBoundary>
        ) : problem ? null : (
          <p className="nf-muted" data-testid="waiting">
            <Codicon name="loading" spin /> Waiting for a decision…
          </p>
        )}
      </main>
    </ErrorBoundary>
  );
}

function DecisionView(props: {
  view: DecideViewState;
  busy: boolean;
  status: string;
  onRun: (description: string, answers: DecideAnswers, environment: Environment) => void;
  onCopy: () => void;
  onCreate: () => void;
  onScaffold: () => void;
}) {
  const { view } = props;
  const d = view.decision;
  return (
    <>
      <VerdictHeader view={view} />
      {d.conflict ? <ConflictBanner view={view} /> : null}
      {view.serverNotes?.length ? (
        <div className="nf-banner nf-banner--info" role="note" data-testid="server-notes">
          <Codicon name="info" />
          <div className="nf-banner__body">
            <strong>On the connected server:</strong>
            <ul>
              {view.serverNotes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      {view.languageModel ? (
        <div className="nf-banner nf-banner--info" role="note" data-testid="language-model">
          <Codicon name="hubot" />
          <div className="nf-banner__body">
            <strong>Language model{view.languageModel.model ? ` (${view.languageModel.model})` : ''}:</strong>{' '}
            {Object.keys(view.languageModel.suggested).length
              ? 'answers marked “suggested by the language model” came from it; change any of them below. The offline classifier’s reading is in each “why”.'
              : 'it gave no usable answers; the offline classifier answered.'}
            {view.languageModel.notes.length ? (
              <ul>
                {view.languageModel.notes.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            ) : null}
          </div>
        </div>
      ) : null}
      <ActionsBar actions={view.actions} onCopy={props.onCopy} canCopy={view.configJson !== ''} onCreate={props.onCreate} onScaffold={props.onScaffold} busy={props.busy} />
      <div className="nf-status nf-muted" role="status" data-testid="status">
        {props.status}
      </div>
      <h2>The four tests</h2>
      <TestsTable view={view} />
      <h2>Nearest common case</h2>
      <CaseCard view={view} />
      <h2>Suggested configuration</h2>
      <ConfigView view={view} />
      <h2>Change the answers</h2>
      <AnswersForm view={view} busy={props.busy} onRun={props.onRun} />
    </>
  );
}

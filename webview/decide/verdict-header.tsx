import type { DecideViewState } from '../../src/shared/protocol';
import { Codicon } from '../components/codicon';

const ICONS = { kv: 'database', stream: 'layers', undecided: 'question' } as const;

export function VerdictHeader({ view }: { view: DecideViewState }) {
  const d = view.decision;
  const decidedBy = d.decidedBy ? view.tests.find((t) => t.id === d.decidedBy) : undefined;
  return (
    <header className="decide__header">
      <div className={`decide__verdict decide__verdict--${d.primitive}`} data-testid="verdict">
        <Codicon name={ICONS[d.primitive]} />
        <h1>
          <span className="nf-muted decide__verdict-prefix">Use </span>
          <span data-testid="verdict-label">{d.label}</span>
        </h1>
      </div>
      <p className="nf-muted" data-testid="decided-by">
        {decidedBy
          ? `Decided by test ${decidedBy.order}, ${decidedBy.title}: the first test with a clear answer.`
          : 'No test gave a clear answer yet: answer one below to get a verdict.'}
        {` Environment: ${view.environment}.`}
      </p>
      {view.description ? (
        <blockquote className="decide__description nf-wrap" data-testid="description">
          {view.description}
        </blockquote>
      ) : null}
    </header>
  );
}

import type { DecideViewState } from '../../src/shared/protocol';
import { Codicon } from '../components/codicon';

export function CaseCard({ view }: { view: DecideViewState }) {
  const m = view.decision.caseMatch;
  if (!m) {
    return (
      <p className="nf-muted" data-testid="case">
        No common case from the reference table is near this description.
      </p>
    );
  }
  const by = m.matchedBy.includes('words') && m.words.length ? `words ${m.words.map((w) => `“${w}”`).join(', ')}` : '';
  const pattern = m.matchedBy.includes('pattern') ? 'the test verdicts' : '';
  return (
    <div className="nf-card" data-testid="case">
      <div className="nf-row">
        <Codicon name="book" />
        <strong data-testid="case-name">{m.communication}</strong>
        <span className="nf-muted">→</span>
        <span className={`decide__chip decide__chip--${m.primitive}`}>{m.label}</span>
      </div>
      <div className="decide__case-reason">
        <span className="nf-muted">Reason: </span>
        <span data-testid="case-reason">{m.reason}</span>
      </div>
      {by || pattern ? (
        <div className="nf-muted nf-wrap">Matched by {[by, pattern].filter(Boolean).join(' and ')}.</div>
      ) : null}
    </div>
  );
}

import type { DecideViewState } from '../../src/shared/protocol';
import { Codicon } from '../components/codicon';

const short = (v: string | null) => (v === 'kv' ? 'KV' : v === 'stream' ? 'Stream' : '–');

/** The seed's Conflict Check: which tests disagree, and the advice to split the concept. */
export function ConflictBanner({ view }: { view: DecideViewState }) {
  const d = view.decision;
  const named = d.disagree.map((id) => {
    const meta = view.tests.find((t) => t.id === id);
    const result = d.tests.find((t) => t.id === id);
    return { id, title: meta ? `${meta.order}. ${meta.title}` : id, verdict: short(result?.verdict ?? null) };
  });
  return (
    <div className="nf-banner nf-banner--warning" role="alert" data-testid="conflict">
      <Codicon name="warning" />
      <div className="nf-banner__body">
        <strong>Conflict: the tests disagree.</strong>
        <ul className="decide__disagree" data-testid="disagree">
          {named.map((n) => (
            <li key={n.id} data-test={n.id}>
              {n.title} → {n.verdict}
            </li>
          ))}
        </ul>
        {d.advice ? <div className="nf-banner__detail" data-testid="advice">{d.advice}</div> : null}
      </div>
    </div>
  );
}

import type { DecideViewState } from '../../src/shared/protocol';
import { Codicon } from '../components/codicon';

const SIDES = [
  ['kv', 'KV Watch'],
  ['stream', 'JetStream Stream'],
] as const;

/**
 * The seed's Conflict Check: every clear test on each side (a 2–2 split reads as two against
 * two), and the advice to split the concept.
 */
export function ConflictBanner({ view }: { view: DecideViewState }) {
  const d = view.decision;
  const title = (id: string) => {
    const meta = view.tests.find((t) => t.id === id);
    return meta ? `${meta.order}. ${meta.title}` : id;
  };
  const answer = (id: string) => d.tests.find((t) => t.id === id)?.answer ?? '';
  return (
    <div className="nf-banner nf-banner--warning" role="alert" data-testid="conflict">
      <Codicon name="warning" />
      <div className="nf-banner__body">
        <strong>Conflict: the tests disagree.</strong>
        <div className="decide__disagree" data-testid="disagree">
          {SIDES.map(([side, label]) => (
            <div key={side} className="decide__side" data-testid={`side-${side}`}>
              <span className="decide__side-label">{label}:</span>
              <ul>
                {d.sides[side].map((id) => (
                  <li key={id} data-test={id}>
                    {title(id)} ({answer(id)}) → {side === 'kv' ? 'KV' : 'Stream'}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
        {d.advice ? <div className="nf-banner__detail" data-testid="advice">{d.advice}</div> : null}
      </div>
    </div>
  );
}

import type { DecideViewState } from '../../src/shared/protocol';
import { Codicon } from '../components/codicon';

const VERDICT = { kv: 'KV Watch', stream: 'JetStream Stream' } as const;
const SOURCE_LABEL = { given: 'given', suggested: 'suggested by the language model', inferred: 'inferred', none: 'none' } as const;
const SOURCE_ICON = { given: 'account', suggested: 'hubot', inferred: 'sparkle', none: 'circle-slash' } as const;

export function TestsTable({ view }: { view: DecideViewState }) {
  const d = view.decision;
  return (
    <table className="nf-table decide__tests" data-testid="tests">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Test</th>
          <th scope="col">Answer</th>
          <th scope="col">Verdict</th>
          <th scope="col">Why</th>
          <th scope="col">Source</th>
        </tr>
      </thead>
      <tbody>
        {d.tests.map((t, i) => {
          const meta = view.tests.find((m) => m.id === t.id);
          const option = meta?.options.find((o) => o.answer === t.answer);
          const deciding = d.decidedBy === t.id;
          const disagrees = d.disagree.includes(t.id) && !deciding;
          return (
            <tr key={`${t.id}-${i}`} data-test={t.id} className={deciding ? 'decide__row--deciding' : disagrees ? 'decide__row--disagrees' : ''}>
              <td>{meta?.order ?? i + 1}</td>
              <td>
                <div className="decide__test-title">{meta?.title ?? t.id}</div>
                <div className="nf-muted decide__question">{t.question}</div>
              </td>
              <td data-col="answer">{t.source === 'none' ? <span className="nf-muted">–</span> : (option?.label ?? t.answer)}</td>
              <td data-col="verdict">
                {t.verdict ? (
                  <span className={`decide__chip decide__chip--${t.verdict}`}>{VERDICT[t.verdict]}</span>
                ) : (
                  <span className="nf-muted">no verdict</span>
                )}
                {deciding ? <div className="decide__tag">deciding</div> : null}
                {disagrees ? <div className="decide__tag decide__tag--warn">disagrees</div> : null}
              </td>
              <td data-col="why" className="nf-wrap">
                {t.why}
              </td>
              <td data-col="source">
                <span className={`nf-pill ${t.source === 'given' ? '' : 'nf-pill--outline'}`}>
                  <Codicon name={SOURCE_ICON[t.source]} /> {SOURCE_LABEL[t.source]}
                </span>
                {t.evidence.length ? (
                  <ul className="decide__evidence" data-testid={`evidence-${t.id}`}>
                    {t.evidence.map((e, j) => (
                      <li key={j} className="nf-wrap">
                        “{e}”
                      </li>
                    ))}
                  </ul>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

import type { DecideViewState } from '../../src/shared/protocol';

export function ConfigView({ view }: { view: DecideViewState }) {
  if (!view.configSections.length) {
    return (
      <p className="nf-muted" data-testid="config">
        No configuration is suggested until a test gives a clear answer.
      </p>
    );
  }
  return (
    <div className="decide__config" data-testid="config">
      {view.configSections.map((s, i) => (
        <section key={i} className="nf-card">
          <h3>{s.title}</h3>
          {s.rows.length ? (
            <dl className="nf-kv">
              {s.rows.map(([k, v], j) => (
                <div key={j} className="decide__kv-row">
                  <dt>{k}</dt>
                  <dd className="nf-mono nf-wrap">{v}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          {s.notes.length ? (
            <ul className="decide__notes">
              {s.notes.map((n, j) => (
                <li key={j} className="nf-wrap">
                  {n}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ))}
    </div>
  );
}

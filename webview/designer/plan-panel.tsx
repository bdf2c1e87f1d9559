/** The plan (seed 001): streams, consumers and buckets, each value with the principle that set it, linked to its paths. */
import { showValue } from '../../src/core/design/plan';
import type { Analysis } from './view-model';

function Values({ config, why }: { config: object; why: Record<string, string> }) {
  return (
    <table className="nf-table nf-plan-values">
      <tbody>
        {Object.entries(config).map(([k, v]) => (
          <tr key={k}>
            <td className="nf-mono">{k}</td>
            <td className="nf-mono nf-wrap">{showValue(k, v)}</td>
            <td className="nf-muted nf-wrap">{why[k] ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PathLinks({ paths, onSelect }: { paths: string[]; onSelect(id: string): void }) {
  return (
    <span className="nf-row">
      {paths.map((p) => (
        <button key={p} type="button" className="nf-chip nf-mono" data-testid={`plan-link-${p}`} onClick={() => onSelect(p)}>
          {p}
        </button>
      ))}
    </span>
  );
}

export function PlanPanel({ analysis, onSelectPath }: { analysis: Analysis; onSelectPath(id: string): void }) {
  const { plan } = analysis;
  return (
    <div className="nf-plan" data-testid="plan">
      <p className="nf-muted">
        {plan.streams.length} stream(s), {plan.consumers.length} consumer(s), {plan.buckets.length} bucket(s){plan.objectStores?.length ? `, ${plan.objectStores.length} object store(s)` : ''} for <strong>{plan.environment}</strong>.
      </p>
      {plan.streams.map((s) => (
        <details key={s.config.name} className="nf-plan-item" data-testid={`plan-stream-${s.config.name}`} open={plan.streams.length <= 4}>
          <summary>
            <strong>Stream {s.config.name}</strong> <span className="nf-muted">{s.role === 'dead-letter' ? 'dead letter' : s.config.subjects.join(', ')}</span>
          </summary>
          <PathLinks paths={s.paths} onSelect={onSelectPath} />
          <Values config={s.config} why={s.why} />
        </details>
      ))}
      {plan.consumers.map((c) => (
        <details key={`${c.stream}/${c.config.durable_name}`} className="nf-plan-item" data-testid={`plan-consumer-${c.config.durable_name}`}>
          <summary>
            <strong>Consumer {c.stream}/{c.config.durable_name}</strong> <span className="nf-muted">{c.role}</span>
          </summary>
          <PathLinks paths={[c.path]} onSelect={onSelectPath} />
          <Values config={c.config} why={c.why} />
        </details>
      ))}
      {plan.buckets.map((b) => (
        <details key={b.config.bucket} className="nf-plan-item" data-testid={`plan-bucket-${b.config.bucket}`}>
          <summary>
            <strong>KV bucket {b.config.bucket}</strong>
          </summary>
          <PathLinks paths={b.paths} onSelect={onSelectPath} />
          <Values config={b.config} why={b.why} />
        </details>
      ))}
      {(plan.objectStores ?? []).map((o) => (
        <details key={o.config.bucket} className="nf-plan-item" data-testid={`plan-object-store-${o.config.bucket}`}>
          <summary>
            <strong>Object store {o.config.bucket}</strong> <span className="nf-muted">{o.components.join(', ')}</span>
          </summary>
          <Values config={o.config} why={o.why} />
        </details>
      ))}
    </div>
  );
}

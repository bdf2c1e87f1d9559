/** Preview and apply against the connected server (the host confirms with a modal naming every change). */
import { useState } from 'react';
import type { DesignApplyResult, DesignerProtocol, DesignPreviewResult, DesignServerState } from '../../src/shared/designProtocol';
import { Codicon } from '../components/codicon';
import type { HostClient } from '../components/host-client';
import type { Analysis } from './view-model';

const ICON = { create: 'add', update: 'edit', unchanged: 'check', 'cannot-change': 'error', extra: 'question', delete: 'trash' } as const;

export function ApplyPanel({ host, server, analysis }: { host: HostClient<DesignerProtocol>; server: DesignServerState; analysis: Analysis }) {
  const [prune, setPrune] = useState(false);
  // the replicas cap (1..the server's size), offered once a preview showed something it could lower
  const [capAt, setCapAt] = useState<number | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<DesignPreviewResult | null>(null);
  const [result, setResult] = useState<DesignApplyResult | null>(null);
  const [error, setError] = useState('');
  const errors = analysis.findings.filter((f) => f.severity === 'error').length;
  const replicas = preview?.ok ? preview.replicas : undefined;

  const run = async (what: 'preview' | 'apply') => {
    setBusy(true);
    setError('');
    try {
      const params = { prune, ...(capAt !== undefined ? { replicasCap: capAt } : {}) };
      if (what === 'preview') {
        setResult(null);
        setPreview(await host.request('design/preview', params));
      } else {
        const r = await host.request('design/apply', params);
        setResult(r);
        if (!r.cancelled) setPreview(await host.request('design/preview', params));
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="nf-apply" data-testid="apply" aria-busy={busy}>
      <p className="nf-muted">
        {server.connected ? (
          <>
            Target: <strong>{server.name}</strong>. Nothing is deleted unless you choose prune.
          </>
        ) : (
          'Not connected: connect to a server (NATS: Connect) to preview and apply.'
        )}
      </p>
      {errors ? <p className="nf-field__error">{errors} lint error(s): fix them before applying (Problems tab).</p> : null}
      <label className="nf-row">
        <input type="checkbox" data-testid="prune" checked={prune} onChange={(e) => setPrune(e.target.checked)} /> Prune: delete streams and buckets that are not in the design
      </label>
      <div className="nf-row">
        <button type="button" className="nf-button" data-testid="preview-button" disabled={!server.connected || busy} onClick={() => void run('preview')}>
          <Codicon name="diff" /> Preview
        </button>
        <button type="button" className="nf-button nf-button--primary" data-testid="apply-button" disabled={!server.connected || busy || errors > 0} onClick={() => void run('apply')}>
          <Codicon name="cloud-upload" /> Apply…
        </button>
        {busy ? <Codicon name="loading" spin /> : null}
      </div>
      {replicas?.max !== undefined && (replicas.over.length > 0 || replicas.capped.length > 0 || (replicas.most ?? 1) > 1 || capAt !== undefined) ? (
        <div className="nf-row">
          <label>
            <input type="checkbox" data-testid="replicas-cap" checked={capAt !== undefined} onChange={(e) => setCapAt(e.target.checked ? replicas.max : undefined)} /> Cap replicas at
          </label>
          {/* 1..the server's size: a smaller cap than the server holds is the user's choice (a test cluster, say) */}
          <select className="nf-input" data-testid="replicas-cap-value" aria-label="Replicas cap" value={Math.min(capAt ?? replicas.max, replicas.max)} onChange={(e) => setCapAt(Number(e.target.value))}>
            {Array.from({ length: replicas.max }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <span>
            for this server (it holds {replicas.max}), then preview again
          </span>
        </div>
      ) : null}
      {preview?.ok && preview.replicas?.over.length ? (
        <div className="nf-banner nf-banner--error" data-testid="replicas-over">
          <Codicon name="warning" />
          <div className="nf-banner__body">
            <strong className="nf-wrap">
              {preview.replicas.server} holds at most {preview.replicas.max} replica{preview.replicas.max === 1 ? '' : 's'}; these ask for more:
            </strong>
            <ul>
              {preview.replicas.over.map((o) => (
                <li key={o.object} className="nf-mono">
                  {o.object}: {o.planned} replicas
                </li>
              ))}
            </ul>
            <span className="nf-muted">Cap them above (Apply also offers it), or apply to a larger cluster. The design is not changed.</span>
          </div>
        </div>
      ) : null}
      {preview?.ok && preview.replicas?.capped.length ? (
        <div className="nf-banner" data-testid="replicas-capped">
          <Codicon name="info" />
          <div className="nf-banner__body">
            <strong>Replicas capped at {preview.replicas.cap} (the design asks for more):</strong>
            <ul>
              {preview.replicas.capped.map((o) => (
                <li key={o.object} className="nf-mono">
                  {o.object}: {o.planned} → {o.capped}
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      {error ? <p className="nf-field__error">{error}</p> : null}
      {result ? (
        <div className={`nf-banner${result.ok ? '' : ' nf-banner--error'}`} data-testid="apply-result">
          <Codicon name={result.ok ? 'pass' : result.cancelled ? 'circle-slash' : 'error'} />
          <div className="nf-banner__body">
            <strong className="nf-wrap">{result.message}</strong>
            <ul>
              {result.steps.map((s, i) => (
                <li key={i} data-status={s.status}>
                  {s.status}: {s.label}
                  {s.error ? <span className="nf-wrap"> — {s.error}</span> : null}
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      {preview ? (
        preview.ok ? (
          <table className="nf-table" data-testid="preview">
            <tbody>
              {preview.changes.map((c) => (
                <tr key={`${c.kind}/${c.stream ?? ''}/${c.name}`} data-action={c.action}>
                  <td>
                    <Codicon name={ICON[c.action]} /> {c.action}
                  </td>
                  <td className="nf-mono nf-wrap">
                    {c.kind} {c.stream ? `${c.stream}/` : ''}
                    {c.name}
                    {c.details.map((d) => (
                      <div key={d} className="nf-muted">
                        {d}
                      </div>
                    ))}
                    {c.reason ? <div className="nf-muted">{c.reason}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="nf-field__error" data-testid="preview-error">
            {preview.message}
          </p>
        )
      ) : null}
    </div>
  );
}

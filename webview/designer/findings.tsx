import type { DesignProblem } from '../../src/core/design/validate';
import { fixesFor } from '../../src/core/design/fixes';
import type { Finding } from '../../src/core/design/lint';
import type { FlowDesign } from '../../src/core/design/model';
import { Codicon } from '../components/codicon';
import type { Analysis } from './view-model';

/** The quick fixes of one finding (the same ones VS Code offers on the JSON); each is one design edit. */
export function FixButtons({ finding, analysis, onEdit }: { finding: Finding; analysis: Analysis; onEdit(d: FlowDesign, label: string): void }) {
  const fixes = fixesFor(finding, analysis.design, analysis.plan);
  if (!fixes.length) return null;
  return (
    <span className="nf-fixes">
      {fixes.map((fix) => (
        <button key={fix.title} type="button" className="nf-chip" data-testid="quick-fix" data-rule={finding.rule} onClick={() => onEdit(fix.apply(analysis.design), `quick fix: ${fix.title}`)}>
          <Codicon name="lightbulb" /> {fix.title}
        </button>
      ))}
    </span>
  );
}

/** A design the loader refuses: every problem with its JSON pointer and line; the canvas waits for a valid text. */
export function ProblemsView({ problems, onOpen }: { problems: DesignProblem[]; onOpen(pointer: string): void }) {
  return (
    <div className="nf-pad" data-testid="problems">
      <div className="nf-banner">
        <Codicon name="error" />
        <div className="nf-banner__body">
          <strong>This design cannot be drawn until these are fixed in the JSON.</strong> Nothing is lost: the text is unchanged.
        </div>
      </div>
      <ul className="nf-findings">
        {problems.map((p, i) => (
          <li key={i} className="nf-finding nf-finding--error">
            <button type="button" className="nf-link nf-mono" onClick={() => onOpen(p.pointer)}>
              {p.line ? `line ${p.line}` : 'document'} {p.pointer || ''}
            </button>{' '}
            <span className="nf-wrap">{p.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function FindingsList({ analysis, onOpen, onEdit }: { analysis: Analysis; onOpen(pointer: string): void; onEdit(d: FlowDesign, label: string): void }) {
  if (!analysis.findings.length) return <p className="nf-pad nf-muted" data-testid="findings-none">The linter found nothing.</p>;
  return (
    <ul className="nf-findings" data-testid="findings">
      {analysis.findings.map((f, i) => (
        <li key={i} className={`nf-finding nf-finding--${f.severity}`} data-rule={f.rule}>
          <Codicon name={f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info'} />{' '}
          <span className="nf-wrap">
            <strong>{f.rule}</strong>: {f.message}
            <br />
            <span className="nf-muted">Fix: {f.fix}</span>{' '}
            {f.location.pointer !== undefined ? (
              <button type="button" className="nf-link" onClick={() => onOpen(f.location.pointer!)}>
                show in JSON
              </button>
            ) : null}
            <FixButtons finding={f} analysis={analysis} onEdit={onEdit} />
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The side panel for what is selected. A path shows its description and the four tests
 * (seed 000) pre-filled by the description classifier with the words it used; an answer the
 * user picks overrides the inference. Then the verdict and, on a conflict, the seed's advice;
 * an override with its reason; the subject checked as {domain}.{entity}.{event} (seed 001)
 * with suggestions; its receivers, queue group, dead-letter plan and in-progress acks
 * (delivery-fields.tsx); the message schema, rate and processing time.
 */
import { classify } from '../../src/core/decide/classify';
import { DECISION_TESTS, PRIMITIVE_LABELS, type TestId } from '../../src/core/decide/engine';
import { COMPONENT_KINDS, PATH_PRIMITIVES, type Component, type ComponentKind, type DesignAnswers, type FlowDesign, type FlowPath, type PathPrimitive } from '../../src/core/design/model';
import { subjectIssue } from '../../src/core/design/subjects';
import { parseDuration } from '../../src/core/design/units';
import { Codicon } from '../components/codicon';
import { KIND_LABELS, updateComponent, updatePath } from './design-edits';
import { TextField, useDraft } from './fields';
import { DeliveryFields } from './delivery-fields';
import { FixButtons } from './findings';
import type { Selection } from './canvas';
import { VERDICT_LABELS, verdictOf, type Analysis } from './view-model';

export function Inspector(props: { analysis: Analysis; selection: Selection; onEdit(d: FlowDesign, label: string): void }) {
  const { analysis, selection } = props;
  const pathId = selection.edges[0]?.path;
  const path = pathId ? analysis.design.paths.find((p) => p.id === pathId) : undefined;
  if (path) return <PathInspector key={path.id} analysis={analysis} path={path} onEdit={props.onEdit} />;
  const comp = selection.components.length === 1 ? analysis.design.components.find((c) => c.id === selection.components[0]) : undefined;
  if (comp) return <ComponentInspector key={comp.id} analysis={analysis} component={comp} onEdit={props.onEdit} />;
  return (
    <div className="nf-pad nf-muted" data-testid="inspector-empty">
      <p>Select a component or a path to inspect it.</p>
      <p>Add components with the toolbar, then drag from a component's right handle to another to draw a path. Delete removes the selection; Ctrl+C / Ctrl+V copy and paste; Ctrl+F searches.</p>
      {selection.components.length > 1 ? <p>{selection.components.length} components selected.</p> : null}
    </div>
  );
}

function ComponentInspector({ analysis, component: c, onEdit }: { analysis: Analysis; component: Component; onEdit(d: FlowDesign, label: string): void }) {
  const set = (change: (c: Component) => Component, label: string) => onEdit(updateComponent(analysis.design, c.id, change), label);
  const marks = analysis.componentMarks.get(c.id);
  return (
    <div className="nf-inspector" data-testid="inspector-component">
      <h2 className="nf-wrap">{c.name}</h2>
      <p className="nf-muted nf-mono">{c.id}</p>
      <TextField label="Name" testid="component-name" value={c.name} onCommit={(v) => v.trim() && set((x) => ({ ...x, name: v.trim() }), 'rename component')} />
      <label className="nf-field">
        <span className="nf-field__label">Kind</span>
        <select className="nf-input" data-testid="component-kind" value={c.kind} onChange={(e) => set((x) => ({ ...x, kind: e.target.value as ComponentKind }), 'change component kind')}>
          {COMPONENT_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <TextField label="Description" testid="component-description" multiline value={c.description ?? ''} onCommit={(v) => set((x) => { const { description: _d, ...rest } = x; return v.trim() ? { ...rest, description: v } : rest; }, 'describe component')} />
      {marks ? <FindingsFor findings={marks.findings} analysis={analysis} onEdit={onEdit} /> : null}
    </div>
  );
}

function FindingsFor({ findings, analysis, onEdit }: { findings: Analysis['findings']; analysis: Analysis; onEdit(d: FlowDesign, label: string): void }) {
  return (
    <ul className="nf-findings" data-testid="inspector-findings">
      {findings.map((f, i) => (
        <li key={i} className={`nf-finding nf-finding--${f.severity}`}>
          <Codicon name={f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info'} />{' '}
          <span className="nf-wrap">
            <strong>{f.rule}</strong>: {f.message}
            <br />
            <span className="nf-muted">Fix: {f.fix}</span>
            <FixButtons finding={f} analysis={analysis} onEdit={onEdit} />
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Suggestions for a subject that is not {domain}.{entity}.{event}. */
export function subjectSuggestions(subject: string, design: FlowDesign): string[] {
  const tokens = subject.split('.').filter(Boolean).map((t) => t.toLowerCase().replace(/[^a-z0-9_*>-]/g, '_'));
  const contexts = [...new Set(design.paths.map((p) => p.subject.split('.')[0]!).filter((t) => t && t !== tokens[0]))].slice(0, 2);
  if (tokens.length >= 3) return [];
  const [a = 'domain', b] = tokens;
  const base = b ? [`${a}.${b}.created`, `${a}.${b}.changed`] : [`${a}.item.created`, `${a}.${a.replace(/s$/, '')}.changed`];
  return [...base, ...contexts.map((c) => `${c}.${b ?? a}.changed`)];
}

function subjectProblem(subject: string): string | undefined {
  const issue = subjectIssue(subject);
  if (issue) return `subject ${issue}`;
  if (subject.split('.').length < 3) return 'use {domain}.{entity}.{event} (seed 001): the first token names the bounded context and its stream';
  return undefined;
}

function PathInspector({ analysis, path: p, onEdit }: { analysis: Analysis; path: FlowPath; onEdit(d: FlowDesign, label: string): void }) {
  const set = (change: (p: FlowPath) => FlowPath, label: string) => onEdit(updatePath(analysis.design, p.id, change), label);
  const cls = analysis.classes.get(p.id);
  const verdict = verdictOf(cls);
  const inferred = classify(p.description);
  const name = (id: string) => analysis.design.components.find((c) => c.id === id)?.name ?? id;
  const [subjectDraft, setSubjectDraft] = useDraft(p.subject);
  const subjectError = subjectProblem(subjectDraft);
  const [reason, setReason] = useDraft(p.override?.reason ?? '');
  const [overridePrim, setOverridePrim] = useDraft<PathPrimitive | ''>(p.override?.primitive ?? '');
  const [schemaText, setSchemaText] = useDraft(p.schema ? JSON.stringify(p.schema, null, 2) : '');
  let schemaError = '';
  if (schemaText.trim()) {
    try {
      const v = JSON.parse(schemaText);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) schemaError = 'a JSON Schema is a JSON object';
    } catch (err) {
      schemaError = `not JSON: ${(err as Error).message}`;
    }
  }
  const processingError = p.processingTime !== undefined && parseDuration(p.processingTime) === undefined ? 'a duration such as "500ms", "45s", "5m"' : undefined;

  const setAnswer = (id: TestId, value: string) =>
    set((x) => {
      const answers: DesignAnswers = { ...x.answers };
      if (value === '') delete answers[id];
      else (answers as Record<string, string>)[id] = value;
      return { ...x, answers };
    }, `answer ${id}`);

  const commitDescription = (v: string) => {
    if (!v.trim()) return;
    // pre-fill the tests the user has not answered with what the new description says
    const inf = classify(v);
    set((x) => {
      const answers: DesignAnswers = { ...x.answers };
      for (const t of DECISION_TESTS) {
        const i = inf[t.id];
        if (answers[t.id] === undefined && i && i.answer !== 'unsure') (answers as Record<string, string>)[t.id] = i.answer;
      }
      return { ...x, description: v, answers };
    }, 'describe path');
  };

  const commitOverride = (prim: PathPrimitive | '', why: string) => {
    if (!prim) return set((x) => { const { override: _o, ...rest } = x; return rest; }, 'remove override');
    if (!why.trim()) return; // a reason is required; the field says so
    set((x) => ({ ...x, override: { primitive: prim, reason: why.trim() } }), 'override primitive');
  };

  return (
    <div className="nf-inspector" data-testid="inspector-path">
      <h2 className="nf-wrap">
        <span className="nf-mono">{p.id}</span>
      </h2>
      <p className="nf-muted nf-wrap">
        {name(p.from)} → {p.to.map(name).join(', ')}
      </p>
      <div className={`nf-verdict nf-badge--${verdict}`} data-testid="inspector-verdict" data-verdict={verdict}>
        <strong>{VERDICT_LABELS[verdict]}</strong>
        {cls ? (
          <span>
            {cls.overridden ? ` — planned as ${cls.primitive === 'core' ? 'core pub/sub' : PRIMITIVE_LABELS[cls.primitive as 'kv' | 'stream']}; the tests say ${PRIMITIVE_LABELS[cls.derived]}` : cls.decidedBy ? ` — decided by the ${cls.decidedBy} test` : ' — no test has a clear answer'}
          </span>
        ) : null}
      </div>
      {cls?.conflict && cls.advice ? (
        <div className="nf-banner" data-testid="inspector-conflict">
          <Codicon name="warning" />
          <div className="nf-banner__body">
            <strong>The tests disagree ({cls.disagree.join(', ')}).</strong> <span className="nf-wrap">{cls.advice}</span>
          </div>
        </div>
      ) : null}
      <TextField label="Description" testid="path-description" multiline value={p.description} onCommit={commitDescription} />
      <h3>The four tests</h3>
      <table className="nf-table nf-tests" data-testid="path-tests">
        <tbody>
          {DECISION_TESTS.map((t) => {
            const answer = p.answers[t.id];
            const inf = inferred[t.id];
            return (
              <tr key={t.id} data-test={t.id}>
                <td>
                  <div className="nf-test__title">{t.title}</div>
                  <div className="nf-muted nf-wrap">{t.question}</div>
                  {inf && inf.answer !== 'unsure' ? (
                    <div className="nf-muted nf-evidence" data-testid={`evidence-${t.id}`}>
                      <Codicon name="lightbulb" /> description says <strong>{t.options.find((o) => o.answer === inf.answer)?.label}</strong>
                      {inf.evidence.length ? <> from “{inf.evidence.join('”, “')}”</> : null}
                      {answer !== inf.answer ? (
                        <button type="button" className="nf-link" onClick={() => setAnswer(t.id, inf.answer)}>
                          use it
                        </button>
                      ) : answer ? ' (used)' : null}
                    </div>
                  ) : null}
                </td>
                <td>
                  <select className="nf-input" data-testid={`answer-${t.id}`} value={answer ?? ''} onChange={(e) => setAnswer(t.id, e.target.value)}>
                    <option value="">not answered</option>
                    {t.options.map((o) => (
                      <option key={o.answer} value={o.answer} title={o.explanation}>
                        {o.label}
                        {o.verdict ? ` → ${PRIMITIVE_LABELS[o.verdict]}` : ''}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>Override</h3>
      <div className="nf-row">
        <select className="nf-input" data-testid="override-primitive" value={overridePrim} onChange={(e) => { const v = e.target.value as PathPrimitive | ''; setOverridePrim(v); commitOverride(v, reason); }}>
          <option value="">no override (use the tests)</option>
          {PATH_PRIMITIVES.map((x) => (
            <option key={x} value={x}>
              {x === 'core' ? 'Core pub/sub' : PRIMITIVE_LABELS[x]}
            </option>
          ))}
        </select>
      </div>
      {overridePrim ? (
        <TextField label="Reason (required)" testid="override-reason" value={reason} error={reason.trim() ? undefined : 'say why the tests are overruled; it is shown in plans and exports'} onCommit={(v) => { setReason(v); commitOverride(overridePrim, v); }} />
      ) : null}
      <h3>Subject</h3>
      <label className="nf-field">
        <span className="nf-field__label">{'{domain}.{entity}.{event}'}</span>
        <input
          className={`nf-input nf-mono${subjectError ? ' nf-input--error' : ''}`}
          data-testid="path-subject"
          value={subjectDraft}
          onChange={(e) => setSubjectDraft(e.target.value)}
          // blur keeps only a subject that passes every check (a click on a suggestion blurs first); Enter takes a flat one on purpose
          onBlur={() => subjectDraft !== p.subject && !subjectError && set((x) => ({ ...x, subject: subjectDraft }), 'change subject')}
          onKeyDown={(e) => e.key === 'Enter' && subjectDraft !== p.subject && !subjectIssue(subjectDraft) && set((x) => ({ ...x, subject: subjectDraft }), 'change subject')}
        />
        {subjectError ? (
          <span className="nf-field__error" data-testid="path-subject-error">
            {subjectError}
          </span>
        ) : null}
      </label>
      {subjectError ? (
        <div className="nf-row" data-testid="subject-suggestions">
          {subjectSuggestions(subjectDraft, analysis.design).map((s) => (
            <button key={s} type="button" className="nf-chip nf-mono" onClick={() => set((x) => ({ ...x, subject: s }), 'change subject')}>
              {s}
            </button>
          ))}
        </div>
      ) : null}
      <DeliveryFields analysis={analysis} path={p} onEdit={onEdit} />
      <h3>Message and load</h3>
      <div className="nf-grid2">
        <TextField label="Rate (msgs/s)" testid="path-rate" value={p.rate === undefined ? '' : String(p.rate)} onCommit={(v) => { const n = Number(v); set((x) => { const { rate: _r, ...rest } = x; return v.trim() && Number.isFinite(n) && n >= 0 ? { ...rest, rate: n } : rest; }, 'set rate'); }} />
        <TextField label="Processing time" testid="path-processing" value={p.processingTime ?? ''} placeholder="45s" error={processingError} onCommit={(v) => { if (v.trim() && parseDuration(v.trim()) === undefined) return; set((x) => { const { processingTime: _t, ...rest } = x; return v.trim() ? { ...rest, processingTime: v.trim() } : rest; }, 'set processing time'); }} />
      </div>
      <label className="nf-field">
        <span className="nf-field__label">Message schema (JSON Schema)</span>
        <textarea
          className={`nf-input nf-mono${schemaError ? ' nf-input--error' : ''}`}
          data-testid="path-schema"
          rows={6}
          value={schemaText}
          onChange={(e) => setSchemaText(e.target.value)}
          onBlur={() => {
            if (schemaError) return;
            set((x) => { const { schema: _s, ...rest } = x; return schemaText.trim() ? { ...rest, schema: JSON.parse(schemaText) } : rest; }, 'set message schema');
          }}
        />
        {schemaError ? <span className="nf-field__error">{schemaError}</span> : null}
      </label>
      {analysis.pathMarks.get(p.id) ? <FindingsFor findings={analysis.pathMarks.get(p.id)!.findings} analysis={analysis} onEdit={onEdit} /> : null}
    </div>
  );
}

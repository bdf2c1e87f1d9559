/**
 * The inspector's "Receivers and delivery" section of a path: who receives it, the queue group
 * of a core path, the dead-letter plan of a worker queue and in-progress acks. Each commit is
 * one design edit (one WorkspaceEdit on the host, so VS Code's undo takes it back); a value
 * that would not load is not written, and the field says what is wrong with it.
 */
import { useState } from 'react';
import type { DeadLetter, FlowDesign, FlowPath } from '../../src/core/design/model';
import { queueGroupIssue } from '../../src/core/design/subjects';
import { Codicon } from '../components/codicon';
import { deleteItems, updatePath } from './design-edits';
import { useDraft } from './fields';
import type { Analysis } from './view-model';

type Mode = DeadLetter['mode'] | '';

const MODE_LABELS: Record<Exclude<Mode, ''>, string> = {
  stream: 'a dead-letter stream (stated)',
  external: 'handled elsewhere (say where)',
  none: 'none: failed work is dropped',
};

/** Why a queue group draft cannot be written, or undefined (empty means "no queue group"). */
export function queueGroupProblem(draft: string): string | undefined {
  if (!draft.trim()) return undefined;
  const issue = queueGroupIssue(draft);
  return issue ? `queue group "${draft}" ${issue}` : undefined;
}

/** Why a dead-letter choice cannot be written, or undefined. */
export function deadLetterProblem(mode: Mode, reason: string): string | undefined {
  return mode === 'external' && !reason.trim() ? 'say where failed messages go: an external dead-letter plan needs a reason' : undefined;
}

export function DeliveryFields({ analysis, path: p, onEdit }: { analysis: Analysis; path: FlowPath; onEdit(d: FlowDesign, label: string): void }) {
  const design = analysis.design;
  const set = (change: (p: FlowPath) => FlowPath, label: string) => onEdit(updatePath(design, p.id, change), label);
  const name = (id: string) => design.components.find((c) => c.id === id)?.name ?? id;
  const cls = analysis.classes.get(p.id);
  const [receiverError, setReceiverError] = useState('');
  const candidates = design.components.filter((c) => c.id !== p.from && !p.to.includes(c.id));

  const removeReceiver = (id: string) => {
    if (p.to.length === 1) {
      setReceiverError(`"${name(id)}" is the only receiver of path "${p.id}": a path needs at least one receiver (delete the path instead)`);
      return;
    }
    setReceiverError('');
    // the consumer override of that receiver goes with it (deleteItems keeps overrides consistent)
    onEdit(deleteItems(design, new Set(), [{ path: p.id, to: id }]), `remove receiver ${name(id)}`);
  };
  const addReceiver = (id: string) => {
    if (!id) return;
    setReceiverError('');
    set((x) => ({ ...x, to: [...x.to, id] }), `add receiver ${name(id)}`);
  };

  const [queueDraft, setQueueDraft] = useDraft(p.queueGroup ?? '');
  const queueError = queueGroupProblem(queueDraft);
  const commitQueue = () => {
    if (queueError || queueDraft.trim() === (p.queueGroup ?? '')) return;
    set((x) => {
      const { queueGroup: _q, ...rest } = x;
      return queueDraft.trim() ? { ...rest, queueGroup: queueDraft.trim() } : rest;
    }, queueDraft.trim() ? 'set queue group' : 'remove queue group');
  };

  const [mode, setMode] = useDraft<Mode>(p.deadLetter?.mode ?? '');
  const [reason, setReason] = useDraft(p.deadLetter?.reason ?? '');
  const deadLetterError = deadLetterProblem(mode, reason);
  const commitDeadLetter = (m: Mode, why: string) => {
    if (deadLetterProblem(m, why)) return; // the field says why
    set((x) => {
      const { deadLetter: _d, ...rest } = x;
      return m ? { ...rest, deadLetter: { mode: m, ...(why.trim() ? { reason: why.trim() } : {}) } } : rest;
    }, m ? `dead letters: ${m}` : 'dead letters: planned');
  };

  return (
    <section data-testid="path-delivery">
      <h3>Receivers</h3>
      <ul className="nf-receivers" data-testid="path-receivers">
        {p.to.map((id) => (
          <li key={id} className="nf-receiver" data-receiver={id}>
            <span className="nf-wrap">{name(id)}</span>
            <button type="button" className="nf-link" data-testid={`remove-receiver-${id}`} title={`Remove ${name(id)} from this path`} aria-label={`Remove receiver ${name(id)}`} onClick={() => removeReceiver(id)}>
              <Codicon name="close" />
            </button>
          </li>
        ))}
      </ul>
      <select className="nf-input" data-testid="add-receiver" value="" aria-label="Add a receiver" disabled={!candidates.length} onChange={(e) => addReceiver(e.target.value)}>
        <option value="">{candidates.length ? 'Add a receiver…' : 'every other component already receives it'}</option>
        {candidates.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      {receiverError ? (
        <span className="nf-field__error" data-testid="path-receivers-error">
          {receiverError}
        </span>
      ) : null}

      <h3>Delivery</h3>
      <label className="nf-field">
        <span className="nf-field__label">Queue group (core pub/sub receivers that share the work)</span>
        <input
          className={`nf-input nf-mono${queueError ? ' nf-input--error' : ''}`}
          data-testid="path-queue-group"
          value={queueDraft}
          placeholder="none"
          onChange={(e) => setQueueDraft(e.target.value)}
          onBlur={commitQueue}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitQueue();
            if (e.key === 'Escape') setQueueDraft(p.queueGroup ?? '');
          }}
        />
        {queueError ? (
          <span className="nf-field__error" data-testid="path-queue-group-error">
            {queueError}
          </span>
        ) : cls && cls.primitive !== 'core' && queueDraft ? (
          <span className="nf-muted" data-testid="path-queue-group-note">
            Only core pub/sub paths use it: stream receivers share their durable consumer instead.
          </span>
        ) : null}
      </label>
      <label className="nf-field">
        <span className="nf-field__label">Dead letters (worker queues: what happens after the last delivery)</span>
        <select
          className="nf-input"
          data-testid="path-dead-letter"
          value={mode}
          onChange={(e) => {
            const m = e.target.value as Mode;
            setMode(m);
            commitDeadLetter(m, reason);
          }}
        >
          <option value="">planned: a dead-letter stream (default)</option>
          {(Object.keys(MODE_LABELS) as Exclude<Mode, ''>[]).map((m) => (
            <option key={m} value={m}>
              {MODE_LABELS[m]}
            </option>
          ))}
        </select>
        {cls && !cls.worker && mode ? <span className="nf-muted">Only worker queues retry and dead-letter; this path is not one.</span> : null}
      </label>
      {mode === 'external' || mode === 'none' || reason ? (
        <label className="nf-field">
          <span className="nf-field__label">{mode === 'external' ? 'Where failed messages go (required)' : 'Reason'}</span>
          <input
            className={`nf-input${deadLetterError ? ' nf-input--error' : ''}`}
            data-testid="dead-letter-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            onBlur={() => reason !== (p.deadLetter?.reason ?? '') && commitDeadLetter(mode, reason)}
            onKeyDown={(e) => e.key === 'Enter' && reason !== (p.deadLetter?.reason ?? '') && commitDeadLetter(mode, reason)}
          />
          {deadLetterError ? (
            <span className="nf-field__error" data-testid="dead-letter-reason-error">
              {deadLetterError}
            </span>
          ) : null}
        </label>
      ) : null}
      <label className="nf-check">
        <input
          type="checkbox"
          data-testid="path-in-progress-acks"
          checked={p.inProgressAcks === true}
          onChange={(e) =>
            set((x) => {
              const { inProgressAcks: _a, ...rest } = x;
              return e.target.checked ? { ...rest, inProgressAcks: true } : rest;
            }, e.target.checked ? 'send in-progress acks' : 'no in-progress acks')
          }
        />{' '}
        In-progress acks: the receiver calls <span className="nf-mono">msg.working()</span> while it works, so an ack wait shorter than the processing time does not redeliver mid-work
      </label>
    </section>
  );
}

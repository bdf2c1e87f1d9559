/** Inspector inputs that keep what is typed until it is committed (blur or Enter), and follow the document otherwise. */
import { useEffect, useState } from 'react';

export function useDraft<T>(value: T): [T, (v: T) => void] {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return [draft, setDraft];
}

export function TextField(props: { label: string; value: string; testid: string; multiline?: boolean; placeholder?: string; mono?: boolean; error?: string; onCommit(v: string): void; children?: React.ReactNode }) {
  const [draft, setDraft] = useDraft(props.value);
  const commit = () => {
    if (draft !== props.value) props.onCommit(draft);
  };
  const cls = `nf-input${props.mono ? ' nf-mono' : ''}${props.error ? ' nf-input--error' : ''}`;
  return (
    <label className="nf-field">
      <span className="nf-field__label">{props.label}</span>
      {props.multiline ? (
        <textarea className={cls} data-testid={props.testid} value={draft} rows={props.mono ? 6 : 3} placeholder={props.placeholder} onChange={(e) => setDraft(e.target.value)} onBlur={commit} />
      ) : (
        <input
          className={cls}
          data-testid={props.testid}
          value={draft}
          placeholder={props.placeholder}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setDraft(props.value);
          }}
        />
      )}
      {props.error ? (
        <span className="nf-field__error" data-testid={`${props.testid}-error`}>
          {props.error}
        </span>
      ) : null}
      {props.children}
    </label>
  );
}

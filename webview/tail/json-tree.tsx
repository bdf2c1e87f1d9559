/** A foldable JSON tree: objects and arrays as <details>, every value rendered as text. */
import { visible } from './payload-views';

function Scalar({ value }: { value: unknown }) {
  if (typeof value === 'string') return <span className="json__string">"{visible(value)}"</span>;
  if (typeof value === 'number' || typeof value === 'bigint') return <span className="json__number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json__bool">{String(value)}</span>;
  return <span className="json__null">null</span>;
}

/** "1 key", "3 keys", "1 item", "0 items": what a folded object or array holds. */
export function foldSummary(n: number, isArray: boolean): string {
  const word = isArray ? 'item' : 'key';
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : `${word}s`}`;
}

export function JsonTree({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const label = name !== undefined ? <span className="json__key">{visible(name)}: </span> : null;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json__row">
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  const open = Array.isArray(value) ? '[' : '{';
  const close = Array.isArray(value) ? ']' : '}';
  return (
    <details className="json__node" open={depth < 2}>
      <summary>
        {label}
        {open}
        <span className="nf-muted">{` ${foldSummary(entries.length, Array.isArray(value))} `}</span>
        {close}
      </summary>
      <div className="json__children">
        {entries.slice(0, 2000).map(([k, v]) => (
          <JsonTree key={k} name={k} value={v} depth={depth + 1} />
        ))}
        {entries.length > 2000 ? <div className="nf-muted">… {entries.length - 2000} more</div> : null}
      </div>
    </details>
  );
}

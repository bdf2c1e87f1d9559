/** One message in full: headers, payload in the chosen view, copy buttons. All text, no HTML. */
import { useMemo, useState } from 'react';
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import type { TailRowView } from '../../src/shared/protocol';
import { formatTimestamp } from '../../src/core/time';
import { JsonTree } from './json-tree';
import { TEXT_VIEW_BYTES, autoView, faithfulText, fromBase64, hexDump, tryJson, tryMsgpack, visible, type PayloadView } from './payload-views';

const VIEWS: PayloadView[] = ['auto', 'json', 'text', 'hex', 'base64', 'msgpack'];

function copy(text: string): void {
  void navigator.clipboard?.writeText(text).catch(() => undefined);
}

function FaithfulText({ bytes }: { bytes: Uint8Array }) {
  const parts = useMemo(() => faithfulText(bytes), [bytes]);
  return (
    <pre className="tail-payload" data-testid="payload-text">
      {parts.map((p, i) =>
        'bad' in p ? (
          <span key={i} className="tail-bad-byte" title="not valid UTF-8">
            {p.bad}
          </span>
        ) : (
          <span key={i}>{visible(p.text)}</span>
        ),
      )}
      {bytes.length > TEXT_VIEW_BYTES ? <span className="nf-muted">{`\n… ${bytes.length - TEXT_VIEW_BYTES} more bytes (see export or open as JSON)`}</span> : null}
    </pre>
  );
}

function Payload({ bytes, view }: { bytes: Uint8Array; view: PayloadView }) {
  const v = view === 'auto' ? autoView(bytes) : view;
  if (v === 'json') {
    const j = tryJson(bytes);
    return j.ok ? <div className="tail-payload json" data-testid="payload-json"><JsonTree value={j.value} /></div> : <p className="nf-muted">Not JSON.</p>;
  }
  if (v === 'msgpack') {
    const m = tryMsgpack(bytes);
    return m.ok ? <div className="tail-payload json" data-testid="payload-msgpack"><JsonTree value={m.value} /></div> : <p className="nf-muted">Not MessagePack.</p>;
  }
  if (v === 'hex') return <pre className="tail-payload" data-testid="payload-hex">{hexDump(bytes)}</pre>;
  if (v === 'base64') return <pre className="tail-payload tail-payload--wrap" data-testid="payload-base64">{bytesToB64(bytes.subarray(0, TEXT_VIEW_BYTES))}{bytes.length > TEXT_VIEW_BYTES ? ` … ${bytes.length - TEXT_VIEW_BYTES} more bytes` : ''}</pre>;
  return <FaithfulText bytes={bytes} />;
}

function bytesToB64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(s);
}

export function DetailPane({ row, onOpenJson, onClose }: { row: TailRowView; onOpenJson: () => void; onClose: () => void }) {
  const [view, setView] = useState<PayloadView>('auto');
  const bytes = useMemo(() => fromBase64(row.data), [row.data]);
  const prev = useMemo(() => (row.prev?.data ? fromBase64(row.prev.data) : null), [row.prev]);
  return (
    <section className="tail-detail" data-testid="detail" aria-label="Message detail">
      <header className="tail-detail__head">
        <strong data-testid="detail-subject">{visible(row.subject)}</strong>
        <span className="nf-muted">
          {row.seq !== undefined ? ` ${row.kind === 'kv' ? 'revision' : 'seq'} ${row.seq}` : ''} · {row.size} bytes · <span data-testid="detail-time" title={row.time}>{formatTimestamp(row.time)}</span>
          {row.truncated ? ` · ${row.truncated} bytes not sent to the panel` : ''}
        </span>
        <span className="tail-detail__actions">
          <VscodeButton secondary onClick={() => copy(new TextDecoder().decode(bytes))}>Copy payload</VscodeButton>
          <VscodeButton secondary onClick={() => copy(row.subject)}>Copy subject</VscodeButton>
          <VscodeButton secondary onClick={onOpenJson} data-testid="open-json">Open as JSON</VscodeButton>
          <VscodeButton secondary icon="close" onClick={onClose} aria-label="Close detail" />
        </span>
      </header>
      {row.kind === 'kv' ? (
        <p data-testid="detail-transition">
          <span className={`tail-badge tail-badge--${row.phase}`}>{row.phase}</span> <span className={`tail-badge tail-badge--${row.op}`}>{row.op}</span>
          {row.reason ? ` (${visible(row.reason)})` : ''} · previous: {row.prev ? `revision ${row.prev.revision}${row.prev.data === null ? ' (tombstone)' : ''}` : 'none known'}
        </p>
      ) : null}
      {row.headers.length ? (
        <table className="tail-headers" data-testid="headers">
          <tbody>
            {row.headers.map(([k, v], i) => (
              <tr key={i}>
                <th>{visible(k)}</th>
                <td>{visible(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {row.reply ? <p className="nf-muted">reply to: {visible(row.reply)}</p> : null}
      {row.link ? <p>Advisory about stream {visible(row.link.stream)} message #{row.link.seq}</p> : null}
      <div className="tail-views" role="tablist">
        {VIEWS.map((v) => (
          <button key={v} type="button" role="tab" aria-selected={view === v} className={`tail-tab${view === v ? ' tail-tab--on' : ''}`} onClick={() => setView(v)} data-testid={`view-${v}`}>
            {v}
          </button>
        ))}
      </div>
      {prev ? (
        <div className="tail-transition">
          <div>
            <div className="nf-muted">Before (revision {row.prev!.revision})</div>
            <Payload bytes={prev} view={view} />
          </div>
          <div>
            <div className="nf-muted">After (revision {row.seq})</div>
            {row.op === 'put' ? <Payload bytes={bytes} view={view} /> : <p>{row.op}</p>}
          </div>
        </div>
      ) : row.kind === 'marker' ? null : (
        <Payload bytes={bytes} view={view} />
      )}
    </section>
  );
}

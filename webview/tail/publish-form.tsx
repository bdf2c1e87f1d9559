/** Publish or request from the panel: subject, headers (K: V lines), payload (typed or the active editor's), a timeout. */
import { useState } from 'react';
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import type { TailProtocol } from '../../src/shared/protocol';
import type { HostClient } from '../components/host-client';

export function PublishForm({ host, defaultSubject }: { host: HostClient<TailProtocol>; defaultSubject: string }) {
  const [subject, setSubject] = useState(defaultSubject);
  const [headers, setHeaders] = useState('');
  const [data, setData] = useState('');
  const [timeout, setTimeoutMs] = useState('2000');
  const [status, setStatus] = useState('');

  const send = async (request: boolean) => {
    const pairs: [string, string][] = [];
    for (const line of headers.split('\n')) {
      if (!line.trim()) continue;
      const i = line.indexOf(':');
      if (i <= 0) return setStatus(`Header line "${line}" is not NAME: VALUE`);
      pairs.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
    }
    if (!subject.trim()) return setStatus('A subject is needed.');
    const t = Number(timeout);
    try {
      const r = await host.request('tail/publish', { subject: subject.trim(), headers: pairs, data, request, timeoutMs: Number.isFinite(t) && t > 0 ? t : 2000 });
      setStatus(r.message);
    } catch (err) {
      setStatus(err instanceof Error ? err.message : String(err));
    }
  };
  const fromEditor = async () => {
    try {
      const r = await host.request('tail/activeEditorText', {});
      setData(r.text);
      setStatus(`Payload from ${r.name}`);
    } catch (err) {
      setStatus(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form className="tail-publish" data-testid="publish" onSubmit={(e) => e.preventDefault()}>
      <label>
        Subject <input value={subject} onChange={(e) => setSubject(e.target.value)} data-testid="pub-subject" />
      </label>
      <label>
        Headers <textarea rows={2} value={headers} placeholder="Name: value" onChange={(e) => setHeaders(e.target.value)} data-testid="pub-headers" />
      </label>
      <label>
        Payload <textarea rows={3} value={data} onChange={(e) => setData(e.target.value)} data-testid="pub-data" />
      </label>
      <div className="tail-publish__row">
        <VscodeButton onClick={() => void send(false)} data-testid="pub-send">Publish</VscodeButton>
        <VscodeButton secondary onClick={() => void send(true)} data-testid="pub-request">Request</VscodeButton>
        <label>
          timeout ms <input className="tail-publish__timeout" value={timeout} onChange={(e) => setTimeoutMs(e.target.value)} />
        </label>
        <VscodeButton secondary onClick={() => void fromEditor()}>From active editor</VscodeButton>
        <span className="nf-muted" role="status" data-testid="pub-status">{status}</span>
      </div>
    </form>
  );
}

/**
 * What each lens says, from a recognised call and the cached catalog: pure functions, so the
 * words are tested without a VS Code.
 */
import { capturingStreams, type CatalogFacts } from '../../core/lenses/catalogFacts';
import type { NatsCall } from '../../core/lenses/types';

export type TailTarget = { source: 'stream'; stream: string; filter?: string } | { source: 'subject'; subject: string } | { source: 'kv'; bucket: string; key?: string };

export interface LensSpec {
  title: string;
  /** absent: a label that does nothing when clicked */
  action?: { kind: 'tail'; target: TailTarget } | { kind: 'decide'; description: string };
}

const n = (x: number) => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

export function lensesFor(call: NatsCall, facts: CatalogFacts | undefined): LensSpec[] {
  const out: LensSpec[] = [];
  const subject = call.subject?.text;
  if (call.kind === 'jsPublish' && subject && facts) {
    const streams = capturingStreams(facts, subject);
    out.push({
      title: streams.length
        ? streams.map((s) => `→ ${s.name} · ${plural(s.messages, 'msg')} · ${plural(s.consumers, 'consumer')}`).join('  ')
        : `no stream captures ${subject}`,
    });
  }
  if (call.kind === 'subscribe' && subject) out.push({ title: `Tail ${subject}`, action: { kind: 'tail', target: { source: 'subject', subject } } });
  if ((call.kind === 'consumer' || call.kind === 'pullSubscribe' || call.kind === 'consume') && (call.stream || subject)) {
    const stream = call.stream?.text ?? (facts && subject ? capturingStreams(facts, subject)[0]?.name : undefined);
    if (stream) {
      out.push({ title: `Tail ${stream}${subject ? ` (${subject})` : ''}`, action: { kind: 'tail', target: { source: 'stream', stream, ...(subject && { filter: subject }) } } });
      const name = call.consumer?.text ?? call.durable?.text;
      const c = facts?.consumers.find((x) => x.stream === stream && x.name === name);
      if (c && c.durable && call.kind !== 'consume') out.push({ title: `${n(c.numPending)} pending · ${n(c.numAckPending)} ack pending · ${n(c.numRedelivered)} redelivered` });
    }
  }
  if (call.kind.startsWith('kv') && call.bucket) {
    const bucket = call.bucket.text;
    const b = facts?.kv.find((x) => x.bucket === bucket);
    if (b && call.kind !== 'kvGet' && call.kind !== 'kvPut') out.push({ title: `${bucket}: ${b.keys !== undefined ? plural(b.keys, 'key') : plural(b.values, 'value')} · history ${b.history}` });
    if (call.kind === 'kvWatch' || call.kind === 'kvOpen' || call.kind === 'kvCreate' || call.kind === 'kvGet') {
      const key = call.key?.text;
      out.push({ title: 'Watch', action: { kind: 'tail', target: { source: 'kv', bucket, ...(key && { key }) } } });
    }
  }
  if ((call.kind === 'publish' || call.kind === 'jsPublish' || call.kind === 'kvPut') && (subject || call.key)) {
    out.push({ title: 'Decide KV or Stream', action: { kind: 'decide', description: decideDescription(call) } });
  }
  return out;
}

/** The advisor's description: what is published, where in the code, and what the comments say. */
export function decideDescription(call: NatsCall): string {
  const what = call.kind === 'kvPut' ? `KV put of key ${call.key?.text ?? '?'} in bucket ${call.bucket?.text ?? '?'}` : `publish to ${call.subject?.text}`;
  const parts = [`${call.functionName ? `${call.functionName}: ` : ''}${what}.`];
  if (call.comments.length) parts.push(call.comments.join(' '));
  return parts.join(' ').slice(0, 1000);
}

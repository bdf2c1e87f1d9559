/** The live overlay and tail targets of paths, from the plan (which stream, consumer or bucket serves a path). */
import type { DesignLiveState, TailTarget } from '../../src/shared/designProtocol';
import type { Analysis } from './view-model';

/** What a path's label shows when connected. */
export interface PathLive {
  text: string;
  missing: boolean;
}

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(0)}k` : String(Math.round(n)));

export function liveByPath(a: Analysis, live: DesignLiveState): Map<string, PathLive> {
  const out = new Map<string, PathLive>();
  for (const p of a.design.paths) {
    const stream = a.plan.streams.find((s) => s.role === 'context' && s.paths.includes(p.id));
    const bucket = a.plan.buckets.find((b) => b.paths.includes(p.id));
    const parts: string[] = [];
    let missing = false;
    if (stream) {
      const s = live.streams.find((x) => x.name === stream.config.name);
      if (!s?.exists) missing = true;
      else parts.push(`${fmt(s.messages)} msgs · ${s.rate.toFixed(s.rate < 10 ? 1 : 0)}/s`);
      for (const c of a.plan.consumers.filter((x) => x.path === p.id)) {
        const lc = live.consumers.find((x) => x.stream === c.stream && x.name === c.config.durable_name);
        if (!lc?.exists) missing = true;
        else parts.push(`${c.config.durable_name}: ${fmt(lc.pending)} pending, ${fmt(lc.ackPending)} ack`);
      }
    } else if (bucket) {
      const b = live.buckets.find((x) => x.name === bucket.config.bucket);
      if (!b?.exists) missing = true;
      else parts.push(`${fmt(b.values)} values`);
    } else continue;
    out.set(p.id, { text: missing ? `missing on server${parts.length ? ` · ${parts.join(' · ')}` : ''}` : parts.join(' · '), missing });
  }
  return out;
}

export function tailTargets(a: Analysis, pathId: string): { label: string; target: TailTarget }[] {
  const p = a.design.paths.find((x) => x.id === pathId);
  if (!p) return [];
  const out: { label: string; target: TailTarget }[] = [];
  const stream = a.plan.streams.find((s) => s.role === 'context' && s.paths.includes(p.id));
  const bucket = a.plan.buckets.find((b) => b.paths.includes(p.id));
  if (stream) out.push({ label: `Tail stream ${stream.config.name} (${p.subject})`, target: { source: 'stream', stream: stream.config.name, filter: p.subject } });
  if (bucket) {
    const key = p.subject.split('.').slice(1).join('.');
    out.push({ label: `Watch bucket ${bucket.config.bucket}${key ? ` (${key})` : ''}`, target: { source: 'kv', bucket: bucket.config.bucket, ...(key ? { key } : {}) } });
  }
  out.push({ label: `Tail subject ${p.subject}`, target: { source: 'subject', subject: p.subject } });
  return out;
}

/**
 * Diagnostics of a file analysis (analysis.ts), incremental like it: the findings of a chunk
 * taken over unchanged are taken over too, those of a moved chunk are moved, and only the
 * chunks recognised again are judged again. ack-wait-short, the one rule that pairs calls with
 * comments anywhere in the file, runs over the consumer calls each time. A change of settings,
 * server snapshot or file-wide facts (ack policy none, Go's "time" import) judges every chunk.
 */
import { moveRanges, spanOf, type ChunkResult, type FileAnalysis } from './analysis';
import { collector, diagnoseAckWaits, diagnoseCalls, ruleContext, sortFindings, type DiagnoseOptions } from './rules';
import type { CatalogFacts } from './catalogFacts';
import type { Finding } from './types';

export interface FileDiagnosis {
  readonly findings: Finding[];
  /** Findings per chunk (ack-wait-short aside), for the next diagnosis to take over. */
  readonly perChunk: ReadonlyMap<ChunkResult, Finding[]>;
  readonly basis: { catalog?: CatalogFacts; disabled: string; ackNone: boolean; importsTime: boolean };
  readonly stats: { kept: number; moved: number; judged: number };
}

export function diagnoseFile(analysis: FileAnalysis, opts: DiagnoseOptions & { text: string }, previous?: FileDiagnosis): FileDiagnosis {
  const basis = { catalog: opts.catalog, disabled: [...(opts.disabled ?? [])].sort().join(','), ackNone: analysis.ackNone, importsTime: analysis.importsTime };
  const p = previous?.basis;
  const before = p && p.catalog === basis.catalog && p.disabled === basis.disabled && p.ackNone === basis.ackNone && p.importsTime === basis.importsTime ? previous.perChunk : undefined;
  const ctx = ruleContext(opts, () => analysis.importsTime);
  const perChunk = new Map<ChunkResult, Finding[]>();
  const stats = { kept: 0, moved: 0, judged: 0 };
  const all: Finding[] = [];
  analysis.chunks.forEach((chunk, i) => {
    let found = before?.get(chunk);
    if (found) stats.kept++;
    else {
      const from = analysis.movedFrom[i];
      const old = from && before?.get(from.chunk);
      if (old) {
        stats.moved++;
        found = moveRanges(old, spanOf(from.chunk), from.rows);
      } else {
        stats.judged++;
        found = [];
        const facts = analysis.ackNone ? { ...chunk.facts, pullHandlers: [] } : chunk.facts;
        diagnoseCalls(chunk.calls, facts, ctx, collector(ctx, found));
      }
    }
    perChunk.set(chunk, found);
    for (const f of found) all.push(f);
  });
  const rec = analysis.recognition;
  diagnoseAckWaits(rec.calls, rec.facts, ctx, collector(ctx, all));
  return { findings: sortFindings(all), perChunk, basis, stats };
}

/**
 * Renders a Decision as plain aligned text for the terminal: verdict line, the four tests,
 * the conflict banner, the nearest case and a summary of the suggested configuration.
 */
import type { Decision } from './engine';
import { DECISION_TESTS, sidesText } from './engine';
import { formatDuration } from './config';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

const verdictText = (v: 'kv' | 'stream' | null) => (v === 'kv' ? 'KV' : v === 'stream' ? 'Stream' : '-');

export function formatDecision(d: Decision): string {
  const lines: string[] = [];
  const by = d.decidedBy ? ` (decided by the ${d.decidedBy} test)` : ' (no test gave a clear answer)';
  lines.push(`Verdict: ${d.label}${by}`);
  lines.push('');

  const rows: string[][] = [['#', 'TEST', 'ANSWER', 'VERDICT', 'SOURCE', 'WHY']];
  for (const t of d.tests) {
    const meta = DECISION_TESTS.find((m) => m.id === t.id)!;
    const answer = t.source === 'none' ? '-' : t.answer;
    rows.push([String(meta.order), t.id, answer, verdictText(t.verdict), t.source, t.why]);
  }
  lines.push(...table(rows));

  if (d.conflict) {
    lines.push('');
    lines.push(`CONFLICT: the tests disagree (${sidesText(d.sides)}).`);
    if (d.advice) lines.push(`  ${d.advice}`);
  }

  lines.push('');
  if (d.caseMatch) {
    lines.push(`Nearest case: ${d.caseMatch.communication} → ${d.caseMatch.label} (${d.caseMatch.reason})`);
  } else {
    lines.push('Nearest case: none');
  }

  const c = d.config;
  if ('kind' in c && c.kind === 'kv') {
    lines.push('');
    lines.push('Suggested KV bucket:');
    lines.push(
      ...table([
        ['  bucket', c.bucket.bucket],
        ['  history', String(c.bucket.history)],
        ['  ttl', c.bucket.ttl ? formatDuration(c.bucket.ttl) : 'none'],
        ['  storage', c.bucket.storage],
        ['  replicas', String(c.bucket.replicas)],
        ['  watch', c.watcher.key_pattern],
      ]),
    );
    lines.push('Watcher:');
    for (const note of [c.watcher.bootstrap, c.watcher.bootstrap_end, c.watcher.empty_bucket, c.watcher.resume]) lines.push(`  - ${note}`);
    for (const note of c.notes) lines.push(`  - ${note}`);
  } else if ('kind' in c && c.kind === 'stream') {
    lines.push('');
    lines.push('Suggested stream and consumer:');
    lines.push(
      ...table([
        ['  subject', c.subject],
        ['  stream', `${c.stream.name} (subjects ${c.stream.subjects.join(', ')})`],
        ['  retention', c.stream.retention],
        ['  storage', c.stream.storage],
        ['  replicas', String(c.stream.replicas)],
        ['  duplicate_window', formatDuration(c.stream.duplicate_window)],
        ['  consumer', `${c.consumer.durable_name} (${c.consumer_type}, ack ${c.consumer.ack_policy}, deliver ${c.consumer.deliver_policy})`],
        ['  ack_wait', formatDuration(c.consumer.ack_wait)],
        ['  max_deliver', String(c.consumer.max_deliver)],
        ['  backoff', c.consumer.backoff.map(formatDuration).join(', ')],
        ['  dead letter', `${c.dead_letter.stream.name} ← ${c.dead_letter.advisory_subject}`],
      ]),
    );
    for (const note of c.notes) lines.push(`  - ${note}`);
  } else {
    lines.push('');
    lines.push('No configuration suggested until a test gives a clear answer.');
  }
  return lines.join('\n') + '\n';
}

/** Compact, readable lines for what the recognisers and diagnostics found in a fixture file. */
import type { Finding, NatsCall } from '../../src/core/lenses';

export function callLine(c: NatsCall): string {
  const names = (['subject', 'queue', 'stream', 'consumer', 'durable', 'bucket', 'key'] as const)
    .filter((k) => c[k])
    .map((k) => `${k}=${c[k]!.text}${c[k]!.source === 'literal' ? '' : `(${c[k]!.source})`}`);
  return [`${c.range.start.line + 1}`, c.kind, c.call, ...names, ...(c.functionName ? [`in ${c.functionName}`] : [])].join(' ');
}

export function findingLine(f: Finding): string {
  return `${f.range.start.line + 1}:${f.range.start.col + 1} ${f.severity} ${f.rule}${f.fixes.length ? ` [${f.fixes.map((x) => x.title).join('; ')}]` : ''}`;
}

/**
 * The bootstrap/live check of a KV watch loop (seed 000: a watcher first replays every current
 * value, then goes live), one function per language. The KV watcher scaffolds are built from
 * these, and the `kv-watch-no-bootstrap` quick fix inserts the same lines into users' loops.
 * Each returns lines without indentation; `indentLines` adds it.
 */
export type BootstrapLang = 'ts' | 'go' | 'python';

/** The flag the check sets, declared before the loop. */
export function liveFlagDeclaration(lang: BootstrapLang): string {
  return lang === 'go' ? 'live := false' : lang === 'python' ? 'live = False' : 'let live = false;';
}

/**
 * Go and Python: first in the loop body. nats.go sends a nil entry and nats-py yields None once
 * the initial values are delivered (also at once for an empty bucket). `onLive` runs once, then.
 */
export function endOfBootstrapCheck(lang: 'go' | 'python', entry: string, onLive: string[] = [], unit = lang === 'go' ? '\t' : '    '): string[] {
  if (lang === 'go') {
    return [`if ${entry} == nil {`, `${unit}// the end-of-bootstrap marker comes once`, `${unit}if !live {`, `${unit}${unit}live = true`, ...onLive.map((l) => `${unit}${unit}${l}`), `${unit}}`, `${unit}continue`, '}'];
  }
  return [`if ${entry} is None:`, `${unit}live = True`, ...onLive.map((l) => `${unit}${l}`), `${unit}continue`];
}

/**
 * TypeScript (nats.js): last in the loop body. nats.js sends no end-of-bootstrap marker; the
 * last replayed entry has delta (values still pending) 0. An empty bucket replays nothing, so
 * count the keys up front when that matters (the scaffold does).
 */
export function tsLiveCheck(entry: string, onLive: string): string {
  return `if (!live && ${entry}.delta === 0) ${onLive};`;
}

export function indentLines(lines: readonly string[], indent: string): string {
  return lines.map((l) => (l ? indent + l : l)).join('\n');
}

/**
 * Subject patterns in a token trie (literal tokens as branches, plus a "*" branch and the
 * patterns that end in ">" at each level), so "which stored patterns can match a subject
 * this pattern matches?" walks only the branches that can, instead of comparing every pair.
 * The walk follows `patternsOverlap` token by token, including its reading of a ">" that is
 * not the last token (everything from there on matches), so the answer is exactly the set
 * of stored patterns `p` with `patternsOverlap(query, p)`.
 */
interface Node<T> {
  literal: Map<string, Node<T>>;
  star?: Node<T>;
  /** Values of patterns with ">" at this level: they match any query with a token here. */
  rest: T[];
  /** Values of patterns that end at this level. */
  end: T[];
}

const node = <T>(): Node<T> => ({ literal: new Map(), rest: [], end: [] });

export class PatternTrie<T> {
  private readonly root: Node<T> = node();

  add(pattern: string, value: T): void {
    let n = this.root;
    for (const t of pattern.split('.')) {
      if (t === '>') {
        n.rest.push(value);
        return;
      }
      if (t === '*') n = n.star ??= node();
      else {
        let next = n.literal.get(t);
        if (!next) n.literal.set(t, (next = node()));
        n = next;
      }
    }
    n.end.push(value);
  }

  /** Every stored value whose pattern overlaps `pattern` (a value stored twice may come twice). */
  overlapping(pattern: string): T[] {
    const out: T[] = [];
    walk(this.root, pattern.split('.'), 0, out);
    return out;
  }

  /** Some stored pattern overlaps `pattern`. */
  overlapsAny(pattern: string): boolean {
    return this.overlapping(pattern).length > 0;
  }
}

function walk<T>(n: Node<T>, q: readonly string[], i: number, out: T[]): void {
  if (i === q.length) {
    out.push(...n.end);
    return;
  }
  out.push(...n.rest);
  const t = q[i]!;
  if (t === '>') {
    for (const c of n.literal.values()) below(c, out);
    if (n.star) below(n.star, out);
    return;
  }
  if (t === '*') for (const c of n.literal.values()) walk(c, q, i + 1, out);
  else {
    const c = n.literal.get(t);
    if (c) walk(c, q, i + 1, out);
  }
  if (n.star) walk(n.star, q, i + 1, out);
}

/** Every value at or below `n` (a query ">" one level up matches all of them). */
function below<T>(n: Node<T>, out: T[]): void {
  out.push(...n.rest, ...n.end);
  for (const c of n.literal.values()) below(c, out);
  if (n.star) below(n.star, out);
}

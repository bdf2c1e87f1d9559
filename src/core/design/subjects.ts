/**
 * Subject rules the design checks offline: well-formed tokens, whether two patterns can
 * match one subject (streams may not share subjects; work-queue consumers may not share
 * filters) and whether one pattern lies inside another (a filter inside its stream).
 */

/** Why `subject` is not a well-formed subject or pattern, or undefined. */
export function subjectIssue(subject: string): string | undefined {
  if (subject.length === 0) return 'is empty';
  if (/\s/.test(subject)) return 'contains whitespace';
  const tokens = subject.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '') return `has an empty token at position ${i + 1} (no leading, trailing or double dots)`;
    if (t.includes('>') && (t !== '>' || i !== tokens.length - 1)) return '">" must be a whole token and the last one';
    if (t.includes('*') && t !== '*') return '"*" must be a whole token';
  }
  return undefined;
}

/** Why `name` cannot be a queue group name (NATS: one token, no wildcards), or undefined. */
export function queueGroupIssue(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  const bad = /[\s.*>]/.exec(name);
  if (!bad) return undefined;
  const what = /\s/.test(bad[0]) ? 'whitespace' : `"${bad[0]}"`;
  return `contains ${what} at position ${bad.index + 1}: a queue group name is one token, without ".", "*", ">" or whitespace`;
}

/** True when some subject matches both patterns. */
export function patternsOverlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] === '>' || y[i] === '>') return true;
    if (x[i] !== y[i] && x[i] !== '*' && y[i] !== '*') return false;
  }
  if (x.length === y.length) return true;
  // the longer one can only be matched when the shorter ends in ">" (handled above)
  return false;
}

/** True when every subject `inner` matches is also matched by `outer`. */
export function patternWithin(inner: string, outer: string): boolean {
  return tokensWithin(inner.split('.'), outer.split('.'));
}

function tokensWithin(i: readonly string[], o: readonly string[]): boolean {
  for (let k = 0; k < o.length; k++) {
    const ot = o[k]!;
    const it = i[k];
    if (ot === '>') return it !== undefined;
    if (it === undefined) return false;
    if (ot === '*') {
      if (it === '>') return false;
      continue;
    }
    if (it !== ot) return false;
  }
  return i.length === o.length;
}

/**
 * Stream subjects indexed by their first token, so "which stream captures this subject?"
 * looks only at streams that can (a design has hundreds of paths and tens of streams).
 */
export class SubjectIndex<T> {
  private readonly byFirst = new Map<string, { tokens: string[]; owner: T }[]>();
  private readonly wild: { tokens: string[]; owner: T }[] = [];

  add(subject: string, owner: T): void {
    const tokens = subject.split('.');
    const first = tokens[0]!;
    if (first === '*' || first === '>') this.wild.push({ tokens, owner });
    else this.byFirst.set(first, [...(this.byFirst.get(first) ?? []), { tokens, owner }]);
  }

  private candidates(first: string): { tokens: string[]; owner: T }[] {
    if (first === '*' || first === '>') return [...[...this.byFirst.values()].flat(), ...this.wild];
    return [...(this.byFirst.get(first) ?? []), ...this.wild];
  }

  /** Some indexed subject contains every subject `subject` matches. */
  captures(subject: string): boolean {
    const tokens = subject.split('.');
    return this.candidates(tokens[0]!).some((c) => tokensWithin(tokens, c.tokens));
  }

  /** Some indexed subject matches some subject `subject` matches. */
  overlaps(subject: string): boolean {
    const first = subject.split('.')[0]!;
    return this.candidates(first).some((c) => patternsOverlap(subject, c.tokens.join('.')));
  }
}

/** NATS subject checks (token rules as nats-server applies them). */

/** Why `subject` is not a valid subject to publish to, or undefined. Wildcards are reported apart. */
export function subjectTokenProblem(subject: string): string | undefined {
  if (subject.length === 0) return 'the subject is empty';
  if (/\s/.test(subject)) return 'subjects cannot contain whitespace';
  const tokens = subject.split('.');
  if (tokens.some((t) => t.length === 0)) return subject.startsWith('.') || subject.endsWith('.') ? 'a subject cannot start or end with "."' : 'a subject cannot have an empty token ("..")';
  const gt = tokens.indexOf('>');
  if (gt !== -1 && gt !== tokens.length - 1) return '">" can only be the last token';
  if (tokens.some((t) => t.length > 1 && (t.includes('*') || t.includes('>')))) return '"*" and ">" must be whole tokens';
  return undefined;
}

export const hasWildcard = (subject: string) => subject.split('.').some((t) => t === '*' || t === '>');

/** The subject without empty tokens and whitespace: the safe textual fix for `orders..created`. */
export function tidySubject(subject: string): string {
  return subject
    .replace(/\s+/g, '')
    .split('.')
    .filter((t) => t.length > 0)
    .join('.');
}

/**
 * Whether some subject matches both `a` and `b` (either may have wildcards): a stream with
 * filter `orders.>` captures a publish to the pattern `orders.*.shipped`.
 */
export function subjectsIntersect(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; ; i++) {
    if (i === x.length || i === y.length) return x.length === y.length;
    if (x[i] === '>' || y[i] === '>') return true;
    if (x[i] === '*' || y[i] === '*' || x[i] === y[i]) continue;
    return false;
  }
}

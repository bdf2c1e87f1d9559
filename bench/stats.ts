/** Order statistics the benchmarks report (each sorts a copy; the input is left as it is). */

/** The value at `p` percent of the sorted values (the upper one between two); NaN when there are none. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
}

/** The median: the middle value, the upper of the two middle ones for an even count. */
export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

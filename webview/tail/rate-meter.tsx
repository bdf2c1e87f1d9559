/** Messages per second over the last minute, as a number and a small sparkline (drawn by us, not from message data). */
export function RateMeter({ samples }: { samples: number[] }) {
  const now = samples[samples.length - 1] ?? 0;
  const max = Math.max(1, ...samples);
  const w = 120;
  const h = 20;
  const pts = samples.map((s, i) => `${((i / Math.max(1, samples.length - 1)) * w).toFixed(1)},${(h - (s / max) * h).toFixed(1)}`).join(' ');
  return (
    <span className="tail-rate" data-testid="rate" title={`peak ${max} msg/s in the last minute`}>
      <svg width={w} height={h} className="tail-spark" aria-hidden="true">
        <polyline points={pts} fill="none" stroke="currentColor" strokeWidth="1" />
      </svg>
      <span>{now.toLocaleString()} msg/s</span>
    </span>
  );
}

/** Numbers, sizes and durations as the explorer and the CLI print them (natscli's habits). */

/** 1536 → "1.5 KiB"; binary units as natscli prints them. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (n < 0) return 'unlimited';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** 1234567 → "1,234,567"; -1 (a limit) → "unlimited". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (n < 0) return 'unlimited';
  return Math.round(n).toLocaleString('en-US');
}

/** Milliseconds as the largest whole units: 90_000 → "1m30s", 0 → "0s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let s = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join('');
}

/** natscli-style durations to milliseconds: 90s, 30m, 2h, 1d, 1h30m. */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  const s = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(re)) ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms']!;
  return ms;
}

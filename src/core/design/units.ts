/**
 * Durations and sizes as people write them in a design ("30s", "7d", "1GB") and as the tools
 * want them: nanoseconds and bytes for the JetStream API and natscli `--config`, Go
 * durations for NACK (`time.ParseDuration` knows no days: "168h", never "7d").
 */
import { NANOS_PER_SECOND } from '../decide';

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: NANOS_PER_SECOND,
  m: 60 * NANOS_PER_SECOND,
  h: 3600 * NANOS_PER_SECOND,
  d: 86400 * NANOS_PER_SECOND,
  w: 7 * 86400 * NANOS_PER_SECOND,
};

const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w))+$/;

/** "1h30m", "7d", "500ms" → nanoseconds; a number is taken as nanoseconds already. Undefined when not a duration. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (v === '0') return 0;
  if (!DURATION_RE.test(v)) return undefined;
  let total = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
  return Math.round(total);
}

/** Nanoseconds → a Go duration `time.ParseDuration` accepts: "168h", "1m30s", "500ms", "0s". */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  if (ns % 1e6 !== 0 || ns < NANOS_PER_SECOND) {
    return ns % 1e6 === 0 ? `${ns / 1e6}ms` : `${ns}ns`;
  }
  let ms = ns / 1e6;
  let out = '';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size) {
      out += `${Math.floor(ms / size)}${unit}`;
      ms %= size;
    }
  }
  if (ms) out += `${ms}ms`;
  return out;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * "1GB", "500MB", "512KiB", 1048576 → bytes, with 1024-based units as natscli reads
 * `--max-bytes 1GB`; -1 means no limit. Undefined when not a size.
 */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= -1 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(value.trim());
  if (!m) return undefined;
  const unit = SIZE_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const n = Math.round(Number(m[1]) * unit);
  return n === -1 || n >= 0 ? n : undefined;
}

/** Bytes → "1GB", "500MB", "1.5KB" for explanations; -1 → "unlimited". */
export function formatSize(bytes: number): string {
  if (bytes < 0) return 'unlimited';
  for (const [unit, size] of [['TB', 1024 ** 4], ['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))}${unit}`;
  }
  return `${bytes}B`;
}

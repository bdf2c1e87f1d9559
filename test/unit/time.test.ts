/** The one time format (src/core/time.ts), shared by the explorer and the tail webview. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClockTime, formatTimestamp, setDisplayLocale } from '../../src/core/time';

test('the clock time is the same locale format as the full timestamp, with milliseconds; bad input comes back as is', () => {
  setDisplayLocale('en-US');
  const iso = '2026-11-30T22:58:58.123456789Z';
  const full = formatTimestamp(iso);
  const clock = formatClockTime(iso);
  assert.match(clock, /^\d{1,2}:58:58\.123 (AM|PM)$/);
  assert.ok(full.includes(clock.replace('.123', '')), `"${full}" shows the same clock time as "${clock}" (to the second)`);
  assert.equal(formatClockTime('not a time'), 'not a time');
  assert.equal(formatClockTime(undefined), '');
  setDisplayLocale('de-DE');
  assert.match(formatClockTime(iso), /^\d{2}:58:58,123$/, 'the display locale decides');
  setDisplayLocale('not a locale!!');
  assert.match(formatClockTime(iso), /58/, 'an unknown locale falls back to the runtime one');
  setDisplayLocale(undefined);
});

/**
 * Times as NATS Flow shows them, everywhere: the explorer's tooltips and reports, and the tail
 * panel (whose webview bundle imports this, so nothing here may reach vscode or NATS).
 */

let displayLocale: string | undefined;
let timeFormat: Intl.DateTimeFormat | undefined;
let clockFormat: Intl.DateTimeFormat | undefined;

/** The locale times are shown in (VS Code's display language); undefined = the runtime's. */
export function setDisplayLocale(locale: string | undefined): void {
  displayLocale = locale;
  timeFormat = undefined;
  clockFormat = undefined;
}

function make(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(displayLocale, options);
  } catch {
    return new Intl.DateTimeFormat(undefined, options);
  }
}

/**
 * A server timestamp (RFC 3339, nanoseconds allowed) in the one format NATS Flow uses
 * everywhere: local time in the display locale, to the second (`Nov 22, 2026, 11:57:05 AM`
 * in en-US). Unparsable text is returned as is; the zero time as "".
 */
export function formatTimestamp(iso: string | undefined): string {
  if (!iso || iso.startsWith('0001-01-01')) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  timeFormat ??= make({ dateStyle: 'medium', timeStyle: 'medium' });
  return timeFormat.format(t);
}

/**
 * The time of day of the same format, with milliseconds (`11:57:05.320 AM` in en-US): the tail
 * list's column, where the date would repeat on every row and milliseconds tell messages apart.
 */
export function formatClockTime(iso: string | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  clockFormat ??= make({ hour: 'numeric', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 });
  return clockFormat.format(t);
}

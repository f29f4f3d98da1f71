/**
 * The one way the web client writes a time of day, and dates beside it: the language's own
 * clock (12-hour with AM/PM in English, 24-hour in Russian) through Intl's `timeStyle: 'short'`.
 * The list, the bubbles, the header's "last seen", search results and sessions all use these.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** A time of day, as the language writes it: "7:30 AM", "07:30". */
export function formatTime(date: Date | string, locale: string): string {
  return formatter(locale, { timeStyle: 'short' }).format(new Date(date));
}

/** A day and month without the year: "Mar 4", "4 мар.". */
export function formatShortDate(date: Date | string, locale: string): string {
  return formatter(locale, { day: 'numeric', month: 'short' }).format(new Date(date));
}

/** A day and a time: "Mar 4, 7:30 AM", "4 мар., 07:30". */
export function formatDateTime(date: Date | string, locale: string): string {
  return `${formatShortDate(date, locale)}, ${formatTime(date, locale)}`;
}

/**
 * Absolute dates and times in a query are local to the query timezone, as in Cube's REST API:
 * `2025-03-14` or `2025-03-14T10:30[:00[.000]]`. Offsets (`Z`, `-03:00`) are refused rather than
 * silently reinterpreted, since Cube would read their wall-clock part as local time.
 */
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

export interface LocalDateTime {
  readonly dateOnly: boolean;
  /** `YYYY-MM-DDTHH:mm:ss.SSS`; for a date alone, the start of that day. */
  readonly start: string;
  /** For a date alone, the last millisecond of that day; otherwise `start`. */
  readonly end: string;
}

export function parseLocalDateTime(value: string): LocalDateTime | undefined {
  const m = LOCAL_DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', ms = '0'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const date = `${y}-${mo}-${d}`;
  const dateOnly = m[4] === undefined;
  const start = `${date}T${h}:${mi}:${s}.${ms.padEnd(3, '0')}`;
  return { dateOnly, start, end: dateOnly ? `${date}T23:59:59.999` : start };
}

/** Anything that is not an absolute local date/time is a relative expression (`last 7 days`). */
export function looksRelative(value: string): boolean {
  return !/^\d{4}-\d{2}-\d{2}/.test(value);
}

import { parseLocalDateTime } from '../cube/date-values.js';
import { resolveDateExpression } from '../cube/relative-date-range.js';
import { MetricsQueryError } from '../metrics-errors.js';

/**
 * A closed range of local wall-clock instants in the query time zone, both ends
 * `YYYY-MM-DDTHH:mm:ss.SSS` (the end is its last millisecond: `…T23:59:59.999` for a day).
 * Wall-clock strings, not instants, because that is how Cube bounds a `dateRange` and how rows
 * come back; period arithmetic on them is calendar arithmetic in the query zone, unaffected by
 * daylight-saving jumps.
 */
export interface LocalRange {
  readonly start: string;
  readonly end: string;
}

/**
 * The bounds a `dateRange` means, as Cube reads it: one string is a date expression (`last 7
 * days`, `2025-03-14`: that whole day), a pair is `[from, to]` with a date alone meaning its first
 * and last millisecond. Errors name `member` and `field`.
 */
export function resolveLocalRange(range: string | readonly [string, string], timezone: string, now: Date, member: string, field: string): LocalRange {
  if (typeof range === 'string') {
    try {
      const [start, end] = resolveDateExpression(range, timezone, now);
      return { start, end };
    } catch (err) {
      throw new MetricsQueryError('INVALID_DATE_RANGE', `Invalid date range "${range}" for ${member} (${field}): ${(err as Error).message}`, member);
    }
  }
  const from = parseLocalDateTime(range[0]);
  const to = parseLocalDateTime(range[1]);
  const bad = !from ? `${field}[0]` : !to ? `${field}[1]` : undefined;
  if (bad !== undefined || !from || !to) {
    const value = !from ? range[0] : range[1];
    throw new MetricsQueryError(
      'INVALID_DATE_RANGE',
      `Invalid date "${value}" for ${member} (${bad ?? field}): expected YYYY-MM-DD or YYYY-MM-DDTHH:mm:ss local to the query timezone`,
      member,
    );
  }
  if (from.start > to.end) {
    throw new MetricsQueryError('INVALID_DATE_RANGE', `Invalid date range for ${member} (${field}): "${range[0]}" is after "${range[1]}"`, member);
  }
  return { start: from.start, end: to.end };
}

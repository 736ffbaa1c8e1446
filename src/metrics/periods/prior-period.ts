import moment, { type Moment, type unitOfTime } from 'moment-timezone';
import type { CompareMode } from '../metrics-query.js';
import type { LocalRange } from './local-range.js';

/**
 * Which range a period is compared with, and how a row's time bucket finds its counterpart.
 *
 * PREVIOUS_PERIOD is the range of the same length that ends just before the current one starts:
 * - a range of whole calendar months (`this month`, `last month`, `2025-01-01..2025-03-31`, `this
 *   year`) compares with as many whole months before it: March with February (28 days), Q1 with
 *   Q4, a year with the year before. "Same length" is counted in months, as analysts mean it;
 * - any other range of whole days (`last 7 days`, `this week`, month-to-date `2025-03-01..03-14`)
 *   compares with as many days before it: month-to-date to the 14 days before it, not to the
 *   first 14 days of February (ask for SAME_PERIOD_LAST_YEAR or two explicit ranges for that);
 * - a range with times compares with the same duration before it.
 *
 * SAME_PERIOD_LAST_YEAR is the range a calendar year earlier: whole months map to the same whole
 * months (February 2025 to all 29 days of February 2024), other days to the same dates
 * (29 February to 28 February). At week granularity it is 52 weeks (364 days) earlier instead,
 * so that ISO weeks (Monday to Sunday) meet whole weeks rather than straddling two.
 *
 * A row of the current period at time bucket `t` meets the prior row at bucket
 * `truncate(shift(max(t, range start)))`: its first instant inside the range, shifted by the
 * period, truncated to the granularity. At day grain 2025-03-08 meets 2025-03-01 (7-day
 * PREVIOUS_PERIOD); at month grain March meets February. Month shifts clamp to the month's end,
 * so with a whole-month PREVIOUS_PERIOD at day grain 29, 30 and 31 March all meet 28 February;
 * a bucket that starts before the range (the ISO week holding the range start) meets the
 * bucket holding its first day in range shifted. Prior buckets nothing meets are not reported.
 */
export interface PriorPeriod {
  readonly range: LocalRange;
  /** Current bucket start (local wall-clock) → the start of its prior bucket. */
  readonly bucketOf: (bucket: string, granularity: string) => string;
}

type Shift = readonly [amount: number, unit: 'months' | 'days' | 'milliseconds'];

const LOCAL_MS = 'YYYY-MM-DDTHH:mm:ss.SSS';

/** `granularities`: those the query groups the compared dimension by (week changes the yearly shift). */
export function priorPeriod(range: LocalRange, mode: CompareMode, granularities: readonly string[]): PriorPeriod {
  const start = local(range.start);
  const after = local(range.end).add(1, 'millisecond'); // the first instant past the range
  const months = wholeMonths(start, after);
  let shift: Shift;
  let prior: LocalRange;
  if (mode === 'PREVIOUS_PERIOD') {
    const days = after.diff(start, 'days', true);
    shift = months !== undefined ? [months, 'months'] : Number.isInteger(days) && isMidnight(start) ? [days, 'days'] : [after.diff(start), 'milliseconds'];
    prior = { start: format(start.clone().subtract(...shift)), end: format(start.clone().subtract(1, 'millisecond')) };
  } else if (granularities.includes('week')) {
    shift = [364, 'days'];
    prior = { start: format(start.clone().subtract(...shift)), end: format(local(range.end).subtract(...shift)) };
  } else {
    shift = [12, 'months'];
    // Whole months stay whole (February 2025 → all of February 2024); other ends move date for date.
    const end = months !== undefined ? after.clone().subtract(...shift).subtract(1, 'millisecond') : local(range.end).subtract(...shift);
    prior = { start: format(start.clone().subtract(...shift)), end: format(end) };
  }
  return {
    range: prior,
    bucketOf: (bucket, granularity) => {
      const first = bucket < range.start ? range.start : bucket;
      return format(local(first).subtract(...shift).startOf(spanOf(granularity)));
    },
  };
}

function local(value: string): Moment {
  return moment.utc(value, LOCAL_MS, true);
}

function format(m: Moment): string {
  return m.format(LOCAL_MS);
}

function isMidnight(m: Moment): boolean {
  return m.hours() === 0 && m.minutes() === 0 && m.seconds() === 0 && m.milliseconds() === 0;
}

/** The number of calendar months in [start, after) when both ends fall on a month's first instant. */
function wholeMonths(start: Moment, after: Moment): number | undefined {
  if (start.date() !== 1 || !isMidnight(start) || after.date() !== 1 || !isMidnight(after)) return undefined;
  return after.diff(start, 'months');
}

/** Cube's weeks start on Monday (ISO). */
function spanOf(granularity: string): unitOfTime.StartOf {
  return granularity === 'week' ? 'isoWeek' : (granularity as unitOfTime.StartOf);
}

import moment from 'moment-timezone';
import type { Grain } from './alert-rules.js';

/**
 * Periods in the business time zone, as the semantic engine returns them: local wall-clock ISO
 * strings without a zone (`2025-03-14T13:00:00.000`). Weeks back are wall-clock weeks, so the
 * same hour of the same weekday lines up across daylight-saving changes.
 */
export const LOCAL_ISO = 'YYYY-MM-DDTHH:mm:ss.SSS';

export function periodStartOf(instant: Date, grain: Grain, tz: string): moment.Moment {
  return moment.tz(instant.getTime(), tz).startOf(grain);
}

/** The latest period that ended at least `settleMinutes` before `now`: the current one is never judged. */
export function lastCompletePeriod(now: Date, grain: Grain, tz: string, settleMinutes: number): moment.Moment {
  return periodStartOf(new Date(now.getTime() - settleMinutes * 60_000), grain, tz).subtract(1, grain);
}

export function localIso(m: moment.Moment): string {
  return m.format(LOCAL_ISO);
}

/** A period `weeks` weeks before `period` (wall clock). */
export function weeksBefore(period: moment.Moment, weeks: number): moment.Moment {
  return period.clone().subtract(weeks * 7, 'days');
}

/** Each period start from `from` (inclusive) to `to` (exclusive). */
export function* periodsBetween(from: moment.Moment, to: moment.Moment, grain: Grain): Generator<moment.Moment> {
  for (const p = from.clone(); p.isBefore(to); p.add(1, grain)) yield p.clone();
}

/** The instant a period ends, for delay and completeness checks. */
export function periodEnd(period: moment.Moment, grain: Grain): Date {
  return period.clone().add(1, grain).toDate();
}

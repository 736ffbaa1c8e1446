/**
 * VTEX timestamps carry 7 fractional digits (.NET ticks). JavaScript dates stop at milliseconds, so
 * an instant is kept as epoch milliseconds plus 0..9999 ticks of 100 ns inside that millisecond;
 * formatting then round-trips exactly and two steps of one order never print the same instant.
 */
export interface VtexInstant {
  readonly ms: number;
  readonly sub: number;
}

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Order documents: `2025-03-14T13:22:05.1234567+00:00`. */
export function formatOffset(instant: VtexInstant): string {
  return `${isoMillis(instant.ms)}${pad4(instant.sub)}+00:00`;
}

/** Hook notifications and cancellation data: `2025-03-14T13:25:40.9023311Z`. */
export function formatZulu(instant: VtexInstant): string {
  return `${isoMillis(instant.ms)}${pad4(instant.sub)}Z`;
}

/** Calendar dates such as a boleto due date: `2025-03-17`. */
export function formatDay(ms: number): string {
  return isoMillis(ms).slice(0, 10);
}

const TWO: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/**
 * `YYYY-MM-DDTHH:mm:ss.sss` in UTC, by integer arithmetic (Hinnant's civil-from-days) rather than
 * `Date#toISOString`, which was the second-largest cost when generating a million orders.
 * Valid for years 1000..9999, which is all the sandbox produces.
 */
function isoMillis(ms: number): string {
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / MS_PER_HOUR);
  rest -= hour * MS_PER_HOUR;
  const minute = Math.floor(rest / MS_PER_MINUTE);
  rest -= minute * MS_PER_MINUTE;
  const second = Math.floor(rest / 1_000);
  const milli = rest - second * 1_000;
  return `${year}-${TWO[month]}-${TWO[day]}T${TWO[hour]}:${TWO[minute]}:${TWO[second]}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}`;
}

export function compareInstants(a: VtexInstant, b: VtexInstant): number {
  return a.ms - b.ms || a.sub - b.sub;
}

function pad4(n: number): string {
  return n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : String(n);
}

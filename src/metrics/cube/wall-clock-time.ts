import type { CubeQueryClass } from './cube-types.js';

/**
 * The model marker for a time dimension that the source gives as local wall-clock time (an ERP
 * date or a target month, stored without an offset): `meta: { wall_clock: true }`.
 */
export const WALL_CLOCK_META = 'wall_clock';

/** What Cube's `BaseTimeDimension` and `BaseFilter` offer that the marker changes. */
interface CubeTimeMember {
  definition(): { readonly meta?: Readonly<Record<string, unknown>> } | undefined;
  readonly measure?: unknown;
  formatFromDate(date: string): string;
  formatToDate(date: string): string;
  convertedToTz?: () => string;
  inDbTimeZoneDateFrom(date: string): string;
  inDbTimeZoneDateTo(date: string): string;
}

interface CubeQueryWithTime {
  newTimeDimension(timeDimension: unknown): unknown;
  newFilter(filter: unknown): unknown;
  timeStampParam(member: unknown): string;
  dateTimeCast(value: string): string;
  dimensionSql(member: unknown): string;
}

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- mixin constructors must take `any[]` */
type QueryBase = new (...args: any[]) => CubeQueryWithTime;

/** True for a dimension marked wall-clock; a view member carries its cube member's `meta`. */
export function isWallClock(member: unknown): boolean {
  const m = member as Partial<CubeTimeMember> | null;
  if (!m || typeof m.definition !== 'function' || m.measure) return false;
  return m.definition()?.meta?.[WALL_CLOCK_META] === true;
}

/**
 * Cube's query class for a dialect, plus the wall-clock marker: such a dimension is grouped and
 * filtered as stored. Cube converts every time dimension from UTC to the query timezone and every
 * date bound from the query timezone to UTC; for a value that was never UTC both conversions
 * would move it (Tokyo would see a March target at the end of February). Here the column is
 * only cast to the dialect's naive timestamp, and bounds stay the local dates the query gave,
 * compared against that naive timestamp. Everything else is Cube's.
 */
export function withWallClockTime(queryClass: CubeQueryClass): CubeQueryClass {
  const Base = queryClass as unknown as QueryBase;
  class WallClockQuery extends Base {
    override newTimeDimension(timeDimension: unknown): unknown {
      return this.asStored(super.newTimeDimension(timeDimension));
    }

    override newFilter(filter: unknown): unknown {
      return this.asStored(super.newFilter(filter));
    }

    override timeStampParam(member: unknown): string {
      return isWallClock(member) ? this.dateTimeCast('?') : super.timeStampParam(member);
    }

    private asStored(member: unknown): unknown {
      if (!isWallClock(member)) return member;
      const m = member as CubeTimeMember;
      // Instance overrides: Cube builds these objects itself, and the dialect picks their classes.
      m.convertedToTz = () => this.dateTimeCast(this.dimensionSql(m));
      m.inDbTimeZoneDateFrom = (date) => m.formatFromDate(date);
      m.inDbTimeZoneDateTo = (date) => m.formatToDate(date);
      return m;
    }
  }
  // Cube keys its compiled-query cache by class name; keep the dialect's.
  Object.defineProperty(WallClockQuery, 'name', { value: (queryClass as { name: string }).name });
  return WallClockQuery as unknown as CubeQueryClass;
}

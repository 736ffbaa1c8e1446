import { parse as parseNaturalDate, type ParsedComponents } from 'chrono-node';
import moment, { type Moment, type unitOfTime } from 'moment-timezone';

/**
 * A date expression (`today`, `yesterday`, `this month`, `last 7 days`, `next 2 weeks`,
 * `from 3 days ago to now`, `march 2025`) resolved to local `[start, end]` bounds
 * (`YYYY-MM-DDTHH:mm:ss.SSS`) in an IANA time zone.
 *
 * It follows the semantics of Cube's REST API date parser (`dateParser` in
 * `@cubejs-backend/api-gateway`, Apache-2.0): the same patterns, tried in the same order, on the
 * same libraries (moment-timezone for calendar maths, chrono-node for free text), so an
 * expression means in Farol what it means in Cube. That includes Cube's quirks: `last 7 days`
 * ends yesterday, weeks start on Monday, patterns match anywhere in the text (`the last day of
 * march` is yesterday). `relative-date-range.test.ts` pins the results Cube gave for a table of
 * expressions, zones and instants. Unlike Cube, which reads the clock for most patterns, every
 * pattern here is evaluated at `now`.
 *
 * Throws a plain `Error` for text nothing recognises; callers name the field.
 */
export function resolveDateExpression(expression: string, timezone: string, now: Date = new Date()): [string, string] {
  const text = expression.toLowerCase();
  const current = (): Moment => moment(now).tz(timezone);

  const period = THIS_LAST_NEXT.exec(text);
  if (period) {
    const [, direction, unit] = period as unknown as [string, Direction, Unit];
    const shift = direction === 'last' ? -1 : direction === 'next' ? 1 : 0;
    return format([current().add(shift, unit).startOf(spanOf(unit)), current().add(shift, unit).endOf(spanOf(unit))]);
  }

  const periods = LAST_NEXT_N.exec(text);
  if (periods) {
    const [, direction, count, unit] = periods as unknown as [string, Exclude<Direction, 'this'>, string, Unit];
    const n = parseInt(count, 10);
    // `last n` ends with the previous whole unit; `next n` starts with the following one.
    const [from, to] = direction === 'last' ? [-n, -1] : [1, n];
    return format([current().add(from, unit).startOf(spanOf(unit)), current().add(to, unit).endOf(spanOf(unit))]);
  }

  if (/today/.test(text)) return format([current().startOf('day'), current().endOf('day')]);
  if (/yesterday/.test(text)) return format([current().startOf('day').add(-1, 'day'), current().endOf('day').add(-1, 'day')]);
  if (/tomorrow/.test(text)) return format([current().startOf('day').add(1, 'day'), current().endOf('day').add(1, 'day')]);

  if (/^from (.*) to (.*)$/.test(text)) {
    // Cube's second, bounded pattern; greedy, so the last `to` splits the two ends.
    const bounded = /^from(.{0,50})to(.{0,50})$/.exec(text);
    if (!bounded) throw new Error(`Can't parse date: '${expression}'`);
    const from = (bounded[1] ?? '').trim();
    const to = (bounded[2] ?? '').trim();
    const granularity = exactGranularity(text);
    const start = parseFirst(from, current(), now, timezone).start;
    const end = parseFirst(to, current(), now, timezone).start;
    return format([start.startOf(granularity), end.endOf(granularity)]);
  }

  const granularity = exactGranularity(text);
  const { start, end = start.clone() } = parseFirst(text, current(), now, timezone);
  return format([start.startOf(granularity), end.endOf(granularity)]);
}

type Direction = 'this' | 'last' | 'next';
type Unit = 'day' | 'week' | 'month' | 'year' | 'quarter' | 'hour' | 'minute' | 'second';

const UNITS = '(day|week|month|year|quarter|hour|minute|second)';
const THIS_LAST_NEXT = new RegExp(`(this|last|next)\\s+${UNITS}`);
const LAST_NEXT_N = new RegExp(`(last|next)\\s+(\\d+)\\s+${UNITS}`);

const LOCAL_MS = moment.HTML5_FMT.DATETIME_LOCAL_MS;

function spanOf(unit: Unit): unitOfTime.StartOf {
  return unit === 'week' ? 'isoWeek' : unit;
}

/** Free text is resolved to whole days unless it names a finer unit. */
function exactGranularity(text: string): 'second' | 'minute' | 'hour' | 'day' {
  return (['second', 'minute', 'hour'] as const).find((g) => text.includes(g)) ?? 'day';
}

/**
 * chrono reads its reference as a process-local `Date`, so the zone's wall-clock time is handed
 * over as local time and the components chrono returns are read back as wall-clock time in
 * `timezone`, as Cube does.
 */
function parseFirst(text: string, current: Moment, now: Date, timezone: string): { start: Moment; end: Moment | undefined } {
  const results = parseNaturalDate(text, new Date(current.format(LOCAL_MS)));
  const first = results[0];
  if (!first) throw new Error(`Can't parse date: '${text}'`);
  return {
    start: atWallClock(first.start, now, timezone),
    end: first.end ? atWallClock(first.end, now, timezone) : undefined,
  };
}

/** Field by field, in Cube's order, onto `now` in `timezone`. */
function atWallClock(components: ParsedComponents, now: Date, timezone: string): Moment {
  const m = moment(now).tz(timezone);
  m.set('year', components.get('year') as number);
  m.set('month', (components.get('month') as number) - 1);
  m.set('date', components.get('day') as number);
  m.set('hour', components.get('hour') as number);
  m.set('minute', components.get('minute') as number);
  m.set('second', components.get('second') as number);
  m.set('millisecond', components.get('millisecond') as number);
  return m;
}

function format([start, end]: [Moment, Moment]): [string, string] {
  return [start.format(LOCAL_MS), end.format(LOCAL_MS)];
}

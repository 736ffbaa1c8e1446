import { GRANULARITIES, type MetricsFilter } from '../metrics-query.js';
import { MetricsQueryError } from '../metrics-errors.js';
import type { MemberKind } from '../metrics-service.js';
import { parseLocalDateTime, type LocalDateTime } from './date-values.js';
import type { ModelCatalog, ModelMember } from './model-catalog.js';
import type { ResolvedQuery } from './query-resolution.js';

const DATE_OPERATORS = new Set(['inDateRange', 'notInDateRange', 'beforeDate', 'beforeOrOnDate', 'afterDate', 'afterOrOnDate']);
const RANGE_OPERATORS = new Set(['inDateRange', 'notInDateRange']);
const VALUELESS_OPERATORS = new Set(['set', 'notSet']);
const TEXT_OPERATORS = new Set(['contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith']);
const ORDERING_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte']);
/** A decimal number as the warehouse casts it: no hex, no `Infinity`, no thousands separators. */
const NUMBER_VALUE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOLEAN_VALUE = /^(?:true|false)$/;
const GRANULARITY_SET: ReadonlySet<string> = new Set(GRANULARITIES);

/**
 * Checks a resolved query against the catalog before Cube sees it, so every mistake comes back
 * as a `MetricsQueryError` naming the member and the field, rather than as Cube's wording (or,
 * for a cube member or an order member outside the query, as a silently different result).
 * Returns the one view the query reads.
 */
export function validateQuery(query: ResolvedQuery, catalog: ModelCatalog): string {
  const views = new Set<string>();
  const lookup = (name: string, field: string, allowed: readonly MemberKind[]): ModelMember => {
    const member = findMember(catalog, name, field);
    if (!allowed.includes(member.kind)) {
      throw new MetricsQueryError('INVALID_QUERY', `Member "${name}" in ${field} is a ${describe(member.kind)}; expected ${allowed.map(describe).join(' or ')}`, name);
    }
    views.add(member.view);
    return member;
  };

  const inQuery = new Set<string>();
  query.measures.forEach((name, i) => {
    const measure = lookup(name, 'measures', ['measure']);
    if (measure.rolling) assertRollingWindowBounded(query, name, `measures[${i}]`);
    inQuery.add(measure.name);
  });
  for (const name of query.dimensions) {
    const parts = name.split('.');
    if (parts.length === 3) {
      const base = `${parts[0]}.${parts[1]}`;
      lookup(base, 'dimensions', ['timeDimension']);
      assertGranularity(parts[2] ?? '', base, 'dimensions');
      inQuery.add(base);
    } else {
      inQuery.add(lookup(name, 'dimensions', ['dimension', 'timeDimension']).name);
    }
  }
  query.timeDimensions.forEach((td, i) => {
    lookup(td.dimension, 'timeDimensions', ['timeDimension']);
    if (td.dateRange !== undefined) checkDateRange(td.dateRange, td.dimension, `timeDimensions[${i}].dateRange`);
    // Without a granularity a time dimension only filters; it is not a column to order by.
    if (td.granularity) inQuery.add(td.dimension);
  });
  for (const name of query.segments) lookup(name, 'segments', ['segment']);
  query.filters.forEach((f, i) => checkFilter(f, `filters[${i}]`, lookup));
  query.order.forEach(([name], i) => {
    lookup(name, 'order', ['measure', 'dimension', 'timeDimension']);
    if (!inQuery.has(name)) {
      throw new MetricsQueryError('INVALID_QUERY', `Member "${name}" in order[${i}] must also be in measures, dimensions or timeDimensions`, name);
    }
  });

  if (query.measures.length === 0 && query.dimensions.length === 0 && !query.timeDimensions.some((td) => td.granularity)) {
    throw new MetricsQueryError('INVALID_QUERY', 'A query needs at least one measure, dimension or time dimension with a granularity');
  }
  if (views.size > 1) {
    throw new MetricsQueryError('INVALID_QUERY', `A query reads a single view; this one mixes ${[...views].sort().join(', ')}`);
  }
  return [...views][0] as string;
}

/**
 * A rolling window ends at each row's time bucket, or at the end of the date range. Cube refuses
 * a grouped time dimension without a range only with a bare message, and without any range it
 * sums all history under the rolling measure's name; both are refused here, naming the measure.
 */
function assertRollingWindowBounded(query: ResolvedQuery, measure: string, field: string): void {
  const grouped = [
    ...query.timeDimensions.filter((td) => td.granularity !== undefined),
    ...query.dimensions.filter((d) => d.split('.').length === 3).map((d) => ({ dimension: d.split('.').slice(0, 2).join('.'), dateRange: undefined })),
  ];
  const unbounded = grouped.find((td) => td.dateRange === undefined);
  if (unbounded !== undefined || !query.timeDimensions.some((td) => td.dateRange !== undefined)) {
    const where = unbounded ? `${unbounded.dimension} is grouped without one` : 'no time dimension has one';
    throw new MetricsQueryError(
      'INVALID_QUERY',
      `Measure "${measure}" in ${field} is a rolling window and needs a dateRange on its time dimension (timeDimensions[].dateRange); ${where}`,
      measure,
    );
  }
}

function findMember(catalog: ModelCatalog, name: string, field: string): ModelMember {
  const member = catalog.member(name);
  if (member) return member;
  if (catalog.isCubeMember(name)) {
    const views = catalog.views.map((v) => v.name).join(', ');
    throw new MetricsQueryError('UNKNOWN_MEMBER', `Member "${name}" in ${field} is not a public view member; query views (${views})`, name);
  }
  throw new MetricsQueryError('UNKNOWN_MEMBER', `Unknown member "${name}" in ${field}`, name);
}

type Lookup = (name: string, field: string, allowed: readonly MemberKind[]) => ModelMember;

function checkFilter(filter: MetricsFilter, field: string, lookup: Lookup): void {
  if ('and' in filter) return filter.and.forEach((f, i) => checkFilter(f, `${field}.and[${i}]`, lookup));
  if ('or' in filter) return filter.or.forEach((f, i) => checkFilter(f, `${field}.or[${i}]`, lookup));
  const { member, operator, values = [] } = filter;
  if (DATE_OPERATORS.has(operator)) {
    lookup(member, 'filters', ['timeDimension']);
    const allowed = RANGE_OPERATORS.has(operator) ? [1, 2] : [1];
    if (!allowed.includes(values.length)) {
      throw new MetricsQueryError('INVALID_DATE_RANGE', `Filter ${operator} on "${member}" (${field}.values) needs ${allowed.join(' or ')} date value(s)`, member);
    }
    if (values.length === 2) checkDateRange(values, member, `${field}.values`);
    else checkDate(values[0] as string, member, `${field}.values`);
    return;
  }
  const target = lookup(member, 'filters', ['measure', 'dimension', 'timeDimension']);
  if (VALUELESS_OPERATORS.has(operator)) return;
  if (values.length === 0) {
    throw new MetricsQueryError('INVALID_QUERY', `Filter ${operator} on "${member}" (${field}.values) needs at least one value`, member);
  }
  checkFilterValues(target, operator, values, `${field}.values`);
}

/**
 * A value the warehouse cannot cast to the member's type would fail inside the database (an
 * internal error to the caller); refused here instead, naming the member, the operator and the value.
 */
function checkFilterValues(member: ModelMember, operator: string, values: readonly string[], field: string): void {
  const refuse = (message: string) => {
    throw new MetricsQueryError('INVALID_QUERY', `Filter ${operator} on "${member.name}" (${field}): ${message}`, member.name);
  };
  if (TEXT_OPERATORS.has(operator)) {
    if (member.type !== 'string') refuse(`${operator} applies to text members; "${member.name}" is ${member.type}`);
    return;
  }
  switch (member.type) {
    case 'number':
      values.forEach((v, i) => {
        if (!NUMBER_VALUE.test(v.trim())) refuse(`value ${JSON.stringify(v)} (${field}[${i}]) is not a number`);
      });
      return;
    case 'time':
      values.forEach((v, i) => checkDate(v, member.name, `${field}[${i}]`));
      return;
    case 'boolean':
      if (ORDERING_OPERATORS.has(operator)) refuse(`${operator} does not apply to a boolean member`);
      values.forEach((v, i) => {
        if (!BOOLEAN_VALUE.test(v)) refuse(`value ${JSON.stringify(v)} (${field}[${i}]) is not true or false`);
      });
      return;
    default:
      return;
  }
}

function checkDateRange(range: string | readonly string[], member: string, field: string): void {
  if (typeof range === 'string') {
    checkDate(range, member, field);
    return;
  }
  const [from, to] = range as readonly [string, string];
  const start = checkDate(from, member, `${field}[0]`);
  const end = checkDate(to, member, `${field}[1]`);
  if (start.start > end.end) {
    throw new MetricsQueryError('INVALID_DATE_RANGE', `Invalid date range for ${member} (${field}): "${from}" is after "${to}"`, member);
  }
}

function checkDate(value: string, member: string, field: string): LocalDateTime {
  const parsed = parseLocalDateTime(value);
  if (!parsed) {
    throw new MetricsQueryError(
      'INVALID_DATE_RANGE',
      `Invalid date "${value}" for ${member} (${field}): expected YYYY-MM-DD or YYYY-MM-DDTHH:mm:ss local to the query timezone, or a relative range such as "last 7 days"`,
      member,
    );
  }
  return parsed;
}

function assertGranularity(granularity: string, member: string, field: string): void {
  if (!GRANULARITY_SET.has(granularity)) {
    throw new MetricsQueryError('INVALID_QUERY', `Invalid granularity "${granularity}" for ${member} in ${field}; expected one of ${GRANULARITIES.join(', ')}`, member);
  }
}

function describe(kind: MemberKind): string {
  return kind === 'timeDimension' ? 'time dimension' : kind;
}

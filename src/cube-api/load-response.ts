import type { MemberAnnotation, MetricsResult, ServedFrom } from '../metrics/metrics-service.js';
import { reshapedRows } from '../metrics/result-rows.js';
import { QUERY_TYPES, type QueryType, type ResponseFormat } from './cube-query.js';
import type { NormalizedQuery } from './normalized-query.js';

type CellValue = string | boolean | null;
type Row = Record<string, CellValue>;

/** Cube's annotation of one member in a result (`annotation.measures['sales.revenue']`). */
export interface CubeAnnotation {
  readonly title: string;
  readonly shortTitle: string;
  readonly description?: string;
  readonly type: string;
  readonly format?: string;
  readonly currency?: string;
  readonly drillMembers?: readonly string[];
  readonly drillMembersGrouped?: { readonly measures: readonly string[]; readonly dimensions: readonly string[] };
  readonly granularity?: { readonly name: string; readonly title: string; readonly interval: string; readonly type: 'built-in' };
}

type AnnotationMap = Readonly<Record<string, CubeAnnotation>>;

/** One answer of `/v1/load`, in the fields and meaning of Cube's API gateway. */
export interface CubeLoadResult {
  readonly query: NormalizedQuery;
  readonly data: readonly Row[] | { readonly members: readonly string[]; readonly dataset: readonly CellValue[][] } | { readonly members: readonly string[]; readonly columns: readonly CellValue[][] };
  readonly lastRefreshTime?: string;
  readonly annotation: { readonly measures: AnnotationMap; readonly dimensions: AnnotationMap; readonly segments: AnnotationMap; readonly timeDimensions: AnnotationMap };
  readonly dataSource: 'default';
  readonly dbType: string;
  readonly extDbType?: string;
  readonly external: false;
  readonly slowQuery: false;
  readonly total: number | null;
  /** Farol's provenance of the numbers; Cube's clients ignore fields they do not know. */
  readonly farol: { readonly servedFrom: ServedFrom; readonly dataVersion: number; readonly refreshedAt: string | null };
}

/** `queryType: 'multi'`: what `@cubejs-client/core` asks for, and what its `ResultSet` reads. */
export interface CubeMultiResult {
  readonly queryType: QueryType;
  readonly results: readonly CubeLoadResult[];
  readonly pivotQuery: NormalizedQuery;
  readonly slowQuery: false;
}

export interface ResultContext {
  readonly query: NormalizedQuery;
  readonly queryType: QueryType;
  readonly responseFormat: ResponseFormat;
  readonly total: number | null;
  readonly dbType: string;
}

/**
 * The engine's answer in Cube's shape. Numbers become strings, as Cube returns them (the SQL
 * drivers hand DECIMAL and BIGINT over as text; `@cubejs-client/core` parses them in `chartPivot`
 * and with `castNumerics`). Time dimensions keep the engine's local ISO values under
 * `view.member.granularity` and `view.member`. A comparison's rows carry `compareDateRange`
 * (`from - to`), a blending query's `time.<granularity>`, as Cube's `transformData` adds them.
 */
export function toCubeResult(result: MetricsResult, c: ResultContext): CubeLoadResult {
  const annotation = cubeAnnotation(result.annotation, c.query.dimensions);
  const numeric = new Set<string>();
  for (const map of [annotation.measures, annotation.dimensions]) for (const [name, a] of Object.entries(map)) if (a.type === 'number') numeric.add(name);
  const extra = extraColumn(c.query, c.queryType);
  const rows = extra ? cubeRows(result.rows, numeric, extra) : cachedCubeRows(result.rows, numeric);
  return {
    query: c.query,
    data: shape(rows, result, c.responseFormat, extra?.key),
    ...(result.refreshedAt === null ? {} : { lastRefreshTime: result.refreshedAt }),
    annotation,
    dataSource: 'default',
    dbType: c.dbType,
    external: false,
    slowQuery: false,
    total: c.total,
    farol: { servedFrom: result.servedFrom, dataVersion: result.dataVersion, refreshedAt: result.refreshedAt },
  };
}

/** Rows converted once per engine result (`reshapedRows`), keyed also by the numeric members, which the annotation fixes. */
function cachedCubeRows(rows: MetricsResult['rows'], numeric: ReadonlySet<string>): readonly Row[] {
  return reshapedRows(rows, `cube:${[...numeric].sort().join('\u0000')}`, () => cubeRows(rows, numeric, undefined));
}

function cubeRows(rows: MetricsResult['rows'], numeric: ReadonlySet<string>, extra: ReturnType<typeof extraColumn>): Row[] {
  const out = new Array<Row>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as Record<string, unknown>;
    const row: Row = {};
    for (const k in r) {
      const v = r[k];
      row[k] = typeof v === 'number' || (v !== null && numeric.has(k)) ? String(v) : (v as CellValue);
    }
    if (extra) row[extra.key] = extra.value(row);
    out[i] = row;
  }
  return out;
}

export function toCubeMulti(queryType: QueryType, results: readonly CubeLoadResult[], pivotQuery: NormalizedQuery): CubeMultiResult {
  return { queryType, results, pivotQuery, slowQuery: false };
}

function extraColumn(q: NormalizedQuery, queryType: QueryType): { key: string; value: (row: Row) => CellValue } | undefined {
  const td = q.timeDimensions[0];
  if (queryType === QUERY_TYPES.compareDateRange && td?.dateRange) {
    const label = td.dateRange.join(' - ');
    return { key: 'compareDateRange', value: () => label };
  }
  if (queryType === QUERY_TYPES.blending && td?.granularity) {
    const source = `${td.dimension}.${td.granularity}`;
    return { key: `time.${td.granularity}`, value: (row) => row[source] ?? null };
  }
  return undefined;
}

/** `compact` and `columnar` list each member once; the client rebuilds the rows. */
function shape(rows: readonly Row[], result: MetricsResult, format: ResponseFormat, extraKey: string | undefined): CubeLoadResult['data'] {
  if (format === 'default') return rows;
  const a = result.annotation;
  const members = [...a.measures, ...a.dimensions, ...a.timeDimensions].map((m) => m.name);
  if (extraKey) members.push(extraKey);
  if (format === 'compact') return { members, dataset: rows.map((r) => members.map((m) => r[m] ?? null)) };
  return { members, columns: members.map((m) => rows.map((r) => r[m] ?? null)) };
}

function cubeAnnotation(a: MetricsResult['annotation'], queryDimensions: readonly string[]): CubeLoadResult['annotation'] {
  const timeDimensions: Record<string, CubeAnnotation> = {};
  for (const td of a.timeDimensions) {
    const granularity = td.granularity ?? td.name.split('.')[2] ?? 'day';
    timeDimensions[td.name] = { ...memberAnnotation(td), granularity: { name: granularity, title: titleCase(granularity), interval: `1 ${granularity}`, type: 'built-in' } };
    // Cube also annotates the member without granularity, unless the query lists it as a dimension.
    const base = td.name.split('.').slice(0, 2).join('.');
    if (!queryDimensions.includes(base)) timeDimensions[base] = memberAnnotation(td);
  }
  return {
    measures: Object.fromEntries(a.measures.map((m) => [m.name, { ...memberAnnotation(m), drillMembers: [], drillMembersGrouped: { measures: [], dimensions: [] } }])),
    dimensions: Object.fromEntries(a.dimensions.map((m) => [m.name, memberAnnotation(m)])),
    segments: Object.fromEntries(a.segments.map((m) => [m.name, memberAnnotation(m)])),
    timeDimensions,
  };
}

function memberAnnotation(m: MemberAnnotation): CubeAnnotation {
  return {
    title: m.title,
    shortTitle: m.shortTitle,
    ...(m.description === undefined ? {} : { description: m.description }),
    type: m.type,
    ...(m.format === undefined ? {} : { format: m.format }),
    ...(m.currency === undefined ? {} : { currency: m.currency }),
  };
}

function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

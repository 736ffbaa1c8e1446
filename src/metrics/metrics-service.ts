import type { SecurityContext } from '../auth/index.js';
import type { CompareMode, MetricsQuery } from './metrics-query.js';

/**
 * Who is asking, as src/auth resolved it. The engine reads `data` (visible members, row filters,
 * PII visibility) and `role`; see access-enforcement.ts.
 */
export type { SecurityContext };

export type MemberKind = 'measure' | 'dimension' | 'timeDimension' | 'segment';

export interface MemberAnnotation {
  readonly name: string; // view.member
  readonly title: string;
  readonly shortTitle: string;
  readonly type: string; // number | string | time | boolean
  readonly format?: string | undefined; // currency | percent | ...
  /** ISO 4217 code when `format` is `currency`, e.g. `BRL`. */
  readonly currency?: string | undefined;
  readonly description?: string | undefined;
  /** For a time dimension in a result: the granularity its values are truncated to. */
  readonly granularity?: string | undefined;
}

export interface MetricsResult {
  /** Rows keyed by member name; time dimensions as `view.member.granularity` (Cube's convention) and also `view.member`. */
  readonly rows: readonly Record<string, string | number | boolean | null>[];
  readonly annotation: {
    readonly measures: readonly MemberAnnotation[];
    readonly dimensions: readonly MemberAnnotation[];
    readonly timeDimensions: readonly MemberAnnotation[];
    readonly segments: readonly MemberAnnotation[];
  };
  readonly dataVersion: number;
  readonly cached: boolean;
  /** Where the rows came from: the result cache, a pre-aggregated table, or the warehouse's tables. */
  readonly servedFrom: ServedFrom;
  /** When gold at `dataVersion` was published (ISO instant); null when no refresh ever ran. */
  readonly refreshedAt: string | null;
  /** The SQL that computed the rows (the cached run's, for a cache hit); only for callers with `metricsSql`. */
  readonly sql?: CompiledSql | undefined;
  /** For a query with `compare`: the mode and both ranges' local bounds (the SQL above is the current period's). */
  readonly comparison?: PeriodComparison | undefined;
}

export interface PeriodComparison {
  readonly mode: CompareMode;
  /** `[start, end]` local to the query timezone, `YYYY-MM-DDTHH:mm:ss.SSS`, both inclusive. */
  readonly dateRange: readonly [string, string];
  readonly previousDateRange: readonly [string, string];
}

/** One range of a `compareDateRange` query: its result, and the range as local bounds (like `PeriodComparison.dateRange`). */
export interface DateRangeResult extends MetricsResult {
  readonly dateRange: readonly [string, string];
}

export const SERVED_FROM = ['cache', 'pre-aggregation', 'warehouse'] as const;
export type ServedFrom = (typeof SERVED_FROM)[number];

export interface CatalogMember {
  readonly name: string;
  readonly kind: MemberKind;
  readonly title: string;
  readonly shortTitle: string;
  readonly type: string;
  readonly format?: string | undefined;
  /** ISO 4217 code when `format` is `currency`, e.g. `BRL`. */
  readonly currency?: string | undefined;
  readonly description?: string | undefined;
  /** For a measure, its aggregation as the model declares it (`sum`, `count`, `number`, ...). */
  readonly aggType?: string | undefined;
  /** The model's free-form `meta` of the member, as written in `cube/model` (e.g. `{ pii: true }`). */
  readonly meta?: Readonly<Record<string, unknown>> | undefined;
}

/** Where a view's numbers come from, layer by layer, down to the sources. */
export interface ViewLineage {
  readonly gold: readonly string[];
  readonly silver: readonly string[];
  readonly bronze: readonly string[];
  readonly sources: readonly string[];
}

/** Upstream of one gold table, as the pipeline knows it; undefined for a table no source feeds (a seeded one). */
export type TableLineageLookup = (goldTable: string) => Omit<ViewLineage, 'gold'> | undefined;

export interface CatalogView {
  readonly name: string;
  readonly title: string;
  readonly description?: string | undefined;
  readonly lineage: ViewLineage;
  readonly measures: readonly CatalogMember[];
  readonly dimensions: readonly CatalogMember[];
  readonly segments: readonly CatalogMember[];
}

export interface CompiledSql {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * The semantic engine as the API layers see it. Errors a caller can fix are thrown as
 * `MetricsQueryError` (see metrics-errors.ts) naming the offending member or field. Every call
 * applies the caller's access: hidden members are absent from `catalog` and refused in queries,
 * row filters are part of every compiled query, personal data is masked for roles without it.
 */
export interface MetricsService {
  load(query: MetricsQuery, ctx: SecurityContext): Promise<MetricsResult>;
  /** Cube's `compareDateRange`: one result per range, in the order given, each its own cached query. */
  loadCompareDateRange(query: MetricsQuery, ctx: SecurityContext): Promise<readonly DateRangeResult[]>;
  catalog(ctx: SecurityContext): Promise<readonly CatalogView[]>;
  /** The SQL a query compiles to, for benchmarks and `farol metrics sql`. */
  toSql(query: MetricsQuery, ctx: SecurityContext): Promise<CompiledSql>;
}

import { LRUCache } from 'lru-cache';
import type { RowFilter } from '../../auth/index.js';
import type { SqlValue, WarehouseDialect } from '../../warehouse/warehouse.js';
import { MetricsQueryError } from '../metrics-errors.js';
import type { MetricsResult } from '../metrics-service.js';
import { annotate, planColumns, type PlanColumn } from './alias-map.js';
import { toCubeQueryOptions } from './cube-query-adapter.js';
import { isCubeUserError, type CubeCompilers, type CubeQuery, type CubeQueryClass } from './cube-types.js';
import { queryClassFor } from './dialect-queries.js';
import { PREAGG_SCHEMA } from './rollup-definitions.js';
import { rollupReadingQueryClass } from './rollup-query.js';
import type { ModelCatalog } from './model-catalog.js';
import type { ResolvedQuery } from './query-resolution.js';
import { validateQuery } from './query-validator.js';
import { baseMember } from '../../auth/index.js';
import { forbiddenView } from '../access-enforcement.js';

/** Built SQL kept per distinct query; building costs ~0.5–20 ms, an entry a few KB. */
export const DEFAULT_SQL_CACHE_MAX_ENTRIES = 1_000;

export interface QueryPlan {
  readonly view: string;
  readonly sql: string;
  readonly params: readonly SqlValue[];
  readonly columns: readonly PlanColumn[];
  readonly annotation: MetricsResult['annotation'];
  /** Result keys holding personal data (`meta: { pii: true }`), masked for roles without PII. */
  readonly pii: readonly string[];
  /**
   * The rollup the SQL reads (`orders.sales_daily`, see `RollupDefinition`), under the unversioned
   * name Cube gives it; only from a planner that reads rollups.
   */
  readonly rollup?: string | undefined;
}

export interface QueryPlannerOptions {
  readonly maxEntries?: number;
  /**
   * Let Cube's rules answer from a declared rollup (SQL reading `preagg.<cube>_<name>`). Off,
   * rollups are ignored (Cube's `disableExternalPreAggregations`; every rollup is external) and
   * the SQL reads gold.
   */
  readonly readsRollups?: boolean;
}

/**
 * Turns resolved queries into SQL for one warehouse dialect with Cube's legacy planner, and
 * remembers the result per query key.
 */
export class QueryPlanner {
  private readonly queryClass: CubeQueryClass;
  private readonly cubeOptions: Record<string, unknown>;
  private readonly readsRollups: boolean;
  private readonly plans: LRUCache<string, QueryPlan> | undefined;
  private readonly reach = new Map<string, boolean>();

  constructor(
    private readonly compilers: CubeCompilers,
    private readonly catalog: ModelCatalog,
    dialect: WarehouseDialect,
    options: QueryPlannerOptions = {},
  ) {
    this.readsRollups = options.readsRollups ?? false;
    this.queryClass = this.readsRollups ? rollupReadingQueryClass(queryClassFor(dialect)) : queryClassFor(dialect);
    this.cubeOptions = this.readsRollups ? { preAggregationsSchema: PREAGG_SCHEMA } : { disableExternalPreAggregations: true };
    const max = options.maxEntries ?? DEFAULT_SQL_CACHE_MAX_ENTRIES;
    this.plans = max > 0 ? new LRUCache({ max }) : undefined;
  }

  /**
   * `key` must identify `query` and `rowFilters` exactly (see `resolveQuery`, `rowFilterKey`).
   * Row filters are ANDed beside the query's own filters at the top of Cube's filter list, so
   * they land in the WHERE clause of every (sub)query Cube builds; nothing in the query can OR
   * around them.
   */
  plan(query: ResolvedQuery, key: string, rowFilters: readonly RowFilter[] = []): QueryPlan {
    const cached = this.plans?.get(key);
    if (cached) return cached;
    const plan = this.build(query, rowFilters);
    this.plans?.set(key, plan);
    return plan;
  }

  /**
   * Whether a query on `view` can be joined to `cubeDimension` (a row filter's member). A view
   * that cannot reach it is closed to roles with that filter: its rows cannot be restricted.
   * Memoised; the model does not change while the process runs.
   */
  reaches(view: string, cubeDimension: string): boolean {
    const key = `${view}\u0001${cubeDimension}`;
    let known = this.reach.get(key);
    if (known === undefined) {
      const first = this.catalog.views.find((v) => v.name === view);
      const member = first?.measures[0] ?? first?.dimensions.find((d) => d.kind === 'dimension');
      known = member !== undefined && this.buildsWith(member.kind === 'measure' ? { measures: [member.name] } : { dimensions: [member.name] }, cubeDimension);
      this.reach.set(key, known);
    }
    return known;
  }

  private buildsWith(members: Record<string, string[]>, cubeDimension: string): boolean {
    try {
      new this.queryClass(this.compilers, {
        ...members,
        filters: [{ member: cubeDimension, operator: 'set' }],
        timezone: 'UTC',
        ...this.cubeOptions,
        useNativeSqlPlanner: false,
      }).buildSqlAndParams();
      return true;
    } catch (err) {
      if (isCubeUserError(err)) return false;
      throw err;
    }
  }

  clear(): void {
    this.plans?.clear();
  }

  /**
   * Cube initialises lazily on its first build (~200 ms against ~1–5 ms later); doing one build
   * at start-up keeps that off the first request.
   */
  warmUp(): void {
    const view = this.catalog.views[0];
    const measure = view?.measures[0];
    if (!view || !measure) return;
    const time = view.dimensions.find((d) => d.kind === 'timeDimension');
    this.build({
      measures: [measure.name],
      dimensions: [],
      timeDimensions: time ? [{ dimension: time.name, granularity: 'day' }] : [],
      filters: [],
      segments: [],
      order: [],
      timezone: 'UTC',
    });
  }

  private build(query: ResolvedQuery, rowFilters: readonly RowFilter[] = []): QueryPlan {
    const view = validateQuery(query, this.catalog);
    let sql: string;
    let params: unknown[];
    let aliases: Record<string, string>;
    let rollup: QueryPlan['rollup'];
    const options = toCubeQueryOptions(query);
    if (rowFilters.length > 0) {
      for (const f of rowFilters) if (!this.reaches(view, f.member)) throw forbiddenView(view);
      options.filters = [
        ...(options.filters as unknown[]),
        ...rowFilters.map((f) => ({ member: f.member, operator: f.operator, values: [...f.values] })),
      ];
    }
    try {
      const built = new this.queryClass(this.compilers, { ...options, ...this.cubeOptions, useNativeSqlPlanner: false });
      [sql, params] = built.buildSqlAndParams();
      aliases = built.aliasNameToMember;
      rollup = this.readsRollups ? rollupRead(built) : undefined;
    } catch (err) {
      throw translateCubeError(err, query);
    }
    const columns = planColumns(aliases, this.catalog);
    return Object.freeze({
      view,
      sql,
      params: Object.freeze(params.map(toSqlValue)),
      columns,
      annotation: annotate(query, columns, this.catalog),
      pii: Object.freeze(columns.filter((c) => this.catalog.member(baseMember(c.names[0] ?? ''))?.pii).flatMap((c) => c.names)),
      rollup,
    });
  }
}

/** The rollup Cube's rules chose for the built query (memoised by the query object). */
function rollupRead(built: CubeQuery): string | undefined {
  const found = built.preAggregations.findPreAggregationForQuery();
  return found ? `${found.cube}.${found.preAggregationName}` : undefined;
}

function toSqlValue(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof Date) return v;
  return String(v);
}

const NOT_FOUND = /not found for path '([^']+)'/;

/** Cube's user errors become `MetricsQueryError`, naming the query member the message mentions. */
function translateCubeError(err: unknown, query: ResolvedQuery): unknown {
  if (!isCubeUserError(err)) return err;
  const missing = NOT_FOUND.exec(err.message)?.[1];
  if (missing) return new MetricsQueryError('UNKNOWN_MEMBER', `Unknown member "${missing}"`, missing);
  const members = [...query.measures, ...query.dimensions, ...query.timeDimensions.map((td) => td.dimension), ...query.segments];
  const mentioned = members.find((m) => err.message.includes(m));
  return new MetricsQueryError('INVALID_QUERY', `Invalid query: ${err.message}`, mentioned);
}

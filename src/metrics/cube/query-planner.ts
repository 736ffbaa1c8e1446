import { LRUCache } from 'lru-cache';
import type { SqlValue, WarehouseDialect } from '../../warehouse/warehouse.js';
import { MetricsQueryError } from '../metrics-errors.js';
import type { MetricsResult } from '../metrics-service.js';
import { annotate, planColumns, type PlanColumn } from './alias-map.js';
import { toCubeQueryOptions } from './cube-query-adapter.js';
import { isCubeUserError, type CubeCompilers, type CubeQueryClass } from './cube-types.js';
import { queryClassFor } from './dialect-queries.js';
import type { ModelCatalog } from './model-catalog.js';
import type { ResolvedQuery } from './query-resolution.js';
import { validateQuery } from './query-validator.js';

/** Built SQL kept per distinct query; building costs ~0.5–20 ms, an entry a few KB. */
export const DEFAULT_SQL_CACHE_MAX_ENTRIES = 1_000;

export interface QueryPlan {
  readonly view: string;
  readonly sql: string;
  readonly params: readonly SqlValue[];
  readonly columns: readonly PlanColumn[];
  readonly annotation: MetricsResult['annotation'];
}

/**
 * Turns resolved queries into SQL for one warehouse dialect with Cube's legacy planner, and
 * remembers the result per query key.
 */
export class QueryPlanner {
  private readonly queryClass: CubeQueryClass;
  private readonly plans: LRUCache<string, QueryPlan> | undefined;

  constructor(
    private readonly compilers: CubeCompilers,
    private readonly catalog: ModelCatalog,
    dialect: WarehouseDialect,
    options: { readonly maxEntries?: number } = {},
  ) {
    this.queryClass = queryClassFor(dialect);
    const max = options.maxEntries ?? DEFAULT_SQL_CACHE_MAX_ENTRIES;
    this.plans = max > 0 ? new LRUCache({ max }) : undefined;
  }

  /** `key` must identify `query` exactly (see `resolveQuery`). */
  plan(query: ResolvedQuery, key: string): QueryPlan {
    const cached = this.plans?.get(key);
    if (cached) return cached;
    const plan = this.build(query);
    this.plans?.set(key, plan);
    return plan;
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

  private build(query: ResolvedQuery): QueryPlan {
    const view = validateQuery(query, this.catalog);
    let sql: string;
    let params: unknown[];
    let aliases: Record<string, string>;
    try {
      const built = new this.queryClass(this.compilers, { ...toCubeQueryOptions(query), useNativeSqlPlanner: false });
      [sql, params] = built.buildSqlAndParams();
      aliases = built.aliasNameToMember;
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
    });
  }
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

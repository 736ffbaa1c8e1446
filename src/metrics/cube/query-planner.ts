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
import { DATE_OPERATORS, queryShape, withSlotValues, type QueryShape } from './query-shape.js';
import { bindTemplate, deriveTemplate, sentinelValues, type ShapeTemplate, type SlotConverter } from './shape-template.js';

/** Built SQL kept per query shape; building costs ~0.5–20 ms, an entry a few KB. */
export const DEFAULT_SQL_CACHE_MAX_ENTRIES = 1_000;

/**
 * Every date bound of the Cube options is a time dimension's range from a day's first to a day's
 * last millisecond (as `toCubeQueryOptions` writes a range of dates), and no filter takes a date:
 * the values can then only align with a daily rollup the way the shape's sentinels (whole days,
 * `sentinelValues`) do. The sentinel ranges start and end no week, month, quarter or year
 * (shape-template.test.ts), so a template can only read a rollup at day grain, which answers
 * every whole-day range. Date filters are left to per-query plans.
 */
function onWholeDays(options: Record<string, unknown>): boolean {
  const dims = (options.timeDimensions ?? []) as { dateRange?: unknown }[];
  const ranges = dims.every((td) => {
    if (td.dateRange === undefined) return true;
    const [start, end] = Array.isArray(td.dateRange) ? (td.dateRange as unknown[]) : [];
    return typeof start === 'string' && typeof end === 'string' && DAY_START.test(start) && DAY_END.test(end);
  });
  return ranges && !hasDateFilter(options.filters);
}
const DAY_START = /^\d{4}-\d{2}-\d{2}T00:00:00\.000$/;
const DAY_END = /^\d{4}-\d{2}-\d{2}T23:59:59\.999$/;

function hasDateFilter(filters: unknown): boolean {
  if (!Array.isArray(filters)) return false;
  return filters.some((f: Record<string, unknown>) => hasDateFilter(f.and) || hasDateFilter(f.or) || DATE_OPERATORS.has(String(f.operator)));
}

/** Dialects whose SQL binds LIMIT and OFFSET as parameters; elsewhere the row window is part of the shape. */
const PARAMETERISED_LIMIT: Record<WarehouseDialect, boolean> = { duckdb: true, bigquery: false };

/** Query timezones whose Cube conversions are kept (a query instance each). */
const CONVERTERS_MAX = 64;

/** What the planner keeps per shape: a template, or the plans of a shape that cannot have one, by exact key. */
type ShapeEntry =
  | { readonly kind: 'template'; readonly template: ShapeTemplate; readonly plan: Omit<QueryPlan, 'sql' | 'params'> }
  | { readonly kind: 'exact'; readonly plans: LRUCache<string, QueryPlan> };

/** Plans kept per shape that has no template (see `deriveTemplate`). */
const EXACT_PLANS_PER_SHAPE = 32;

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
 * remembers the SQL per query shape (`query-shape.ts`): a query differing from a planned one
 * only in date range, filter values, row-filter values, limit or offset gets the same SQL text
 * with its own parameters, without Cube. The first query of a shape is built twice (with its
 * values and with sentinels, `shape-template.ts`); a shape whose SQL text would depend on its
 * values falls back to one plan per exact query.
 */
export class QueryPlanner {
  private readonly queryClass: CubeQueryClass;
  private readonly shapes: LRUCache<string, ShapeEntry> | undefined;
  private readonly converters = new LRUCache<string, SlotConverter>({ max: CONVERTERS_MAX });
  private readonly parameterisedLimit: boolean;
  /** Cube options of every build: where rollups live, or that none may be read. */
  private readonly extraCubeOptions: Record<string, unknown>;
  private readonly readsRollups: boolean;
  /** A rollup-reading planner's plans of queries with bounds inside a day, per exact query (see `plan`). */
  private readonly exact: LRUCache<string, QueryPlan> | undefined;
  private readonly reach = new Map<string, boolean>();

  constructor(
    private readonly compilers: CubeCompilers,
    private readonly catalog: ModelCatalog,
    dialect: WarehouseDialect,
    options: QueryPlannerOptions = {},
  ) {
    this.parameterisedLimit = PARAMETERISED_LIMIT[dialect];
    this.readsRollups = options.readsRollups ?? false;
    this.queryClass = this.readsRollups ? rollupReadingQueryClass(queryClassFor(dialect)) : queryClassFor(dialect);
    this.extraCubeOptions = this.readsRollups ? { preAggregationsSchema: PREAGG_SCHEMA } : { disableExternalPreAggregations: true };
    const max = options.maxEntries ?? DEFAULT_SQL_CACHE_MAX_ENTRIES;
    this.shapes = max > 0 ? new LRUCache({ max }) : undefined;
    this.exact = max > 0 && this.readsRollups ? new LRUCache({ max }) : undefined;
  }

  /**
   * `key` must identify `query` and `rowFilters` exactly (see `resolveQuery`, `rowFilterKey`).
   * Row filters are ANDed beside the query's own filters at the top of Cube's filter list, so
   * they land in the WHERE clause of every (sub)query Cube builds; nothing in the query can OR
   * around them. Their values are slots of the shape like any filter value.
   */
  plan(query: ResolvedQuery, key: string, rowFilters: readonly RowFilter[] = []): QueryPlan {
    // Validation reads values too (a number member takes numbers, …), so it runs for every query.
    const view = validateQuery(query, this.catalog);
    const options = this.cubeOptions(query, view, rowFilters);
    if (this.readsRollups && !onWholeDays(options)) {
      // Whether a rollup serves a query depends on its date values only through their alignment
      // (a range cutting through a day does not match a daily rollup). Ranges over whole days
      // align like the shape's sentinels (whole days too), so those queries share the shape's
      // template, checked against a real build like any other; the rest are planned per query.
      const known = this.exact?.get(key);
      if (known) return known;
      const plan = this.build(query, view, options);
      this.exact?.set(key, plan);
      return plan;
    }
    const shape = queryShape(options, this.parameterisedLimit);
    const entry = this.shapes?.get(shape.key);
    if (entry?.kind === 'template') return this.bind(entry, shape, query.timezone);
    const known = entry?.plans.get(key);
    if (known) return known;
    const plan = this.build(query, view, options);
    if (entry) {
      entry.plans.set(key, plan);
      return plan;
    }
    if (!this.shapes) return plan;
    const created = this.shapeEntry(query, options, shape, plan, key);
    this.shapes.set(shape.key, created);
    // Served through the template from the first query on, so every query of a shape runs one SQL text.
    return created.kind === 'template' ? this.bind(created, shape, query.timezone) : plan;
  }

  private bind(entry: Extract<ShapeEntry, { kind: 'template' }>, shape: QueryShape, timezone: string): QueryPlan {
    const params = bindTemplate(entry.template, shape.slots, this.converter(timezone));
    return Object.freeze({ ...entry.plan, sql: entry.template.sql, params: Object.freeze(params) });
  }

  /** How many shapes have a template, and how many are planned per exact query (for tests and logs). */
  shapeStats(): { templates: number; exact: number } {
    let templates = 0;
    let exact = 0;
    for (const e of this.shapes?.values() ?? []) {
      if (e.kind === 'template') templates++;
      else exact++;
    }
    return { templates, exact };
  }

  private shapeEntry(query: ResolvedQuery, options: Record<string, unknown>, shape: QueryShape, plan: QueryPlan, key: string): ShapeEntry {
    const template = this.template(query, options, shape, plan);
    if (template) {
      const { sql: _sql, params: _params, ...rest } = plan;
      return { kind: 'template', template, plan: rest };
    }
    const plans = new LRUCache<string, QueryPlan>({ max: EXACT_PLANS_PER_SHAPE });
    plans.set(key, plan);
    return { kind: 'exact', plans };
  }

  /** Cube's SQL for the shape's sentinels, checked against the real build; see `deriveTemplate`. */
  private template(query: ResolvedQuery, options: Record<string, unknown>, shape: QueryShape, real: QueryPlan): ShapeTemplate | undefined {
    const sentinels = sentinelValues(shape.slots);
    if (!sentinels) return undefined;
    let built: [string, unknown[]];
    try {
      built = new this.queryClass(this.compilers, { ...withSlotValues(options, this.parameterisedLimit, sentinels), ...this.extraCubeOptions, useNativeSqlPlanner: false }).buildSqlAndParams();
    } catch {
      // A sentinel Cube refuses where the real value passed: this shape is planned per query.
      return undefined;
    }
    return deriveTemplate(shape.slots, sentinels, { sql: built[0], params: built[1].map(toSqlValue) }, real, this.converter(query.timezone));
  }

  /** Cube's conversions of literals for one timezone, from a query instance Cube never builds. */
  private converter(timezone: string): SlotConverter {
    let converter = this.converters.get(timezone);
    if (!converter) {
      const view = this.catalog.views[0];
      const member = view?.dimensions[0]?.name ?? view?.measures[0]?.name;
      const query = new this.queryClass(this.compilers, { measures: [], dimensions: [], timezone, useNativeSqlPlanner: false });
      const filter = query.newFilter({ dimension: member, operator: 'inDateRange', values: [] });
      converter = {
        from: (v) => String(filter.inDbTimeZoneDateFrom(v)),
        to: (v) => String(filter.inDbTimeZoneDateTo(v)),
        localFrom: (v) => String(filter.formatFromDate(v)),
        localTo: (v) => String(filter.formatToDate(v)),
        escape: (v) => String(filter.escapeWildcardChars(v)),
      };
      this.converters.set(timezone, converter);
    }
    return converter;
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
    this.shapes?.clear();
    this.exact?.clear();
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
    const query: ResolvedQuery = {
      measures: [measure.name],
      dimensions: [],
      timeDimensions: time ? [{ dimension: time.name, granularity: 'day' }] : [],
      filters: [],
      segments: [],
      order: [],
      timezone: 'UTC',
    };
    this.build(query, view.name, this.cubeOptions(query, view.name, []));
  }

  private cubeOptions(query: ResolvedQuery, view: string, rowFilters: readonly RowFilter[]): Record<string, unknown> {
    const options = toCubeQueryOptions(query);
    if (rowFilters.length > 0) {
      for (const f of rowFilters) if (!this.reaches(view, f.member)) throw forbiddenView(view);
      options.filters = [
        ...(options.filters as unknown[]),
        ...rowFilters.map((f) => ({ member: f.member, operator: f.operator, values: [...f.values] })),
      ];
    }
    return options;
  }

  private build(query: ResolvedQuery, view: string, options: Record<string, unknown>): QueryPlan {
    let sql: string;
    let params: unknown[];
    let aliases: Record<string, string>;
    let rollup: QueryPlan['rollup'];
    try {
      const built = new this.queryClass(this.compilers, { ...options, ...this.extraCubeOptions, useNativeSqlPlanner: false });
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
/**
 * Cube's cap on the periods a rolling window is computed over (`checkSeriesForDateRange`: hours
 * over decades) is a caller's mistake, but Cube throws it as a plain Error, not a UserError.
 */
const SERIES_LIMIT = /^The count of generated date ranges/;

function translateCubeError(err: unknown, query: ResolvedQuery): unknown {
  if (!isCubeUserError(err) && !(err instanceof Error && SERIES_LIMIT.test(err.message))) return err;
  const missing = NOT_FOUND.exec(err.message)?.[1];
  if (missing) return new MetricsQueryError('UNKNOWN_MEMBER', `Unknown member "${missing}"`, missing);
  const members = [...query.measures, ...query.dimensions, ...query.timeDimensions.map((td) => td.dimension), ...query.segments];
  const mentioned = members.find((m) => err.message.includes(m));
  return new MetricsQueryError('INVALID_QUERY', `Invalid query: ${err.message}`, mentioned);
}

import type { Logger } from '../observability/logger.js';
import { assertQueryAllowed, catalogFor, maskRows, rowFilterKey, securityKey } from './access-enforcement.js';
import { baseMember, memberVisible } from '../auth/index.js';
import { loadComparingPeriods, loadDateRanges, type PeriodLoadDeps } from './periods/period-loads.js';
import type { DataVersions } from '../warehouse/data-version.js';
import { WarehouseQueryTimeoutError, type Row, type Warehouse } from '../warehouse/warehouse.js';
import { compileModel } from './cube/model-compiler.js';
import { ModelCatalog, type ModelView } from './cube/model-catalog.js';
import { QueryPlanner, type QueryPlan } from './cube/query-planner.js';
import { resolveQuery, type QueryResolution } from './cube/query-resolution.js';
import { queryClassFor } from './cube/dialect-queries.js';
import { rollupDefinitions } from './cube/rollup-definitions.js';
import { PreAggregations } from './pre-aggregations/pre-aggregations.js';
import type { RollupPlan } from './pre-aggregations/rollup-routing.js';
import { MetricsTimeoutError } from './metrics-errors.js';
import { DEFAULT_QUERY_TIMEOUT_MS, type MetricsQuery } from './metrics-query.js';
import type { CatalogView, CompiledSql, DateRangeResult, MetricsResult, MetricsService, SecurityContext, ServedFrom, TableLineageLookup } from './metrics-service.js';
import { ResolutionMemo } from './resolution-memo.js';
import { ResultCache, resultCacheKey } from './result-cache.js';
import { mapRows } from './result-rows.js';

export interface SemanticEngineOptions {
  readonly warehouse: Warehouse;
  /** Folder with the Cube model (`cube/model`): `cubes/*.yml`, `views/*.yml`. */
  readonly modelDir: string;
  readonly dataVersions: DataVersions;
  /** Business timezone (IANA); queries that set no `timezone` are grouped and filtered in it. */
  readonly timezone: string;
  readonly cache: { readonly maxEntries: number; readonly ttlMs: number };
  /** Built SQL kept per distinct query; defaults to `DEFAULT_SQL_CACHE_MAX_ENTRIES`. */
  readonly sqlCacheMaxEntries?: number;
  /** Per warehouse query; defaults to `DEFAULT_QUERY_TIMEOUT_MS`. */
  readonly queryTimeoutMs?: number;
  /** What feeds each gold table, for the catalog's lineage (the pipeline knows; the engine does not). */
  readonly lineage?: TableLineageLookup;
  /**
   * Build the model's rollups after each gold publish and answer matching queries from them
   * (`FAROL_PREAGGREGATIONS`, on in the service). Off here by default: without it every answer
   * reads gold, and the engine never writes to the warehouse.
   */
  readonly preAggregations?: boolean;
  readonly logger?: Logger;
  /**
   * Told of every result-cache lookup: `true` when a stored entry answered, `false` when the
   * warehouse was asked (a miss, a renew, a run joined in flight, a failed run). For the hit
   * ratio; must not throw.
   */
  readonly onCacheLookup?: (hit: boolean) => void;
}

/** What the cache keeps: the computed answer and how it was computed; who sees the SQL is decided per call. */
type CachedResult = Omit<MetricsResult, 'cached' | 'servedFrom' | 'sql'> & {
  readonly computedFrom: Exclude<ServedFrom, 'cache'>;
  readonly compiled: CompiledSql;
};

/**
 * Farol's semantic engine: the Cube model compiled once at start-up, queries compiled to SQL for
 * the warehouse's dialect with the caller's row filters, run through the warehouse port, results
 * cached by query + security context + gold data version. See CONTEXT.md for the invariants.
 */
export class SemanticEngine implements MetricsService {
  private readonly results: ResultCache<CachedResult>;
  private readonly resolutions: ResolutionMemo;
  private readonly unsubscribe: () => void;
  private closed = false;

  private constructor(
    private readonly options: SemanticEngineOptions,
    private readonly catalogModel: ModelCatalog,
    private readonly planner: QueryPlanner,
    /** How long compiling the model took at start-up, in ms. */
    readonly compileMs: number,
    /** The model's rollups and their builds; undefined when pre-aggregations are off. */
    readonly preAggregations: PreAggregations | undefined,
  ) {
    this.results = new ResultCache(options.cache);
    this.resolutions = new ResolutionMemo(options.timezone);
    // Entries of an older version can no longer be hit; dropping them frees the memory at once.
    this.unsubscribe = options.dataVersions.onChange(() => this.results.clear());
  }

  /** Compiles the model (start-up fails on any model error) and loads the dialect's SQL generator. */
  static async create(options: SemanticEngineOptions): Promise<SemanticEngine> {
    const opts = Object.freeze({ ...options, cache: Object.freeze({ ...options.cache }) });
    assertTimezone(opts.timezone);
    const model = await compileModel(opts.modelDir);
    const catalog = ModelCatalog.fromCompilers(model.compilers, opts.lineage);
    const planner = new QueryPlanner(model.compilers, catalog, opts.warehouse.dialect, { maxEntries: opts.sqlCacheMaxEntries });
    planner.warmUp();
    // Checked even when off: a rollup Farol cannot serve is a model error, like a Jinja file.
    const rollups = rollupDefinitions(model.compilers, queryClassFor(opts.warehouse.dialect), opts.timezone);
    const preAggregations = opts.preAggregations
      ? new PreAggregations({
          compilers: model.compilers, catalog, rollups, warehouse: opts.warehouse, dataVersions: opts.dataVersions,
          timezone: opts.timezone, sqlCacheMaxEntries: opts.sqlCacheMaxEntries, logger: opts.logger,
        })
      : undefined;
    opts.logger?.info(
      { modelDir: model.modelDir, files: model.files.length, views: catalog.views.map((v) => v.name), compileMs: Math.round(model.compileMs) },
      'semantic model compiled',
    );
    return new SemanticEngine(opts, catalog, planner, model.compileMs, preAggregations);
  }

  async load(query: MetricsQuery, ctx: SecurityContext): Promise<MetricsResult> {
    this.assertOpen();
    const compare = typeof query === 'object' && query !== null ? (query as { compare?: unknown }).compare : undefined;
    return compare === undefined ? this.loadOne(query, ctx) : loadComparingPeriods(query, this.periodDeps(ctx));
  }

  async loadCompareDateRange(query: MetricsQuery, ctx: SecurityContext): Promise<readonly DateRangeResult[]> {
    this.assertOpen();
    return loadDateRanges(query, this.periodDeps(ctx));
  }

  /** The multi-query answers (periods/) run their parts through `loadOne`, so each part is cached on its own. */
  private periodDeps(ctx: SecurityContext): PeriodLoadDeps {
    return {
      timezone: this.options.timezone,
      load: (q) => this.loadOne(q, ctx),
      masked: (m) => !ctx.data.piiVisible && memberVisible(ctx.data, m) && this.catalogModel.member(baseMember(m))?.pii === true,
    };
  }

  private async loadOne(query: MetricsQuery, ctx: SecurityContext): Promise<MetricsResult> {
    const resolution = this.resolutions.resolve(query);
    assertQueryAllowed(resolution.query, ctx.data, this.catalogModel);
    const version = this.options.dataVersions.current();
    const refreshedAt = this.options.dataVersions.refreshedAt() ?? null;
    const key = resultCacheKey(resolution.key, securityKey(ctx), version);
    let outcome: Awaited<ReturnType<typeof this.results.getOrLoad>>;
    try {
      outcome = await this.results.getOrLoad(key, resolution.renew, () => this.run(resolution, ctx, version, refreshedAt));
    } catch (err) {
      this.options.onCacheLookup?.(false);
      throw err;
    }
    const { value, cached } = outcome;
    this.options.onCacheLookup?.(cached);
    const { computedFrom, compiled, ...answer } = value;
    const result: MetricsResult = { ...answer, cached, servedFrom: cached ? 'cache' : computedFrom };
    return ctx.capabilities.has('metricsSql') ? { ...result, sql: compiled } : result;
  }

  async catalog(ctx: SecurityContext): Promise<readonly CatalogView[]> {
    this.assertOpen();
    const rows = ctx.data.rowFilters;
    return catalogFor(this.catalogModel.views, ctx.data, (view) => rows.every((f) => this.planner.reaches(view, f.member)));
  }

  /**
   * Every public view as the model defines it, for faces that generate an API from the model
   * (the typed GraphQL schema). Not filtered by any caller's access: use `catalog(ctx)` for that.
   */
  get modelViews(): readonly ModelView[] {
    return this.catalogModel.views;
  }

  async toSql(query: MetricsQuery, ctx: SecurityContext): Promise<CompiledSql> {
    this.assertOpen();
    const resolution = resolveQuery(query, this.options.timezone);
    assertQueryAllowed(resolution.query, ctx.data, this.catalogModel);
    const plan = this.rollupPlan(resolution, ctx, this.options.dataVersions.current()) ?? this.plan(resolution, ctx);
    return { sql: plan.sql, params: plan.params };
  }

  /**
   * Row-filter members that are not cube dimensions of the model, for start-up checks of the
   * access file: a rule on a missing member would refuse every query of its role.
   */
  unknownRowFilterMembers(members: readonly string[]): string[] {
    return members.filter((m) => !this.catalogModel.isCubeDimension(m));
  }

  /**
   * Forgets every built SQL plan, gold's and the rollups' (Cube's own per-query cache is keyed by
   * literal values, so new values miss it too): the next query of each shape pays Cube's planning
   * again. For benchmarks that measure a cold plan; results stay cached.
   */
  dropQueryPlans(): void {
    this.planner.clear();
    this.preAggregations?.dropPlans();
  }

  /** Stops serving and drops caches. The warehouse belongs to the caller and stays open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    await this.preAggregations?.close();
    this.results.clear();
    this.planner.clear();
  }

  private plan(resolution: QueryResolution, ctx: SecurityContext): QueryPlan {
    return this.planner.plan(resolution.query, planKey(resolution, ctx), ctx.data.rowFilters);
  }

  /** The plan reading a rollup built for `dataVersion`, when one serves the query. */
  private rollupPlan(resolution: QueryResolution, ctx: SecurityContext, dataVersion: number): RollupPlan | undefined {
    return this.preAggregations?.planFor(resolution.query, planKey(resolution, ctx), ctx.data.rowFilters, dataVersion);
  }

  /** Masking happens before the result is cached, under a key that includes PII visibility. */
  private async run(resolution: QueryResolution, ctx: SecurityContext, dataVersion: number, refreshedAt: string | null): Promise<CachedResult> {
    const started = performance.now();
    const rolled = this.rollupPlan(resolution, ctx, dataVersion);
    let plan: QueryPlan = rolled ?? this.plan(resolution, ctx);
    const planned = performance.now();
    let raw: Row[];
    try {
      raw = await this.execute(plan);
    } catch (err) {
      // A rollup read that fails (its build dropped under a slow query, a warehouse hiccup) is
      // answered from gold; a timeout is not retried, and gold's own failure is the one reported.
      if (rolled === undefined || plan !== rolled || err instanceof MetricsTimeoutError) throw err;
      this.options.logger?.warn({ err, rollup: rolled.build.table }, 'reading the pre-aggregation failed; answering from gold');
      plan = this.plan(resolution, ctx);
      raw = await this.execute(plan);
    }
    const mapped = mapRows(raw, plan.columns);
    const rows = ctx.data.piiVisible ? mapped : maskRows(mapped, plan.pii);
    const result: CachedResult = Object.freeze({
      rows, annotation: plan.annotation, dataVersion, refreshedAt,
      computedFrom: plan === rolled ? 'pre-aggregation' : 'warehouse', compiled: Object.freeze({ sql: plan.sql, params: plan.params }),
    });
    this.options.logger?.debug(
      { view: plan.view, role: ctx.role, rollup: plan === rolled ? rolled.build.table : undefined, rows: rows.length, planMs: round(planned - started), queryMs: round(performance.now() - planned), dataVersion },
      'metrics query',
    );
    return result;
  }

  private async execute(plan: QueryPlan): Promise<Row[]> {
    const timeoutMs = this.options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    return this.options.warehouse.query(plan.sql, plan.params, { timeoutMs }).catch((err: unknown) => {
      throw err instanceof WarehouseQueryTimeoutError ? new MetricsTimeoutError(err.timeoutMs) : err;
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('semantic engine is closed');
  }
}

export function createSemanticEngine(options: SemanticEngineOptions): Promise<SemanticEngine> {
  return SemanticEngine.create(options);
}

/** Identifies the query and the caller's row filters exactly: the key of built SQL. */
function planKey(resolution: QueryResolution, ctx: SecurityContext): string {
  const rows = rowFilterKey(ctx.data);
  return rows === '' ? resolution.key : `${resolution.key}\u0001${rows}`;
}

function assertTimezone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new Error(`semantic engine: timezone "${tz}" is not an IANA time zone (e.g. America/Sao_Paulo)`);
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

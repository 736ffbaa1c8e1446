import { createHash } from 'node:crypto';
import type { SecurityContext } from '../auth/index.js';
import { resolveQuery, type QueryResolution } from '../metrics/cube/query-resolution.js';
import { DEFAULT_ROW_LIMIT, MAX_ROW_LIMIT, type MetricsQuery } from '../metrics/metrics-query.js';
import type { MetricsResult, MetricsService } from '../metrics/metrics-service.js';
import { canonicalJson } from '../metrics/query-key.js';
import { CubeApiRequestError } from './cube-api-errors.js';
import { requireCapability } from './cube-credentials.js';
import { parseCubeLoadRequest, QUERY_TYPES, type CubeLoadRequest, type QueryType } from './cube-query.js';
import { toCubeMulti, toCubeResult, type CubeLoadResult, type CubeMultiResult } from './load-response.js';
import { toCubeMeta } from './meta-response.js';
import { effectiveOrder, normalizeForCube, pivotQueryOf, type NormalizedQuery } from './normalized-query.js';
import { PendingAnswers, type PendingAnswersOptions } from './pending-answers.js';

/** Rows in one `/load` answer, over all its queries: a blending request cannot sum to an export. */
export const MAX_ROWS_PER_RESPONSE = MAX_ROW_LIMIT;

/** The parameters of `/load`, `/sql` and `/dry-run`, from the query string (GET) or the body (POST). */
export interface CubeQueryParams {
  readonly query: unknown;
  /** `multi` from Cube's client: answer `{ queryType, results, pivotQuery }`. */
  readonly queryType?: string | undefined;
  readonly cache?: 'stale-if-slow' | 'stale-while-revalidate' | 'must-revalidate' | 'no-cache' | undefined;
}

export type LoadAnswer = { readonly kind: 'result'; readonly body: CubeLoadResult | CubeMultiResult } | { readonly kind: 'continue-wait'; readonly elapsedMs: number };

export interface CubeApiServiceOptions {
  readonly metrics: MetricsService;
  /** The business timezone: a query without `timezone` runs in it, as in the engine. */
  readonly timezone: string;
  /** Reported as Cube's `dbType` (`duckdb`, `bigquery`). */
  readonly dbType: string;
  readonly pending?: PendingAnswersOptions;
}

interface Planned {
  readonly resolution: QueryResolution;
  readonly engineQuery: MetricsQuery;
  readonly normalized: NormalizedQuery;
  readonly total: boolean;
}

/**
 * What the four endpoints do, over the semantic engine and the caller's security context; the
 * routes only read parameters and write answers. Every query is resolved (relative dates,
 * timezone) once here, so the echo Cube's client pivots on and the query the engine runs agree.
 */
export class CubeApiService {
  readonly #pending: PendingAnswers<CubeLoadResult | CubeMultiResult>;

  constructor(private readonly options: CubeApiServiceOptions) {
    this.#pending = new PendingAnswers(options.pending);
  }

  async load(ctx: SecurityContext, params: CubeQueryParams): Promise<LoadAnswer> {
    requireCapability(ctx, 'metrics', 'query metrics');
    const request = parseCubeLoadRequest(params.query, params.cache);
    if (request.queryType !== QUERY_TYPES.regular && params.queryType !== 'multi') {
      throw new CubeApiRequestError(`'${request.queryType}' query type is not supported by the client. Please update the client (send queryType "multi").`);
    }
    const planned = this.plan(request);
    const multi = params.queryType === 'multi';
    const key = pendingKey(ctx, request, planned, multi);
    const answer = await this.#pending.answer(key, () => this.run(ctx, request, planned, multi));
    return answer.done ? { kind: 'result', body: answer.value } : { kind: 'continue-wait', elapsedMs: answer.elapsedMs };
  }

  async sql(ctx: SecurityContext, params: CubeQueryParams): Promise<unknown> {
    requireCapability(ctx, 'metrics', 'query metrics');
    requireCapability(ctx, 'metricsSql', 'see the SQL of metrics queries');
    const request = parseCubeLoadRequest(params.query);
    const planned = this.plan(request);
    const compiled = await Promise.all(planned.map((p) => this.options.metrics.toSql(p.engineQuery, ctx)));
    const answers = compiled.map((c, i) => ({
      sql: {
        sql: [c.sql, c.params],
        order: effectiveOrder((planned[i] as Planned).resolution.query),
        external: false,
        dataSource: 'default',
        preAggregations: [],
        rollupMatchResults: [],
      },
      dataSource: 'default',
    }));
    return request.queryType === QUERY_TYPES.regular ? answers[0] : answers;
  }

  /** Validates every query as `/load` would (members, access) without running it. */
  async dryRun(ctx: SecurityContext, params: CubeQueryParams): Promise<unknown> {
    requireCapability(ctx, 'metrics', 'query metrics');
    const request = parseCubeLoadRequest(params.query);
    const planned = this.plan(request);
    await Promise.all(planned.map((p) => this.options.metrics.toSql(p.engineQuery, ctx)));
    const normalizedQueries = planned.map((p) => p.normalized);
    return {
      queryType: request.queryType,
      normalizedQueries,
      queryOrder: planned.map((p) => effectiveOrder(p.resolution.query)),
      transformedQueries: planned.map(() => null),
      pivotQuery: pivotQueryOf(request.queryType, normalizedQueries),
    };
  }

  async meta(ctx: SecurityContext): Promise<unknown> {
    requireCapability(ctx, 'metrics', 'query metrics');
    return toCubeMeta(await this.options.metrics.catalog(ctx));
  }

  private plan(request: CubeLoadRequest): Planned[] {
    return request.queries.map((q) => {
      const resolution = resolveQuery(q.input, this.options.timezone);
      const engineQuery: MetricsQuery = { ...resolution.query, ...(resolution.renew ? { renewQuery: true } : {}) };
      const normalized = normalizeForCube(resolution.query, { total: q.total, responseFormat: request.responseFormat, queryType: request.queryType });
      return { resolution, engineQuery, normalized, total: q.total };
    });
  }

  private async run(ctx: SecurityContext, request: CubeLoadRequest, planned: readonly Planned[], multi: boolean): Promise<CubeLoadResult | CubeMultiResult> {
    const { metrics, dbType } = this.options;
    const answers = await Promise.all(
      planned.map(async (p) => {
        const result = await metrics.load(p.engineQuery, ctx);
        const total = p.total ? await this.total(ctx, p.engineQuery, result) : null;
        return { result, total };
      }),
    );
    const rows = answers.reduce((n, a) => n + a.result.rows.length, 0);
    if (rows > MAX_ROWS_PER_RESPONSE) {
      throw new CubeApiRequestError(`The answer has ${rows} rows, more than ${MAX_ROWS_PER_RESPONSE} in one response; ask for fewer (limit) or split the request`);
    }
    const results = answers.map(({ result, total }, i) =>
      toCubeResult(result, { query: (planned[i] as Planned).normalized, queryType: request.queryType, responseFormat: request.responseFormat, total, dbType }),
    );
    if (!multi) return results[0] as CubeLoadResult;
    return toCubeMulti(request.queryType, results, pivotQueryOf(request.queryType, planned.map((p) => p.normalized)));
  }

  /**
   * Cube's `total`: the row count without limit and offset. Known from the answer itself when it
   * is the first page and not full; otherwise counted by a second run of at most `MAX_ROW_LIMIT` rows.
   */
  private async total(ctx: SecurityContext, query: MetricsQuery, page: MetricsResult): Promise<number> {
    const offset = query.offset ?? 0;
    if (offset === 0 && page.rows.length < (query.limit ?? DEFAULT_ROW_LIMIT)) return page.rows.length;
    const { offset: _offset, ...unpaged } = query;
    const all = await this.options.metrics.load({ ...unpaged, limit: MAX_ROW_LIMIT, order: [] }, ctx);
    if (all.rows.length >= MAX_ROW_LIMIT) throw new CubeApiRequestError(`total: the query has at least ${MAX_ROW_LIMIT} rows, more than Farol counts; drop "total" or narrow the query`);
    return all.rows.length;
  }
}

/** The caller (who they are and what they may see) and the resolved request: a poll joins only its own run. */
function pendingKey(ctx: SecurityContext, request: CubeLoadRequest, planned: readonly Planned[], multi: boolean): string {
  const identity = canonicalJson({ role: ctx.role, subject: ctx.subject, credential: ctx.credential, data: ctx.data });
  const queries = canonicalJson({
    queryType: request.queryType satisfies QueryType,
    multi,
    responseFormat: request.responseFormat,
    queries: planned.map((p) => ({ key: p.resolution.key, renew: p.resolution.renew, total: p.total })),
  });
  return createHash('sha256').update(identity).update('\u0000').update(queries).digest('base64url');
}

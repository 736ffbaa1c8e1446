import type { SecurityContext } from '../auth/index.js';
import { MAX_ROW_LIMIT, type MetricsQuery } from '../metrics/metrics-query.js';
import type { MetricsService } from '../metrics/metrics-service.js';
import type { SemanticPlan } from './semantic-plan.js';
import { SqlError, SQLSTATE } from './sql-error.js';

/**
 * Rows one SQL statement may return. The engine answers at most `MAX_ROW_LIMIT` rows per query,
 * so a larger answer is read page by page; past this many rows the statement fails with 54000
 * (after the rows already sent) rather than be cut silently.
 */
export const MAX_RESULT_ROWS = 1_000_000;

/**
 * The rows of a semantic plan, in engine form (keyed by member), read from the engine one page
 * of `pageSize` at a time so a large answer is never held whole. Pages after the first are
 * ordered by every grouped member as a tie-break, so paging neither repeats nor skips a row,
 * and must come from the same gold data version as the first (else 40001: run it again).
 * Each page goes through `metrics.load` with the caller's context: access rules, row filters,
 * PII masking, the result cache and pre-aggregations apply to every page.
 */
export async function* semanticRows(
  plan: SemanticPlan,
  metrics: MetricsService,
  ctx: SecurityContext,
  signal: AbortSignal,
  options: {
    /** False for members the caller may not order by (personal data without PII access). */
    readonly orderable?: (member: string) => boolean;
    readonly pageSize?: number;
  } = {},
): AsyncGenerator<Readonly<Record<string, unknown>>> {
  const pageSize = options.pageSize ?? MAX_ROW_LIMIT;
  const wanted = plan.limit ?? MAX_RESULT_ROWS + 1;
  if (wanted === 0) {
    // LIMIT 0 still validates the query (members, access) as PostgreSQL would plan it.
    await abortable(metrics.load({ ...plan.query, limit: 1 } as MetricsQuery, ctx), signal);
    return;
  }
  const paged = wanted > pageSize;
  const tieBreak = paged ? withTieBreak(plan.query, options.orderable ?? (() => true)) : undefined;
  const order = tieBreak ?? plan.query.order;
  let offset = plan.offset;
  let sent = 0;
  let version: number | undefined;
  while (sent < wanted) {
    const limit = Math.min(pageSize, wanted - sent);
    const result = await abortable(metrics.load({ ...plan.query, order, limit, offset } as MetricsQuery, ctx), signal);
    if (version !== undefined && result.dataVersion !== version) {
      throw new SqlError(SQLSTATE.serializationFailure, 'The governed data was refreshed while this result was being read; run the query again');
    }
    version = result.dataVersion;
    if (paged && tieBreak === undefined && result.rows.length === limit) {
      // Without an order over every grouped member, later pages could repeat or skip rows.
      throw new SqlError(
        SQLSTATE.programLimitExceeded,
        `The result has more than ${pageSize} rows and is grouped by personal data this role may not order by, so it cannot be read page by page; add LIMIT ${pageSize} or less, or narrow the query`,
      );
    }
    for (const row of result.rows) {
      if (sent === MAX_RESULT_ROWS && plan.limit === undefined) {
        throw new SqlError(SQLSTATE.programLimitExceeded, `The result has more than ${MAX_RESULT_ROWS} rows, more than Farol's SQL API returns for one statement; add a LIMIT or narrow the query`);
      }
      yield row;
      sent++;
    }
    if (result.rows.length < limit) return;
    offset += result.rows.length;
  }
}

/** The plan's order, then every grouped member ascending; undefined when one of them may not be ordered by. */
function withTieBreak(query: SemanticPlan['query'], orderable: (member: string) => boolean): MetricsQuery['order'] | undefined {
  const order = [...query.order];
  const ordered = new Set(order.map(([m]) => m));
  const grouped = [...query.dimensions, ...query.timeDimensions.filter((td) => td.granularity).map((td) => td.dimension)];
  for (const m of grouped) {
    if (ordered.has(m)) continue;
    if (!orderable(m)) return undefined;
    order.push([m, 'asc']);
    ordered.add(m);
  }
  return order;
}

/** Rejects with 57014 as soon as `signal` aborts (a CancelRequest); the engine's run finishes on its own, bounded by its query timeout. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(canceled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(canceled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export function canceled(): SqlError {
  return new SqlError(SQLSTATE.queryCanceled, 'canceling statement due to user request');
}

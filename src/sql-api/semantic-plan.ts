import type { MetricsQuery } from '../metrics/metrics-query.js';
import type { SqlType } from './sql-types.js';

/** One column of a semantic statement's answer: its name, type, and the engine row key it reads. */
export interface OutputColumn {
  readonly name: string;
  readonly type: SqlType;
  /** Key in the engine's result rows: `sales.channel`, `sales.order_date.month`, `sales.revenue`. */
  readonly key: string;
  /** What a NULL becomes (`COALESCE(SUM(m), 0)`); absent: NULL stays NULL. */
  readonly ifNull?: number;
}

/**
 * A SELECT over one view as the semantic engine's own query (members, filters, order) plus the
 * row window the SQL asked for. The query has no limit/offset: the runner pages through the
 * engine with them.
 */
export interface SemanticPlan {
  readonly view: string;
  readonly query: Omit<MetricsQuery, 'limit' | 'offset'>;
  readonly columns: readonly OutputColumn[];
  /** `LIMIT`; undefined when absent or `LIMIT ALL`. */
  readonly limit: number | undefined;
  readonly offset: number;
}

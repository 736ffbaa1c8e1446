import type { CubeQueryClass } from './cube-types.js';

/** The member of Cube's `BaseQuery` that re-aggregates a rollup column. */
interface GroupedColumnAggregator {
  aggregateOnGroupedColumn(symbol: { readonly type: string }, sql: string, topLevelMerge: boolean, measurePath: string): string | undefined;
}

/**
 * The dialect's query class for reading rollups. Cube re-aggregates a `count` stored in a rollup
 * as `sum(column)`, which is null over no rows, where counting gold gives 0: a total filtered to
 * a store with no orders would say null from the rollup and 0 from the warehouse. Wrapping it in
 * `COALESCE(…, 0)` keeps the rollup's answer equal to the raw one, also inside ratios and
 * measure filters built on the count. Everything else is the dialect's own SQL.
 */
export function rollupReadingQueryClass(base: CubeQueryClass): CubeQueryClass {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin over Cube's untyped base class
  const Base = base as unknown as new (...args: any[]) => GroupedColumnAggregator;
  // A name of its own: Cube keys its compiled-query cache by class name, and this SQL differs.
  class RollupReadingQuery extends Base {
    override aggregateOnGroupedColumn(symbol: { readonly type: string }, sql: string, topLevelMerge: boolean, measurePath: string): string | undefined {
      const aggregated = super.aggregateOnGroupedColumn(symbol, sql, topLevelMerge, measurePath);
      return symbol.type === 'count' && aggregated !== undefined ? `COALESCE(${aggregated}, 0)` : aggregated;
    }
  }
  return RollupReadingQuery as unknown as CubeQueryClass;
}

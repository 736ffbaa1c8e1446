import type { RowFilter } from '../../auth/index.js';
import type { RollupDefinition } from '../cube/rollup-definitions.js';
import type { QueryPlan, QueryPlanner } from '../cube/query-planner.js';
import type { ResolvedQuery } from '../cube/query-resolution.js';
import { canonicalTimeZone } from '../cube/time-zone.js';
import type { RollupBuilds } from './rollup-builds.js';
import { readBuild, type BuiltRollup } from './rollup-table-name.js';

/** A plan reading a built rollup: the SQL names the build for the data version asked for. */
export interface RollupPlan extends QueryPlan {
  readonly build: BuiltRollup;
}

/**
 * Decides whether a query is answered from a rollup. Cube's legacy planner applies Cube's rules
 * (`PreAggregations.findPreAggregationForQuery`): every measure additive or computed from
 * additive ones in the rollup, every dimension, filter, segment and row-filter member among the
 * rollup's dimensions, the time dimension at the rollup's granularity or a coarser one, a date
 * range on whole days. Farol adds what Cube leaves to its refresh worker and Cube Store:
 *
 * - the query's time zone is the business one the rollups are built in (a São Paulo day cannot be
 *   regrouped into Tokyo days); Cube would build one rollup per zone instead;
 * - the build holding exactly the data version the answer is labelled with exists;
 * - no rolling-window (cumulative) measure: Cube's users report rolling totals over rollups that
 *   differ from raw ones, so those stay on gold until proven equal.
 */
export class RollupRouting {
  private readonly byId: ReadonlyMap<string, RollupDefinition>;
  private readonly timezone: string | undefined;

  constructor(
    private readonly planner: QueryPlanner,
    private readonly builds: RollupBuilds,
    rollups: readonly RollupDefinition[],
    businessTimezone: string,
    private readonly isCumulative: (member: string) => boolean,
  ) {
    this.byId = new Map(rollups.map((r) => [r.id, r]));
    this.timezone = canonicalTimeZone(businessTimezone);
  }

  /** The rollup plan for `query` at `dataVersion`, or undefined when it must run on gold. */
  planFor(query: ResolvedQuery, key: string, rowFilters: readonly RowFilter[], dataVersion: number): RollupPlan | undefined {
    if (canonicalTimeZone(query.timezone) !== this.timezone) return undefined;
    if (query.measures.some(this.isCumulative)) return undefined;
    const plan = this.planner.plan(query, key, rowFilters);
    const rollup = plan.rollup === undefined ? undefined : this.byId.get(plan.rollup);
    const build = rollup && this.builds.tableFor(rollup.id, dataVersion);
    if (!rollup || !build) return undefined;
    return Object.freeze({ ...plan, sql: readBuild(plan.sql, rollup, build), build });
  }
}

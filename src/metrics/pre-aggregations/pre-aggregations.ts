import type { RowFilter } from '../../auth/index.js';
import type { Logger } from '../../observability/logger.js';
import type { DataVersions } from '../../warehouse/data-version.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { CubeCompilers } from '../cube/cube-types.js';
import type { ModelCatalog } from '../cube/model-catalog.js';
import { QueryPlanner } from '../cube/query-planner.js';
import type { ResolvedQuery } from '../cube/query-resolution.js';
import type { RollupDefinition } from '../cube/rollup-definitions.js';
import { RollupBuilds } from './rollup-builds.js';
import { RollupRouting, type RollupPlan } from './rollup-routing.js';
import type { BuiltRollup } from './rollup-table-name.js';

export interface PreAggregationsOptions {
  readonly compilers: CubeCompilers;
  readonly catalog: ModelCatalog;
  readonly rollups: readonly RollupDefinition[];
  readonly warehouse: Warehouse;
  readonly dataVersions: DataVersions;
  readonly timezone: string;
  readonly sqlCacheMaxEntries?: number | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * The model's rollups, served: built after each gold publish (`RollupBuilds`) and chosen per
 * query (`RollupRouting`). The semantic engine holds one when `FAROL_PREAGGREGATIONS` is on.
 */
export class PreAggregations {
  private readonly builds: RollupBuilds;
  private readonly routing: RollupRouting;
  private readonly planner: QueryPlanner;

  constructor(options: PreAggregationsOptions) {
    this.builds = new RollupBuilds({ warehouse: options.warehouse, dataVersions: options.dataVersions, rollups: options.rollups, logger: options.logger });
    this.planner = new QueryPlanner(options.compilers, options.catalog, options.warehouse.dialect, { maxEntries: options.sqlCacheMaxEntries, readsRollups: true });
    this.routing = new RollupRouting(this.planner, this.builds, options.rollups, options.timezone, (m) => options.catalog.isCumulative(m));
    this.builds.start();
  }

  planFor(query: ResolvedQuery, key: string, rowFilters: readonly RowFilter[], dataVersion: number): RollupPlan | undefined {
    return this.routing.planFor(query, key, rowFilters, dataVersion);
  }

  /** Forgets the rollup-reading SQL plans (see `SemanticEngine.dropQueryPlans`). */
  dropPlans(): void {
    this.planner.clear();
  }

  /** Builds kept in the warehouse, newest first per rollup. */
  built(): readonly BuiltRollup[] {
    return this.builds.list();
  }

  /** Resolves once no build is running or queued. */
  settled(): Promise<void> {
    return this.builds.settled();
  }

  /** Stops building after the build in progress; the tables stay for the next start. */
  close(): Promise<void> {
    return this.builds.stop();
  }
}

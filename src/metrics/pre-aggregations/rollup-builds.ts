import type { Logger } from '../../observability/logger.js';
import type { DataVersions } from '../../warehouse/data-version.js';
import type { SqlExecutor, Warehouse, WarehouseDialect } from '../../warehouse/warehouse.js';
import { PREAGG_SCHEMA, type RollupDefinition } from '../cube/rollup-definitions.js';
import { BUILD_TABLE_NAME, builtVersion, versionedTable, type BuiltRollup } from './rollup-table-name.js';

export interface RollupBuildsOptions {
  readonly warehouse: Warehouse;
  readonly dataVersions: DataVersions;
  readonly rollups: readonly RollupDefinition[];
  readonly logger?: Logger | undefined;
}

/**
 * Builds every rollup of the model for the gold data version, after each refresh publishes one,
 * and knows which builds exist. Built right after the refresh, not inside its transaction: a
 * refresh does not pay for the rollups (nor fail because of them), and until the build for the
 * new version commits, answers come from gold (`tableFor` has nothing for that version).
 *
 * - One writer transaction per build reads the committed data version and builds from that same
 *   snapshot, so a table named `_v12` holds exactly gold version 12, even when another refresh
 *   committed between the publish and the build. BigQuery runs no CREATE TABLE in a transaction:
 *   there the build checks the version did not move while it ran (`buildOutsideTransaction`).
 * - Builds are coalesced: publishes arriving while one runs cause one more build, of the latest
 *   version, not one per version.
 * - The build before the current one is kept (a query planned against it may still be running);
 *   older ones, and builds of rollups the model no longer defines as they are, are dropped.
 * - A failed build is logged; answers keep coming from gold and the next publish tries again.
 */
export class RollupBuilds {
  /** Kept builds per rollup id, by data version. */
  private readonly builds = new Map<string, Map<number, BuiltRollup>>();
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: RollupBuildsOptions) {}

  /** Builds for the current version (or finds the builds a previous process left) and then after each publish. */
  start(): void {
    if (this.unsubscribe || this.stopped) return;
    this.unsubscribe = this.options.dataVersions.onChange(() => this.schedule());
    this.schedule();
  }

  /** The build of `rollupId` holding exactly `dataVersion`, if it exists. */
  tableFor(rollupId: string, dataVersion: number): BuiltRollup | undefined {
    return this.builds.get(rollupId)?.get(dataVersion);
  }

  /** Every kept build, newest first per rollup. */
  list(): readonly BuiltRollup[] {
    return [...this.builds.values()].flatMap((m) => [...m.values()].sort((a, b) => b.dataVersion - a.dataVersion));
  }

  /** Resolves once no build is running or queued (for tests and orderly shutdown). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.settled();
  }

  private schedule(): void {
    if (this.stopped || this.options.rollups.length === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.buildOnce().catch((err: unknown) => this.options.logger?.error({ err }, 'pre-aggregation build failed; answers come from gold until the next refresh builds it'));
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
  }

  private async buildOnce(): Promise<void> {
    const started = performance.now();
    const wh = this.options.warehouse;
    const outcome = wh.dialect === 'bigquery' ? await this.buildOutsideTransaction(wh) : await wh.transaction((tx) => this.buildInTransaction(tx));
    if (!outcome) return;
    const { built, created } = outcome;
    this.builds.clear();
    for (const b of built) {
      let byVersion = this.builds.get(b.id);
      if (!byVersion) this.builds.set(b.id, (byVersion = new Map()));
      byVersion.set(b.dataVersion, Object.freeze(b));
    }
    if (created.length > 0) this.options.logger?.info({ tables: created, ms: Math.round(performance.now() - started) }, 'pre-aggregations built');
  }

  /** DuckDB: the version read, the builds and the drops in one transaction, on one snapshot. */
  private async buildInTransaction(tx: SqlExecutor): Promise<BuildOutcome> {
    const version = await this.options.dataVersions.committed(tx);
    const plan = this.plan(version, await rollupSchemaTables(tx, 'duckdb'));
    for (const { rollup, qualified } of plan.create) await tx.execute(`CREATE TABLE ${qualified} AS ${rollup.sql}`, rollup.params);
    for (const qualified of plan.drop) await tx.execute(`DROP TABLE ${qualified}`);
    return { built: plan.kept, created: plan.create.map((c) => c.qualified) };
  }

  /**
   * BigQuery creates and drops tables only outside a transaction, each statement a job of its
   * own reading its own snapshot. A build still holds exactly `version`: gold only changes in a
   * transaction that also bumps the version, so when the version read after the builds is the
   * one read before, no gold commit fell between them. When it moved, or a statement failed, the
   * new tables are dropped (the next listing would take them for builds of `version`); a moved
   * version builds again for the newer one.
   */
  private async buildOutsideTransaction(wh: Warehouse): Promise<BuildOutcome | undefined> {
    const version = await this.options.dataVersions.committed(wh);
    const plan = this.plan(version, await rollupSchemaTables(wh, 'bigquery'));
    const created: string[] = [];
    const dropCreated = async () => {
      for (const qualified of created) await wh.execute(`DROP TABLE IF EXISTS ${qualified}`);
    };
    try {
      for (const { rollup, qualified } of plan.create) {
        created.push(qualified);
        await wh.execute(`CREATE TABLE ${qualified} AS ${rollup.sql}`, rollup.params);
      }
      if (created.length > 0 && (await this.options.dataVersions.committed(wh)) !== version) {
        await dropCreated();
        this.again = true;
        return undefined;
      }
    } catch (err) {
      // A table left behind would be taken for a build of `version` by the next listing.
      await dropCreated().catch(() => undefined);
      throw err;
    }
    for (const qualified of plan.drop) await wh.execute(`DROP TABLE IF EXISTS ${qualified}`);
    return { built: plan.kept, created: plan.create.map((c) => c.qualified) };
  }

  /** What to build for `version`, which builds to keep (it and the one before) and which to drop. */
  private plan(version: number, existing: ReadonlySet<string>): BuildPlan {
    const kept: BuiltRollup[] = [];
    const create: { rollup: RollupDefinition; qualified: string }[] = [];
    for (const rollup of this.options.rollups) {
      const target = versionedTable(rollup, version);
      if (!existing.has(target.name)) create.push({ rollup, qualified: target.qualified });
      kept.push({ id: rollup.id, dataVersion: version, table: target.qualified });
      const previous = Math.max(-1, ...[...existing].map((t) => builtVersion(rollup, t) ?? -1).filter((v) => v < version));
      if (previous >= 0) kept.push({ id: rollup.id, dataVersion: previous, table: versionedTable(rollup, previous).qualified });
    }
    const keep = new Set(kept.map((b) => b.table));
    const drop = [...existing].filter((name) => BUILD_TABLE_NAME.test(name)).map((name) => `${PREAGG_SCHEMA}.${name}`).filter((q) => !keep.has(q));
    return { kept, create, drop };
  }
}

interface BuildOutcome {
  readonly built: readonly BuiltRollup[];
  readonly created: readonly string[];
}

interface BuildPlan {
  readonly kept: readonly BuiltRollup[];
  readonly create: readonly { readonly rollup: RollupDefinition; readonly qualified: string }[];
  readonly drop: readonly string[];
}

/**
 * Table names in the rollup schema, as `ex` sees them. On BigQuery every layer shares the
 * dataset, whose catalog lists the builds as `preagg_<name>`.
 */
const ROLLUP_TABLES_SQL: Record<WarehouseDialect, string> = {
  duckdb: 'SELECT table_name FROM information_schema.tables WHERE table_schema = ?',
  bigquery: 'SELECT SUBSTR(table_name, LENGTH(?) + 1) AS table_name FROM information_schema.tables WHERE STARTS_WITH(table_name, ?)',
};

async function rollupSchemaTables(ex: SqlExecutor, dialect: WarehouseDialect): Promise<Set<string>> {
  const params = dialect === 'bigquery' ? [`${PREAGG_SCHEMA}_`, `${PREAGG_SCHEMA}_`] : [PREAGG_SCHEMA];
  const rows = await ex.query<{ table_name: string }>(ROLLUP_TABLES_SQL[dialect], params);
  return new Set(rows.map((r) => r.table_name));
}

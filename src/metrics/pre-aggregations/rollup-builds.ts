import type { Logger } from '../../observability/logger.js';
import type { DataVersions } from '../../warehouse/data-version.js';
import type { SqlExecutor, Warehouse } from '../../warehouse/warehouse.js';
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
 *   committed between the publish and the build.
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
    const { built, created } = await this.options.warehouse.transaction(async (tx) => {
      const version = await this.options.dataVersions.committed(tx);
      const existing = await rollupSchemaTables(tx);
      const kept: BuiltRollup[] = [];
      const created: string[] = [];
      for (const rollup of this.options.rollups) {
        const target = versionedTable(rollup, version);
        if (!existing.has(target.name)) {
          await tx.execute(`CREATE TABLE ${target.qualified} AS ${rollup.sql}`, rollup.params);
          created.push(target.qualified);
        }
        kept.push({ id: rollup.id, dataVersion: version, table: target.qualified });
        const previous = Math.max(-1, ...[...existing].map((t) => builtVersion(rollup, t) ?? -1).filter((v) => v < version));
        if (previous >= 0) kept.push({ id: rollup.id, dataVersion: previous, table: versionedTable(rollup, previous).qualified });
      }
      const keep = new Set(kept.map((b) => b.table));
      for (const name of existing) {
        const qualified = `${PREAGG_SCHEMA}.${name}`;
        if (BUILD_TABLE_NAME.test(name) && !keep.has(qualified)) await tx.execute(`DROP TABLE ${qualified}`);
      }
      return { built: kept, created };
    });
    this.builds.clear();
    for (const b of built) {
      let byVersion = this.builds.get(b.id);
      if (!byVersion) this.builds.set(b.id, (byVersion = new Map()));
      byVersion.set(b.dataVersion, Object.freeze(b));
    }
    if (created.length > 0) this.options.logger?.info({ tables: created, ms: Math.round(performance.now() - started) }, 'pre-aggregations built');
  }
}

/** Table names in the rollup schema, as this transaction sees them. */
async function rollupSchemaTables(tx: SqlExecutor): Promise<Set<string>> {
  const rows = await tx.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = ?', [PREAGG_SCHEMA]);
  return new Set(rows.map((r) => r.table_name));
}

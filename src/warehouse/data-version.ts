import type { SqlExecutor, Warehouse } from './warehouse.js';

export type DataLayer = 'gold';

/**
 * The version of each served layer. Whoever commits a change to gold bumps the counter inside
 * the same transaction (`bumpInTransaction`), then publishes it after commit (`publish`); readers
 * such as the metrics cache key their entries by `current()`, so a refresh makes stale entries
 * unreachable without scanning the cache. Reading `current()` is a memory read: cache hits must
 * not pay a warehouse round trip.
 */
export class DataVersions {
  private readonly versions = new Map<DataLayer, number>();
  private readonly publishedAt = new Map<DataLayer, string>();
  private readonly listeners = new Set<(layer: DataLayer, version: number) => void>();

  static async load(warehouse: Warehouse): Promise<DataVersions> {
    const dv = new DataVersions();
    const rows = await warehouse.query<{ layer: string; version: number; changed_at: string | null }>(
      'SELECT layer, version, changed_at FROM ops.data_versions',
    );
    for (const r of rows) {
      if (r.layer !== 'gold') continue;
      dv.versions.set('gold', Number(r.version));
      if (r.changed_at) dv.publishedAt.set('gold', new Date(r.changed_at).toISOString());
    }
    return dv;
  }

  /** When the current version was published (ISO instant); undefined before the first refresh. */
  refreshedAt(layer: DataLayer = 'gold'): string | undefined {
    return this.publishedAt.get(layer);
  }

  current(layer: DataLayer = 'gold'): number {
    return this.versions.get(layer) ?? 0;
  }

  /**
   * The version `ex` sees committed: inside a transaction, the version of the data that
   * transaction reads, which may be ahead of `current()` until its refresh publishes.
   */
  async committed(ex: SqlExecutor, layer: DataLayer = 'gold'): Promise<number> {
    const rows = await ex.query<{ version: number }>('SELECT version FROM ops.data_versions WHERE layer = ?', [layer]);
    return Number(rows[0]?.version ?? 0);
  }

  /**
   * A MERGE, then a read of the new version in the same transaction: the one form DuckDB and
   * BigQuery both run (BigQuery has neither ON CONFLICT nor RETURNING, and keeps no key unique
   * by itself). The time is a parameter, as in the rest of the bookkeeping.
   */
  async bumpInTransaction(tx: SqlExecutor, layer: DataLayer = 'gold', at: Date = new Date()): Promise<number> {
    await tx.execute(
      `MERGE INTO ops.data_versions AS t
       USING (SELECT ? AS layer, ? AS changed_at) AS s
       ON t.layer = s.layer
       WHEN MATCHED THEN UPDATE SET version = t.version + 1, changed_at = s.changed_at
       WHEN NOT MATCHED THEN INSERT (layer, version, changed_at) VALUES (s.layer, 1, s.changed_at)`,
      [layer, at],
    );
    return this.committed(tx, layer);
  }

  /** Call after the bumping transaction committed. Versions only move forward. */
  publish(version: number, layer: DataLayer = 'gold', at: Date = new Date()): void {
    if (version <= this.current(layer)) return;
    this.versions.set(layer, version);
    this.publishedAt.set(layer, at.toISOString());
    for (const l of this.listeners) l(layer, version);
  }

  onChange(listener: (layer: DataLayer, version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

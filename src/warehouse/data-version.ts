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
  private readonly listeners = new Set<(layer: DataLayer, version: number) => void>();

  static async load(warehouse: Warehouse): Promise<DataVersions> {
    const dv = new DataVersions();
    const rows = await warehouse.query<{ layer: string; version: number }>('SELECT layer, version FROM ops.data_versions');
    for (const r of rows) if (r.layer === 'gold') dv.versions.set('gold', Number(r.version));
    return dv;
  }

  current(layer: DataLayer = 'gold'): number {
    return this.versions.get(layer) ?? 0;
  }

  async bumpInTransaction(tx: SqlExecutor, layer: DataLayer = 'gold'): Promise<number> {
    const rows = await tx.query<{ version: number }>(
      `INSERT INTO ops.data_versions VALUES (?, 1, now())
       ON CONFLICT (layer) DO UPDATE SET version = ops.data_versions.version + 1, changed_at = now()
       RETURNING version`,
      [layer],
    );
    return Number(rows[0]?.version ?? 0);
  }

  /** Call after the bumping transaction committed. Versions only move forward. */
  publish(version: number, layer: DataLayer = 'gold'): void {
    if (version <= this.current(layer)) return;
    this.versions.set(layer, version);
    for (const l of this.listeners) l(layer, version);
  }

  onChange(listener: (layer: DataLayer, version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

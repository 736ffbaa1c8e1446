import { SILVER_ENTITIES } from '../transform/silver-entity.js';
import type { LineageDataset, LineageRun } from './lineage/lineage-types.js';
import type { SourceKind } from '../ingest/sources/source-kind.js';
import type { RunTrigger, SourceModule } from '../ingest/sources/source-module.js';

/** Where a table's rows come from, all the way down to the sources. */
export interface TableLineage {
  readonly silver: readonly string[];
  readonly bronze: readonly string[];
  readonly sources: readonly SourceKind[];
}

/**
 * The static lineage of every silver and gold table, from the registry: a source feeds a silver
 * entity, whose merge writes its silver tables and whose gold refresh writes its gold tables.
 * Bronze is named `bronze.<source>` (one logical dataset per source over the write-ahead table
 * and its segments).
 */
export function tableLineage(modules: readonly SourceModule[]): ReadonlyMap<string, TableLineage> {
  const out = new Map<string, { silver: Set<string>; bronze: Set<string>; sources: Set<SourceKind> }>();
  const entry = (table: string) => {
    let e = out.get(table);
    if (!e) out.set(table, (e = { silver: new Set(), bronze: new Set(), sources: new Set() }));
    return e;
  };
  for (const m of modules) {
    const entity = SILVER_ENTITIES[m.entity];
    for (const t of [...entity.silverTables, ...entity.goldTables]) {
      const e = entry(t);
      e.bronze.add(bronzeDatasetName(m.kind));
      e.sources.add(m.kind);
      if (t.startsWith('gold.')) for (const s of entity.silverTables) e.silver.add(s);
    }
  }
  return new Map(
    [...out].map(([t, e]) => [t, { silver: [...e.silver].sort(), bronze: [...e.bronze].sort(), sources: [...e.sources].sort() }]),
  );
}

export function bronzeDatasetName(kind: SourceKind): string {
  return `bronze.${kind}`;
}

/** A run's lineage: the source's system in, bronze, silver and gold out. */
export function lineageOf(module: SourceModule, runId: string, trigger: RunTrigger, warehouseNamespace: string): LineageRun {
  const entity = SILVER_ENTITIES[module.entity];
  const wh = (name: string, rowCountFrom?: LineageDataset['rowCountFrom']): LineageDataset => ({
    namespace: warehouseNamespace, name, ...(rowCountFrom ? { rowCountFrom } : {}),
  });
  return {
    runId,
    job: module.kind,
    trigger,
    inputs: [{ namespace: module.system, name: module.kind }],
    outputs: [
      wh(bronzeDatasetName(module.kind), 'recordsIn'),
      ...entity.silverTables.map((t, i) => wh(t, i === 0 ? 'upserted' : undefined)),
      wh('silver.quarantine', 'quarantined'),
      ...entity.goldTables.map((t) => wh(t)),
    ],
  };
}

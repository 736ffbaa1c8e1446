import type { Logger } from 'pino';
import type { SqlExecutor, SqlValue, TableRef, Warehouse } from '../../warehouse/warehouse.js';
import { placeholders } from '../../warehouse/warehouse.js';
import { RECORD_COLUMNS, recordRow } from './bronze-record.js';
import {
  BRONZE_RELATION_COLUMNS, type BatchWrite, type BronzeQuery, type BronzeStorage, type PendingSegment, type PendingStagedBatch,
} from './bronze-storage.js';

/**
 * A staging table outlives a crash between its load and its registration by this long, then
 * BigQuery deletes it: that expiry is the orphan removal. Longer than the adapter's own
 * one-hour staging, since the registering transaction may wait behind a long refresh.
 */
export const BATCH_STAGING_TTL_HOURS = 24;

const COLUMNS = RECORD_COLUMNS.join(', ');

/**
 * Bronze on BigQuery is `bronze.records` alone: the table is already columnar, compressed storage
 * (partitioned by `partition_date`, clustered by `source, entity, seq`), so there are no segment
 * files and nothing to compact; `bronze.segments` exists for shared queries and stays empty.
 *
 * A bulk batch is the BigQuery form of a segment: its rows go to a staging table of their own in
 * ONE load job, outside any transaction (load jobs cannot join one), as the DuckDB file is written
 * outside one. `register` inserts the staging rows into `bronze.records` inside the caller's
 * transaction, and `settle` drops the staging table whether or not that committed. Unlike the
 * DuckDB file, which is written on a read connection, the load goes through the warehouse's one
 * writer (`append`), so landings wait behind its upload; it conflicts with nothing, so a load
 * outside the writer lock would be safe once the port offers one. Nothing here
 * streams rows (`insertAll`): loads are free and atomic, and streamed rows could not be touched
 * by DML for a while.
 */
export class BigQueryBatchStorage implements BronzeStorage {
  constructor(
    private readonly warehouse: Warehouse,
    private readonly logger?: Logger,
  ) {}

  /**
   * `max(seq)` over the table: reads the `seq` column whole (8 bytes a record), once per open.
   * No segments to consult, and no GREATEST, which is NULL on BigQuery when any argument is.
   */
  async maxSeq(): Promise<number> {
    const [row] = await this.warehouse.query<{ n: number | string | null }>('SELECT max(seq) AS n FROM bronze.records');
    return Number(row?.n ?? 0);
  }

  /** Nothing to do: staging tables a crash left behind expire on their own (`BATCH_STAGING_TTL_HOURS`). */
  async removeOrphans(): Promise<void> {}

  async writeBatch(w: BatchWrite): Promise<PendingStagedBatch> {
    const stagingTable: TableRef = { schema: 'bronze', table: `pending_${w.segmentId.replace(/-/g, '')}` };
    const now = new Date();
    const entities = new Set<string>();
    const rows: SqlValue[][] = w.inputs.map((input, i) => {
      entities.add(input.entity);
      return recordRow(w.minSeq + i, w.source, input, w.batchId, now, w.partitionDate).row;
    });
    // LIKE copies the column types, partitioning and clustering; the table name is Farol's own
    // (a uuid), so it is not a parameter (BigQuery takes none in DDL).
    await this.warehouse.execute(
      `CREATE TABLE ${stagingRef(stagingTable)} LIKE bronze.records
       OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL ${BATCH_STAGING_TTL_HOURS} HOUR))`,
    );
    try {
      const loaded = await this.warehouse.append(stagingTable, RECORD_COLUMNS, rows);
      if (loaded !== rows.length) throw new Error(`bronze batch load: expected ${rows.length} rows in ${stagingRef(stagingTable)}, loaded ${loaded}`);
    } catch (err) {
      await this.dropStaging(stagingTable);
      throw err;
    }
    return {
      kind: 'staged-batch', segmentId: w.segmentId, source: w.source, partitionDate: w.partitionDate, minSeq: w.minSeq,
      maxSeq: w.minSeq + w.inputs.length - 1, records: w.inputs.length, entities: [...entities].sort(), stagingTable,
    };
  }

  async register(tx: SqlExecutor, seg: PendingSegment): Promise<void> {
    const s = ownBatch(seg);
    const inserted = await tx.execute(`INSERT INTO bronze.records (${COLUMNS}) SELECT ${COLUMNS} FROM ${stagingRef(s.stagingTable)}`);
    // A staging table that expired or lost rows must not become a silent gap in bronze.
    if (inserted !== s.records) throw new Error(`bronze batch ${s.segmentId}: expected to register ${s.records} records, inserted ${inserted}`);
  }

  /** Drops the staging table in both cases: after a commit its rows are in `bronze.records`. */
  async settle(seg: PendingSegment): Promise<void> {
    await this.dropStaging(ownBatch(seg).stagingTable);
  }

  /**
   * The table alone, filtered on its clustering columns as they are stored (no function around
   * them), so BigQuery prunes to the blocks of this source, these entities and this seq range.
   * The predicate has no `partition_date` bound: that date is when a record was received, which
   * is not monotonic in seq (the hook inbox lands a record some time after receiving it), so no
   * date follows from a seq range; partitions serve retention and date-bounded audits.
   */
  async relationParts(_ex: SqlExecutor, source: string, entities: readonly string[], afterSeq: number, upToSeq: number): Promise<BronzeQuery[]> {
    return [{
      sql: `SELECT ${BRONZE_RELATION_COLUMNS} FROM bronze.records
       WHERE source = ? AND entity IN (${placeholders(entities.length)}) AND seq > ? AND seq <= ?`,
      params: [source, ...entities, afterSeq, upToSeq],
    }];
  }

  /** Best effort: a staging table left behind expires on its own, and settling must not mask the run's own error. */
  private async dropStaging(table: TableRef): Promise<void> {
    await this.warehouse.execute(`DROP TABLE IF EXISTS ${stagingRef(table)}`).catch((err: unknown) =>
      this.logger?.warn({ err, table: stagingRef(table) }, `bronze staging table not dropped; it expires within ${BATCH_STAGING_TTL_HOURS} h`),
    );
  }
}

function ownBatch(seg: PendingSegment): PendingStagedBatch {
  if (seg.kind !== 'staged-batch') throw new Error(`a ${seg.kind} is not a BigQuery bronze batch`);
  return seg;
}

/** `bronze.pending_<hex>`: checked to be a plain identifier, since it is written into DDL text. */
function stagingRef(t: TableRef): string {
  if (t.schema !== 'bronze' || !/^pending_[0-9a-f]{32}$/.test(t.table)) throw new Error(`not a bronze staging table: ${t.schema}.${t.table}`);
  return `${t.schema}.${t.table}`;
}

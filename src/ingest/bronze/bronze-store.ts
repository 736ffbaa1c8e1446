import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import type { SqlExecutor, SqlValue, Warehouse } from '../../warehouse/warehouse.js';
import { BigQueryBatchStorage } from './bigquery-batch-storage.js';
import { BRONZE_RECORDS, RECORD_COLUMNS, recordRow, type BronzeInput, type BronzeRecord } from './bronze-record.js';
import type { BronzeQuery, BronzeStorage, PendingSegment } from './bronze-storage.js';
import { ParquetSegmentStorage } from './parquet-segment-storage.js';

export { BRONZE_RECORDS, type BronzeInput, type BronzeRecord } from './bronze-record.js';
export { BRONZE_RELATION_COLUMNS, type BronzeQuery, type PendingSegment } from './bronze-storage.js';
export { listParquetFiles } from './parquet-segment-storage.js';

/**
 * Bronze rows as one query (`sql`, the UNION ALL of `parts`) and as one query per storage
 * (compacted segments, then the write-ahead table). A heavy reader runs the parts one after the
 * other: a UNION ALL feeding an insert keeps insertion order by running on one thread, which made
 * parsing a million payloads twice as slow on two cores.
 */
export interface BronzeRelation extends BronzeQuery {
  readonly parts: readonly BronzeQuery[];
}

export function bronzeRelation(parts: readonly BronzeQuery[]): BronzeRelation {
  if (parts.length === 0) throw new Error('a bronze relation needs at least one part');
  return { sql: parts.map((p) => p.sql).join('\nUNION ALL\n'), params: parts.flatMap((p) => p.params), parts };
}

export interface BronzeStoreOptions {
  /** Warnings a caller cannot act on (a BigQuery staging table not dropped). */
  readonly logger?: Logger | undefined;
}

/**
 * Bronze, the one place raw records are kept: the durable write-ahead table `bronze.records`, plus
 * on DuckDB the compacted Parquet segments registered in `bronze.segments` (see bronze-ddl.ts; on
 * BigQuery the table is all of bronze, bronze-ddl-bigquery.ts). What differs per warehouse is a
 * `BronzeStorage`; callers see one store.
 *
 * Landing order (`seq`) is handed out here. All writes to the warehouse are serialised, so seqs
 * taken inside a transaction are in commit order. A bulk segment takes its seq range before it is
 * written (outside any transaction); until it is registered or discarded, `readableUpTo` stays
 * below that range, so a refresh can never move its watermark past records that are about to
 * appear.
 */
export class BronzeStore {
  private nextSeq: number;
  private readonly pendingRanges = new Map<string, { readonly source: string; readonly minSeq: number }>();

  private constructor(
    readonly warehouse: Warehouse,
    /**
     * DuckDB: the folder holding the segment files, `<dir>/<source>/<YYYY-MM-DD>/<segment id>.parquet`.
     * BigQuery: unused; nothing of bronze is kept on local disk.
     */
    readonly dir: string,
    private readonly storage: BronzeStorage,
    nextSeq: number,
  ) {
    this.nextSeq = nextSeq;
  }

  /**
   * Opens bronze over a migrated warehouse, continuing the landing order after the highest seq
   * it holds, and removes what a crash left between writing a bulk segment and registering it.
   */
  static async open(warehouse: Warehouse, dir: string, opts: BronzeStoreOptions = {}): Promise<BronzeStore> {
    const resolved = path.resolve(dir);
    const storage: BronzeStorage = warehouse.dialect === 'bigquery'
      ? new BigQueryBatchStorage(warehouse, opts.logger)
      : new ParquetSegmentStorage(warehouse, resolved);
    const store = new BronzeStore(warehouse, resolved, storage, (await storage.maxSeq()) + 1);
    await storage.removeOrphans();
    return store;
  }

  /**
   * Appends records to the write-ahead table inside the caller's (writer) transaction. On
   * BigQuery the adapter's `tx.append` loads a staging table with one load job and inserts from
   * it inside the transaction: never streaming inserts.
   */
  async append(tx: SqlExecutor, source: string, inputs: readonly BronzeInput[], batchId: string): Promise<BronzeRecord[]> {
    if (inputs.length === 0) return [];
    const now = new Date();
    const records: BronzeRecord[] = [];
    const rows: SqlValue[][] = [];
    for (const input of inputs) {
      const { record, row } = recordRow(this.nextSeq++, source, input, batchId, now);
      records.push(record);
      rows.push(row);
    }
    await tx.append(BRONZE_RECORDS, RECORD_COLUMNS, rows);
    return records;
  }

  /**
   * Writes records as one bulk segment outside any transaction, for bulk loads where a row-by-row
   * append would cost more than the transform: a compressed file on DuckDB, one load job into a
   * staging table on BigQuery. Reserves the seq range first.
   */
  async writeSegment(source: string, inputs: readonly BronzeInput[], batchId: string, partitionDate = today()): Promise<PendingSegment> {
    const segmentId = randomUUID();
    const minSeq = this.nextSeq;
    this.nextSeq += inputs.length;
    this.pendingRanges.set(segmentId, { source, minSeq });
    try {
      return await this.storage.writeBatch({ segmentId, source, partitionDate, minSeq, batchId, inputs });
    } catch (err) {
      this.pendingRanges.delete(segmentId);
      throw err;
    }
  }

  /** Makes a written segment part of bronze, in the caller's transaction. */
  register(tx: SqlExecutor, seg: PendingSegment): Promise<void> {
    return this.storage.register(tx, seg);
  }

  /**
   * Call after the registering transaction committed or failed, outside any transaction: the
   * range stops holding readers back, and what the segment left behind is removed (DuckDB: the
   * file, if it was not registered; BigQuery: the staging table, always).
   */
  async settle(seg: PendingSegment, committed: boolean): Promise<void> {
    this.pendingRanges.delete(seg.segmentId);
    await this.storage.settle(seg, committed);
  }

  /**
   * The highest seq a reader may consume for `source` without skipping a record that could still
   * commit below it: just under the lowest pending bulk range, else everything handed out so far.
   */
  readableUpTo(source: string): number {
    let limit = this.nextSeq - 1;
    for (const p of this.pendingRanges.values()) if (p.source === source) limit = Math.min(limit, p.minSeq - 1);
    return limit;
  }

  /**
   * Bronze rows of `source` with `afterSeq < seq ≤ upToSeq` and one of `entities`. On DuckDB from
   * the table and every segment that can hold such rows, and then it must be used in the same
   * transaction that read the segment list (the caller's), so a concurrent compaction cannot move
   * rows between the two.
   */
  async relation(
    ex: SqlExecutor,
    source: string,
    entities: readonly string[],
    afterSeq: number,
    upToSeq: number,
  ): Promise<BronzeRelation> {
    return bronzeRelation(await this.storage.relationParts(ex, source, entities, afterSeq, upToSeq));
  }
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

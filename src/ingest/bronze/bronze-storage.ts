import type { SqlExecutor, SqlValue, TableRef } from '../../warehouse/warehouse.js';
import type { BatchWrite } from './bronze-record.js';
import type { SegmentFile } from './segment-file.js';

export type { BatchWrite } from './bronze-record.js';

/** A query over bronze rows, usable as `FROM (<sql>) b`; columns in `BRONZE_RELATION_COLUMNS`. */
export interface BronzeQuery {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

export const BRONZE_RELATION_COLUMNS = 'seq, record_id, entity, natural_key, payload, received_at';

/** A bulk batch written outside any transaction, not yet part of bronze: `register` it, then `settle` it. */
export type PendingSegment = PendingSegmentFile | PendingStagedBatch;

/** DuckDB: a Parquet segment file written and synced, not yet in `bronze.segments`. */
export interface PendingSegmentFile extends SegmentFile {
  readonly kind: 'segment-file';
  readonly source: string;
}

/** BigQuery: a batch loaded by one load job into its own staging table, not yet in `bronze.records`. */
export interface PendingStagedBatch {
  readonly kind: 'staged-batch';
  readonly segmentId: string;
  readonly source: string;
  readonly partitionDate: string;
  readonly minSeq: number;
  readonly maxSeq: number;
  readonly records: number;
  readonly entities: readonly string[];
  readonly stagingTable: TableRef;
}


/**
 * Where bronze keeps what the write-ahead table does not: the part of `BronzeStore` that differs
 * between warehouses. Seq reservation and pending ranges stay in `BronzeStore`, the same for both.
 * - DuckDB (`parquet-segment-storage.ts`): compacted zstd Parquet files named in `bronze.segments`.
 * - BigQuery (`bigquery-batch-storage.ts`): nothing beside `bronze.records`, which is already
 *   columnar, compressed storage; a bulk batch is a staging table until it is registered.
 */
export interface BronzeStorage {
  /** The highest seq bronze holds (0 when empty), for the next landing order. */
  maxSeq(): Promise<number>;
  /** At open: removes what a crash left between writing a batch and registering it. */
  removeOrphans(): Promise<void>;
  /** Writes a batch outside any transaction; it is invisible to readers until registered. */
  writeBatch(w: BatchWrite): Promise<PendingSegment>;
  /** Makes a written batch part of bronze, in the caller's transaction. */
  register(tx: SqlExecutor, seg: PendingSegment): Promise<void>;
  /** After the registering transaction ended: removes what is no longer needed (everything, if it failed). */
  settle(seg: PendingSegment, committed: boolean): Promise<void>;
  /** The queries reading `source`'s rows with `afterSeq < seq ≤ upToSeq` of `entities`, oldest storage first. */
  relationParts(ex: SqlExecutor, source: string, entities: readonly string[], afterSeq: number, upToSeq: number): Promise<BronzeQuery[]>;
}

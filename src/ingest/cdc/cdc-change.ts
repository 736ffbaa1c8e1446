import type { Lsn } from './lsn.js';

/**
 * What the CDC reader hands a source. `snapshot` rows come from the initial consistent read and
 * carry the slot's consistent point as their LSN; `snapshot_end` says that read finished (every
 * row it did not return was absent at that point); the others are streamed changes carrying
 * their transaction's commit LSN.
 */
export const CDC_OPS = ['snapshot', 'snapshot_end', 'insert', 'update', 'delete'] as const;
export type CdcOp = (typeof CDC_OPS)[number];

export interface CdcChange {
  readonly op: CdcOp;
  /**
   * The commit LSN of the change's transaction (the consistent point for the snapshot). Per row,
   * later changes always have larger commit LSNs (a row is locked until its writer commits); two
   * changes of one row in one transaction share it, and landing order tells them apart.
   */
  readonly lsn: Lsn;
  /** `schema.table`; empty for `snapshot_end`, which covers every table. */
  readonly table: string;
  /** The row's primary key values, `|`-joined in key order. */
  readonly key: string;
  /** Column values (a delete carries only the key columns), typed as `pg` parses them. */
  readonly row: Readonly<Record<string, unknown>>;
}

/**
 * Where a CDC read stands, kept in the source cursor. In the `snapshot` phase, `lsn` is the
 * slot's consistent point and `tablesDone` the tables fully read; in `stream`, everything that
 * committed before `lsn` is in bronze, and the slot is confirmed up to at most that.
 */
export interface CdcPosition {
  readonly phase: 'snapshot' | 'stream';
  readonly lsn: Lsn;
  readonly tablesDone: readonly string[];
}

/** One page: its changes and the position to resume from once they are durably stored. */
export interface CdcPage {
  readonly changes: readonly CdcChange[];
  readonly position: CdcPosition;
}

import type { Logger } from 'pino';
import type { BronzeInput, BronzeRelation } from '../bronze/bronze-store.js';
import type { SilverEntityName } from '../../transform/silver-entity.js';
import type { SqlExecutor, WarehouseDialect, WriterSession } from '../../warehouse/warehouse.js';
import type { SourceKind } from './source-kind.js';

/** What asked for a run; recorded in ops.runs and in lineage events. */
export type RunTrigger = 'schedule' | 'cli' | 'hook' | 'startup' | 'rebuild' | 'admin';

export interface ExtractRequest {
  /** Where the last run stopped (the cursor committed with its last landed page), if any. */
  readonly cursor: string | undefined;
  /** Only records changed since this instant (`farol ingest --since`). */
  readonly since: Date | undefined;
  /** Ignore the cursor and take everything the source has (`--full`). */
  readonly full: boolean;
  /** A file to read, for file sources (`--file`); else the configured one. */
  readonly file: string | undefined;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/** One landed unit: these records reach bronze in one transaction together with `cursor`. */
export interface ExtractPage {
  readonly records: readonly BronzeInput[];
  /** The cursor to resume from after this page, committed with it; absent for loads that do not resume (generated data). */
  readonly cursor?: string;
  /** Progress hint for the progress bar: records the run expects in all, when the source knows. */
  readonly expectedTotal?: number;
}

export interface StageContext {
  readonly source: SourceKind;
  readonly runId: string;
  readonly now: string;
  /** The warehouse the staging SQL runs on: a transaction's executor carries no dialect (warehouse.ts). */
  readonly dialect: WarehouseDialect;
}

export interface StageResult {
  readonly staged: number;
  readonly quarantined: number;
}

/**
 * A source's slice of the pipeline: how it is pulled (if it is), and how its bronze records
 * become staged silver rows. Everything after staging (merge, gold, data tests, data version) is
 * the runner's and the silver entity's, the same for every source.
 */
export interface SourceModule {
  readonly kind: SourceKind;
  readonly title: string;
  /** The system it reads, for lineage namespaces: `vtex://<account>`, `file://<host>`. */
  readonly system: string;
  /** Bronze entities the silver step reads (a source may land others, e.g. hook notifications). */
  readonly silverEntities: readonly string[];
  /** The silver entity its rows feed. */
  readonly entity: SilverEntityName;
  /** Default cadence (`6h`, `15m`) for the scheduler; undefined when the source is event-driven. */
  readonly defaultSchedule: string | undefined;
  /**
   * Pages of new records, in order, for pull sources. Undefined for sources that only receive
   * pushes (the order hook). A thrown error with `terminal: true` (bad credentials, a changed
   * schema) stops the source until an operator acts; anything else is retried with back-off.
   */
  extract?(req: ExtractRequest): AsyncIterable<ExtractPage>;
  /** Without `extract`: what would make the source pullable, for the error a command shows. */
  readonly pullHint?: string;
  /**
   * bronze rows → silver staging tables, set-based; invalid rows to staged quarantine. Runs its
   * own transactions on the writer's session, writing only temporary tables (a source with a heavy
   * parse commits it before reading it back, so those reads run on every core).
   */
  stage(session: WriterSession, bronze: BronzeRelation, ctx: StageContext): Promise<StageResult>;
}

/** A `stage` for sources whose staging is one transaction. */
export function stageInOneTransaction(
  fn: (tx: SqlExecutor, bronze: BronzeRelation, ctx: StageContext) => Promise<StageResult>,
): SourceModule['stage'] {
  return (session, bronze, ctx) => session.transaction((tx) => fn(tx, bronze, ctx));
}

/** An error that retrying will not fix: the scheduler stops the source and says why. */
export class TerminalSourceError extends Error {
  readonly terminal = true;
  constructor(message: string) {
    super(message);
    this.name = 'TerminalSourceError';
  }
}

export function isTerminal(err: unknown): boolean {
  return (err as { terminal?: unknown } | null)?.terminal === true || (err as { kind?: unknown } | null)?.kind === 'terminal' || (err as { kind?: unknown } | null)?.kind === 'validation';
}

/**
 * Where data test results go (`ops.data_tests`, history kept by test id) and what a failed
 * error-level result means for the refresh that produced it (`DataTestFailure`).
 */
import { z } from 'zod';
import { placeholders, type SqlExecutor, type SqlValue } from '../../warehouse/warehouse.js';
import { DATA_TEST_KINDS, type DataTestResult } from './data-test.js';
import { rowCount } from './data-test-result.js';

const RESULT_COLUMNS = [
  'run_id', 'source', 'test_id', 'table_name', 'column_name', 'kind', 'severity', 'status', 'failing_count', 'sample_keys',
  'message', 'checked_at',
] as const;

/** Results per INSERT: 12 parameters a row keeps a statement far below BigQuery's parameter limits. */
export const RESULTS_PER_INSERT = 200;

/** How many rows `latestDataTestResults` returns unless told. */
export const DEFAULT_LATEST_LIMIT = 100;

export interface DataTestRunContext {
  readonly runId: string;
  /** A SourceKind, or `*` for a rebuild of everything. */
  readonly source: string;
  /** Defaults to now. */
  readonly checkedAt?: Date;
}

export interface RecordedDataTestResult extends DataTestResult {
  readonly runId: string;
  readonly source: string;
  /** ISO-8601. */
  readonly checkedAt: string;
}

/**
 * Writes one `ops.data_tests` row per result. A refresh held back by a failure rolls its
 * transaction back, so its results must be recorded by a write outside that transaction, or they
 * vanish with it. A refresh has one result per test in the catalog (tens), so a parameterised
 * multi-row INSERT does it in one statement on either warehouse; a bulk append would cost
 * BigQuery a staging table and a load job per refresh, as load jobs cannot join a transaction.
 */
export async function recordDataTestResults(
  ex: SqlExecutor,
  ctx: DataTestRunContext,
  results: readonly DataTestResult[],
): Promise<number> {
  const checkedAt = ctx.checkedAt ?? new Date();
  let written = 0;
  for (let i = 0; i < results.length; i += RESULTS_PER_INSERT) {
    const chunk = results.slice(i, i + RESULTS_PER_INSERT);
    const params: SqlValue[] = chunk.flatMap((r) => [
      ctx.runId, ctx.source, r.testId, r.table, r.column, r.kind, r.severity, r.status, r.failingCount,
      JSON.stringify(r.sampleKeys), r.message, checkedAt,
    ]);
    const row = `(${placeholders(RESULT_COLUMNS.length)})`;
    await ex.execute(
      `INSERT INTO ops.data_tests (${RESULT_COLUMNS.join(', ')}) VALUES ${chunk.map(() => row).join(', ')}`,
      params,
    );
    written += chunk.length;
  }
  return written;
}

/**
 * The latest recorded result of each test (per source), failures first, errors before warnings,
 * then by test id: what `farol data-tests` shows.
 */
export async function latestDataTestResults(
  ex: SqlExecutor,
  opts: { readonly source?: string; readonly limit?: number } = {},
): Promise<RecordedDataTestResult[]> {
  const limit = opts.limit ?? DEFAULT_LATEST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, got ${limit}`);
  const params: SqlValue[] = [];
  let where = '';
  if (opts.source !== undefined) {
    where = 'WHERE source = ?';
    params.push(opts.source);
  }
  params.push(limit);
  // A subquery rather than QUALIFY: BigQuery takes QUALIFY only beside a WHERE, GROUP BY or HAVING.
  const rows = await ex.query(
    `SELECT ${RESULT_COLUMNS.join(', ')}
     FROM (
       SELECT ${RESULT_COLUMNS.join(', ')},
              row_number() OVER (PARTITION BY source, test_id ORDER BY checked_at DESC, run_id DESC) AS n
       FROM ops.data_tests ${where}
     ) latest
     WHERE n = 1
     ORDER BY status = 'failed' DESC, severity = 'error' DESC, source, test_id
     LIMIT ?`,
    params,
  );
  return rows.map((r) => {
    const row = RECORDED_ROW.parse(r);
    return {
      runId: row.run_id,
      source: row.source,
      testId: row.test_id,
      table: row.table_name,
      column: row.column_name ?? '',
      kind: row.kind,
      severity: row.severity,
      status: row.status,
      failingCount: row.failing_count,
      sampleKeys: row.sample_keys,
      message: row.message ?? '',
      checkedAt: row.checked_at,
    };
  });
}

/** How many failed tests the one-line message names before `and N more`. */
const MESSAGE_TESTS = 3;

/**
 * Thrown by a refresh whose error-level data tests failed, so its transaction rolls back and
 * gold keeps its last good state. Carries the failed error-level results; the message is one
 * line an operator can act on, e.g. `data test failed: silver.orders.currency.accepted_values
 * (1 row, e.g. vtex-orders:1234-01); gold keeps its last good state`.
 */
export class DataTestFailure extends Error {
  override readonly name = 'DataTestFailure';
  readonly failures: readonly DataTestResult[];

  constructor(failures: readonly DataTestResult[]) {
    super(failureMessage(failures));
    this.failures = failures;
  }
}

/** The results that hold a refresh back: failed and error-level. */
export function blockingFailures(results: readonly DataTestResult[]): DataTestResult[] {
  return results.filter((r) => r.status === 'failed' && r.severity === 'error');
}

/** Throws a DataTestFailure when any error-level test failed; warnings never throw. */
export function assertNoBlockingFailures(results: readonly DataTestResult[]): void {
  const failures = blockingFailures(results);
  if (failures.length > 0) throw new DataTestFailure(failures);
}

function failureMessage(failures: readonly DataTestResult[]): string {
  const named = failures.slice(0, MESSAGE_TESTS).map((f) => {
    const eg = f.sampleKeys.length > 0 ? `, e.g. ${f.sampleKeys[0]}` : '';
    return `${f.testId} (${f.kind === 'freshness' ? withoutSubject(f) : rowCount(f.failingCount)}${eg})`;
  });
  const more = failures.length > MESSAGE_TESTS ? `; and ${failures.length - MESSAGE_TESTS} more` : '';
  const head = failures.length === 1 ? 'data test failed' : `${failures.length} data tests failed`;
  return `${head}: ${named.join('; ')}${more}; gold keeps its last good state`;
}

/** `newest value … is older than 48 h` out of `gold.fct_orders.last_change: newest value …`. */
function withoutSubject(r: DataTestResult): string {
  const subject = `${r.table}.${r.column}: `;
  return r.message.startsWith(subject) ? r.message.slice(subject.length) : r.message;
}

const SAMPLE_KEYS = z
  .string()
  .nullable()
  .transform((s, ctx) => {
    if (s === null) return [];
    try {
      return z.array(z.string()).parse(JSON.parse(s));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'sample_keys is not a JSON array of strings' });
      return z.NEVER;
    }
  });

const RECORDED_ROW = z.object({
  run_id: z.string(),
  source: z.string(),
  test_id: z.string(),
  table_name: z.string(),
  column_name: z.string().nullable(),
  kind: z.enum(DATA_TEST_KINDS),
  severity: z.enum(['error', 'warn']),
  status: z.enum(['passed', 'failed']),
  failing_count: z.number(),
  sample_keys: SAMPLE_KEYS,
  message: z.string().nullable(),
  checked_at: z.string(),
});

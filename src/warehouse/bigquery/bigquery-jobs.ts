import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { toBigQueryParams } from './bigquery-params.js';
import { restRequest, type BigQuery, type QueryResultsPage } from './bigquery-rest.js';
import { readWireRows } from './bigquery-values.js';
import type { BigQueryTableNames } from './bigquery-table-names.js';
import type { Row, SqlValue } from '../warehouse.js';

/** What a job is for, as its `kind` label: lets billing exports and `INFORMATION_SCHEMA.JOBS` split cost by use. */
export type JobKind = 'metrics' | 'query' | 'execute' | 'load' | 'transaction' | 'migrate' | 'refresh';

/** Rows per `getQueryResults` page; BigQuery also caps a page at ~10 MB. */
export const DEFAULT_PAGE_ROWS = 10_000;
/** Wait between polls of a job that is not done; getQueryResults itself long-polls up to `timeoutMs`. */
export const DEFAULT_POLL_MS = 250;
/** How long one getQueryResults call may wait server-side for the job to finish. */
const RESULTS_WAIT_MS = 10_000;

export interface JobSettings {
  readonly client: BigQuery;
  readonly names: BigQueryTableNames;
  readonly location: string | undefined;
  /** Per query job; BigQuery fails a job that would bill more, before it runs. Absent: no cap. */
  readonly maximumBytesBilled: number | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly pageRows: number;
  readonly pollMs: number;
}

export interface QueryJobRequest {
  readonly sql: string;
  readonly params?: readonly SqlValue[] | undefined;
  readonly kind: JobKind;
  /** A BigQuery session to run in (`connectionProperties: session_id`). */
  readonly sessionId?: string | undefined;
  /** Start a new session with this job; its id comes back in `sessionId`. */
  readonly createSession?: boolean;
  /** Server-side job limit (`jobTimeoutMs`). */
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface QueryJobResult<T extends Row> {
  readonly rows: T[];
  readonly jobId: string;
  readonly sessionId: string | undefined;
  readonly affectedRows: number;
}

/**
 * Runs one query job: jobs.insert with the SQL's `layer.table` names qualified into the dataset,
 * positional parameters with explicit types, the location, the bytes-billed cap and labels; then
 * getQueryResults until the job is complete and every page is read. Aborting `signal` cancels the
 * job in BigQuery (jobs.cancel) and rejects with the signal's reason.
 */
export async function runQueryJob<T extends Row>(s: JobSettings, req: QueryJobRequest): Promise<QueryJobResult<T>> {
  const { params, types } = toBigQueryParams(req.params);
  const options: Record<string, unknown> = {
    query: s.names.qualifyTables(req.sql),
    useLegacySql: false,
    jobId: `farol_${req.kind}_${randomUUID()}`,
    labels: { ...s.labels, kind: req.kind },
  };
  if (params.length > 0) {
    options.params = params;
    options.types = types;
  }
  if (s.location) options.location = s.location;
  if (s.maximumBytesBilled !== undefined) options.maximumBytesBilled = String(s.maximumBytesBilled);
  if (req.timeoutMs !== undefined) options.jobTimeoutMs = req.timeoutMs;
  if (req.createSession) options.createSession = true;
  if (req.sessionId) options.connectionProperties = [{ key: 'session_id', value: req.sessionId }];
  req.signal?.throwIfAborted();
  const [job] = await s.client.createQueryJob(options);
  const jobId = job.id as string;
  const location = (job.location as string | undefined) ?? s.location;
  const cancel = () => void job.cancel().catch(() => undefined);
  req.signal?.addEventListener('abort', cancel, { once: true });
  try {
    const sessionId = (job.metadata as { statistics?: { sessionInfo?: { sessionId?: string } } } | undefined)?.statistics?.sessionInfo?.sessionId;
    const rows: T[] = [];
    let pageToken: string | undefined;
    let affectedRows = 0;
    for (;;) {
      req.signal?.throwIfAborted();
      const page = await restRequest<QueryResultsPage>(s.client, {
        uri: `/queries/${encodeURIComponent(jobId)}`,
        qs: {
          location,
          maxResults: s.pageRows,
          pageToken,
          timeoutMs: RESULTS_WAIT_MS,
          'formatOptions.useInt64Timestamp': true,
        },
      });
      req.signal?.throwIfAborted();
      if (page.jobComplete === false) {
        await sleep(s.pollMs, undefined, req.signal ? { signal: req.signal } : undefined);
        continue;
      }
      if (page.numDmlAffectedRows !== undefined) affectedRows = Number(page.numDmlAffectedRows);
      if (page.rows && page.rows.length > 0) rows.push(...readWireRows<T>(page.schema?.fields ?? [], page.rows));
      if (!page.pageToken) break;
      pageToken = page.pageToken;
    }
    return { rows, jobId, sessionId, affectedRows };
  } catch (err) {
    if (req.signal?.aborted) throw req.signal.reason;
    throw err;
  } finally {
    req.signal?.removeEventListener('abort', cancel);
  }
}

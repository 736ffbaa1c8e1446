import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { restRequest } from './bigquery-rest.js';
import type { JobSettings } from './bigquery-jobs.js';
import type { SqlValue, TableRef } from '../warehouse.js';

export type WriteDisposition = 'WRITE_APPEND' | 'WRITE_TRUNCATE' | 'WRITE_EMPTY';

export interface LoadRequest {
  readonly table: TableRef;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly SqlValue[])[];
  readonly writeDisposition?: WriteDisposition;
}

interface JobResource {
  readonly jobReference?: { readonly jobId?: string; readonly location?: string };
  readonly status?: { readonly state?: string; readonly errorResult?: { readonly reason?: string; readonly message?: string; readonly location?: string } };
  readonly statistics?: { readonly load?: { readonly outputRows?: string } };
}

/**
 * Appends rows with one load job: the batch is serialised as newline-delimited JSON and sent in
 * one multipart upload (job configuration + data) to the upload endpoint, then the job is polled
 * until done. Load jobs are free and atomic per job, unlike `tabledata.insertAll` streaming, which
 * bills per byte and leaves rows in the streaming buffer where DML cannot touch them.
 * The job carries the same labels as query jobs (`kind=load`), which the client's own
 * `createWriteStream` cannot set. Columns of the table not named are loaded as NULL.
 */
export async function runLoadJob(s: JobSettings, req: LoadRequest): Promise<number> {
  if (req.rows.length === 0) return 0;
  const ndjson = toNdjson(req.columns, req.rows);
  const jobId = `farol_load_${randomUUID()}`;
  const job = {
    jobReference: { projectId: s.names.projectId, jobId, ...(s.location ? { location: s.location } : {}) },
    configuration: {
      labels: { ...s.labels, kind: 'load' },
      load: {
        destinationTable: { projectId: s.names.projectId, datasetId: s.names.dataset, tableId: s.names.tableId(req.table) },
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        writeDisposition: req.writeDisposition ?? 'WRITE_APPEND',
        createDisposition: 'CREATE_NEVER',
        // A column name the table lacks is an error, not a silently dropped value.
        ignoreUnknownValues: false,
      },
    },
  };
  const apiEndpoint = (s.client as unknown as { apiEndpoint: string }).apiEndpoint;
  const created = await restRequest<JobResource>(s.client, {
    method: 'POST',
    uri: `${apiEndpoint}/upload/bigquery/v2/projects/${encodeURIComponent(s.names.projectId)}/jobs`,
    qs: { uploadType: 'multipart' },
    multipart: [
      { 'Content-Type': 'application/json', body: JSON.stringify(job) },
      // The client's multipart writer only closes the body after a stream part.
      { 'Content-Type': 'application/octet-stream', body: Readable.from([ndjson]) },
    ],
    // A stream body cannot be sent twice; a failed upload is the caller's to retry.
    maxRetries: 0,
  });
  const done = await waitForJob(s, created.jobReference?.jobId ?? jobId, created.jobReference?.location ?? s.location, created);
  const error = done.status?.errorResult;
  if (error) {
    throw new Error(`BigQuery load into ${req.table.schema}.${req.table.table} failed (${error.reason ?? 'error'}): ${error.message ?? 'no message'}`);
  }
  return Number(done.statistics?.load?.outputRows ?? req.rows.length);
}

async function waitForJob(s: JobSettings, jobId: string, location: string | undefined, first: JobResource): Promise<JobResource> {
  let job = first;
  while (job.status?.state !== 'DONE') {
    await sleep(s.pollMs);
    job = await restRequest<JobResource>(s.client, { uri: `/jobs/${encodeURIComponent(jobId)}`, qs: { location } });
  }
  return job;
}

/** One JSON object per line; values keep the port's meaning (DECIMAL as text stays exact). */
export function toNdjson(columns: readonly string[], rows: readonly (readonly SqlValue[])[]): string {
  const lines = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as readonly SqlValue[];
    if (row.length !== columns.length) throw new Error(`append: row ${r + 1} has ${row.length} values for ${columns.length} columns`);
    const obj: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      const v = row[i];
      obj[c] = v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : v;
    });
    lines[r] = JSON.stringify(obj);
  }
  return `${lines.join('\n')}\n`;
}

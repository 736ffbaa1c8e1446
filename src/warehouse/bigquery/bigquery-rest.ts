import { BigQuery, type BigQueryOptions, type Job } from '@google-cloud/bigquery';
import type { BigQueryField, BigQueryWireRow } from './bigquery-values.js';

/**
 * The only file that constructs the BigQuery client. The client does authentication
 * (Application Default Credentials: `GOOGLE_APPLICATION_CREDENTIALS`, workload identity, gcloud),
 * retries of 429/5xx with backoff, and jobs.insert; the few REST calls it has no method for in the
 * shape Farol needs (raw result pages, multipart load uploads with job labels) go through its
 * authenticated `request`, so every call shares the same credentials and retry policy.
 */
export interface BigQueryClientOptions {
  readonly projectId: string;
  readonly location?: string | undefined;
  /** A service account key file; absent: Application Default Credentials. */
  readonly keyFilename?: string | undefined;
  /** Tests point this at a local server (`http://127.0.0.1:<port>`). */
  readonly apiEndpoint?: string | undefined;
  /** Anything with `getRequestHeaders(url)`, for tests; absent: google-auth-library decides. */
  readonly authClient?: unknown;
  /** Retries of 429/5xx per call (the client's exponential backoff); default 3. */
  readonly maxRetries?: number | undefined;
}

export function createBigQueryClient(o: BigQueryClientOptions): BigQuery {
  const options: BigQueryOptions = {
    projectId: o.projectId,
    retryOptions: { autoRetry: true, maxRetries: o.maxRetries ?? 3 },
  };
  if (o.location) options.location = o.location;
  if (o.keyFilename) options.keyFilename = o.keyFilename;
  if (o.apiEndpoint) options.apiEndpoint = o.apiEndpoint;
  if (o.authClient) (options as Record<string, unknown>).authClient = o.authClient;
  return new BigQuery(options);
}

/** One page of `jobs.getQueryResults`, as the REST API sends it. */
export interface QueryResultsPage {
  readonly jobComplete?: boolean;
  readonly schema?: { readonly fields?: readonly BigQueryField[] };
  readonly rows?: readonly BigQueryWireRow[];
  readonly pageToken?: string;
  readonly totalRows?: string;
  readonly numDmlAffectedRows?: string;
}

export interface RestRequest {
  readonly method?: 'GET' | 'POST';
  /** Relative to `/bigquery/v2/projects/<project>`, or absolute. */
  readonly uri: string;
  readonly qs?: Record<string, string | number | boolean | undefined>;
  readonly json?: unknown;
  readonly multipart?: readonly { readonly 'Content-Type': string; readonly body: unknown }[];
  readonly maxRetries?: number;
}

/** The client's authenticated request (auth headers, project prefix, retries) as a promise. */
export function restRequest<T>(client: BigQuery, req: RestRequest): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const qs = Object.fromEntries(Object.entries(req.qs ?? {}).filter(([, v]) => v !== undefined));
    client.request({ ...req, qs } as Parameters<BigQuery['request']>[0], (err: Error | null, body?: unknown) => {
      if (err) reject(err);
      else resolve(body as T);
    });
  });
}

export type { BigQuery, Job };

import type { Dispatcher } from 'undici';
import type { ZodType } from 'zod';
import type { Logger } from '../../observability/logger.js';
import type { HttpMethod } from './http-errors.js';
import type { RateLimit } from './rate-limiter.js';
import type { QueryParams } from './request-url.js';
import type { RetryPolicy } from './retry-policy.js';

export type { HttpMethod };

/** Reported after every attempt (retries included), e.g. to feed request counters and histograms. */
export interface HttpAttemptEvent {
  source: string;
  method: HttpMethod;
  /** Path without query string. */
  path: string;
  /** Absent when no response arrived. */
  status?: number;
  durationMs: number;
  /** 1-based. */
  attempt: number;
  /** Low-cardinality failure code when no response arrived: `timeout`, `ECONNREFUSED`, `UND_ERR_SOCKET`, ... */
  error?: string;
}

export interface HttpClientOptions {
  /** Source name ('vtex', 'ploomes', ...): labels logs, errors and attempt events. */
  source: string;
  baseUrl: string;
  /** Sent with every request. May hold credentials; credential headers are scrubbed from logs and errors. */
  headers?: Record<string, string>;
  /** Further values to scrub from any log line or error message. */
  secrets?: readonly string[];
  /** Deadline for one attempt, connection to last body byte. Default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Shared by every request of this client, i.e. of this source. */
  rateLimit?: RateLimit;
  logger?: Logger;
  /** Replaces the client's own keep-alive Agent; the client then does not close it. */
  dispatcher?: Dispatcher;
  /** Must not throw; a throwing hook is logged and ignored. */
  onAttempt?: (event: HttpAttemptEvent) => void;
}

export interface HttpRequest<T> {
  method?: HttpMethod;
  /** Relative to baseUrl; may carry a query string, or be an absolute URL on the base origin. */
  path: string;
  query?: QueryParams;
  headers?: Record<string, string>;
  /** Serialized as JSON. */
  body?: unknown;
  /** Validates the response body; a mismatch is a terminal ResponseValidationError. */
  schema?: ZodType<T>;
  timeoutMs?: number;
  /**
   * Declares a POST/PATCH safe to repeat (e.g. a search sent as POST), so it is retried like a GET.
   * Defaults to the method's RFC 9110 semantics.
   */
  idempotent?: boolean;
}

export interface HttpResponse<T> {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Undefined for 204 and empty bodies. */
  data: T;
  attempts: number;
}

export interface HttpClient {
  request<T = unknown>(req: HttpRequest<T>): Promise<HttpResponse<T>>;
  /** Rejects queued requests and releases connections. */
  close(): Promise<void>;
  readonly source: string;
  /** As configured; pagination resolves relative next links against it. */
  readonly baseUrl: string;
}

export {
  BODY_EXCERPT_CHARS,
  createHttpClient,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  HttpClientClosedError,
} from './http-client.js';
export type {
  HttpAttemptEvent,
  HttpClient,
  HttpClientOptions,
  HttpMethod,
  HttpRequest,
  HttpResponse,
} from './http-types.js';
export {
  isHttpError,
  isTransient,
  PaginationLimitError,
  ResponseValidationError,
  TerminalHttpError,
  TimeoutError,
  TransientHttpError,
  type HttpError,
  type HttpErrorContext,
  type HttpErrorKind,
  type ValidationIssue,
} from './http-errors.js';
export {
  backoffDelayMs,
  decideRetry,
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
  IDEMPOTENT_METHODS,
  parseRetryAfter,
  resolveRetryPolicy,
  RETRYABLE_STATUSES,
  THROTTLE_STATUSES,
  type AttemptOutcome,
  type RetryDecision,
  type RetryPolicy,
} from './retry-policy.js';
export { DEFAULT_BURST, RateLimiter, RateLimiterClosedError, systemClock, type Clock, type RateLimit } from './rate-limiter.js';
export { createRedactor, REDACTION_MARK, SECRET_HEADER_NAMES, secretsFromHeaders, type Redactor } from './redact.js';
export type { QueryParams } from './request-url.js';
export * from './pagination/index.js';

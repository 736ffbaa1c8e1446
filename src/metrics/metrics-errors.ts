/**
 * Errors the caller can fix. The GraphQL layer maps the `FORBIDDEN_*` codes (the caller's role
 * may not see a member, or a view its row rules cannot reach) to `FORBIDDEN` and the others to
 * `BAD_USER_INPUT`; anything else is an internal error and gets masked.
 */
export type MetricsQueryErrorCode = 'UNKNOWN_MEMBER' | 'INVALID_QUERY' | 'INVALID_DATE_RANGE' | 'FORBIDDEN_MEMBER' | 'FORBIDDEN_VIEW';

export function isForbiddenCode(code: MetricsQueryErrorCode): boolean {
  return code === 'FORBIDDEN_MEMBER' || code === 'FORBIDDEN_VIEW';
}

export class MetricsQueryError extends Error {
  constructor(
    readonly code: MetricsQueryErrorCode,
    message: string,
    readonly member?: string,
  ) {
    super(message);
    this.name = 'MetricsQueryError';
  }
}

/**
 * A query the warehouse stopped because it ran past the engine's `queryTimeoutMs`. Not the
 * caller's input mistake, but theirs to narrow: the API maps it to `QUERY_TIMEOUT`.
 */
export class MetricsTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The query ran longer than ${timeoutMs} ms and was stopped; ask for less (fewer rows or members, a shorter date range)`);
    this.name = 'MetricsTimeoutError';
  }
}

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

/**
 * Errors the caller can fix. The GraphQL layer maps them to `BAD_USER_INPUT`; anything else is
 * an internal error and gets masked.
 */
export type MetricsQueryErrorCode = 'UNKNOWN_MEMBER' | 'INVALID_QUERY' | 'INVALID_DATE_RANGE' | 'FORBIDDEN_MEMBER';

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

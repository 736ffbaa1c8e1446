/**
 * Classification of errors thrown before a response arrived, by code (never by message text).
 */

/** Node socket/DNS codes that describe a connection problem, not a bad request. */
const TRANSIENT_NODE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EAI_AGAIN',
]);

/**
 * undici codes that are programming errors or local state, not network trouble; every other
 * UND_ERR_* (socket closed, connect/headers/body timeout, truncated body) is worth another try.
 */
const NON_TRANSIENT_UNDICI_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_INVALID_RETURN_VALUE',
  'UND_ERR_ABORT',
  'UND_ERR_ABORTED',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_DESTROYED',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_MAX_ORIGINS_REACHED',
]);

/** Code used when a thrown value carries none. */
export const UNKNOWN_NETWORK_CODE = 'UNKNOWN';

/** The code of a network error, looking through AggregateError (happy eyeballs) and `cause`. */
export function networkErrorCode(err: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string' && code) return code;
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
  }
  return UNKNOWN_NETWORK_CODE;
}

export function isTransientNetworkCode(code: string): boolean {
  if (TRANSIENT_NODE_CODES.has(code)) return true;
  return code.startsWith('UND_ERR_') && !NON_TRANSIENT_UNDICI_CODES.has(code);
}

/** The server never accepted the connection, so it cannot have processed the request. */
export function isConnectionRefused(code: string): boolean {
  return code === 'ECONNREFUSED';
}

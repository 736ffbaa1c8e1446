import { AuthError } from '../auth/index.js';
import { MetricsQueryError, MetricsTimeoutError, type MetricsQueryErrorCode } from '../metrics/metrics-errors.js';
import { SqlError, SQLSTATE } from './sql-error.js';

const ENGINE_CODES: Readonly<Record<MetricsQueryErrorCode, string>> = {
  UNKNOWN_MEMBER: SQLSTATE.undefinedColumn,
  INVALID_QUERY: SQLSTATE.invalidParameterValue,
  INVALID_DATE_RANGE: SQLSTATE.invalidDatetimeFormat,
  // GraphQL says FORBIDDEN for both, naming the member: hidden is refused, not pretended absent.
  FORBIDDEN_MEMBER: SQLSTATE.insufficientPrivilege,
  FORBIDDEN_VIEW: SQLSTATE.insufficientPrivilege,
};

/**
 * Any error as what the client sees. Expected errors keep their message; anything else is
 * `internal: true`, answered as XX000 "internal error" with nothing of its text, and logged.
 */
export function toSqlError(err: unknown): { readonly error: SqlError; readonly internal: boolean } {
  if (err instanceof SqlError) return { error: err, internal: false };
  if (err instanceof MetricsQueryError) return { error: new SqlError(ENGINE_CODES[err.code], err.message), internal: false };
  if (err instanceof MetricsTimeoutError) return { error: new SqlError(SQLSTATE.queryCanceled, err.message), internal: false };
  if (err instanceof AuthError) return { error: new SqlError(err.code === 'FORBIDDEN' ? SQLSTATE.insufficientPrivilege : SQLSTATE.invalidAuthorization, err.message), internal: false };
  // The catalog responder's contract: an error carrying a SQLSTATE in `code`.
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && code !== SQLSTATE.internalError) {
    return { error: new SqlError(code, err.message), internal: false };
  }
  return { error: new SqlError(SQLSTATE.internalError, 'internal error'), internal: true };
}

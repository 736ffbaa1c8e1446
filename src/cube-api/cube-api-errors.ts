import { AuthError } from '../auth/index.js';
import { isForbiddenCode, MetricsQueryError, MetricsTimeoutError } from '../metrics/metrics-errors.js';

/** A request this face cannot read: malformed JSON, a wrong shape, a Cube feature Farol does not serve. */
export class CubeApiRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CubeApiRequestError';
  }
}

/** The body Cube's API gateway answers errors with; `code` and `member` are Farol's additions. */
export interface CubeErrorBody {
  readonly error: string;
  readonly type?: 'UserError';
  readonly code?: string;
  readonly member?: string;
}

export interface CubeErrorAnswer {
  readonly status: number;
  readonly body: CubeErrorBody;
  /** True when the error is not the caller's: log it in full, send nothing of it. */
  readonly internal: boolean;
}

/**
 * The one mapping from an error to Cube's answer, `{ error: message }` with a status Cube's
 * clients branch on: 401/403 for credentials, 400 for anything the caller can fix (the engine's
 * messages name the member and the field), 403 for members the caller may not see, and 500 with
 * a fixed message for everything else, whose details stay in the log.
 */
export function cubeErrorAnswer(err: unknown): CubeErrorAnswer {
  if (err instanceof AuthError) {
    return { status: err.code === 'UNAUTHENTICATED' ? 401 : 403, body: { error: err.message }, internal: false };
  }
  if (err instanceof MetricsQueryError) {
    const status = isForbiddenCode(err.code) ? 403 : 400;
    const body: CubeErrorBody = { error: err.message, type: 'UserError', code: err.code, ...(err.member === undefined ? {} : { member: err.member }) };
    return { status, body, internal: false };
  }
  if (err instanceof CubeApiRequestError) return { status: 400, body: { error: err.message, type: 'UserError' }, internal: false };
  if (err instanceof MetricsTimeoutError) return { status: 400, body: { error: err.message, code: 'QUERY_TIMEOUT' }, internal: false };
  const http = fastifyClientError(err);
  if (http) return { status: http.statusCode, body: { error: http.message }, internal: false };
  return { status: 500, body: { error: 'Internal Server Error' }, internal: true };
}

/** Fastify's own refusals before a handler runs (body too large, invalid JSON, media type): their messages are safe. */
function fastifyClientError(err: unknown): { statusCode: number; message: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  const { statusCode, code } = err as Error & { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  return { statusCode, message: err.message };
}

import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ClubIndexNotReadyError, CustomerQueryError } from '../customers/index.js';
import { isForbiddenCode, MetricsQueryError, MetricsTimeoutError, type MetricsQueryErrorCode } from '../metrics/metrics-errors.js';

/**
 * The expected errors of the API: each is a `GraphQLError` with `extensions.code`, and clients
 * branch on the code, never on the message. Anything that is not one of these is masked
 * (mask-error.ts). GraphQL parse/validation errors keep the codes Apollo gives them.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The operation is over its role's cost, depth or field budget; refused before it ran. */
  QUERY_TOO_EXPENSIVE: 'QUERY_TOO_EXPENSIVE',
  /** The answer would pass the response size cap; the field that crossed it is refused. */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  /** A warehouse query ran past its time limit and was stopped. */
  QUERY_TIMEOUT: 'QUERY_TIMEOUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;

/** Why input was rejected: the engine's codes, so clients see one vocabulary whoever rejected it. */
export type InputErrorReason = Exclude<MetricsQueryErrorCode, 'FORBIDDEN_MEMBER' | 'FORBIDDEN_VIEW'> | 'INVALID_CUSTOMER_QUERY' | 'INVALID_OPERATIONS_QUERY';

export interface BadUserInputExtensions {
  readonly reason: InputErrorReason;
  /** The offending `view.member`, when the engine named one. */
  readonly member?: string | undefined;
  /** The offending argument path, e.g. `query.filters[0].operator`, when the input was malformed. */
  readonly field?: string | undefined;
}

/** No credential, or one that does not verify: HTTP 401 before any resolver runs. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ERROR_CODES.UNAUTHENTICATED,
      http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) },
    },
  });
}

/**
 * The caller may not do this. `httpStatus` only for refusals before execution (a valid token
 * whose role cannot be served at all); inside an operation it is a field error.
 */
export function forbidden(message: string, httpStatus?: number, member?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ERROR_CODES.FORBIDDEN,
      ...(member === undefined ? {} : { member }),
      ...(httpStatus === undefined ? {} : { http: { status: httpStatus } }),
    },
  });
}

/** A part of the service this process does not run (e.g. pipeline operations in a bare API test). */
export function serviceUnavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ERROR_CODES.SERVICE_UNAVAILABLE } });
}

export function badUserInput(message: string, extensions: BadUserInputExtensions): GraphQLError {
  const { reason, member, field } = extensions;
  return new GraphQLError(message, {
    extensions: {
      code: ERROR_CODES.BAD_USER_INPUT,
      reason,
      ...(member === undefined ? {} : { member }),
      ...(field === undefined ? {} : { field }),
    },
  });
}

/** Which budget an operation went over, as `extensions.limit` names it. */
export type BudgetMeasure = 'cost' | 'depth' | 'fields';

/**
 * HTTP 400: asking again unchanged cannot succeed, so it is not a 429. `value` is where counting
 * stopped, the first figure over `limit`; the whole operation may be larger still.
 */
export function queryTooExpensive(measure: BudgetMeasure, value: number, limit: number, role: string): GraphQLError {
  const what = measure === 'cost' ? 'cost' : measure === 'depth' ? 'depth' : 'field count';
  return new GraphQLError(
    `Query refused before running: its ${what} reached ${value}, over the ${what} limit of ${limit} for role "${role}"; ask for fewer rows (limit), members or aliased fields`,
    { extensions: { code: ERROR_CODES.QUERY_TOO_EXPENSIVE, measure, value, limit, http: { status: 400 } } },
  );
}

export function responseTooLarge(bytes: number, limit: number): GraphQLError {
  return new GraphQLError(
    `The response would reach ${bytes} bytes, over the limit of ${limit}; ask for fewer rows (limit), members or aliased fields`,
    { extensions: { code: ERROR_CODES.RESPONSE_TOO_LARGE, bytes, limit } },
  );
}

/**
 * Domain errors a caller can fix, as API errors; `undefined` for everything else, which the
 * caller must treat as internal.
 */
export function fromDomainError(error: unknown): GraphQLError | undefined {
  if (error instanceof MetricsQueryError) {
    if (isForbiddenCode(error.code)) return forbidden(error.message, undefined, error.member);
    return badUserInput(error.message, { reason: error.code as InputErrorReason, member: error.member });
  }
  if (error instanceof CustomerQueryError) {
    return badUserInput(error.message, { reason: 'INVALID_CUSTOMER_QUERY', field: error.field });
  }
  if (error instanceof ClubIndexNotReadyError) {
    return new GraphQLError(error.message, { extensions: { code: ERROR_CODES.SERVICE_UNAVAILABLE } });
  }
  if (error instanceof MetricsTimeoutError) {
    return new GraphQLError(error.message, { extensions: { code: ERROR_CODES.QUERY_TIMEOUT, timeoutMs: error.timeoutMs } });
  }
  return undefined;
}

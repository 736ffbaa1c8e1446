import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { scrubPii } from '../auth/index.js';
import type { Logger } from '../observability/logger.js';
import { ERROR_CODES, fromDomainError } from './errors.js';

/** What a client sees for any error that is not an expected one. */
export const MASKED_ERROR_MESSAGE = 'Internal server error';

/** Bounds the walk down `originalError` chains; real chains are two or three links long. */
const MAX_CAUSE_DEPTH = 8;

export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Apollo's `formatError`: the single place where an error becomes what the client sees.
 * Expected errors (a `GraphQLError` carrying a code, or a domain error from `fromDomainError`)
 * pass with their code; anything else is logged in full and replaced by a fixed message, so SQL,
 * file paths and stacks never reach a client. Personal data (e-mails, CPF/CNPJ, phone numbers)
 * is masked in every message that leaves, whatever the caller's role: an error is no place for it.
 */
export function createErrorFormatter(logger: Logger): ErrorFormatter {
  return (formatted, error) => {
    const expected = expectedError(error);
    if (expected === error) return { ...formatted, message: scrubPii(formatted.message) };
    if (expected) {
      const { http: _http, ...extensions } = expected.extensions;
      return withLocation(formatted, { message: scrubPii(expected.message), extensions });
    }
    logger.error({ err: rootCause(error), graphqlPath: formatted.path }, 'GraphQL request failed with an internal error');
    return withLocation(formatted, {
      message: MASKED_ERROR_MESSAGE,
      extensions: { code: ERROR_CODES.INTERNAL_SERVER_ERROR },
    });
  };
}

/**
 * graphql-js wraps whatever a resolver throws in a located `GraphQLError` whose extensions are
 * copied from the thrown error when it had any; so the first link carrying a code decides.
 * A `GraphQLError` without a code (a scalar refusing a value, a null in a non-null field) is a
 * server bug, not a client mistake.
 */
function expectedError(error: unknown): GraphQLError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH; depth++) {
    const domain = fromDomainError(current);
    if (domain) return domain;
    if (!(current instanceof GraphQLError)) return undefined;
    if (typeof current.extensions.code === 'string') return current;
    if (!current.originalError) return undefined;
    current = current.originalError;
  }
  return undefined;
}

function rootCause(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof GraphQLError && current.originalError; depth++) {
    current = current.originalError;
  }
  return current;
}

function withLocation(
  formatted: GraphQLFormattedError,
  error: { message: string; extensions: Record<string, unknown> },
): GraphQLFormattedError {
  return {
    message: error.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: error.extensions,
  };
}

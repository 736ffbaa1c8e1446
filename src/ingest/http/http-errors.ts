/**
 * Errors raised by the HTTP client. Callers branch on `kind`, never on message text.
 *
 * Contract for every error here: `path` is the path without its query string, and every string
 * (message, body excerpt, issue text) has already been through the client's redactor. Errors carry
 * no `cause`, because upstream messages (JSON.parse, server bodies) can quote secrets verbatim.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpErrorContext {
  source: string;
  method: HttpMethod;
  path: string;
}

export type HttpErrorKind = 'transient' | 'terminal' | 'validation' | 'timeout' | 'pagination-limit';

abstract class HttpErrorBase extends Error {
  abstract readonly kind: HttpErrorKind;
  readonly source: string;
  readonly method: HttpMethod;
  readonly path: string;

  protected constructor(context: HttpErrorContext, message: string) {
    super(message);
    this.name = new.target.name;
    this.source = context.source;
    this.method = context.method;
    this.path = stripQuery(context.path);
  }
}

function where(context: HttpErrorContext): string {
  return `${context.source} ${context.method} ${stripQuery(context.path)}`;
}

function attemptsText(attempts: number): string {
  return `${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`;
}

/** The server or network may recover: a scheduler should run the work again later. */
export class TransientHttpError extends HttpErrorBase {
  readonly kind = 'transient' as const;
  /** Absent when no response arrived (network failure); see `code`. */
  readonly status: number | undefined;
  /** Network error code (ECONNREFUSED, UND_ERR_SOCKET, ...) when no response arrived. */
  readonly code: string | undefined;
  readonly attempts: number;
  /** How long the server asked to wait before the next try, when it said so. */
  readonly retryAfterMs: number | undefined;

  constructor(
    context: HttpErrorContext,
    details: { status?: number; code?: string; attempts: number; retryAfterMs?: number; note?: string },
  ) {
    const what = details.status ?? details.code ?? 'an unknown network error';
    const note = details.note ? `; ${details.note}` : '';
    super(context, `${where(context)} failed with ${what} after ${attemptsText(details.attempts)}${note}`);
    this.status = details.status;
    this.code = details.code;
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Retrying the same request cannot help (4xx other than 408/429, a non-network local failure). */
export class TerminalHttpError extends HttpErrorBase {
  readonly kind = 'terminal' as const;
  readonly status: number | undefined;
  readonly code: string | undefined;
  /** Start of the response body, redacted; empty when there was no body. */
  readonly bodyExcerpt: string;

  constructor(context: HttpErrorContext, details: { status?: number; code?: string; bodyExcerpt?: string }) {
    const what = details.status ?? details.code ?? 'an unknown error';
    const excerpt = details.bodyExcerpt ?? '';
    super(context, `${where(context)} failed with ${what}${excerpt ? `: ${excerpt}` : ''}`);
    this.status = details.status;
    this.code = details.code;
    this.bodyExcerpt = excerpt;
  }
}

export interface ValidationIssue {
  /** Dotted path into the body, `(root)` for the body itself. */
  path: string;
  message: string;
}

/** The server answered 2xx with a body that is not JSON or does not match the expected schema. */
export class ResponseValidationError extends HttpErrorBase {
  readonly kind = 'validation' as const;
  readonly status: number;
  readonly issues: readonly ValidationIssue[];

  constructor(context: HttpErrorContext, details: { status: number; issues: readonly ValidationIssue[] }) {
    const shown = details.issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((i) => `${i.path} (${i.message})`);
    const more = details.issues.length - shown.length;
    super(
      context,
      `${where(context)} returned a body that failed validation at ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
    );
    this.status = details.status;
    this.issues = details.issues;
  }
}

const MAX_ISSUES_IN_MESSAGE = 5;

/** Every attempt ran past its deadline. Transient: the server was slow, not wrong. */
export class TimeoutError extends HttpErrorBase {
  readonly kind = 'timeout' as const;
  readonly timeoutMs: number;
  readonly attempts: number;

  constructor(context: HttpErrorContext, details: { timeoutMs: number; attempts: number; note?: string }) {
    const note = details.note ? `; ${details.note}` : '';
    super(
      context,
      `${where(context)} timed out after ${details.timeoutMs} ms on each of ${attemptsText(details.attempts)}${note}`,
    );
    this.timeoutMs = details.timeoutMs;
    this.attempts = details.attempts;
  }
}

/**
 * A listing is larger than the API lets one query page through (VTEX OMS: 30 pages; Master Data
 * search: 10,000 documents). Retrying cannot help; the caller must split the query, as `hint` says.
 */
export class PaginationLimitError extends HttpErrorBase {
  readonly kind = 'pagination-limit' as const;
  readonly strategy: string;
  readonly limit: number;
  readonly needed: number;
  readonly unit: 'pages' | 'records';
  readonly hint: string;

  constructor(
    context: HttpErrorContext,
    details: { strategy: string; limit: number; needed: number; unit: 'pages' | 'records'; hint: string },
  ) {
    super(
      context,
      `${where(context)} needs ${details.needed} ${details.unit} but ${details.strategy} pagination reaches at most ${details.limit}: ${details.hint}`,
    );
    this.strategy = details.strategy;
    this.limit = details.limit;
    this.needed = details.needed;
    this.unit = details.unit;
    this.hint = details.hint;
  }
}

export type HttpError =
  | TransientHttpError
  | TerminalHttpError
  | ResponseValidationError
  | TimeoutError
  | PaginationLimitError;

export function isHttpError(err: unknown): err is HttpError {
  return err instanceof HttpErrorBase;
}

/** True when running the same work again later may succeed. Unknown errors are not transient. */
export function isTransient(err: unknown): boolean {
  if (!isHttpError(err)) return false;
  switch (err.kind) {
    case 'transient':
    case 'timeout':
      return true;
    case 'terminal':
    case 'validation':
    case 'pagination-limit':
      return false;
    default: {
      const unhandled: never = err;
      return unhandled;
    }
  }
}

/** Query strings carry filters, tokens and PII; errors and logs name the path only. */
export function stripQuery(path: string): string {
  const cut = path.search(/[?#]/);
  return cut === -1 ? path : path.slice(0, cut);
}

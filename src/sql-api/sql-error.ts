/**
 * SQLSTATE codes the SQL API answers with (PostgreSQL's, Appendix A), named once so a test and a
 * reader can find every place a class of refusal comes from.
 */
export const SQLSTATE = {
  syntaxError: '42601',
  undefinedTable: '42P01',
  undefinedColumn: '42703',
  insufficientPrivilege: '42501',
  groupingError: '42803',
  ambiguousColumn: '42702',
  readOnlyTransaction: '25006',
  inFailedTransaction: '25P02',
  featureNotSupported: '0A000',
  invalidParameterValue: '22023',
  invalidDatetimeFormat: '22007',
  nullValueNotAllowed: '22004',
  protocolViolation: '08P01',
  queryCanceled: '57014',
  adminShutdown: '57P01',
  invalidPassword: '28P01',
  invalidAuthorization: '28000',
  tooManyConnections: '53300',
  programLimitExceeded: '54000',
  serializationFailure: '40001',
  invalidPreparedStatement: '26000',
  invalidCursorName: '34000',
  duplicatePreparedStatement: '42P05',
  internalError: 'XX000',
} as const;

export type SqlState = (typeof SQLSTATE)[keyof typeof SQLSTATE];

/**
 * A refusal or failure the client sees as an ErrorResponse: a SQLSTATE, a message naming the
 * cause, and (for errors about the statement text) the 1-based character `position` in it.
 * Anything thrown that is not a SqlError is answered as XX000 "internal error" and logged.
 */
export class SqlError extends Error {
  readonly position: number | undefined;
  readonly hint: string | undefined;

  constructor(
    readonly code: string,
    message: string,
    options: { readonly position?: number | undefined; readonly hint?: string | undefined } = {},
  ) {
    super(message);
    this.name = 'SqlError';
    this.position = options.position;
    this.hint = options.hint;
  }
}

/** The parser's and AST's 0-based `location` as PostgreSQL's 1-based error position. */
export function positionOf(location: number | undefined): number | undefined {
  return location === undefined || location < 0 ? undefined : location + 1;
}

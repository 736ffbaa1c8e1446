/**
 * An error the wire server sends to the client as an ErrorResponse: `code` is the PostgreSQL
 * SQLSTATE, `position` (1-based, in characters) points into the statement when known.
 */
export class CatalogError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly position?: number,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}

/** The SQLSTATEs this folder raises itself (PostgreSQL's own errors keep theirs). */
export const SQLSTATE = {
  syntaxError: '42601',
  insufficientPrivilege: '42501',
  readOnlyTransaction: '25006',
  featureNotSupported: '0A000',
  invalidParameterValue: '22023',
  queryCanceled: '57014',
  internalError: 'XX000',
  programLimitExceeded: '54000',
  statementTooComplex: '54001',
} as const;

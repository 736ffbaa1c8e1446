/**
 * Why a request was refused. `UNAUTHENTICATED`: no credential, or one that does not verify
 * (HTTP 401). `FORBIDDEN`: a valid credential that may not do this (HTTP 403 or a GraphQL
 * `FORBIDDEN`). Messages are written for the caller and never contain the credential.
 */
export type AuthErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN';

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

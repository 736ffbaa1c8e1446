import { AuthError, type Authenticator, type Capability, type SecurityContext } from '../auth/index.js';

const BEARER_PREFIX = /^bearer[ \t]/i;

/**
 * Cube's clients send the token itself, `Authorization: <token>`; other HTTP clients send
 * `Bearer <token>`. Both reach src/auth's Authenticator as a bearer credential (API key or JWT).
 */
export async function authenticateCubeCaller(authenticator: Pick<Authenticator, 'authenticate'>, header: string | undefined): Promise<SecurityContext> {
  const value = header?.trim();
  if (!value) throw new AuthError('UNAUTHENTICATED', 'Authorization header isn\'t set: send an API key or JWT as "Authorization: <token>"');
  return authenticator.authenticate(BEARER_PREFIX.test(value) ? value : `Bearer ${value}`);
}

/** Refuses a caller whose role lacks `capability`, naming the role and what it may not do. */
export function requireCapability(ctx: SecurityContext, capability: Capability, what: string): void {
  if (!ctx.capabilities.has(capability)) throw new AuthError('FORBIDDEN', `Role "${ctx.role}" may not ${what}`);
}

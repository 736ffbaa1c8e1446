import { ApiKeyAuthenticator } from './api-key-authenticator.js';
import type { AuthConfig } from './auth-config.js';
import { AuthError } from './auth-errors.js';
import { JwtVerifier, looksLikeJwt } from './jwt-verifier.js';
import { BUILT_IN_ROLES, resolveDataAccess, type RolePolicy } from './role-policy.js';
import type { CredentialKind, SecurityContext } from './security-context.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` header value, or `undefined`. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  return BEARER.exec(authorization)?.[1];
}

export interface AuthenticatorOptions {
  readonly config: AuthConfig;
  /** Custom roles (from `loadAccessFile`); they may not reuse a built-in name. */
  readonly customRoles?: readonly RolePolicy[];
}

/**
 * The one place a credential becomes a `SecurityContext`, for every face. A bearer token shaped
 * like a JWT is verified as one; anything else is looked up as an API key. The role (an API
 * key's, or the JWT's role claim) selects a policy, built-in or from the access file, whose row
 * rules are bound to the caller's claims here, once per request.
 */
export class Authenticator {
  readonly #keys: ApiKeyAuthenticator;
  readonly #jwt: JwtVerifier | undefined;
  readonly #roles: ReadonlyMap<string, RolePolicy>;

  constructor(options: AuthenticatorOptions) {
    const roles = new Map<string, RolePolicy>(Object.entries(BUILT_IN_ROLES));
    for (const role of options.customRoles ?? []) {
      if (roles.has(role.name)) throw new Error(`role "${role.name}" is ${role.name in BUILT_IN_ROLES ? 'built in and cannot be redefined' : 'defined twice'}`);
      roles.set(role.name, role);
    }
    for (const [i, key] of options.config.apiKeys.entries()) {
      const policy = roles.get(key.role);
      if (!policy) throw new Error(`API key ${i + 1}: role "${key.role}" is neither built in (${Object.keys(BUILT_IN_ROLES).join(', ')}) nor in the access file`);
      if (policy.rowFilters.some((r) => r.source.kind === 'claim')) {
        throw new Error(`API key ${i + 1}: role "${key.role}" has row rules bound to claims, which API keys do not carry; give it to JWTs instead`);
      }
    }
    this.#roles = roles;
    this.#keys = new ApiKeyAuthenticator(options.config.apiKeys);
    this.#jwt = options.config.jwt && new JwtVerifier(options.config.jwt);
  }

  get apiKeyCount(): number {
    return this.#keys.keyCount;
  }

  get acceptsJwt(): boolean {
    return this.#jwt !== undefined;
  }

  /** Every role a credential may carry, built-in first. */
  get roles(): readonly RolePolicy[] {
    return [...this.#roles.values()];
  }

  /** Resolves an `Authorization` header value; throws `AuthError` (never echoing the token). */
  async authenticate(authorization: string | undefined): Promise<SecurityContext> {
    const token = bearerToken(authorization);
    if (token === undefined) throw new AuthError('UNAUTHENTICATED', 'A credential is required: send "Authorization: Bearer <API key or JWT>"');
    return looksLikeJwt(token) ? this.fromJwt(token) : this.fromApiKey(token);
  }

  private fromApiKey(key: string): SecurityContext {
    const match = this.#keys.verify(key);
    if (!match) throw new AuthError('UNAUTHENTICATED', 'The API key is not valid');
    return this.context(this.policy(match.role), 'api-key', match.apiKeyId, {});
  }

  private async fromJwt(token: string): Promise<SecurityContext> {
    if (!this.#jwt) throw new AuthError('UNAUTHENTICATED', 'JSON Web Tokens are not accepted here: no FAROL_JWT_SECRET or FAROL_JWT_JWKS_URL is configured');
    const claims = await this.#jwt.verify(token);
    const role = claims[this.#jwt.roleClaim];
    if (typeof role !== 'string' || role === '') {
      throw new AuthError('UNAUTHENTICATED', `The token is not valid: it has no "${this.#jwt.roleClaim}" claim naming a role`);
    }
    const policy = this.#roles.get(role);
    if (!policy) throw new AuthError('FORBIDDEN', `The token's role "${truncate(role)}" is not a role Farol knows`);
    const subject = `${claims.iss ?? ''}#${claims.sub ?? ''}`;
    return this.context(policy, 'jwt', subject, claims);
  }

  private policy(role: string): RolePolicy {
    const policy = this.#roles.get(role);
    // Checked for every key in the constructor.
    if (!policy) throw new Error(`role "${role}" vanished from the policy table`);
    return policy;
  }

  private context(policy: RolePolicy, credential: CredentialKind, subject: string, claims: Readonly<Record<string, unknown>>): SecurityContext {
    return createSecurityContext(policy, { credential, subject, claims });
  }
}

/**
 * A context for `policy`, its row rules bound to `claims`. The authenticator's own step, exported
 * for callers that act under a role without a request (alerts evaluating a rule, tests).
 */
export function createSecurityContext(
  policy: RolePolicy,
  who: { readonly credential: CredentialKind; readonly subject: string; readonly claims?: Readonly<Record<string, unknown>> },
): SecurityContext {
  const claims = who.claims ?? {};
  return Object.freeze({
    role: policy.name,
    credential: who.credential,
    subject: who.subject,
    capabilities: policy.capabilities,
    data: resolveDataAccess(policy, claims),
    claims: Object.freeze({ ...claims }),
  });
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

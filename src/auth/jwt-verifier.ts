import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from './auth-config.js';
import { AuthError } from './auth-errors.js';

/** Allowed clock skew between the token issuer and Farol when checking `exp` and `nbf`. */
export const DEFAULT_JWT_CLOCK_TOLERANCE_S = 30;

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * True for a bearer token shaped like a compact JWS whose header is JSON naming an `alg`
 * (an unsigned `alg: none` token included, so it is refused as a JWT instead of being tried as
 * an API key). API keys (`farol_…`, no dots) never look like this.
 */
export function looksLikeJwt(token: string): boolean {
  if (!JWT_SHAPE.test(token)) return false;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/**
 * Verifies JWTs with `jose`: HS256 against `FAROL_JWT_SECRET`, RS256/ES256 against the keys of
 * `FAROL_JWT_JWKS_URL` (fetched and cached by jose, refetched on an unknown `kid`). Signature,
 * `exp` (required), `nbf`, and `iss`/`aud` when configured are checked; any other algorithm,
 * `none` included, is refused. Failures are `AuthError('UNAUTHENTICATED')` with a message that
 * says what was wrong and never repeats the token.
 */
export class JwtVerifier {
  readonly #getKey: JWTVerifyGetKey;
  readonly #algorithms: string[];

  constructor(private readonly config: JwtConfig) {
    const secret = config.secret === undefined ? undefined : new TextEncoder().encode(config.secret);
    const jwks = config.jwksUrl === undefined ? undefined : createRemoteJWKSet(new URL(config.jwksUrl));
    this.#algorithms = [...(secret ? ['HS256'] : []), ...(jwks ? ['RS256', 'ES256'] : [])];
    this.#getKey = (header, token) => {
      if (header.alg === 'HS256' && secret) return secret;
      if (jwks) return jwks(header, token);
      throw new AuthError('UNAUTHENTICATED', 'The token is not valid: its algorithm is not accepted');
    };
  }

  get roleClaim(): string {
    return this.config.roleClaim;
  }

  async verify(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.#getKey, {
        algorithms: this.#algorithms,
        issuer: this.config.issuer,
        audience: this.config.audience,
        requiredClaims: ['exp'],
        clockTolerance: DEFAULT_JWT_CLOCK_TOLERANCE_S,
      });
      return payload;
    } catch (err) {
      if (err instanceof AuthError) throw err;
      throw new AuthError('UNAUTHENTICATED', `The token is not valid: ${reason(err)}`);
    }
  }
}

function reason(err: unknown): string {
  const { code, claim } = err as { code?: string; claim?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'it has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss') return 'its issuer is not accepted';
      if (claim === 'aud') return 'its audience is not accepted';
      if (claim === 'exp') return 'it has no expiry ("exp")';
      if (claim === 'nbf') return 'it is not valid yet';
      return `its "${claim ?? 'unknown'}" claim is not accepted`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'its signature does not verify';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'its algorithm is not accepted';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'no key of the identity provider matches it';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return 'the identity provider\'s keys could not be read';
    default:
      return 'it is malformed or could not be checked';
  }
}

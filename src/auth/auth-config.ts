/**
 * The security part of Farol's environment. src/config.ts (the only reader of `process.env`)
 * composes `authEnvSchema.shape` into its own schema and hands `authConfigFrom(parsed)` to
 * `createAuthenticator`; nothing here reads the environment.
 */
import { z } from 'zod';

/** The claim a JWT's role is read from unless `FAROL_JWT_ROLE_CLAIM` names another. */
export const DEFAULT_JWT_ROLE_CLAIM = 'role';
/** Shortest accepted plaintext API key. */
export const MIN_API_KEY_LENGTH = 16;
/** Shortest accepted HS256 secret: 256 bits, as RFC 7518 §3.2 requires for HS256. */
export const MIN_JWT_SECRET_LENGTH = 32;

export interface PlainApiKey {
  readonly kind: 'plain';
  readonly key: string;
  readonly role: string;
}

/** A key given in plain text (hashed at start-up) or already hashed, `sha256:<64 hex>`. */
export type ApiKey = PlainApiKey | { readonly kind: 'sha256'; readonly sha256: string; readonly role: string };

export interface JwtConfig {
  readonly secret: string | undefined;
  readonly jwksUrl: string | undefined;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
  readonly roleClaim: string;
}

export interface AuthConfig {
  readonly apiKeys: readonly ApiKey[];
  /** Undefined when neither a secret nor a JWKS URL is set: bearer JWTs are then refused. */
  readonly jwt: JwtConfig | undefined;
  readonly accessFile: string | undefined;
}

const ROLE = /^[a-z][a-z0-9_-]{0,62}$/;
const HASHED = /^sha256:([0-9a-fA-F]{64})[:=]([^:=]+)$/;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());

/** `<key>:<role>` or `<key>=<role>`, or `sha256:<hex>=<role>`, comma-separated. Messages never echo a key. */
const apiKeys = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((v, ctx): ApiKey[] => {
      const keys: ApiKey[] = [];
      for (const [i, entry] of (v ?? '').split(',').map((s) => s.trim()).filter(Boolean).entries()) {
        const hashed = HASHED.exec(entry);
        if (hashed?.[1] && hashed[2]) {
          if (!ROLE.test(hashed[2])) ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: "${hashed[2]}" is not a role name` });
          else keys.push({ kind: 'sha256', sha256: hashed[1].toLowerCase(), role: hashed[2] });
          continue;
        }
        if (entry.startsWith('sha256:')) {
          ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: a hashed key is "sha256:<64 hex digits>=<role>"` });
          continue;
        }
        const sep = Math.max(entry.lastIndexOf(':'), entry.lastIndexOf('='));
        const key = sep > 0 ? entry.slice(0, sep) : '';
        const role = sep > 0 ? entry.slice(sep + 1) : '';
        if (key.length < MIN_API_KEY_LENGTH) {
          ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: expected "<key>:<role>" with a key of at least ${MIN_API_KEY_LENGTH} characters, or "sha256:<hex>=<role>"` });
          continue;
        }
        if (!ROLE.test(role)) {
          ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: the role after the key's last ":" or "=" is not a role name` });
          continue;
        }
        keys.push({ kind: 'plain', key, role });
      }
      return keys;
    }),
);

export const authEnvSchema = z.object({
  FAROL_API_KEYS: apiKeys,
  /** Shared secret for HS256 tokens. */
  FAROL_JWT_SECRET: z.preprocess(emptyToUndefined, z.string().min(MIN_JWT_SECRET_LENGTH, `must be at least ${MIN_JWT_SECRET_LENGTH} characters`).optional()),
  /** JWKS of the identity provider, for RS256/ES256 tokens. */
  FAROL_JWT_JWKS_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }).optional()),
  FAROL_JWT_ISSUER: optionalString,
  FAROL_JWT_AUDIENCE: optionalString,
  FAROL_JWT_ROLE_CLAIM: z.preprocess(emptyToUndefined, z.string().trim().min(1).default(DEFAULT_JWT_ROLE_CLAIM)),
  FAROL_ACCESS_FILE: optionalString,
});

export type AuthEnv = z.output<typeof authEnvSchema>;

export function authConfigFrom(env: AuthEnv): AuthConfig {
  const jwtOn = env.FAROL_JWT_SECRET !== undefined || env.FAROL_JWT_JWKS_URL !== undefined;
  return {
    apiKeys: env.FAROL_API_KEYS,
    jwt: jwtOn
      ? {
          secret: env.FAROL_JWT_SECRET,
          jwksUrl: env.FAROL_JWT_JWKS_URL,
          issuer: env.FAROL_JWT_ISSUER,
          audience: env.FAROL_JWT_AUDIENCE,
          roleClaim: env.FAROL_JWT_ROLE_CLAIM,
        }
      : undefined,
    accessFile: env.FAROL_ACCESS_FILE,
  };
}

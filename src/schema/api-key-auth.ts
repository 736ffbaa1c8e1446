import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from '../config.js';
import type { SecurityContext } from '../metrics/metrics-service.js';

/** Hex characters of the key fingerprint: enough to tell keys apart in logs, useless for guessing one. */
export const API_KEY_ID_LENGTH = 12;

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

interface KeyEntry {
  readonly digest: Buffer;
  readonly security: SecurityContext;
}

/**
 * Resolves an `Authorization: Bearer <key>` header to the caller's `SecurityContext`.
 * Keys are compared as SHA-256 digests with `timingSafeEqual` against every configured key, so
 * neither the position of the first differing byte nor which key matched shows in the timing.
 * The key itself never leaves this class; `apiKeyId` is a fingerprint safe to log.
 */
export class ApiKeyAuthenticator {
  readonly #entries: readonly KeyEntry[];

  constructor(keys: readonly ApiKey[]) {
    const seen = new Set<string>();
    this.#entries = keys.map(({ key, role }) => {
      const apiKeyId = apiKeyFingerprint(key);
      if (seen.has(apiKeyId)) throw new Error(`API key ${apiKeyId} is configured twice; give each key one role`);
      seen.add(apiKeyId);
      return { digest: sha256(key), security: Object.freeze({ role, apiKeyId }) };
    });
  }

  get keyCount(): number {
    return this.#entries.length;
  }

  /** `undefined` when the key is unknown. */
  verify(key: string): SecurityContext | undefined {
    const digest = sha256(key);
    let match: SecurityContext | undefined;
    for (const entry of this.#entries) {
      if (timingSafeEqual(entry.digest, digest) && match === undefined) match = entry.security;
    }
    return match;
  }
}

/** The key in an `Authorization` header value, or `undefined` when there is no bearer token. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  return BEARER.exec(authorization)?.[1];
}

/** A short, stable, non-secret name for a key: domain-separated so it is not the key's plain hash. */
export function apiKeyFingerprint(key: string): string {
  return createHash('sha256').update('farol:api-key-id:').update(key).digest('hex').slice(0, API_KEY_ID_LENGTH);
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from './auth-config.js';

/** Hex characters of the key fingerprint: enough to tell keys apart in logs, useless for guessing one. */
export const API_KEY_ID_LENGTH = 12;

export interface ApiKeyMatch {
  readonly role: string;
  /** `apiKeyFingerprint` of the key: the only name of it that leaves this class. */
  readonly apiKeyId: string;
}

interface KeyEntry {
  readonly digest: Buffer;
  readonly match: ApiKeyMatch;
}

/**
 * Checks a presented key against the configured ones. Only SHA-256 digests are held (a
 * plaintext key is hashed here; a `sha256:` key arrives hashed, so a deployment need not hold
 * plaintext at all). Every entry is compared with `timingSafeEqual`, so neither the position of
 * the first differing byte nor which key matched shows in the timing.
 */
export class ApiKeyAuthenticator {
  readonly #entries: readonly KeyEntry[];

  constructor(keys: readonly ApiKey[]) {
    const seen = new Set<string>();
    this.#entries = keys.map((k) => {
      const digest = k.kind === 'plain' ? sha256(k.key) : Buffer.from(k.sha256, 'hex');
      const apiKeyId = fingerprintOfDigest(digest);
      if (seen.has(apiKeyId)) throw new Error(`API key ${apiKeyId} is configured twice; give each key one role`);
      seen.add(apiKeyId);
      return { digest, match: Object.freeze({ role: k.role, apiKeyId }) };
    });
  }

  get keyCount(): number {
    return this.#entries.length;
  }

  /** `undefined` when the key is unknown. */
  verify(key: string): ApiKeyMatch | undefined {
    const digest = sha256(key);
    let match: ApiKeyMatch | undefined;
    for (const entry of this.#entries) {
      if (timingSafeEqual(entry.digest, digest) && match === undefined) match = entry.match;
    }
    return match;
  }
}

/** What to put in `FAROL_API_KEYS` instead of the key: `sha256:<hex>` of it. */
export function hashApiKey(key: string): string {
  return `sha256:${sha256(key).toString('hex')}`;
}

/**
 * A short, stable, non-secret name for a key, computable from the key or from its digest (so
 * plaintext and hashed configurations of one key log the same id); domain-separated, so it is
 * not a prefix of the key's plain hash.
 */
export function apiKeyFingerprint(key: string): string {
  return fingerprintOfDigest(sha256(key));
}

function fingerprintOfDigest(digest: Buffer): string {
  return createHash('sha256').update('farol:api-key-id:').update(digest).digest('hex').slice(0, API_KEY_ID_LENGTH);
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

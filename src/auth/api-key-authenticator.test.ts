import { describe, expect, it } from 'vitest';
import { API_KEY_ID_LENGTH, ApiKeyAuthenticator, apiKeyFingerprint, hashApiKey } from './api-key-authenticator.js';
import { bearerToken } from './authenticator.js';

const ADMIN = 'admin-key-0123456789abcdef';
const APP = 'app-key-0123456789abcdefgh';
const HASHED_ONLY = 'hashed-key-0123456789abcdef';

describe('bearerToken', () => {
  it('reads the token of a Bearer header, case-insensitively', () => {
    expect(bearerToken(`Bearer ${ADMIN}`)).toBe(ADMIN);
    expect(bearerToken(`bearer  ${ADMIN} `)).toBe(ADMIN);
  });

  it('returns undefined for a missing header, another scheme or an empty token', () => {
    for (const header of [undefined, '', `Basic ${ADMIN}`, 'Bearer', 'Bearer ', `Bearer ${ADMIN} extra`]) {
      expect(bearerToken(header)).toBeUndefined();
    }
  });
});

describe('ApiKeyAuthenticator', () => {
  const auth = new ApiKeyAuthenticator([
    { kind: 'plain', key: ADMIN, role: 'admin' },
    { kind: 'plain', key: APP, role: 'app' },
    { kind: 'sha256', sha256: hashApiKey(HASHED_ONLY).slice('sha256:'.length), role: 'analyst' },
  ]);

  it('resolves a configured key to its role and fingerprint', () => {
    expect(auth.verify(APP)).toEqual({ role: 'app', apiKeyId: apiKeyFingerprint(APP) });
    expect(auth.verify(ADMIN)?.role).toBe('admin');
  });

  it('accepts a key configured only as its SHA-256 digest, with the same fingerprint', () => {
    expect(hashApiKey(HASHED_ONLY)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(auth.verify(HASHED_ONLY)).toEqual({ role: 'analyst', apiKeyId: apiKeyFingerprint(HASHED_ONLY) });
    // The digest itself is not a key.
    expect(auth.verify(hashApiKey(HASHED_ONLY))).toBeUndefined();
    expect(auth.verify(hashApiKey(HASHED_ONLY).slice(7))).toBeUndefined();
  });

  it('rejects near misses: prefixes, extensions, other case', () => {
    for (const key of [ADMIN.slice(0, -1), `${ADMIN}0`, ADMIN.toUpperCase(), '']) expect(auth.verify(key)).toBeUndefined();
  });

  it('fingerprints are short, stable and not a prefix of the key\'s plain hash', () => {
    const id = apiKeyFingerprint(ADMIN);
    expect(id).toMatch(new RegExp(`^[0-9a-f]{${API_KEY_ID_LENGTH}}$`));
    expect(apiKeyFingerprint(ADMIN)).toBe(id);
    expect(apiKeyFingerprint(APP)).not.toBe(id);
    expect(hashApiKey(ADMIN)).not.toContain(id);
  });

  it('refuses the same key configured twice, plain or hashed', () => {
    expect(() => new ApiKeyAuthenticator([{ kind: 'plain', key: ADMIN, role: 'admin' }, { kind: 'plain', key: ADMIN, role: 'pos' }])).toThrow(/configured twice/);
    expect(() => new ApiKeyAuthenticator([{ kind: 'plain', key: ADMIN, role: 'admin' }, { kind: 'sha256', sha256: hashApiKey(ADMIN).slice(7), role: 'pos' }])).toThrow(/configured twice/);
  });
});

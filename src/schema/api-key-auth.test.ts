import { describe, expect, it } from 'vitest';
import { API_KEY_ID_LENGTH, ApiKeyAuthenticator, apiKeyFingerprint, bearerToken } from './api-key-auth.js';

const ADMIN = 'admin-key-0123456789abcdef';
const APP = 'app-key-0123456789abcdefgh';

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
    { key: ADMIN, role: 'admin' },
    { key: APP, role: 'app' },
  ]);

  it('resolves a configured key to its role and fingerprint', () => {
    expect(auth.verify(APP)).toEqual({ role: 'app', apiKeyId: apiKeyFingerprint(APP) });
    expect(auth.verify(ADMIN)?.role).toBe('admin');
  });

  it('rejects near misses: prefixes, extensions, other case', () => {
    for (const key of [ADMIN.slice(0, -1), `${ADMIN}0`, ADMIN.toUpperCase(), '']) expect(auth.verify(key)).toBeUndefined();
  });

  it('fingerprints are short, stable and not a prefix of the key\'s plain hash', () => {
    const id = apiKeyFingerprint(ADMIN);
    expect(id).toMatch(new RegExp(`^[0-9a-f]{${API_KEY_ID_LENGTH}}$`));
    expect(apiKeyFingerprint(ADMIN)).toBe(id);
    expect(apiKeyFingerprint(APP)).not.toBe(id);
  });

  it('refuses the same key configured twice', () => {
    expect(() => new ApiKeyAuthenticator([{ key: ADMIN, role: 'admin' }, { key: ADMIN, role: 'pos' }])).toThrow(/configured twice/);
  });
});

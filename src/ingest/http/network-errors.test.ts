import { describe, expect, it } from 'vitest';
import { isConnectionRefused, isTransientNetworkCode, networkErrorCode, UNKNOWN_NETWORK_CODE } from './network-errors.js';

describe('networkErrorCode', () => {
  it('reads the code, through AggregateError and cause', () => {
    expect(networkErrorCode(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
    expect(networkErrorCode(new AggregateError([refused]))).toBe('ECONNREFUSED');
    expect(networkErrorCode(new Error('fetch failed', { cause: refused }))).toBe('ECONNREFUSED');
    expect(networkErrorCode(new Error('plain'))).toBe(UNKNOWN_NETWORK_CODE);
    expect(networkErrorCode('string')).toBe(UNKNOWN_NETWORK_CODE);
  });
});

describe('isTransientNetworkCode', () => {
  it('retries socket trouble, not local mistakes', () => {
    expect(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_BODY_TIMEOUT'].every(isTransientNetworkCode)).toBe(true);
    expect(['UND_ERR_INVALID_ARG', 'UND_ERR_ABORTED', 'UND_ERR_CLOSED', 'ENOTFOUND', 'UNKNOWN'].some(isTransientNetworkCode)).toBe(false);
    expect(isConnectionRefused('ECONNREFUSED')).toBe(true);
    expect(isConnectionRefused('ECONNRESET')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { formatLsn, isLsnText, parseLsn } from './lsn.js';

describe('WAL positions', () => {
  it('round-trips X/Y text through bigint and compares as numbers', () => {
    expect(parseLsn('0/16B3748')).toBe(0x16b3748n);
    expect(parseLsn('1/0')).toBe(1n << 32n);
    expect(formatLsn(parseLsn('A/FFFFFFFF'))).toBe('A/FFFFFFFF');
    expect(parseLsn('0/FFFFFFFF') < parseLsn('1/0')).toBe(true);
  });

  it('refuses what is not a position', () => {
    for (const bad of ['', '16B3748', '0/', 'G/1', '0/123456789', "0/1'; DROP"]) {
      expect(isLsnText(bad)).toBe(false);
      expect(() => parseLsn(bad)).toThrow(RangeError);
    }
  });
});

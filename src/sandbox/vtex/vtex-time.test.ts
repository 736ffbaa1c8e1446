import { describe, expect, it } from 'vitest';
import { Rng } from './random.js';
import { formatDay, formatOffset, formatZulu } from './vtex-time.js';

describe('VTEX timestamps', () => {
  it('print 7 fractional digits with +00:00 or Z', () => {
    const instant = { ms: Date.parse('2025-03-14T13:22:05.123Z'), sub: 4567 };
    expect(formatOffset(instant)).toBe('2025-03-14T13:22:05.1234567+00:00');
    expect(formatZulu(instant)).toBe('2025-03-14T13:22:05.1234567Z');
    expect(formatOffset({ ms: Date.parse('2024-02-29T00:00:00.007Z'), sub: 8 })).toBe('2024-02-29T00:00:00.0070008+00:00');
    expect(formatDay(instant.ms)).toBe('2025-03-14');
  });

  it('agree with Date#toISOString across centuries and leap years', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(rng.next() * 4_000_000_000_000) + 946_684_800_000 - 1_000_000_000_000;
      expect(formatZulu({ ms, sub: 0 })).toBe(`${new Date(ms).toISOString().slice(0, 23)}0000Z`);
    }
  });
});

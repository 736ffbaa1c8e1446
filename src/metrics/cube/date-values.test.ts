import { describe, expect, it } from 'vitest';
import { looksRelative, parseLocalDateTime } from './date-values.js';

describe('parseLocalDateTime', () => {
  it('reads dates as whole local days and times as instants', () => {
    expect(parseLocalDateTime('2025-03-14')).toEqual({ dateOnly: true, start: '2025-03-14T00:00:00.000', end: '2025-03-14T23:59:59.999' });
    expect(parseLocalDateTime('2025-03-14T10:30')).toMatchObject({ dateOnly: false, start: '2025-03-14T10:30:00.000' });
    expect(parseLocalDateTime('2025-03-14 10:30:05.5')?.start).toBe('2025-03-14T10:30:05.500');
  });

  it('rejects impossible dates, offsets and other text', () => {
    for (const bad of ['2025-13-01', '2025-02-30', '2025-03-14T24:00', '2025-03-14T10:00:00Z', '2025-03-14T10:00-03:00', '14/03/2025', '']) {
      expect(parseLocalDateTime(bad), bad).toBeUndefined();
    }
  });

  it('tells relative expressions from absolute values', () => {
    expect(looksRelative('last 7 days')).toBe(true);
    expect(looksRelative('today')).toBe(true);
    expect(looksRelative('2025-03-14')).toBe(false);
  });
});

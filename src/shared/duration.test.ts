import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads the units operators write', () => {
    expect([parseDuration('90s'), parseDuration('15m'), parseDuration('6h'), parseDuration('1d'), parseDuration('250')]).toEqual([
      90_000, 900_000, 21_600_000, 86_400_000, 250,
    ]);
    expect(parseDuration(' 1.5H ')).toBe(5_400_000);
  });

  it('refuses what is not a positive duration', () => {
    for (const bad of ['', 'six hours', '-1h', '0', '1w', '1h30m']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('formats whole units back', () => {
    expect([formatDuration(21_600_000), formatDuration(90_000), formatDuration(1_500)]).toEqual(['6h', '90s', '1500ms']);
  });
});

import { describe, expect, it } from 'vitest';
import { breaches, mad, median, seasonalBand, withYearlyLift } from './seasonal-baseline.js';

describe('seasonal baseline', () => {
  it('median and MAD ignore a single outlier in the history', () => {
    expect(median([100, 102, 98, 101, 99, 1_000])).toBe(100.5);
    expect(mad([100, 102, 98, 101, 99, 1_000])).toBe(1.5);
  });

  it('the band is median ± sensitivity × 1.4826 × MAD, never narrower than minDeviation of the median', () => {
    const band = seasonalBand([100, 110, 90, 105, 95], { sensitivity: 4, minDeviation: 0.1 })!;
    expect(band.expected).toBe(100);
    expect(band.high - band.expected).toBeCloseTo(4 * 1.4826 * 5, 10);
    const flat = seasonalBand([200, 200, 200, 200], { sensitivity: 4, minDeviation: 0.1 })!;
    expect([flat.low, flat.high]).toEqual([180, 220]);
    expect(seasonalBand([], { sensitivity: 4, minDeviation: 0.1 })).toBeUndefined();
  });

  it('a year-ago value outside its own band lifts the expectation by its ratio; a normal one changes nothing', () => {
    const band = { expected: 100, low: 80, high: 120, history: 8 };
    const lastYearBand = { expected: 50, low: 40, high: 60, history: 8 };
    expect(withYearlyLift(band, 55, lastYearBand)).toBe(band);
    expect(withYearlyLift(band, 200, lastYearBand)).toEqual({ expected: 400, low: 320, high: 480, history: 8 });
    expect(withYearlyLift(band, undefined, lastYearBand)).toBe(band);
  });

  it('direction decides which side breaches', () => {
    const band = { expected: 100, low: 80, high: 120, history: 8 };
    expect(breaches(79, band, 'drop')).toBe('drop');
    expect(breaches(79, band, 'spike')).toBeUndefined();
    expect(breaches(121, band, 'both')).toBe('spike');
    expect(breaches(121, band, 'drop')).toBeUndefined();
    expect(breaches(80, band, 'both')).toBeUndefined();
  });
});

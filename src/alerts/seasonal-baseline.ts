/**
 * The anomaly maths: a robust seasonal baseline. The expected value of a period is the median of
 * the same weekday (and hour) over the past weeks; its spread is the median absolute deviation
 * (MAD), scaled by 1.4826 so it estimates a standard deviation for normal noise. Median and MAD
 * ignore one-off outliers in the history (a past incident, last month's promotion), which a mean
 * and standard deviation would not.
 *
 * Yearly events (Black Friday) are not in the past weeks. When the same period a year earlier
 * (52 weeks back, so the weekday matches) stood outside its own weeks' band, the baseline is
 * scaled by that year's ratio: history expects the peak again.
 */
export const MAD_TO_SIGMA = 1.4826;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

export interface Band {
  readonly expected: number;
  readonly low: number;
  readonly high: number;
  /** How many past values the band rests on. */
  readonly history: number;
}

export interface BandOptions {
  readonly sensitivity: number;
  /** The band's half-width is at least this share of the expected value. */
  readonly minDeviation: number;
}

/** The band for past values of the same season; undefined with no history at all. */
export function seasonalBand(history: readonly number[], opts: BandOptions): Band | undefined {
  if (history.length === 0) return undefined;
  const expected = median(history);
  const spread = Math.max(MAD_TO_SIGMA * mad(history) * opts.sensitivity, Math.abs(expected) * opts.minDeviation);
  return { expected, low: expected - spread, high: expected + spread, history: history.length };
}

/**
 * The band of this year scaled by last year's lift: `lastYear` is the value 52 weeks back and
 * `lastYearBand` the band its own past weeks gave. A normal last year (inside its band) changes
 * nothing, so noise a year ago does not leak into today's expectation.
 */
export function withYearlyLift(band: Band, lastYear: number | undefined, lastYearBand: Band | undefined): Band {
  if (lastYear === undefined || !lastYearBand || lastYearBand.expected <= 0) return band;
  if (lastYear >= lastYearBand.low && lastYear <= lastYearBand.high) return band;
  const lift = lastYear / lastYearBand.expected;
  const half = (band.high - band.low) / 2;
  const expected = band.expected * lift;
  return { expected, low: expected - half * lift, high: expected + half * lift, history: band.history };
}

export type Direction = 'drop' | 'spike' | 'both';

export function breaches(value: number, band: Band, direction: Direction): 'drop' | 'spike' | undefined {
  if (value < band.low && direction !== 'spike') return 'drop';
  if (value > band.high && direction !== 'drop') return 'spike';
  return undefined;
}

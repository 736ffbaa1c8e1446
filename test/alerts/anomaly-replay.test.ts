import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules } from '../../src/alerts/default-rules.js';
import type { AnomalyRule } from '../../src/alerts/alert-rules.js';
import { replayRule } from '../../src/alerts/rule-replay.js';
import { BUSINESS_TZ } from '../metrics/gold-fixtures.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { seededWarehouse, type SeededWarehouse } from './alerts-fixture.js';
import { hourlyRevenue, type Drop } from './seeded-sales-history.js';

/**
 * The default revenue anomaly rules replayed over a seeded history: 15 months of hourly sales
 * with a weekend dip and Black Friday every year, and one injected drop (65% off for three hours
 * on Tuesday 9 December 2025, 14:00-17:00 São Paulo).
 */
const FROM_DAY = '2024-09-01';
const TO_DAY = '2025-12-13';
const DROP: Drop = { hours: ['2025-12-09T14', '2025-12-09T15', '2025-12-09T16'], factor: 0.35 };
const rules = defaultRules([]).rules;
const hourly = rules.find((r) => r.name === 'revenue-hourly') as AnomalyRule;
const daily = rules.find((r) => r.name === 'revenue-daily') as AnomalyRule;

let w: SeededWarehouse;
beforeAll(async () => {
  w = await seededWarehouse(FROM_DAY, TO_DAY, DROP);
}, 120_000);
afterAll(async () => w?.cleanup());

const ctx = () => ({ warehouse: w.warehouse, metrics: w.metrics, security: roleContext('admin'), timezone: BUSINESS_TZ, linkBase: 'https://farol.example.com' });
const sp = (local: string) => new Date(`${local}-03:00`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[s.length >> 1] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

describe('revenue anomaly over a seeded year', () => {
  it('fires nothing over a year of normal history, Black Friday 2025, its weekend and Cyber Monday included', async () => {
    // From two weeks after Black Friday 2024 (the first one has no year before it) to the day before the drop.
    const from = sp('2024-12-09T00:00:00');
    const to = sp('2025-12-09T00:00:00');
    const [h, d] = await Promise.all([replayRule(ctx(), hourly, from, to), replayRule(ctx(), daily, from, to)]);
    expect(h, JSON.stringify(h.slice(0, 3), null, 1)).toEqual([]);
    expect(d, JSON.stringify(d.slice(0, 3), null, 1)).toEqual([]);
  }, 120_000);

  it('without the yearly lift, Black Friday would have fired: the lift is what keeps it quiet', async () => {
    const events = await replayRule(ctx(), { ...daily, yearOverYear: false }, sp('2025-11-24T00:00:00'), sp('2025-12-01T00:00:00'));
    expect(events.filter((e) => e.event === 'firing').map((e) => e.period)).toContain('2025-11-28T00:00:00.000');
  }, 60_000);

  it('fires exactly one hourly alert for the injected drop, with its numbers, and resolves when the hour after it is normal', async () => {
    const events = await replayRule(ctx(), hourly, sp('2025-12-09T00:00:00'), sp('2025-12-11T00:00:00'));
    expect(events.map((e) => [e.event, e.period])).toEqual([
      ['firing', '2025-12-09T14:00:00.000'],
      ['resolved', '2025-12-09T17:00:00.000'],
    ]);
    const fired = events[0]!;
    const truth = hourlyRevenue(FROM_DAY, TO_DAY, DROP);
    const history = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => truth.get(`${new Date(Date.parse('2025-12-09T00:00:00Z') - k * 7 * 86_400_000).toISOString().slice(0, 10)}T14`) as number);
    const m = median(history);
    const spread = Math.max(1.4826 * median(history.map((x) => Math.abs(x - m))) * hourly.sensitivity, m * hourly.minDeviation);
    expect(fired.value).toBeCloseTo(truth.get('2025-12-09T14') as number, 2);
    expect(fired.expectedLow).toBeCloseTo(m - spread, 2);
    expect(fired.expectedHigh).toBeCloseTo(m + spread, 2);
    expect(fired.title).toMatch(/^Sales Revenue dropped 6\d% \(Tue 09\/12 14:00\)$/);
    // Detection delay: the drop starts at 14:00; its hour completes at 15:00 and settles for 5 minutes.
    expect(Date.parse(fired.at) - sp('2025-12-09T14:00:00').getTime()).toBe(65 * 60_000);
    // The daily total lost about a tenth: inside the daily band, so the day rule stays quiet.
    expect(await replayRule(ctx(), daily, sp('2025-12-09T00:00:00'), sp('2025-12-11T00:00:00'))).toEqual([]);
  }, 60_000);
});

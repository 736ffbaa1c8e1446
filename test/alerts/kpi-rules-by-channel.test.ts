import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRuleSchema, channelsFor, type AlertRule } from '../../src/alerts/alert-rules.js';
import { replayRule } from '../../src/alerts/rule-replay.js';
import { BUSINESS_TZ } from '../metrics/gold-fixtures.js';
import { roleContext } from '../fixtures/security-contexts.js';
import { seededWarehouse, type SeededWarehouse } from './alerts-fixture.js';
import { hourlyRevenueByChannel } from './seeded-sales-history.js';

/** Rules split by a dimension, and thresholds, over the seeded history with Mercado Livre alone dropping. */
const DROP = { hours: ['2025-12-09T10', '2025-12-09T11'], factor: 0.2, channel: 'mkt:ml' as const };
let w: SeededWarehouse;
beforeAll(async () => {
  w = await seededWarehouse('2025-08-01', '2025-12-12', DROP);
}, 120_000);
afterAll(async () => w?.cleanup());
const ctx = () => ({ warehouse: w.warehouse, metrics: w.metrics, security: roleContext('admin'), timezone: BUSINESS_TZ });
const sp = (local: string) => new Date(`${local}-03:00`);

describe('KPI rules by channel', () => {
  it('a drop in one channel fires for that series only, with its own numbers', async () => {
    const base = { kind: 'anomaly', measure: 'sales.revenue', timeDimension: 'sales.order_date', grain: 'hour', direction: 'drop', yearOverYear: false };
    const byChannel = alertRuleSchema.parse({ ...base, name: 'by-channel', dimension: 'sales.channel' });
    const events = await replayRule(ctx(), byChannel, sp('2025-12-09T00:00:00'), sp('2025-12-10T00:00:00'));
    expect(events.map((e) => [e.event, e.series, e.period])).toEqual([
      ['firing', 'Mercado Livre', '2025-12-09T10:00:00.000'],
      ['resolved', 'Mercado Livre', '2025-12-09T12:00:00.000'],
    ]);
    expect(events[0]!.value).toBeCloseTo(hourlyRevenueByChannel('2025-08-01', '2025-12-12', DROP).get('2025-12-09T10')![1]!, 2);
    expect(events[0]!.title).toMatch(/^Sales Revenue \(Mercado Livre\) dropped/);
  }, 60_000);

  it('a threshold fires while the KPI is past its limit and resolves when it is back', async () => {
    const rule = alertRuleSchema.parse({ name: 'ml-floor', kind: 'threshold', measure: 'sales.revenue', timeDimension: 'sales.order_date', grain: 'hour', dimension: 'sales.channel', below: 60 });
    const events = await replayRule(ctx(), rule, sp('2025-12-09T09:00:00'), sp('2025-12-09T13:00:00'));
    expect(events.map((e) => [e.event, e.series, e.period])).toEqual([
      ['firing', 'Mercado Livre', '2025-12-09T10:00:00.000'],
      ['resolved', 'Mercado Livre', '2025-12-09T12:00:00.000'],
    ]);
    expect(events[0]).toMatchObject({ title: expect.stringMatching(/^Sales Revenue \(Mercado Livre\) is below R\$\s60,00$/), expectedLow: 60 });
  }, 60_000);

  it('routes: the rule channels, else its severity route, else every configured channel; never an unconfigured one', () => {
    const rule = (extra: Record<string, unknown>): AlertRule => alertRuleSchema.parse({ name: 'r', kind: 'data_quality', ...extra });
    const rules = { routes: { critical: ['teams'] as const, warning: ['slack', 'teams'] as const }, rules: [] };
    expect(channelsFor(rule({ severity: 'critical' }), rules, ['slack', 'teams'])).toEqual(['teams']);
    expect(channelsFor(rule({ severity: 'critical', channels: ['slack'] }), rules, ['slack', 'teams'])).toEqual(['slack']);
    expect(channelsFor(rule({ severity: 'info' }), rules, ['slack'])).toEqual(['slack']);
    expect(channelsFor(rule({ severity: 'warning' }), rules, ['slack'])).toEqual(['slack']);
    expect(channelsFor(rule({ severity: 'critical' }), rules, ['slack'])).toEqual([]);
  });
});

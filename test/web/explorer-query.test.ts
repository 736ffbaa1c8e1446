import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { anomalyRuleSchema } from '../../src/alerts/alert-rules.js';
import { queryLink } from '../../src/alerts/kpi-evaluators.js';
import { decodeState, encodeState, EXPLORER_ROW_LIMIT, toCubeQuery, toGraphqlText, type ExplorerState } from '../../web/src/explorer-query.js';

const REVENUE_BY_CHANNEL: ExplorerState = {
  view: 'sales', measures: ['sales.revenue'], dimensions: ['sales.channel'], timeDimension: 'sales.ordered_at', grain: 'day', range: 'last 30 days', chart: 'line',
};

describe('the explorer query', () => {
  it('is a Cube query with the time dimension, grain and range', () => {
    expect(toCubeQuery(REVENUE_BY_CHANNEL)).toEqual({
      measures: ['sales.revenue'], dimensions: ['sales.channel'],
      timeDimensions: [{ dimension: 'sales.ordered_at', granularity: 'day', dateRange: 'last 30 days' }], limit: EXPLORER_ROW_LIMIT,
    });
    expect(toCubeQuery({ ...REVENUE_BY_CHANNEL, grain: undefined, range: undefined })).not.toHaveProperty('timeDimensions');
  });

  it('prints as GraphQL that parses, with the range as a list', () => {
    const text = toGraphqlText(toCubeQuery(REVENUE_BY_CHANNEL));
    expect(() => parse(text)).not.toThrow();
    expect(text).toContain('dateRange: ["last 30 days"]');
    expect(text).toContain('measures: ["sales.revenue"]');
  });

  it('round-trips through the link, which carries nothing but the query', () => {
    const link = encodeState(REVENUE_BY_CHANNEL);
    expect(link).toMatch(/^q=[A-Za-z0-9_-]+$/);
    expect(decodeState(`#${link}`)).toEqual({ state: REVENUE_BY_CHANNEL });
    expect(Buffer.from(link.slice(2), 'base64url').toString('utf8')).not.toMatch(/key|bearer/i);
  });

  it('refuses links that are not a query, saying why', () => {
    const enc = (v: unknown) => `q=${Buffer.from(JSON.stringify(v)).toString('base64url')}`;
    expect(decodeState('')).toEqual({ error: 'the link holds no query (q=…)' });
    expect(decodeState('q=%%%')).toEqual({ error: "the link's query is not valid base64url JSON" });
    expect(decodeState(`q=${'A'.repeat(9_000)}`)).toMatchObject({ error: expect.stringContaining('over 8000') });
    expect(decodeState(enc({ ...REVENUE_BY_CHANNEL, measures: ["sales.revenue'; DROP TABLE x; --"] }))).toMatchObject({ error: expect.stringContaining('measures.0') });
    expect(decodeState(enc({ ...REVENUE_BY_CHANNEL, measures: [] }))).toMatchObject({ error: expect.stringContaining('measures') });
    expect(decodeState(enc({ ...REVENUE_BY_CHANNEL, grain: 'fortnight' }))).toMatchObject({ error: expect.stringContaining('grain') });
    expect(decodeState(enc({ ...REVENUE_BY_CHANNEL, measures: Array(21).fill('sales.revenue') }))).toMatchObject({ error: expect.stringContaining('measures') });
    expect(decodeState(enc(['not', 'an', 'object']))).toMatchObject({ error: expect.stringContaining('(root)') });
  });
});

describe('the link an alert carries', () => {
  it('opens the explorer on the rule\'s KPI, by its dimension and grain', () => {
    const rule = anomalyRuleSchema.parse({ name: 'revenue', kind: 'anomaly', measure: 'sales.revenue', timeDimension: 'sales.order_date', grain: 'hour', dimension: 'sales.channel' });
    const link = queryLink({ linkBase: 'https://farol.example.com' }, rule);
    expect(link).toMatch(/^https:\/\/farol\.example\.com\/#q=/);
    const decoded = decodeState(new URL(link as string).hash);
    expect(decoded).toEqual({
      state: { view: 'sales', measures: ['sales.revenue'], dimensions: ['sales.channel'], timeDimension: 'sales.order_date', grain: 'hour', range: 'last 14 days', chart: 'line' },
    });
  });
});

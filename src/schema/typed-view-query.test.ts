import { describe, expect, it } from 'vitest';
import type { ModelMember } from '../metrics/model-views.js';
import { typedView } from './typed-view-model.js';
import { toTypedMetricsQuery } from './typed-view-query.js';
import type { SelectedMembers } from './typed-view-selection.js';

const member = (name: string, over: Partial<ModelMember> = {}): ModelMember => ({
  name, view: 'shop', kind: 'dimension', title: name, shortTitle: name, type: 'string', pii: false, rolling: false, ...over,
});
const shop = typedView(
  {
    name: 'shop', title: 'shop', lineage: { gold: [], silver: [], bronze: [], sources: [] }, segments: [],
    measures: [member('shop.revenue', { kind: 'measure', type: 'number', aggType: 'sum' })],
    dimensions: [member('shop.channel'), member('shop.day', { kind: 'timeDimension', type: 'time' })],
  },
  new Set(),
);
const field = (name: string) => shop.members.find((m) => m.field === name)!;
const revenueOnly: SelectedMembers = { members: [field('revenue')], times: new Map(), compared: [] };
const revenueByDay: SelectedMembers = { members: [field('revenue')], times: new Map([[field('day'), new Set(['day'] as const)]]), compared: [] };

describe("a typed field's top-level date range", () => {
  it("becomes the time dimension's dateRange, as Cube writes a period, leaving the other conditions as filters", () => {
    const q = toTypedMetricsQuery(shop, { where: { day: { inDateRange: ['2025-03-15', '2025-03-16'] }, channel: { equals: ['Site'] } } }, revenueOnly);
    expect(q.timeDimensions).toEqual([{ dimension: 'shop.day', dateRange: ['2025-03-15', '2025-03-16'] }]);
    expect(q.filters).toEqual([{ member: 'shop.channel', operator: 'equals', values: ['Site'] }]);
  });

  it('lands on the selected granularity of the same member, and a single value is a relative range', () => {
    const q = toTypedMetricsQuery(shop, { where: { day: { inDateRange: ['last 7 days'] } } }, revenueByDay);
    expect(q.timeDimensions).toEqual([{ dimension: 'shop.day', granularity: 'day', dateRange: 'last 7 days' }]);
    expect(q.filters).toEqual([]);
  });

  it('stays a filter inside OR; another condition on the member stays a filter beside it', () => {
    const inOr = toTypedMetricsQuery(shop, { where: { OR: [{ day: { inDateRange: ['2025-03-15', '2025-03-16'] } }, { channel: { equals: ['Site'] } }] } }, revenueOnly);
    expect(inOr.timeDimensions).toEqual([]);
    const other = toTypedMetricsQuery(shop, { where: { day: { inDateRange: ['2025-03-15', '2025-03-16'], notInDateRange: ['2025-03-15', '2025-03-15'] } } }, revenueOnly);
    expect(other.timeDimensions).toEqual([{ dimension: 'shop.day', dateRange: ['2025-03-15', '2025-03-16'] }]);
    expect(other.filters).toEqual([{ member: 'shop.day', operator: 'notInDateRange', values: ['2025-03-15', '2025-03-15'] }]);
  });
});

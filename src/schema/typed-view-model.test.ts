import { describe, expect, it } from 'vitest';
import type { ModelMember, ModelView } from '../metrics/model-views.js';
import { camelCase, enumValueName, pascalCase, typedView } from './typed-view-model.js';

const member = (name: string, over: Partial<ModelMember> = {}): ModelMember => ({
  name, view: name.split('.')[0] as string, kind: 'dimension', title: name, shortTitle: name, type: 'string', pii: false, rolling: false, ...over,
});
const view = (name: string, members: ModelMember[]): ModelView => ({
  name, title: name, lineage: { gold: [], silver: [], bronze: [], sources: [] },
  measures: members.filter((m) => m.kind === 'measure'), dimensions: members.filter((m) => m.kind !== 'measure'), segments: [],
});

describe('typed view names', () => {
  it('camelCases fields, PascalCases types and upper-snakes enum values', () => {
    expect(camelCase('average_ticket')).toBe('averageTicket');
    expect(camelCase('order_date')).toBe('orderDate');
    expect(pascalCase('product_sales')).toBe('ProductSales');
    expect(enumValueName('average_ticket')).toBe('AVERAGE_TICKET');
  });

  it('types values from the model: counts Int, other measures Float, personal data String', () => {
    const t = typedView(
      view('shop', [
        member('shop.orders', { kind: 'measure', type: 'number', aggType: 'count' }),
        member('shop.buyers', { kind: 'measure', type: 'number', aggType: 'countDistinct' }),
        member('shop.revenue', { kind: 'measure', type: 'number', aggType: 'sum' }),
        member('shop.price', { type: 'number' }),
        member('shop.paid', { type: 'boolean' }),
        member('shop.day', { kind: 'timeDimension', type: 'time' }),
        member('shop.cpf', { type: 'number', pii: true }),
      ]),
      new Set(),
    );
    expect(Object.fromEntries(t.members.map((m) => [m.field, m.valueKind]))).toEqual({
      orders: 'int', buyers: 'int', revenue: 'float', price: 'float', paid: 'boolean', day: 'time', cpf: 'string',
    });
  });

  it('appends View to a view whose field name is taken', () => {
    const t = typedView(view('customers', [member('customers.state')]), new Set(['customers']));
    expect([t.field, t.typePrefix]).toEqual(['customersView', 'CustomersView']);
  });

  it('refuses members that would share a field, naming both', () => {
    expect(() => typedView(view('v', [member('v.order_date'), member('v.orderDate')]), new Set())).toThrow(/"v.order_date" and "v.orderDate"/);
  });

  it('refuses a member whose name is not a GraphQL name, and keeps where\'s AND/OR free', () => {
    expect(typedView(view('v', [member('v.AND')]), new Set()).members[0]?.field).toBe('aND');
    expect(() => typedView(view('v', [member('v.1st')]), new Set())).toThrow(/not a GraphQL name/);
  });
});

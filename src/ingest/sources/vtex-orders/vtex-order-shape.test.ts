import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonShapeOf, VTEX_ORDER_SHAPE, type JsonShape } from './vtex-order-shape.js';

function field(shape: JsonShape, path: string): JsonShape {
  let node = shape;
  for (const key of path.split('.')) {
    if (key === '*' && node.kind === 'array') node = node.element;
    else if (node.kind === 'object' && node.fields[key]) node = node.fields[key];
    else throw new Error(`no ${path}`);
  }
  return node;
}

describe('jsonShapeOf', () => {
  it('reads the Get-order rules out of vtexOrderSchema', () => {
    expect(field(VTEX_ORDER_SHAPE, 'orderId')).toEqual({ kind: 'string', nullish: false, minLength: 1 });
    expect(field(VTEX_ORDER_SHAPE, 'sequence')).toEqual({ kind: 'string', nullish: true, minLength: 0 });
    expect(field(VTEX_ORDER_SHAPE, 'value')).toEqual({ kind: 'integer', nullish: false });
    expect(field(VTEX_ORDER_SHAPE, 'items.*.quantity')).toEqual({ kind: 'integer', nullish: false, minimum: 0 });
    expect(field(VTEX_ORDER_SHAPE, 'items.*.isGift')).toEqual({ kind: 'boolean', nullish: true });
    expect(field(VTEX_ORDER_SHAPE, 'paymentData.transactions')).toMatchObject({ kind: 'array', nullish: true });
    expect(field(VTEX_ORDER_SHAPE, 'totals')).toMatchObject({ kind: 'array', nullish: false });
    const created = field(VTEX_ORDER_SHAPE, 'creationDate');
    expect(created).toMatchObject({ kind: 'string', nullish: false, pattern: { message: 'expected an ISO-8601 timestamp with offset' } });
    expect(created.kind === 'string' && created.pattern?.regex.test('2025-03-14T13:22:05.1234567+00:00')).toBe(true);
  });

  it.each([
    ['an optional field that rejects null', z.object({ a: z.string().optional() }), 'a: use .nullish()'],
    ['a nullable field that must be present', z.object({ a: z.string().nullable() }), 'a: use .nullish()'],
    ['a fractional number', z.object({ a: z.number() }), 'a: only integer numbers'],
    ['a string format', z.object({ a: z.string().email() }), 'a: string check'],
    ['a minimum length above 1', z.object({ a: z.string().min(2) }), 'a: string check'],
    ['a regex with flags', z.object({ a: z.string().regex(/x/i) }), 'a: string check'],
    ['a union', z.object({ a: z.union([z.string(), z.number().int()]) }), 'a: zod type "union"'],
    ['a strict object', z.object({ a: z.object({}).strict() }), 'a: only objects that ignore unlisted fields'],
    ['an array length check', z.object({ a: z.array(z.string()).min(1) }), 'a: checks on this type'],
    ['an upper bound', z.object({ a: z.object({ b: z.number().int().max(5) }) }), 'a.b: number check "less_than"'],
  ])('refuses %s, naming the path', (_name, schema, message) => {
    expect(() => jsonShapeOf(schema)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog-fixture.js';
import { ean13CheckDigit, isValidEan13 } from './ean.js';

describe('catalog fixture', () => {
  it('has about 40 unique SKUs across the four departments', () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(35);
    expect(new Set(CATALOG.map((s) => s.skuId)).size).toBe(CATALOG.length);
    expect(new Set(CATALOG.map((s) => s.refId)).size).toBe(CATALOG.length);
    expect(new Set(CATALOG.map((s) => s.categoriesIds.split('/')[1]))).toEqual(new Set(['1', '2', '3', '4']));
  });

  it('carries valid EAN-13s, VTEX category paths and sane cent prices', () => {
    for (const sku of CATALOG) {
      expect(isValidEan13(sku.ean), sku.ean).toBe(true);
      expect(sku.categoriesIds).toMatch(/^\/\d+\/\d+\/$/);
      expect(Number.isInteger(sku.price) && sku.price > 0).toBe(true);
      expect(sku.listPrice).toBeGreaterThanOrEqual(sku.price);
      expect(sku.costPrice).toBeLessThan(sku.price);
    }
  });

  it('computes EAN-13 check digits like GS1', () => {
    expect(ean13CheckDigit('789123456789')).toBe(5);
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('4006381333932')).toBe(false);
  });
});

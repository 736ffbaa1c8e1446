import { describe, expect, it } from 'vitest';
import { boundedLabel } from './bounded-label.js';

describe('boundedLabel', () => {
  it('keeps the first well-formed names, folds later new ones and malformed ones into the overflow value', () => {
    const label = boundedLabel({ maxDistinct: 2, overflow: 'other', empty: 'anonymous' });
    expect([label('A'), label('B'), label('C'), label('A'), label('B')]).toEqual(['A', 'B', 'other', 'A', 'B']);
    expect([label(null), label(undefined), label('')]).toEqual(['anonymous', 'anonymous', 'anonymous']);
    const fresh = boundedLabel({ maxDistinct: 10, overflow: 'other', empty: 'anonymous' });
    for (const bad of ['a b', '1abc', 'x'.repeat(101), 'q"}\n', 'é']) expect(fresh(bad), bad).toBe('other');
  });
});

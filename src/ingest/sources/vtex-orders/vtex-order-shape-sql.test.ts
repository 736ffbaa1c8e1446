import { describe, expect, it } from 'vitest';
import { JS_WHITESPACE } from './vtex-order-shape-sql.js';

describe('JS_WHITESPACE', () => {
  it('is exactly what String.prototype.trim removes', () => {
    const trimmed: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (String.fromCharCode(c).trim() === '') trimmed.push(c);
    expect([...JS_WHITESPACE].sort((a, b) => a - b)).toEqual(trimmed);
  });
});

import { describe, expect, it } from 'vitest';
import { isValidDocument, isValidEmail } from './value-checks.js';

describe('isValidDocument', () => {
  it.each(['52998224725', '529.982.247-25', '11222333000181', '11.222.333/0001-81'])('accepts %s', (v) => {
    expect(isValidDocument(v)).toBe(true);
  });

  it.each(['52998224724', '11111111111', '11222333000182', '123', '', 'X1234567'])('rejects %j', (v) => {
    expect(isValidDocument(v)).toBe(false);
  });
});

describe('isValidEmail', () => {
  it.each(['ana@example.com.br', ' Ana@Example.COM ', 'a1b2c3@ct.vtex.com.br', 'o\'brien@example.com'])('accepts %j', (v) => {
    expect(isValidEmail(v)).toBe(true);
  });

  it.each(['ana@example', 'ana silva@example.com', 'ana@@example.com', 'example.com', ''])('rejects %j', (v) => {
    expect(isValidEmail(v)).toBe(false);
  });
});

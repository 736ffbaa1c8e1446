import { describe, expect, it } from 'vitest';
import { generateCnpj } from '../sandbox/vtex/cnpj.js';
import { generateCpf } from '../sandbox/vtex/cpf.js';
import { Rng } from '../sandbox/vtex/random.js';
import { formatCpf, isValidCnpj, isValidCpf, normalizeDocument } from './brazil-documents.js';

describe('CPF', () => {
  it('accepts known valid CPFs, bare or formatted', () => {
    expect(isValidCpf('52998224725')).toBe(true);
    expect(isValidCpf('529.982.247-25')).toBe(true);
    expect(isValidCpf('84513427019')).toBe(true);
  });

  it('rejects wrong check digits, repeated digits and other shapes', () => {
    expect(isValidCpf('52998224724')).toBe(false);
    expect(isValidCpf('11111111111')).toBe(false);
    expect(isValidCpf('5299822472')).toBe(false);
    expect(isValidCpf('529982247-25')).toBe(false);
    expect(isValidCpf('')).toBe(false);
  });

  it('generates 11-digit CPFs that always validate', () => {
    const rng = new Rng(2025);
    for (let i = 0; i < 5_000; i++) {
      const cpf = generateCpf(rng);
      expect(cpf).toMatch(/^\d{11}$/);
      expect(isValidCpf(cpf)).toBe(true);
      expect(isValidCpf(formatCpf(cpf))).toBe(true);
    }
  });
});

describe('CNPJ', () => {
  it('accepts a known valid CNPJ and rejects a wrong check digit', () => {
    expect(isValidCnpj('11222333000181')).toBe(true);
    expect(isValidCnpj('11.222.333/0001-81')).toBe(true);
    expect(isValidCnpj('11222333000182')).toBe(false);
    expect(isValidCnpj('00000000000000')).toBe(false);
  });

  it('generates head-office CNPJs that always validate', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 2_000; i++) {
      const cnpj = generateCnpj(rng);
      expect(cnpj).toMatch(/^\d{8}0001\d{2}$/);
      expect(isValidCnpj(cnpj)).toBe(true);
    }
  });
});

describe('normalizeDocument', () => {
  it('keys by digits whatever the punctuation, and only with valid check digits', () => {
    expect(normalizeDocument(' 529.982.247-25 ')).toEqual({ kind: 'cpf', value: '52998224725' });
    expect(normalizeDocument('11.222.333/0001-81')).toEqual({ kind: 'cnpj', value: '11222333000181' });
    expect(normalizeDocument('52998224724')).toBeUndefined();
    expect(normalizeDocument('')).toBeUndefined();
    expect(normalizeDocument(null)).toBeUndefined();
  });
});

import type { Rng } from './random.js';

/**
 * Brazilian company ids (CNPJ): 8-digit root + 4-digit branch + 2 mod-11 check digits.
 * Corporate customers carry one in `clientProfileData.corporateDocument`.
 */

const WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const WEIGHTS_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const CNPJ_FORMATTED = /^\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}$/;
const CNPJ_DIGITS = /^\d{14}$/;

/** 14 digits, no punctuation; branch `0001` (head office), as most B2B buyers are. */
export function generateCnpj(rng: Rng): string {
  let root: string;
  do {
    root = rng.digits(8);
  } while (/^(\d)\1{7}$/.test(root));
  return completeCnpj(`${root}0001`);
}

/** Appends the two check digits to a 12-digit root + branch. */
export function completeCnpj(base12: string): string {
  if (!/^\d{12}$/.test(base12)) throw new Error(`CNPJ body must be 12 digits, got "${base12}"`);
  const d1 = cnpjCheckDigit(base12, WEIGHTS_1);
  const d2 = cnpjCheckDigit(base12 + d1, WEIGHTS_2);
  return `${base12}${d1}${d2}`;
}

/** Accepts `11222333000181` or `11.222.333/0001-81`. */
export function isValidCnpj(value: string): boolean {
  let digits: string;
  if (CNPJ_DIGITS.test(value)) digits = value;
  else if (CNPJ_FORMATTED.test(value)) digits = value.replace(/[./-]/g, '');
  else return false;
  if (/^(\d)\1{13}$/.test(digits)) return false;
  const base = digits.slice(0, 12);
  const d1 = cnpjCheckDigit(base, WEIGHTS_1);
  const d2 = cnpjCheckDigit(base + d1, WEIGHTS_2);
  return digits === `${base}${d1}${d2}`;
}

function cnpjCheckDigit(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * (weights[i] as number);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

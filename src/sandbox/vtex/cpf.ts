import type { Rng } from './random.js';

/**
 * Brazilian individual taxpayer ids (CPF): 9 base digits + 2 mod-11 check digits. Downstream
 * identity resolution keys customers by a check-digit-verified CPF, so the sandbox must never
 * emit an invalid one.
 */

const CPF_FORMATTED = /^\d{3}\.\d{3}\.\d{3}-\d{2}$/;
const CPF_DIGITS = /^\d{11}$/;

/** 11 digits, no punctuation (the shape OMS returns in `clientProfileData.document`). */
export function generateCpf(rng: Rng): string {
  let base: string;
  do {
    base = rng.digits(9);
  } while (isRepeated(base));
  const d1 = cpfCheckDigit(base, 10);
  const d2 = cpfCheckDigit(base + d1, 11);
  return `${base}${d1}${d2}`;
}

/** Accepts `52998224725` or `529.982.247-25`; rejects anything else, including repeated digits. */
export function isValidCpf(value: string): boolean {
  let digits: string;
  if (CPF_DIGITS.test(value)) digits = value;
  else if (CPF_FORMATTED.test(value)) digits = value.replace(/[.-]/g, '');
  else return false;
  if (isRepeated(digits)) return false;
  const base = digits.slice(0, 9);
  const d1 = cpfCheckDigit(base, 10);
  const d2 = cpfCheckDigit(base + d1, 11);
  return digits === `${base}${d1}${d2}`;
}

export function formatCpf(digits: string): string {
  return `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}-${digits.slice(9, 11)}`;
}

function cpfCheckDigit(digits: string, firstWeight: number): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += (digits.charCodeAt(i) - 48) * (firstWeight - i);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

/** "11111111111" passes the arithmetic but the Receita Federal treats it as invalid. */
function isRepeated(digits: string): boolean {
  for (let i = 1; i < digits.length; i++) if (digits[i] !== digits[0]) return false;
  return true;
}

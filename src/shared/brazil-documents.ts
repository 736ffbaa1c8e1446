/**
 * Brazilian taxpayer ids: CPF (people, 9 digits + 2 mod-11 check digits) and CNPJ (companies,
 * 12 digits + 2). One implementation for the whole codebase: identity resolution keys customers
 * by a verified document, and the sandbox must only ever generate valid ones.
 */
export type DocumentKind = 'cpf' | 'cnpj';

const CPF_FORMATTED = /^\d{3}\.\d{3}\.\d{3}-\d{2}$/;
const CNPJ_FORMATTED = /^\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}$/;
const CNPJ_WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;
const CNPJ_WEIGHTS_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] as const;

export function digitsOnly(s: string): string {
  return s.replace(/\D+/g, '');
}

/** "11111111111" passes the arithmetic but the Receita Federal treats it as invalid. */
export function isRepeatedDigits(digits: string): boolean {
  return /^(\d)\1*$/.test(digits);
}

/** The two check digits for a 9-digit CPF base. */
export function cpfCheckDigits(base9: string): string {
  const d1 = mod11(base9, (i) => 10 - i);
  const d2 = mod11(base9 + d1, (i) => 11 - i);
  return `${d1}${d2}`;
}

/** The two check digits for a 12-digit CNPJ root + branch. */
export function cnpjCheckDigits(base12: string): string {
  const d1 = mod11(base12, (i) => CNPJ_WEIGHTS_1[i] as number);
  const d2 = mod11(base12 + d1, (i) => CNPJ_WEIGHTS_2[i] as number);
  return `${d1}${d2}`;
}

/** Accepts `52998224725` or `529.982.247-25`; rejects other shapes, repeated digits and bad check digits. */
export function isValidCpf(value: string): boolean {
  const digits = /^\d{11}$/.test(value) ? value : CPF_FORMATTED.test(value) ? digitsOnly(value) : undefined;
  return digits !== undefined && !isRepeatedDigits(digits) && digits.slice(9) === cpfCheckDigits(digits.slice(0, 9));
}

/** Accepts `11222333000181` or `11.222.333/0001-81`. */
export function isValidCnpj(value: string): boolean {
  const digits = /^\d{14}$/.test(value) ? value : CNPJ_FORMATTED.test(value) ? digitsOnly(value) : undefined;
  return digits !== undefined && !isRepeatedDigits(digits) && digits.slice(12) === cnpjCheckDigits(digits.slice(0, 12));
}

export function formatCpf(digits: string): string {
  return `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}-${digits.slice(9, 11)}`;
}

/**
 * The document as bare digits with its kind, or undefined when absent or invalid. Punctuation of
 * any kind is tolerated here (sources format documents inconsistently); the check digits are not.
 */
export function normalizeDocument(input: string | null | undefined): { kind: DocumentKind; value: string } | undefined {
  if (!input) return undefined;
  const d = digitsOnly(input);
  if (d.length === 11 && isValidCpf(d)) return { kind: 'cpf', value: d };
  if (d.length === 14 && isValidCnpj(d)) return { kind: 'cnpj', value: d };
  return undefined;
}

function mod11(digits: string, weight: (i: number) => number): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += (digits.charCodeAt(i) - 48) * weight(i);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

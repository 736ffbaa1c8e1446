/**
 * CPF (11 digits) and CNPJ (14 digits) normalisation with check-digit verification. A customer
 * is keyed by document only when the check digits hold: a typo must not merge two people.
 */
export type DocumentKind = 'cpf' | 'cnpj';

export function digitsOnly(s: string): string {
  return s.replace(/\D+/g, '');
}

export function isValidCpf(input: string): boolean {
  const d = digitsOnly(input);
  if (d.length !== 11 || /^(\d)\1{10}$/.test(d)) return false;
  const nums = [...d].map(Number);
  const check = (len: number) => {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += (nums[i] as number) * (len + 1 - i);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  return check(9) === nums[9] && check(10) === nums[10];
}

export function isValidCnpj(input: string): boolean {
  const d = digitsOnly(input);
  if (d.length !== 14 || /^(\d)\1{13}$/.test(d)) return false;
  const nums = [...d].map(Number);
  const check = (len: number) => {
    const weights = len === 12 ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    let sum = 0;
    for (let i = 0; i < len; i++) sum += (nums[i] as number) * (weights[i] as number);
    const r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  };
  return check(12) === nums[12] && check(13) === nums[13];
}

/** The normalised document with its kind, or undefined when it is absent or fails its check digits. */
export function normalizeDocument(input: string | null | undefined): { kind: DocumentKind; value: string } | undefined {
  if (!input) return undefined;
  const d = digitsOnly(input);
  if (d.length === 11 && isValidCpf(d)) return { kind: 'cpf', value: d };
  if (d.length === 14 && isValidCnpj(d)) return { kind: 'cnpj', value: d };
  return undefined;
}

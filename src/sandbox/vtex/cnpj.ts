import { cnpjCheckDigits } from '../../shared/brazil-documents.js';
import type { Rng } from './random.js';

export { isValidCnpj } from '../../shared/brazil-documents.js';

/** 14 digits, no punctuation; branch `0001` (head office), as most B2B buyers are. Always valid. */
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
  return `${base12}${cnpjCheckDigits(base12)}`;
}

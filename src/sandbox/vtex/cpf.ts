import { cpfCheckDigits, isRepeatedDigits } from '../../shared/brazil-documents.js';
import type { Rng } from './random.js';

export { formatCpf, isValidCpf } from '../../shared/brazil-documents.js';

/** 11 digits, no punctuation (the shape OMS returns in `clientProfileData.document`); always valid. */
export function generateCpf(rng: Rng): string {
  let base: string;
  do {
    base = rng.digits(9);
  } while (isRepeatedDigits(base));
  return `${base}${cpfCheckDigits(base)}`;
}

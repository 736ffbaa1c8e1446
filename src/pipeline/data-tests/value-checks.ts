/**
 * Rules SQL cannot express portably, checked in TypeScript over the distinct values of a column.
 * One implementation each: documents use `normalizeDocument` (the codebase's only CPF/CNPJ code).
 */
import { normalizeDocument } from '../../shared/brazil-documents.js';

/**
 * The syntax rule `normalizeEmail` (shared/contact-normalize.ts) applies before
 * its identity checks: one `@`, no spaces, a dot in the domain. Masked VTEX aliases
 * (`…@ct.vtex.com.br`) pass: they are valid addresses, just not identities.
 */
export const EMAIL_SYNTAX = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A CPF or CNPJ with correct check digits; punctuation tolerated as in identity resolution. */
export function isValidDocument(value: string): boolean {
  return normalizeDocument(value) !== undefined;
}

/** Surrounding spaces and case are ignored, as `normalizeEmail` ignores them. */
export function isValidEmail(value: string): boolean {
  return EMAIL_SYNTAX.test(value.trim().toLowerCase());
}

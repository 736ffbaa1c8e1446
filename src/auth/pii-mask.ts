/**
 * Masking of personal data for callers whose role may not see it. Each mask keeps just enough
 * to recognise a value one already knows (a CPF's check digits, an e-mail's first letters, a
 * phone's last two digits, initials) and nothing that identifies a stranger.
 */
export type PiiKind = 'document' | 'email' | 'phone' | 'name';

/** What any non-string or empty value masks to: there is nothing to keep. */
export const MASKED = '***';

// CPF → ***.***.***-09 and CNPJ → **.***.***/****-95 (check digits kept); other documents keep
// their last two characters.
export function maskDocument(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length === 11) return `***.***.***-${digits.slice(9)}`;
  if (digits.length === 14) return `**.***.***/****-${digits.slice(12)}`;
  return value.length <= 2 ? MASKED : `${'*'.repeat(value.length - 2)}${value.slice(-2)}`;
}

/** `joao.silva@gmail.com` → `j***@g***.com`: first letter of the local part and of the domain, and the top-level domain. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return maskName(value);
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local[0]}***@${domain[0] ?? '*'}***${tld}`;
}

/** `+5511987654334` → `+55 11 *****-**34`; other numbers keep their last two digits. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const br = digits.length >= 12 && digits.startsWith('55') ? digits : digits.length === 10 || digits.length === 11 ? `55${digits}` : undefined;
  if (br) {
    const local = br.slice(4);
    return `+55 ${br.slice(2, 4)} ${'*'.repeat(Math.max(local.length - 4, 1))}-**${local.slice(-2)}`;
  }
  return digits.length <= 2 ? MASKED : `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/** `João Silva` → `J*** S***`: initials only. */
export function maskName(value: string): string {
  const words = value.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return MASKED;
  return words.map((w) => `${[...w][0]}***`).join(' ');
}

const MASKERS: Record<PiiKind, (v: string) => string> = { document: maskDocument, email: maskEmail, phone: maskPhone, name: maskName };

/** Guesses the kind of a personal value from its shape, for members that say only `pii: true`. */
export function piiKindOf(value: string): PiiKind {
  if (value.includes('@')) return 'email';
  const digits = value.replace(/\D/g, '');
  if (value.trim().startsWith('+') || (/^[\d\s()-]+$/.test(value) && (digits.length === 10 || digits.length === 13))) return 'phone';
  if (/^[\d.\-/]+$/.test(value) && (digits.length === 11 || digits.length === 14)) return 'document';
  // Identity keys carry their kind: `cpf:…`, `email:…`, `phone:…`.
  return 'name';
}

/** Masks one value; `kind` defaults to a guess from its shape. Null stays null (absence is not personal). */
export function maskPii<T>(value: T, kind?: PiiKind): T | string {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'string') return MASKED;
  const prefixed = /^(cpf|cnpj|email|phone|profile):(.+)$/.exec(value);
  if (prefixed?.[1] && prefixed[2] !== undefined) {
    const inner = prefixed[1] === 'cpf' || prefixed[1] === 'cnpj' ? 'document' : prefixed[1] === 'profile' ? 'document' : (prefixed[1] as PiiKind);
    return `${prefixed[1]}:${MASKERS[inner](prefixed[2])}`;
  }
  return MASKERS[kind ?? piiKindOf(value)](value);
}

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const DOCUMENT_IN_TEXT = /\b\d{3}\.?\d{3}\.?\d{3}-?\d{2}\b|\b\d{2}\.?\d{3}\.?\d{3}\/?\d{4}-?\d{2}\b/g;
const PHONE_IN_TEXT = /\+\d[\d\s()-]{9,16}\d/g;

/**
 * Masks e-mails, CPF/CNPJ-shaped numbers and international phone numbers inside free text
 * (error messages, log lines). Names cannot be recognised in text; keep them out of messages.
 */
export function scrubPii(text: string): string {
  return text.replace(EMAIL_IN_TEXT, maskEmail).replace(PHONE_IN_TEXT, maskPhone).replace(DOCUMENT_IN_TEXT, maskDocument);
}

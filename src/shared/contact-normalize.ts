/**
 * Email and phone normalisation for identity keys.
 *
 * VTEX OMS masks shopper emails with Conversation Tracker aliases (`…@ct.vtex.com.br`); an
 * alias is per order and expires, so it is never an identity (VTEX says so too).
 */
export function isMaskedVtexEmail(email: string): boolean {
  return /@ct\.vtex\.com\.br$/i.test(email.trim()) || /\.ct\.vtex\.com\.br$/i.test(email.trim());
}

export function normalizeEmail(input: string | null | undefined): string | undefined {
  if (!input) return undefined;
  const e = input.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) || isMaskedVtexEmail(e)) return undefined;
  return e;
}

/** E.164 for Brazilian numbers; other countries kept when already in +<digits> form. */
export function normalizePhone(input: string | null | undefined): string | undefined {
  if (!input) return undefined;
  const trimmed = input.trim();
  const digits = trimmed.replace(/\D+/g, '');
  if (trimmed.startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : undefined;
  // National forms: DDD (2 digits) + 8 or 9 digit number, optionally with a leading 0 or 55.
  const national = digits.replace(/^0+/, '').replace(/^55(?=\d{10,11}$)/, '');
  if (national.length === 10 || national.length === 11) return `+55${national}`;
  return undefined;
}

/**
 * VTEX OMS amounts are integer cents. Converting through floating point (`cents / 100`) can
 * print 0.1 + 0.2 style noise, so the decimal string is built from the integer; the warehouse
 * casts it into DECIMAL(18,2) exactly.
 */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount in cents must be an integer, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

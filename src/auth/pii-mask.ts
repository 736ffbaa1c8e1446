/**
 * Masks for personal data shown to roles without PII: enough left to recognise a record on a
 * screen next to other sources (last digits, first letters), not enough to contact or identify.
 */
export function maskDocument(digits: string): string {
  const d = digits.replace(/\D+/g, '');
  if (d.length === 11) return `***.***.***-${d.slice(9)}`;
  if (d.length === 14) return `**.***.***/****-${d.slice(12)}`;
  return '***';
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${email[0]}***@${host[0] ?? ''}***${tld}`;
}

export function maskPhone(phone: string): string {
  const d = phone.replace(/\D+/g, '');
  if (d.length < 4) return '***';
  return `${phone.startsWith('+') ? '+' : ''}${d.slice(0, Math.min(4, d.length - 2))}*****${d.slice(-2)}`;
}

export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${[...w][0] ?? ''}***`)
    .join(' ');
}

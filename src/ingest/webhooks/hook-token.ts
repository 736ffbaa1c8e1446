import { createHash, timingSafeEqual } from 'node:crypto';

export const HOOK_TOKEN_HEADER = 'x-farol-hook-token';

/**
 * Constant-time comparison of the presented hook token with the configured one. Both sides are
 * hashed first so neither the length nor a prefix of the secret leaks through timing.
 */
export function hookTokenMatches(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

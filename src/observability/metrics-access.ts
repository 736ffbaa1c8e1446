import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = { readonly allowed: true } | { readonly allowed: false; readonly status: 401 | 403; readonly reason: string };

export interface MetricsAccessRules {
  /** `FAROL_METRICS_TOKEN`: when set, it is required (from loopback too) unless an admin key is sent. */
  readonly token: string | undefined;
  /**
   * Whether an `Authorization` header carries an admin credential; the composition root answers
   * with the shared authenticator, which this folder does not import.
   */
  readonly isAdmin: (authorization: string) => Promise<boolean>;
}

/**
 * Who may read `/metrics`. Prometheus on the same host needs no setup; anything else must present
 * the metrics token or an admin API key. The peer address is the socket's, never a forwarded
 * header, which a client writes itself. Behind a reverse proxy on the same host every request
 * looks local: set the token there.
 */
export async function metricsAccess(rules: MetricsAccessRules, authorization: string | undefined, remoteAddress: string | undefined): Promise<MetricsAccess> {
  const presented = authorization !== undefined && authorization !== '';
  if (presented) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (rules.token !== undefined && bearer !== undefined && sameSecret(bearer, rules.token)) return { allowed: true };
    if (await rules.isAdmin(authorization).catch(() => false)) return { allowed: true };
  }
  if (rules.token === undefined && isLoopback(remoteAddress)) return { allowed: true };
  if (!presented) {
    return {
      allowed: false, status: 401,
      reason: rules.token === undefined
        ? '/metrics answers loopback scrapers only; from elsewhere send "Authorization: Bearer <admin API key>" or set FAROL_METRICS_TOKEN'
        : '/metrics requires "Authorization: Bearer <FAROL_METRICS_TOKEN>" (or an admin API key)',
    };
  }
  return { allowed: false, status: 403, reason: 'the credential sent is neither the metrics token nor an admin API key' };
}

/** Constant-time comparison of two secrets of any length (both hashed to equal-length digests first). */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

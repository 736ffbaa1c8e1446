import type { DataAccess } from './security-context.js';

/**
 * Member patterns of the access file: `view.member` with `*` standing for any run of characters
 * inside one dot-separated part (`sales.*`, `*.revenue`), and `*` alone for every member.
 * A time dimension with a granularity (`sales.order_date.month`) is judged by its base member.
 */
export const MEMBER_PATTERN = /^(\*|[A-Za-z0-9_*]+\.[A-Za-z0-9_*]+)$/;

const compiled = new Map<string, RegExp>();

export function memberMatches(pattern: string, member: string): boolean {
  if (pattern === '*') return true;
  let re = compiled.get(pattern);
  if (!re) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^.]*');
    re = new RegExp(`^${source}$`);
    compiled.set(pattern, re);
  }
  return re.test(baseMember(member));
}

/** Visible when an `allow` pattern matches and no `deny` pattern does. */
export function memberVisible(access: Pick<DataAccess, 'allow' | 'deny'>, member: string): boolean {
  return access.allow.some((p) => memberMatches(p, member)) && !access.deny.some((p) => memberMatches(p, member));
}

/** `sales.order_date.month` → `sales.order_date`; other names unchanged. */
export function baseMember(member: string): string {
  const parts = member.split('.');
  return parts.length === 3 ? `${parts[0]}.${parts[1]}` : member;
}

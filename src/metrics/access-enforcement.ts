import { baseMember, maskPii, memberVisible, type DataAccess, type SecurityContext } from '../auth/index.js';
import type { ModelCatalog } from './cube/model-catalog.js';
import type { ResolvedQuery } from './cube/query-resolution.js';
import type { MetricsFilter } from './metrics-query.js';
import { MetricsQueryError } from './metrics-errors.js';
import type { CatalogMember, CatalogView } from './metrics-service.js';
import { canonicalJson } from './query-key.js';
import type { ResultRow } from './result-rows.js';

/**
 * How the engine applies a caller's `DataAccess`: which members it may name, what the catalog
 * shows it, and what part of the cache key its access makes up. Row filters themselves are
 * added to the compiled query by the planner (query-planner.ts).
 */

const securityKeys = new WeakMap<SecurityContext, string>();

/**
 * The part of a result's cache key that stands for who is asking: role, PII visibility, member
 * lists and the resolved row-filter values. Two callers share cached answers only when all of
 * it is equal. Memoised per context object (one per request).
 */
export function securityKey(ctx: SecurityContext): string {
  let key = securityKeys.get(ctx);
  if (key === undefined) {
    const { allow, deny, piiVisible, rowFilters } = ctx.data;
    key = canonicalJson({ role: ctx.role, pii: piiVisible, allow, deny, rows: rowFilters });
    securityKeys.set(ctx, key);
  }
  return key;
}

/** The row-filter part of a built SQL's key: the SQL differs only by these. */
export function rowFilterKey(access: DataAccess): string {
  return access.rowFilters.length === 0 ? '' : canonicalJson(access.rowFilters);
}

/**
 * Refuses, by name, every member the query names (measures, dimensions, time dimensions,
 * segments, filters at any depth, order) that the caller may not see; and, for callers without
 * PII access, filters and orders on personal-data members (a filter on a masked value would
 * reveal it one guess at a time). Runs before validation, so a hidden member is `FORBIDDEN_MEMBER`
 * and the message names nothing but that member.
 */
export function assertQueryAllowed(query: ResolvedQuery, access: DataAccess, catalog: ModelCatalog): void {
  const check = (name: string): void => {
    if (!memberVisible(access, name)) throw forbiddenMember(name);
  };
  const checkNotPii = (name: string, field: string): void => {
    check(name);
    if (!access.piiVisible && catalog.member(baseMember(name))?.pii) {
      throw new MetricsQueryError('FORBIDDEN_MEMBER', `Member "${baseMember(name)}" is personal data; this role may not use it in ${field}`, baseMember(name));
    }
  };
  query.measures.forEach(check);
  query.dimensions.forEach(check);
  query.timeDimensions.forEach((td) => check(td.dimension));
  query.segments.forEach(check);
  const walk = (f: MetricsFilter): void => {
    if ('and' in f) return f.and.forEach(walk);
    if ('or' in f) return f.or.forEach(walk);
    checkNotPii(f.member, 'filters');
  };
  query.filters.forEach(walk);
  query.order.forEach(([name]) => checkNotPii(name, 'order'));
}

export function forbiddenMember(name: string): MetricsQueryError {
  return new MetricsQueryError('FORBIDDEN_MEMBER', `Access to member "${baseMember(name)}" is forbidden`, baseMember(name));
}

export function forbiddenView(view: string): MetricsQueryError {
  return new MetricsQueryError('FORBIDDEN_VIEW', `Access to view "${view}" is forbidden`);
}

/**
 * The catalog as one caller sees it: only visible members, and only views with at least one
 * visible member whose rows its row filters can reach (`viewAllowed`).
 */
export function catalogFor(views: readonly CatalogView[], access: DataAccess, viewAllowed: (view: string) => boolean): readonly CatalogView[] {
  const out: CatalogView[] = [];
  for (const view of views) {
    const keep = (ms: readonly CatalogMember[]) => ms.filter((m) => memberVisible(access, m.name));
    const measures = keep(view.measures);
    const dimensions = keep(view.dimensions);
    const segments = keep(view.segments);
    if (measures.length + dimensions.length + segments.length === 0 || !viewAllowed(view.name)) continue;
    out.push(Object.freeze({ ...view, measures: Object.freeze(measures), dimensions: Object.freeze(dimensions), segments: Object.freeze(segments) }));
  }
  return Object.freeze(out);
}

/** Masks the personal-data columns (`piiNames`: result keys) of every row; rows stay frozen. */
export function maskRows(rows: readonly ResultRow[], piiNames: readonly string[]): readonly ResultRow[] {
  if (piiNames.length === 0) return rows;
  return Object.freeze(
    rows.map((row) => {
      const masked: Record<string, ResultRow[string]> = { ...row };
      for (const name of piiNames) if (name in masked) masked[name] = maskPii(masked[name]) as ResultRow[string];
      return Object.freeze(masked);
    }),
  );
}

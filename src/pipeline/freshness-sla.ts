import type { SourceKind } from '../ingest/sources/source-kind.js';

/**
 * How stale each source may get before it breaks its freshness SLA: the age of its last
 * successful run. Defaults follow how the business uses each source (orders drive today's
 * revenue; the catalog changes a few times a day; customers daily). `undefined`: no SLA (a
 * spreadsheet loaded when someone drops it in). Overrides come from the alert rules file.
 */
export const DEFAULT_FRESHNESS_SLA_SECONDS: Readonly<Record<SourceKind, number | undefined>> = {
  'vtex-orders': 5 * 60,
  'club-registry': 15 * 60,
  'vtex-catalog': 6 * 60 * 60,
  'vtex-customers': 24 * 60 * 60,
  'store-targets': undefined,
};

export function freshnessSlaSeconds(kind: SourceKind, overrides: Readonly<Partial<Record<SourceKind, number>>> = {}): number | undefined {
  return overrides[kind] ?? DEFAULT_FRESHNESS_SLA_SECONDS[kind];
}

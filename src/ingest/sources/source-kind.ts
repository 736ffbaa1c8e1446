/**
 * Every source Farol takes in. Adding one here fails compilation until the source registry
 * (`source-registry.ts`) and every other `Record<SourceKind, …>` handle it.
 */
export const SOURCE_KINDS = ['vtex-orders', 'store-targets', 'vtex-catalog', 'vtex-customers', 'club-registry'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export function isSourceKind(value: string): value is SourceKind {
  return (SOURCE_KINDS as readonly string[]).includes(value);
}

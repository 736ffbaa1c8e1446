import type { RollupDefinition } from '../cube/rollup-definitions.js';

/** A built rollup: which data version it holds and the table holding it. */
export interface BuiltRollup {
  readonly id: string;
  readonly dataVersion: number;
  /** Schema-qualified: `preagg.orders_sales_daily_<fingerprint>_v<version>`. */
  readonly table: string;
}

/**
 * Each build is a table of its own, named after the rollup, the fingerprint of its SQL and the
 * gold data version it was computed from: a reader names the exact version it wants, so it never
 * sees a table being replaced, and a model change never reuses a table of another shape.
 */
export function versionedTable(rollup: RollupDefinition, dataVersion: number): { readonly schema: string; readonly name: string; readonly qualified: string } {
  const [schema, base] = splitTable(rollup.table);
  const name = `${base}_${rollup.fingerprint}_v${dataVersion}`;
  return { schema, name, qualified: `${schema}.${name}` };
}

/** The data version a table in the rollup schema was built for, when it is a build of `rollup` as defined now. */
export function builtVersion(rollup: RollupDefinition, tableName: string): number | undefined {
  const [, base] = splitTable(rollup.table);
  const prefix = `${base}_${rollup.fingerprint}_v`;
  if (!tableName.startsWith(prefix)) return undefined;
  const version = tableName.slice(prefix.length);
  return /^\d+$/.test(version) ? Number(version) : undefined;
}

/** Whether a table in the rollup schema looks like any build (of any rollup or model), so stale ones can be dropped. */
export const BUILD_TABLE_NAME = /^[a-z0-9_]+_[0-9a-f]{10}_v\d+$/;

/**
 * Cube's rollup SQL with the unversioned table name swapped for the build's. Only whole
 * identifiers are replaced: `preagg.orders_sales_daily` must not match a rollup named
 * `orders_sales_daily_by_status`.
 */
export function readBuild(sql: string, rollup: RollupDefinition, build: BuiltRollup): string {
  const escaped = rollup.table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return sql.replace(new RegExp(`(?<![A-Za-z0-9_"])${escaped}(?![A-Za-z0-9_"])`, 'g'), build.table);
}

function splitTable(table: string): [string, string] {
  const dot = table.indexOf('.');
  if (dot <= 0 || !/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`unexpected rollup table name "${table}"`);
  return [table.slice(0, dot), table.slice(dot + 1)];
}

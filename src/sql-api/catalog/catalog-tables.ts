import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SqlTableSpec } from '../catalog-responder.js';
import { zodReason } from '../../shared/zod-reason.js';
import { CatalogError, SQLSTATE } from './catalog-error.js';

/** PostgreSQL truncates identifiers to 63 bytes; two long names could then collide silently. */
const MAX_IDENTIFIER_BYTES = 63;
/** PostgreSQL's limit on columns per table. */
const MAX_COLUMNS = 1600;
const MAX_DESCRIPTION_CHARS = 10_000;

const identifier = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_IDENTIFIER_BYTES, `must be at most ${MAX_IDENTIFIER_BYTES} bytes`)
  .refine((s) => !s.includes('\0'), 'must not contain a NUL character');
const description = z
  .string()
  .max(MAX_DESCRIPTION_CHARS)
  .refine((s) => !s.includes('\0'), 'must not contain a NUL character')
  .optional();

const columnSpec = z.object({
  name: identifier,
  type: z.enum(['text', 'numeric', 'int8', 'float8', 'bool', 'date', 'timestamp', 'timestamptz']),
  description,
});
const tableSpec = z.object({
  name: identifier,
  description,
  columns: z
    .array(columnSpec)
    .max(MAX_COLUMNS)
    .refine((cols) => new Set(cols.map((c) => c.name)).size === cols.length, 'column names must be unique'),
});
const tableSpecs = z.array(tableSpec).refine((ts) => new Set(ts.map((t) => t.name)).size === ts.length, 'table names must be unique');

export interface CatalogTables {
  /** What `farol_catalog.ensure_tables` reads: names and descriptions reach PostgreSQL as values. */
  readonly json: string;
  /** Same tables, same fingerprint: sessions that see the same tables share one schema. */
  readonly fingerprint: string;
}

/**
 * The role's tables, checked. Throws a `CatalogError` naming the offending table or column when
 * the caller passed something PostgreSQL cannot hold.
 */
export function catalogTables(tables: readonly SqlTableSpec[]): CatalogTables {
  const parsed = tableSpecs.safeParse(tables);
  if (!parsed.success) throw new CatalogError(SQLSTATE.internalError, `the SQL API's table list is invalid: ${zodReason(parsed.error)}`);
  const json = JSON.stringify(parsed.data);
  return { json, fingerprint: createHash('sha256').update(json).digest('hex').slice(0, 24) };
}

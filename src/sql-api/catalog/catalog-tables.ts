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

/**
 * The role's tables as the JSON `farol_catalog.define_tables` reads (one parameter: names and
 * descriptions reach PostgreSQL as values, and the function quotes them with `%I`/`%L`), and a
 * canonical key so two sessions that see the same tables share work. Throws a `CatalogError`
 * naming the offending table or column when the caller passed something PostgreSQL cannot hold.
 */
export function catalogTablesJson(tables: readonly SqlTableSpec[]): string {
  const parsed = tableSpecs.safeParse(tables);
  if (!parsed.success) throw new CatalogError(SQLSTATE.internalError, `the SQL API's table list is invalid: ${zodReason(parsed.error)}`);
  return JSON.stringify(parsed.data);
}

/**
 * The change-data-capture part of Farol's environment. src/config.ts (the only reader of
 * `process.env`) composes `cdcEnvSchema.shape` into its own schema and turns the values into a
 * `CdcConfig` with `cdcConfigFrom`; nothing here reads the environment.
 */
import { z } from 'zod';

export const DEFAULT_CDC_TABLES = 'public.club_members';
export const DEFAULT_CDC_SLOT = 'farol_club';
export const DEFAULT_CDC_PUBLICATION = 'farol_club';

/** A plain (unquoted) PostgreSQL identifier: the names Farol creates and reads are kept to these. */
const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface CdcTable {
  readonly schema: string;
  readonly name: string;
}

export interface CdcConfig {
  /** `postgres://user:password@host:port/db`; the password never reaches a log (see `redactPostgresUrl`). */
  readonly url: string;
  readonly tables: readonly CdcTable[];
  /** The logical replication slot (pgoutput): PostgreSQL keeps WAL for it until Farol confirms. */
  readonly slot: string;
  /** The publication naming the tables; created FOR TABLE them when missing. */
  readonly publication: string;
}

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const tables = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default(DEFAULT_CDC_TABLES)
    .transform((v, ctx): CdcTable[] => {
      const out: CdcTable[] = [];
      for (const entry of v.split(',').map((s) => s.trim()).filter(Boolean)) {
        const parts = entry.split('.');
        const [schema, name] = parts.length === 1 ? ['public', parts[0]] : parts;
        if (parts.length > 2 || !schema || !name || !IDENT.test(schema) || !IDENT.test(name)) {
          ctx.addIssue({ code: 'custom', message: `"${entry}": expected schema.table of plain identifiers (letters, digits, _)` });
          continue;
        }
        out.push({ schema, name });
      }
      if (out.length === 0) ctx.addIssue({ code: 'custom', message: 'name at least one table' });
      return out;
    }),
);

export const cdcEnvSchema = z.object({
  /** The registry's PostgreSQL (a user with REPLICATION, or the table owner on managed services). Unset: no CDC source. */
  CDC_DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => {
        try {
          return /^postgres(ql)?:$/.test(new URL(v).protocol);
        } catch {
          return false;
        }
      }, 'expected postgres://user:password@host:port/database')
      .optional(),
  ),
  CDC_TABLES: tables,
  CDC_SLOT: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[a-z0-9_]{1,63}$/, 'a replication slot name uses lower-case letters, digits and _ only').default(DEFAULT_CDC_SLOT),
  ),
  CDC_PUBLICATION: z.preprocess(
    emptyToUndefined,
    z.string().regex(IDENT, 'expected a plain identifier (letters, digits, _)').default(DEFAULT_CDC_PUBLICATION),
  ),
});

export type CdcEnv = z.output<typeof cdcEnvSchema>;

/** The CDC source's settings, or undefined when `CDC_DATABASE_URL` is not set. */
export function cdcConfigFrom(env: CdcEnv): CdcConfig | undefined {
  if (!env.CDC_DATABASE_URL) return undefined;
  return { url: env.CDC_DATABASE_URL, tables: env.CDC_TABLES, slot: env.CDC_SLOT, publication: env.CDC_PUBLICATION };
}

/** `postgres://user@host:port/db`: the URL without its password, for logs, errors and lineage. */
export function redactPostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** `"schema"."name"`; names are plain identifiers (checked by the schema above), quoted anyway. */
export function qualifiedName(t: CdcTable): string {
  return `"${t.schema}"."${t.name}"`;
}

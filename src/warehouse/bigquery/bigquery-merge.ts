/**
 * The silver upsert on BigQuery: one MERGE from a staged batch into the silver table, keyed by
 * source + id, where the latest change wins. A batch may carry the same key twice (a webhook
 * replay, an out-of-order delivery): only its latest row per key is merged, and a row older than
 * what silver holds changes nothing, so duplicates and reordering are harmless, as on DuckDB.
 */
export interface SilverMergeSpec {
  /** Fully qualified names (`BigQueryTableNames.sql`). */
  readonly target: string;
  readonly staging: string;
  /** The natural key, e.g. `['source', 'order_id']`. */
  readonly keys: readonly string[];
  /** The source's change timestamp; ties keep what silver has. */
  readonly changedAt: string;
  /** Every column written, keys and `changedAt` included. */
  readonly columns: readonly string[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function silverMergeSql(spec: SilverMergeSpec): string {
  for (const c of [...spec.keys, spec.changedAt, ...spec.columns]) {
    if (!IDENT.test(c)) throw new Error(`silverMergeSql: invalid column name ${JSON.stringify(c)}`);
  }
  if (spec.keys.length === 0) throw new Error('silverMergeSql: at least one key column');
  for (const k of [...spec.keys, spec.changedAt]) {
    if (!spec.columns.includes(k)) throw new Error(`silverMergeSql: column list must include ${k}`);
  }
  const q = (c: string) => `\`${c}\``;
  const on = spec.keys.map((k) => `t.${q(k)} = s.${q(k)}`).join(' AND ');
  const updates = spec.columns.filter((c) => !spec.keys.includes(c)).map((c) => `${q(c)} = s.${q(c)}`).join(', ');
  const cols = spec.columns.map(q).join(', ');
  return [
    `MERGE ${spec.target} AS t`,
    'USING (',
    `  SELECT ${cols} FROM ${spec.staging}`,
    `  WHERE TRUE`,
    `  QUALIFY ROW_NUMBER() OVER (PARTITION BY ${spec.keys.map(q).join(', ')} ORDER BY ${q(spec.changedAt)} DESC) = 1`,
    ') AS s',
    `ON ${on}`,
    `WHEN MATCHED AND s.${q(spec.changedAt)} > t.${q(spec.changedAt)} THEN`,
    `  UPDATE SET ${updates}`,
    'WHEN NOT MATCHED THEN',
    `  INSERT (${cols}) VALUES (${spec.columns.map((c) => `s.${q(c)}`).join(', ')})`,
  ].join('\n');
}

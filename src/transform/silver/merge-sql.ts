/**
 * Pieces of the silver merges' SQL, written once for both warehouses: each merge is a MERGE from
 * the latest staged row per key (QUALIFY beside a WHERE, as BigQuery requires), restricted to the
 * keys the merge found changed (EXISTS: BigQuery has no row-value IN).
 */

/** `c = s.c` for every non-key column: a MERGE's update list. */
export function updateSet(columns: readonly string[], keys: readonly string[]): string {
  return columns.filter((c) => !keys.includes(c)).map((c) => `${c} = s.${c}`).join(', ');
}

/** `INSERT (cols) VALUES (s.cols)`: a MERGE's insert of the source row. */
export function insertRow(columns: readonly string[]): string {
  return `INSERT (${columns.join(', ')}) VALUES (${columns.map((c) => `s.${c}`).join(', ')})`;
}

/** `t.k = s.k AND …`: a MERGE's match on the key. */
export function onKeys(keys: readonly string[], left = 't', right = 's'): string {
  return keys.map((k) => `${left}.${k} = ${right}.${k}`).join(' AND ');
}

/** Rows of `alias` whose key is in `table` (which may hold a key twice). */
export function keyIn(table: string, keys: readonly string[], alias: string): string {
  return `EXISTS (SELECT 1 FROM ${table} c WHERE ${onKeys(keys, 'c', alias)})`;
}

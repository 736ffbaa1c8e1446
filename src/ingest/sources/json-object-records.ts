/**
 * The two CTEs every JSON source's staging starts with: `b`, the bronze rows of one entity with
 * `is_object` (the payload parses as a JSON object), and `j`, the same rows with `p`: the payload
 * when it is an object, `{}` otherwise. Extraction from `p` then never throws, and a payload that
 * is not an object is quarantined by its `is_object`, not lost to a failed batch. `bronzeSql` is
 * the bronze relation's SQL (code, never input); `entity` is a constant of the source.
 */
export function jsonObjectRecordsCtes(bronzeSql: string, entity: string): string {
  if (!/^[a-z_]+$/.test(entity)) throw new Error(`invalid entity name: ${JSON.stringify(entity)}`);
  return `b AS (
    SELECT *, CASE WHEN json_valid(payload) THEN json_type(payload) = 'OBJECT' ELSE false END AS is_object FROM (${bronzeSql}) x WHERE entity = '${entity}'
  ),
  j AS (SELECT *, CASE WHEN is_object THEN payload ELSE '{}' END AS p FROM b)`;
}

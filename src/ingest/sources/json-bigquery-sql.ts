/**
 * BigQuery spellings of the DuckDB JSON extraction the sources' staging uses, so a staging
 * step's BigQuery SQL reads like its DuckDB SQL and yields the same text and types. `json` is a
 * JSON-typed expression (`p` of `jsonObjectRecordsCtesBigQuery`); `path` a constant JSONPath
 * (`$.a.b`) written by code, never input.
 */

/**
 * A payload's text parsed as JSON, or NULL when it is not JSON. A number JSON allows but a
 * double cannot hold exactly (a 20-digit id) is rounded, as DuckDB reads it, instead of making
 * the whole document unparseable (BigQuery's default `exact` mode): a valid order must not be
 * quarantined for a field Farol never reads.
 */
export function parsePayloadJson(text: string): string {
  return `SAFE.PARSE_JSON(${text}, wide_number_mode => 'round')`;
}

const PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

function checked(path: string): string {
  if (!PATH.test(path)) throw new Error(`invalid JSON path: ${JSON.stringify(path)}`);
  return `'${path}'`;
}

/**
 * DuckDB's `json->>path`: a scalar's text (a string unquoted), an object's or array's JSON text,
 * NULL for JSON null or a missing member.
 */
export function jsonText(json: string, path: string): string {
  const p = checked(path);
  return `COALESCE(JSON_VALUE(${json}, ${p}), NULLIF(TO_JSON_STRING(JSON_QUERY(${json}, ${p})), 'null'))`;
}

/** DuckDB's `json_extract(json, path)::VARCHAR`: the member as JSON text (a string quoted), NULL when missing. */
export function jsonRaw(json: string, path: string): string {
  return `TO_JSON_STRING(JSON_QUERY(${json}, ${checked(path)}))`;
}

/**
 * DuckDB's `json_type(json, path)` in BigQuery's names: object, array, string, boolean, null,
 * number (DuckDB tells BIGINT/UBIGINT from DOUBLE; `isInteger` does); NULL when the member is missing.
 */
export function jsonType(json: string, path: string): string {
  return `JSON_TYPE(JSON_QUERY(${json}, ${checked(path)}))`;
}

/** Whether a member's text (`jsonText`) is an integer as DuckDB types JSON numbers (BIGINT, UBIGINT). */
export function isIntegerText(text: string): string {
  return `REGEXP_CONTAINS(${text}, r'^-?[0-9]+$')`;
}

/**
 * DuckDB's `TRY_CAST(text AS TIMESTAMPTZ)`: BigQuery reads at most six fractional digits, DuckDB
 * drops the rest (Master Data writes seven), so they are dropped first.
 */
export function tryInstant(text: string): string {
  return `SAFE_CAST(REGEXP_REPLACE(${text}, r'(\\.[0-9]{6})[0-9]+', r'\\1') AS TIMESTAMP)`;
}

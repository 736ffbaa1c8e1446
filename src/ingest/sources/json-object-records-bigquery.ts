import { parsePayloadJson } from './json-bigquery-sql.js';

/**
 * `jsonObjectRecordsCtes` (json-object-records.ts) on BigQuery: the CTEs `b`, the bronze rows of
 * one entity with `is_object` (the payload parses as a JSON object), and `j`, the same rows with
 * `p`: the parsed payload (a JSON value) when it is an object, `{}` otherwise, so extraction from
 * `p` never fails and a payload that is not an object is quarantined by its `is_object`. A payload
 * BigQuery cannot parse (`parsePayloadJson` is NULL) counts as not an object. `bronzeSql` is the bronze relation's SQL
 * (code, never input); `entity` is a constant of the source.
 */
export function jsonObjectRecordsCtesBigQuery(bronzeSql: string, entity: string): string {
  if (!/^[a-z_]+$/.test(entity)) throw new Error(`invalid entity name: ${JSON.stringify(entity)}`);
  return `b AS (
    SELECT *, IFNULL(JSON_TYPE(${parsePayloadJson('payload')}) = 'object', false) AS is_object FROM (${bronzeSql}) x WHERE entity = '${entity}'
  ),
  j AS (SELECT *, IF(is_object, ${parsePayloadJson('payload')}, PARSE_JSON('{}')) AS p FROM b)`;
}

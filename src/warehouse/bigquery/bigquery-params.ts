import type { SqlValue } from '../warehouse.js';

/** BigQuery's standard SQL types a positional parameter may be declared with. */
export type BigQueryParamType = 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'TIMESTAMP';

export interface BigQueryParams {
  readonly params: (string | number | boolean | Date | null)[];
  readonly types: BigQueryParamType[];
}

/**
 * The port's `?` placeholders are BigQuery's positional parameters, so SQL text passes as is;
 * only values are converted. Every parameter gets an explicit type: BigQuery cannot infer one
 * for NULL, and an integer-valued JS number must not turn a FLOAT64 comparison into INT64.
 * - integers (safe) and bigints → INT64 (bigint as its decimal text, exact beyond 2^53)
 * - other numbers → FLOAT64; NaN/±Infinity are refused (they are never a Farol value)
 * - Date → TIMESTAMP (sent as ISO-8601 UTC); booleans → BOOL; strings → STRING
 * - null → a NULL STRING: compare or insert NULL into another type with `CAST(? AS type)`.
 */
export function toBigQueryParams(values: readonly SqlValue[] | undefined): BigQueryParams {
  const params: BigQueryParams['params'] = [];
  const types: BigQueryParamType[] = [];
  (values ?? []).forEach((v, i) => {
    if (v === null) {
      params.push(null);
      types.push('STRING');
    } else if (typeof v === 'string') {
      params.push(v);
      types.push('STRING');
    } else if (typeof v === 'boolean') {
      params.push(v);
      types.push('BOOL');
    } else if (typeof v === 'bigint') {
      params.push(v.toString());
      types.push('INT64');
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`parameter ${i + 1}: ${v} is not a finite number`);
      params.push(v);
      types.push(Number.isSafeInteger(v) ? 'INT64' : 'FLOAT64');
    } else if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) throw new Error(`parameter ${i + 1}: invalid Date`);
      // The client serialises a TIMESTAMP parameter only from a Date (or its own timestamp type).
      params.push(v);
      types.push('TIMESTAMP');
    } else {
      throw new Error(`parameter ${i + 1}: unsupported value of type ${typeof v}`);
    }
  });
  return { params, types };
}

import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cubeQueryBases } from './cube-modules.js';
import { defineDuckDbQuery } from './duckdb-query.js';
import { compileModel } from './model-compiler.js';

const MODEL_DIR = fileURLToPath(new URL('../../../cube/model', import.meta.url));

interface Dialect {
  sqlTemplates(): { functions: Record<string, string | undefined>; expressions: Record<string, string>; tesseract: Record<string, string> };
  dateBin(interval: string, source: string, origin: string): string;
  countDistinctApprox(sql: string): string;
  convertTz(field: string): string;
}

let dialect: Dialect;

beforeAll(async () => {
  const model = await compileModel(MODEL_DIR);
  const DuckDBQuery = defineDuckDbQuery(cubeQueryBases());
  dialect = new DuckDBQuery(model.compilers, { measures: ['sales.revenue'], timezone: 'America/Sao_Paulo', rowLimit: 1 }) as unknown as Dialect;
});

/**
 * The parts of the dialect the model's queries do not reach (the SQL they do reach is pinned in
 * test/metrics/cube-upgrade-guard.test.ts). Expected values are what Cube 1.7.43's own
 * `DuckDBQuery` returned; while `@cubejs-backend/duckdb-driver` was installed this test also
 * compared this copy's SQL with it for every granularity and filter operator.
 */
describe("Farol's copy of Cube's DuckDB dialect", () => {
  it("keeps Cube's helpers", () => {
    expect(dialect.convertTz('created_at')).toBe("timezone('America/Sao_Paulo', created_at::timestamptz)");
    expect(dialect.countDistinctApprox('customer_key')).toBe('approx_count_distinct(customer_key)');
    expect(dialect.dateBin('2 weeks', 'created_at', '2024-01-01T00:00:00.000')).toBe(
      [
        "'2024-01-01T00:00:00.000'::timestamp + INTERVAL '2 weeks' *",
        '      floor(',
        "        date_diff('day', '2024-01-01T00:00:00.000'::timestamp, created_at) /",
        "        date_diff('day', '1970-01-01 00:00:00.000'::timestamp, '1970-01-01 00:00:00.000'::timestamp + INTERVAL '2 weeks')",
        '      )::int',
      ].join('\n'),
    );
  });

  it("keeps Cube's SQL templates", () => {
    const { functions, expressions, tesseract } = dialect.sqlTemplates();
    expect({
      DATETRUNC: functions.DATETRUNC,
      UTCTIMESTAMP: functions.UTCTIMESTAMP,
      LEAST: functions.LEAST,
      GREATEST: functions.GREATEST,
      STRING_AGG: functions.STRING_AGG,
      DATE_ADD: functions.DATE_ADD,
    }).toEqual({
      DATETRUNC: 'DATE_TRUNC({{ args_concat }})',
      UTCTIMESTAMP: "(NOW() AT TIME ZONE 'UTC')",
      LEAST: 'LEAST({{ args_concat }})',
      GREATEST: 'GREATEST({{ args_concat }})',
      STRING_AGG: "STRING_AGG({% if distinct %}DISTINCT {% endif %}{{ args[0] }}, COALESCE({{ args[1] }}, ''))",
      DATE_ADD: "({{ args[0] }} + '{{ interval }} {{ date_part }}'::interval)",
    });
    expect('WIDTH_BUCKET' in functions).toBe(false);
    expect(expressions.like).toBe("{{ expr }} {% if negated %}NOT {% endif %}LIKE {{ pattern }}{% if default_escape %} ESCAPE '\\'{% endif %}");
    expect(expressions.ilike).toBe("{{ expr }} {% if negated %}NOT {% endif %}ILIKE {{ pattern }}{% if default_escape %} ESCAPE '\\'{% endif %}");
    expect(tesseract.ilike).toBe("{{ expr }} {% if negated %}NOT {% endif %}ILIKE {{ pattern }} ESCAPE '\\'");
    expect(expressions.int_division).toBe('({{ left }} // {{ right }})');
  });
});

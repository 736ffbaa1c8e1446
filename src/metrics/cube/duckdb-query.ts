/*
 * Cube's DuckDB SQL dialect: `DuckDBQuery` (and its `DuckDBFilter`) from
 * `@cubejs-backend/duckdb-driver` 1.7.43, packages/cubejs-duckdb-driver/src/DuckDBQuery.ts in
 * https://github.com/cube-js/cube. Copyright Cube Dev, Inc., licensed under the Apache License,
 * Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0).
 *
 * Changes from the original: typed against the structural interfaces below, and the classes are
 * defined over the base classes of the schema compiler Farol loads, instead of being imported.
 * Text filters (`contains`, `startsWith`, …) say `ESCAPE '\'`: Cube escapes `%`, `_` and `\` in
 * their values with a backslash, which DuckDB reads literally without the clause, so a value
 * holding one of them matched nothing (and its negation everything). Filtered measures are
 * aggregated with DuckDB's `FILTER (WHERE …)` clause and a count of a root cube's primary key as
 * `count(*)` (see `filtered-measures.ts`); the rest of the SQL is Cube's.
 * test/metrics/cube-upgrade-guard.test.ts pins it.
 *
 * Why a copy: the dialect is all Farol used of Cube's DuckDB driver, whose base driver brings
 * cloud storage SDKs with it. Farol runs DuckDB through its own warehouse adapter.
 */
import type { CubeQueryClass } from './cube-types.js';
import { noteMeasureFilter, rewriteFilteredMeasure, type CubeMeasureSymbol } from './filtered-measures.js';

interface SqlTemplates {
  readonly functions: Record<string, string>;
  readonly expressions: Record<string, string>;
  readonly tesseract: Record<string, string>;
}

/** The members of Cube's `BaseQuery` the dialect overrides or calls. */
export interface CubeBaseQuery {
  readonly timezone: string;
  newFilter(filter: unknown): unknown;
  convertTz(field: string): string;
  timeGroupedColumn(granularity: string, dimension: string): string;
  dateBin(interval: string, source: string, origin: string): string;
  countDistinctApprox(sql: string): string;
  sqlTemplates(): SqlTemplates;
  timeStampParam(timeDimension: { readonly measure?: unknown }): string;
  timeStampCast(value: string): string;
  dateTimeCast(value: string): string;
  diffTimeUnitForInterval(interval: string): string;
  applyMeasureFilters(evaluateSql: string, symbol: CubeMeasureSymbol, cubeName: string): string;
  renderSqlMeasure(name: string, evaluateSql: string, symbol: CubeMeasureSymbol, cubeName: string, parentMeasure: unknown, orderBySql: unknown): string;
  /** The join tree of the query being built (unset while Cube only collects cube names). */
  readonly join?: { readonly root: string } | null;
}

/** The members of Cube's `BaseFilter` the dialect overrides or calls. */
export interface CubeBaseFilter {
  castParameter(): string;
  likeIgnoreCase(column: string, not: boolean, param: unknown, type: string): string;
  definition(): { readonly type: string };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- mixin constructors must take `any[]` */
export interface CubeQueryBases {
  readonly BaseQuery: new (...args: any[]) => CubeBaseQuery;
  readonly BaseFilter: new (...args: any[]) => CubeBaseFilter;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const GRANULARITY_TO_INTERVAL: Record<string, (date: string) => string> = {
  day: (date) => `DATE_TRUNC('day', ${date})`,
  week: (date) => `DATE_TRUNC('week', ${date})`,
  hour: (date) => `DATE_TRUNC('hour', ${date})`,
  minute: (date) => `DATE_TRUNC('minute', ${date})`,
  second: (date) => `DATE_TRUNC('second', ${date})`,
  month: (date) => `DATE_TRUNC('month', ${date})`,
  quarter: (date) => `DATE_TRUNC('quarter', ${date})`,
  year: (date) => `DATE_TRUNC('year', ${date})`,
};

const NUMBER_TYPES = ['number', 'count', 'count_distinct', 'count_distinct_approx', 'sum', 'avg', 'min', 'max'];

export interface DuckDbQueryOptions {
  /**
   * Render filtered measures with `FILTER (WHERE …)` and root-cube key counts as `count(*)`
   * (default). Off gives Cube's own rendering, which tests compare answers with; a query class
   * built either way must not share a compiled model with the other (Cube caches built SQL by
   * query class name).
   */
  readonly cheapAggregates?: boolean;
}

export function defineDuckDbQuery({ BaseQuery, BaseFilter }: CubeQueryBases, options: DuckDbQueryOptions = {}): CubeQueryClass {
  const cheapAggregates = options.cheapAggregates ?? true;
  class DuckDBFilter extends BaseFilter {
    override castParameter(): string {
      return NUMBER_TYPES.includes(this.definition().type) ? 'CAST(? AS DOUBLE)' : '?';
    }

    override likeIgnoreCase(column: string, not: boolean, param: unknown, type: string): string {
      return `${super.likeIgnoreCase(column, not, param, type)} ESCAPE '\\'`;
    }
  }

  // The class name is part of the key of Cube's compiler query cache; it stays Cube's.
  class DuckDBQuery extends BaseQuery {
    // Cube calls both while its own constructor runs, before subclass fields exist: the state
    // between the two calls lives in filtered-measures.ts, keyed by this query.
    override applyMeasureFilters(evaluateSql: string, symbol: CubeMeasureSymbol, cubeName: string): string {
      const filtered = super.applyMeasureFilters(evaluateSql, symbol, cubeName);
      return cheapAggregates ? noteMeasureFilter(this, evaluateSql, filtered) : filtered;
    }

    override renderSqlMeasure(name: string, evaluateSql: string, symbol: CubeMeasureSymbol, cubeName: string, parentMeasure: unknown, orderBySql: unknown): string {
      const rendered = super.renderSqlMeasure(name, evaluateSql, symbol, cubeName, parentMeasure, orderBySql);
      return cheapAggregates ? rewriteFilteredMeasure(this, { rendered, evaluateSql, symbol, rootCube: this.join?.root === cubeName }) : rendered;
    }

    override newFilter(filter: unknown): unknown {
      return new DuckDBFilter(this, filter);
    }

    override convertTz(field: string): string {
      return `timezone('${this.timezone}', ${field}::timestamptz)`;
    }

    override timeGroupedColumn(granularity: string, dimension: string): string {
      const group = GRANULARITY_TO_INTERVAL[granularity];
      if (!group) throw new Error(`DuckDB dialect: unsupported granularity "${granularity}"`);
      return group(dimension);
    }

    /**
     * Source floored to timestamps aligned with intervals from `origin`. DuckDB steps whole
     * intervals rather than their length in seconds, so buckets align as a person expects.
     */
    override dateBin(interval: string, source: string, origin: string): string {
      const timeUnit = this.diffTimeUnitForInterval(interval);
      const beginOfTime = this.dateTimeCast("'1970-01-01 00:00:00.000'");
      return `${this.dateTimeCast(`'${origin}'`)} + INTERVAL '${interval}' *
      floor(
        date_diff('${timeUnit}', ${this.dateTimeCast(`'${origin}'`)}, ${source}) /
        date_diff('${timeUnit}', ${beginOfTime}, ${beginOfTime} + INTERVAL '${interval}')
      )::int`;
    }

    override countDistinctApprox(sql: string): string {
      return `approx_count_distinct(${sql})`;
    }

    override sqlTemplates(): SqlTemplates {
      const templates = super.sqlTemplates();
      templates.functions.DATETRUNC = 'DATE_TRUNC({{ args_concat }})';
      // AT TIME ZONE on TIMESTAMPTZ gives a naive UTC TIMESTAMP (ICU extension, bundled).
      templates.functions.UTCTIMESTAMP = "(NOW() AT TIME ZONE 'UTC')";
      templates.functions.LEAST = 'LEAST({{ args_concat }})';
      templates.functions.GREATEST = 'GREATEST({{ args_concat }})';
      templates.functions.STRING_AGG = "STRING_AGG({% if distinct %}DISTINCT {% endif %}{{ args[0] }}, COALESCE({{ args[1] }}, ''))";
      // DATEADD is rewritten to DATE_ADD.
      templates.functions.DATE_ADD = "({{ args[0] }} + '{{ interval }} {{ date_part }}'::interval)";
      delete templates.functions.WIDTH_BUCKET;
      templates.expressions.like = "{{ expr }} {% if negated %}NOT {% endif %}LIKE {{ pattern }}{% if default_escape %} ESCAPE '\\'{% endif %}";
      templates.expressions.ilike = "{{ expr }} {% if negated %}NOT {% endif %}ILIKE {{ pattern }}{% if default_escape %} ESCAPE '\\'{% endif %}";
      // DuckDB has no default LIKE escape character; the native planner escapes filter values
      // with a backslash, so its filters need the clause unconditionally.
      templates.tesseract.ilike = "{{ expr }} {% if negated %}NOT {% endif %}ILIKE {{ pattern }} ESCAPE '\\'";
      // `/` is float division in DuckDB; `//` truncates toward zero, as in PostgreSQL.
      templates.expressions.int_division = '({{ left }} // {{ right }})';
      return templates;
    }

    override timeStampParam(timeDimension: { readonly measure?: unknown }): string {
      // A time measure needs no check of the field type.
      if (timeDimension.measure) return super.timeStampCast('?');
      return super.timeStampParam(timeDimension);
    }
  }

  return DuckDBQuery as unknown as CubeQueryClass;
}

import { createHash } from 'node:crypto';
import type { SqlValue } from '../../warehouse/warehouse.js';
import type { CubeCompilers, CubeEvaluatedPreAggregation, CubeQueryClass } from './cube-types.js';

/** The warehouse schema rollups live in; Cube's rollup SQL reads `preagg.<cube>_<name>`. */
export const PREAGG_SCHEMA = 'preagg';

/** One rollup of the model, as Farol builds it: Cube's own SELECT for it, in the business time zone. */
export interface RollupDefinition {
  /** `cube.name`, e.g. `orders.sales_daily`. */
  readonly id: string;
  /** The name Cube's SQL reads the rollup by (`preagg.orders_sales_daily`); built tables carry a version after it. */
  readonly table: string;
  readonly sql: string;
  readonly params: readonly SqlValue[];
  /** Short hash of the SQL: a model change gives the rollup a new table rather than reusing an old shape. */
  readonly fingerprint: string;
}

/**
 * Reads the `pre_aggregations` of the compiled model and asks Cube for the SQL that builds each,
 * the way Cube's refresh worker does: a query made of the rollup's own references, pinned to it
 * by `preAggregationId`. Throws, listing every problem, when the model declares one Farol cannot
 * serve correctly:
 *
 * - only `type: rollup` (original_sql would change the SQL of every query on the cube; joins,
 *   lambdas and auto rollups need Cube Store);
 * - `external: true`: Farol keeps rollups out of raw SQL by disabling external pre-aggregations,
 *   so one left to Cube's default (an environment variable) could be read before it is built;
 * - `allow_non_strict_date_range_match: false`: otherwise a range that cuts through a day is
 *   answered with whole days;
 * - no `partition_granularity`: a rollup is built whole for each data version.
 */
export function rollupDefinitions(compilers: CubeCompilers, queryClass: CubeQueryClass, timezone: string): readonly RollupDefinition[] {
  const declared = compilers.cubeEvaluator.preAggregations({});
  const problems = declared.flatMap(unsupported);
  if (problems.length > 0) throw new RollupDefinitionError(problems);
  return Object.freeze(declared.map((p) => define(compilers, queryClass, timezone, p)));
}

export class RollupDefinitionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`pre-aggregations Farol cannot serve:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RollupDefinitionError';
  }
}

function unsupported({ id, preAggregation: p }: CubeEvaluatedPreAggregation): string[] {
  const problems: string[] = [];
  if (p.type !== 'rollup') problems.push(`${id}: type "${p.type}" is not supported; Farol builds type: rollup only`);
  else {
    if (p.external !== true) problems.push(`${id}: set external: true (Farol builds it in the warehouse's ${PREAGG_SCHEMA} schema and reads it only once built)`);
    if (p.allowNonStrictDateRangeMatch !== false) problems.push(`${id}: set allow_non_strict_date_range_match: false (a range cutting through a day must not be answered with whole days)`);
    if (p.partitionGranularity !== undefined) problems.push(`${id}: partition_granularity is not supported; the rollup is rebuilt whole for each data version`);
  }
  return problems;
}

function define(compilers: CubeCompilers, queryClass: CubeQueryClass, timezone: string, p: CubeEvaluatedPreAggregation): RollupDefinition {
  const query = new queryClass(compilers, {
    measures: [...p.references.measures],
    dimensions: [...p.references.dimensions],
    timeDimensions: p.references.timeDimensions.map((td) => ({ dimension: td.dimension, granularity: td.granularity })),
    timezone,
    preAggregationsSchema: PREAGG_SCHEMA,
    preAggregationId: p.id,
    useNativeSqlPlanner: false,
  });
  const description = query.preAggregations.preAggregationsDescription().find((d) => d.preAggregationId === p.id);
  if (!description) throw new Error(`Cube gave no description for pre-aggregation ${p.id}`);
  const [sql, params] = description.sql;
  return Object.freeze({
    id: p.id,
    table: description.tableName,
    sql,
    params: Object.freeze(params.map((v) => v as SqlValue)),
    fingerprint: createHash('sha256').update(JSON.stringify([sql, params])).digest('hex').slice(0, 10),
  });
}

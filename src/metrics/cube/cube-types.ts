/**
 * The slice of Cube's schema compiler Farol relies on, typed structurally.
 * Cube ships CommonJS with loose typings; keeping our own small interfaces here means nothing
 * outside `src/metrics/cube/` sees a Cube type, and an upgrade that changes one of these shapes
 * shows up in this folder (and in the upgrade guard test), not across the codebase.
 */

/** One model file as Cube's compiler reads it; `fileName` is relative to the model folder. */
export interface CubeSchemaFile {
  readonly fileName: string;
  readonly content: string;
}

/** Cube's `SchemaFileRepository`. */
export interface CubeSchemaRepository {
  localPath(): string;
  dataSchemaFiles(): Promise<CubeSchemaFile[]>;
}

export interface CubeJinjaEngine {
  loadTemplate(fileName: string, content: string): void;
  renderTemplate(fileName: string, context: unknown, pythonContext: unknown): string;
}

/** Stands in for `@cubejs-backend/native`'s `NativeInstance`, whose binary Farol does not install. */
export interface CubeNativeInstance {
  newJinjaEngine(options: unknown): CubeJinjaEngine;
  loadPythonContext(fileName: string, content: string): never;
}

export type CubeMemberFormat = string | { readonly type: string; readonly value?: string };

export interface CubeMetaMember {
  readonly name: string;
  /** For a view member, the cube member it exposes (`orders.revenue`). */
  readonly aliasMember?: string;
  readonly title: string;
  readonly shortTitle: string;
  readonly type?: string;
  /** For a measure, its aggregation: count, countDistinct, sum, number, ... */
  readonly aggType?: string;
  readonly description?: string;
  readonly format?: CubeMemberFormat;
  readonly currency?: string;
  /** For a measure: true for a `rolling_window` (cumulative) measure. */
  readonly cumulative?: boolean;
  /** The model's free-form `meta`; Farol reads `meta.pii` (personal data). */
  readonly meta?: Readonly<Record<string, unknown>>;
  readonly isVisible: boolean;
  readonly public: boolean;
}

export interface CubeMetaConfig {
  readonly name: string;
  readonly type: 'view' | 'cube';
  readonly title: string;
  readonly description?: string;
  readonly isVisible: boolean;
  readonly public: boolean;
  readonly measures: readonly CubeMetaMember[];
  readonly dimensions: readonly CubeMetaMember[];
  readonly segments: readonly CubeMetaMember[];
}

/** What `prepareCompiler` returns; the query classes take the whole object as `compilers`. */
export interface CubeCompilers {
  readonly compiler: {
    compile(): Promise<unknown>;
    /** Transpiler worker threads, started by `compile()`. */
    readonly workerPool?: { terminate(force?: boolean): Promise<unknown> } | null;
  };
  readonly metaTransformer: { readonly cubes: readonly { readonly config: CubeMetaConfig }[] };
  /** Compiled cubes and views by name; `sqlTable()` gives a cube's `sql_table`. */
  readonly cubeEvaluator: {
    readonly evaluatedCubes: Readonly<Record<string, CubeEvaluatedCube>>;
    /** Every pre-aggregation declared in the model, with its references resolved to cube members. */
    preAggregations(filter: Record<string, never>): readonly CubeEvaluatedPreAggregation[];
  };
}

/** A member as the model wrote it (what Cube's meta fills in for itself is absent here). */
export interface CubeMemberDefinition {
  readonly title?: string;
  readonly description?: string;
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface CubeEvaluatedCube {
  readonly isView?: boolean;
  sqlTable?: () => string;
  readonly measures?: Readonly<Record<string, CubeMemberDefinition>>;
  readonly dimensions?: Readonly<Record<string, CubeMemberDefinition>>;
  readonly segments?: Readonly<Record<string, CubeMemberDefinition>>;
}

/** One `pre_aggregations` entry as Cube's evaluator gives it (YAML keys camel-cased). */
export interface CubeEvaluatedPreAggregation {
  /** `cube.name`, e.g. `orders.sales_daily`. */
  readonly id: string;
  readonly cube: string;
  readonly preAggregationName: string;
  readonly preAggregation: {
    readonly type: string;
    readonly external?: boolean;
    readonly partitionGranularity?: string;
    readonly allowNonStrictDateRangeMatch?: boolean;
    readonly refreshKey?: unknown;
    readonly indexes?: unknown;
  };
  readonly references: {
    readonly measures: readonly string[];
    readonly dimensions: readonly string[];
    readonly timeDimensions: readonly { readonly dimension: string; readonly granularity?: string }[];
  };
}

/** What Cube describes of a pre-aggregation it would read or build (`preAggregationsDescription()`). */
export interface CubePreAggregationDescription {
  readonly preAggregationId: string;
  /** Schema-qualified name the rollup SQL reads, `<preAggregationsSchema>.<cube>_<name>`. */
  readonly tableName: string;
  /** The SELECT that computes the rollup's rows, and its parameters. */
  readonly sql: readonly [string, readonly unknown[]];
}

export interface CubeCompilerOptions {
  readonly nativeInstance: CubeNativeInstance;
  /** Compile without a Cube server's compile context. */
  readonly standalone: boolean;
}

export interface CubeSchemaCompilerModule {
  prepareCompiler(repository: CubeSchemaRepository, options: CubeCompilerOptions): CubeCompilers;
}

/** A built query (legacy planner). */
export interface CubeQuery {
  buildSqlAndParams(): [string, unknown[]];
  /** Result column alias → member name; time dimensions as `view.member.granularity`. */
  readonly aliasNameToMember: Record<string, string>;
  readonly preAggregations: {
    /** The rollup Cube's rules pick for this query (legacy planner), if any. */
    findPreAggregationForQuery(): { readonly cube: string; readonly preAggregationName: string } | undefined;
    preAggregationsDescription(): readonly CubePreAggregationDescription[];
  };
  /** A filter object of the dialect; Farol uses only its value conversions. */
  newFilter(filter: { readonly dimension?: string; readonly operator: string; readonly values: readonly unknown[] }): CubeFilterConversions;
}

/** How Cube's `BaseFilter` turns literals into parameters. */
export interface CubeFilterConversions {
  /** A local date or date-time, as the UTC start bound in the dialect's format. */
  inDbTimeZoneDateFrom(value: string): unknown;
  /** The same, as the end bound (a date alone: its last instant). */
  inDbTimeZoneDateTo(value: string): unknown;
  /** A local date or date-time as the local start bound (a date alone: its first millisecond), as rollups compare it. */
  formatFromDate(value: string): unknown;
  /** The same, as the local end bound (a date alone: its last millisecond). */
  formatToDate(value: string): unknown;
  /** LIKE wildcards (`%`, `_`, `\`) escaped. */
  escapeWildcardChars(value: string): unknown;
}

export type CubeQueryClass = new (compilers: CubeCompilers, options: Record<string, unknown>) => CubeQuery;

/** Cube's `CompileError`: `messages` lists every problem, grouped by file. */
export interface CubeCompileError extends Error {
  readonly messages: string;
}

export function isCubeCompileError(err: unknown): err is CubeCompileError {
  return err instanceof Error && typeof (err as { messages?: unknown }).messages === 'string';
}

/** Errors Cube's schema compiler raises for a query it cannot serve (its `UserError`). */
export function isCubeUserError(err: unknown): err is Error {
  return err instanceof Error && (err as { type?: unknown }).type === 'UserError';
}

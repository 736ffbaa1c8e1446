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
  /** Compiled cubes by name; `sqlTable()` gives a cube's `sql_table`. */
  readonly cubeEvaluator: { readonly evaluatedCubes: Readonly<Record<string, { readonly isView?: boolean; sqlTable?: () => string }>> };
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

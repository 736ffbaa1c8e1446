import { createRequire } from 'node:module';
import type { CubeQueryClass, CubeSchemaCompilerModule } from './cube-types.js';
import type { CubeQueryBases } from './duckdb-query.js';

/**
 * Loads Cube's CommonJS packages and checks, once, that each export has the shape Farol types it
 * with, so a Cube upgrade that moves or renames one fails at start-up with the export named
 * rather than deep inside a query.
 */
const require = createRequire(import.meta.url);

const SCHEMA_COMPILER = '@cubejs-backend/schema-compiler';
const BIGQUERY_QUERY = '@cubejs-backend/schema-compiler/dist/src/adapter/BigqueryQuery';

function exportOf(modulePath: string, name: string): unknown {
  const mod = require(modulePath) as Record<string, unknown>;
  const value = mod[name];
  if (typeof value !== 'function') {
    throw new Error(`${modulePath} has no function export "${name}"; was the Cube version changed from the pinned one?`);
  }
  return value;
}

let schemaCompiler: CubeSchemaCompilerModule | undefined;

export function schemaCompilerModule(): CubeSchemaCompilerModule {
  schemaCompiler ??= { prepareCompiler: exportOf(SCHEMA_COMPILER, 'prepareCompiler') as CubeSchemaCompilerModule['prepareCompiler'] };
  return schemaCompiler;
}

/** The base classes Cube's SQL dialects extend; Farol's DuckDB dialect is defined over them. */
export function cubeQueryBases(): CubeQueryBases {
  return {
    BaseQuery: exportOf(SCHEMA_COMPILER, 'BaseQuery') as CubeQueryBases['BaseQuery'],
    BaseFilter: exportOf(SCHEMA_COMPILER, 'BaseFilter') as CubeQueryBases['BaseFilter'],
  };
}

export function bigQueryQueryClass(): CubeQueryClass {
  return exportOf(BIGQUERY_QUERY, 'BigqueryQuery') as CubeQueryClass;
}

export interface YamlParser {
  load(content: string, options: { filename: string }): unknown;
}

/**
 * The YAML parser Cube itself uses (its own dependency, resolved from its package), so a file
 * Cube rejects is re-parsed by the same rules to name the file and line.
 */
export function cubeYamlParser(): YamlParser {
  const fromCube = createRequire(require.resolve(SCHEMA_COMPILER));
  return { load: exportOf(fromCube.resolve('js-yaml'), 'load') as YamlParser['load'] };
}

/** The exact Cube schema compiler version installed, for the upgrade guard. */
export function installedCubeVersion(): string {
  return (require(`${SCHEMA_COMPILER}/package.json`) as { version: string }).version;
}

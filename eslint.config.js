import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DRIVERS = { group: ['@duckdb/*', '@google-cloud/bigquery'], message: 'Only src/warehouse adapters import database drivers.' };

/**
 * Dependencies point inward: each face (schema, and later the SQL API and alerts) → metrics →
 * warehouse; pipeline → ingest → transform → warehouse; quarantine and warehouse know no caller.
 * `layer(folder, forbidden)` makes an import from a forbidden folder an error in that folder.
 */
const FOLDERS = ['warehouse', 'quarantine', 'transform', 'ingest', 'pipeline', 'metrics', 'schema', 'admin', 'commands', 'sandbox'];
function layer(folder, forbidden, allowDrivers = false) {
  return {
    files: [`src/${folder}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...(allowDrivers ? [] : [DRIVERS]),
            ...forbidden.map((f) => ({ group: [`**/${f}/**`, `../${f}/*`], message: `src/${folder} must not depend on src/${f} (dependencies point inward; see src/CONTEXT.md).` })),
          ],
        },
      ],
    },
  };
}
const except = (...allowed) => FOLDERS.filter((f) => !allowed.includes(f));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { patterns: [DRIVERS] }],
    },
  },
  layer('warehouse', except('warehouse'), true),
  layer('quarantine', except('quarantine', 'warehouse')),
  layer('transform', except('transform', 'warehouse')),
  layer('ingest', except('ingest', 'transform', 'warehouse', 'quarantine')),
  layer('pipeline', except('pipeline', 'ingest', 'transform', 'warehouse', 'quarantine')),
  layer('metrics', except('metrics', 'warehouse')),
  layer('schema', except('schema', 'metrics')),
  {
    // GraphiQL's page script runs in the browser, beside the UMD globals the page loads first.
    files: ['web/graphiql/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', React: 'readonly', ReactDOM: 'readonly', GraphiQL: 'readonly' },
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Unit tests beside the code may use shared test fixtures.
    files: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DRIVERS] }] },
  },
);

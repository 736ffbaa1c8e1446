import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DRIVERS = { group: ['@duckdb/*', '@google-cloud/bigquery'], message: 'Only src/warehouse adapters import database drivers.' };

/**
 * Dependencies point inward: each face (schema, and later the SQL API and alerts) → auth and
 * metrics; metrics → auth (the resolved security context as plain data, the PII mask) and
 * warehouse; pipeline → ingest → transform → warehouse; auth, quarantine and warehouse know no
 * caller (auth imports nothing from src/ beyond src/shared).
 * `layer(folder, forbidden)` makes an import from a forbidden folder an error in that folder.
 */
const FOLDERS = ['auth', 'warehouse', 'quarantine', 'transform', 'ingest', 'pipeline', 'metrics', 'customers', 'schema', 'pos', 'cube-api', 'sql-api', 'alerts', 'admin', 'commands', 'sandbox', 'web-page'];
function layer(folder, forbidden, allowDrivers = false, extra = []) {
  return {
    files: [`src/${folder}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...(allowDrivers ? [] : [DRIVERS]),
            INJECTED_METRICS,
            ...forbidden.map((f) => ({ group: [`**/${f}/**`, `../${f}/*`], message: `src/${folder} must not depend on src/${f} (dependencies point inward; see src/CONTEXT.md).` })),
            ...extra,
          ],
        },
      ],
    },
  };
}
const except = (...allowed) => FOLDERS.filter((f) => !allowed.includes(f));
/**
 * Prometheus metrics are injected: a layer declares the observer it needs and main.ts passes
 * FarolMetrics in, so no layer imports the metrics object or its route.
 */
const INJECTED_METRICS = { group: ['**/observability/farol-metrics*', '**/observability/metrics-route*'], message: 'Report through an observer this layer declares; main.ts passes FarolMetrics in (see src/observability/CONTEXT.md).' };

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
  // Not even config.ts or main.ts: every face builds on auth, so auth builds on nothing but shared.
  layer('auth', except('auth'), false, [{ group: ['../*.js', '../*/**', '!../shared/**'], message: 'src/auth imports nothing from src/ beyond src/shared.' }]),
  layer('warehouse', except('warehouse'), true),
  layer('quarantine', except('quarantine', 'warehouse')),
  layer('transform', except('transform', 'warehouse')),
  layer('ingest', except('ingest', 'transform', 'warehouse', 'quarantine')),
  layer('pipeline', except('pipeline', 'ingest', 'transform', 'warehouse', 'quarantine')),
  layer('metrics', except('metrics', 'warehouse', 'auth')),
  layer('customers', except('customers', 'warehouse')),
  layer('schema', except('schema', 'metrics', 'customers', 'auth')),
  layer('pos', except('pos', 'customers', 'auth')),
  layer('cube-api', except('cube-api', 'metrics', 'auth')),
  layer('sql-api', except('sql-api', 'metrics', 'auth')),
  {
    // Observability is a leaf: metrics, logs, readiness, knowing nothing of the parts that report to it.
    files: ['src/observability/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [DRIVERS, { group: ['../*.js', '../*/**', '!../shared/**'], message: 'src/observability imports nothing from src/ beyond src/shared.' }] }],
    },
  },
  // The page's server side knows nothing of the rest: it serves files.
  layer('web-page', except('web-page'), false, [{ group: ['../*.js', '../*/**'], message: 'src/web-page imports nothing from src/.' }]),
  // Alerts read KPIs through the engine and the pipeline's ops tables (runs, SLAs) through the warehouse.
  layer('alerts', except('alerts', 'metrics', 'auth', 'warehouse', 'pipeline', 'ingest')),
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

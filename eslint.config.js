import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@duckdb/*', '@google-cloud/bigquery'], message: 'Only src/warehouse adapters import database drivers.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/warehouse/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The semantic engine wraps Cube's DuckDB dialect class, which ships inside the Cube DuckDB driver package.
    files: ['src/metrics/cube/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);

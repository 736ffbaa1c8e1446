import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (`main`) and ESM (`module`) builds. Node, and every library that
    // imports graphql (type-graphql, Apollo), gets the CJS one; Vite would hand our own source
    // the ESM one, and graphql rejects types that cross the two copies ("another module or realm").
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Builds the web page (dist/web) when it is missing or older than web/, for the tests that load it.
    globalSetup: ['test/web/web-build.global-setup.ts'],
    // DuckDB files, child processes and local HTTP servers: integration tests need room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: {
      METADATA_SERVER_DETECTION: 'none',
      FAROL_LOG_LEVEL: 'silent',
    },
  },
});

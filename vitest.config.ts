import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
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

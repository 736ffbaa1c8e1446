// The bench times the service as `farol start` runs it, which sets NODE_ENV to production before
// loading graphql-js and the rest (see src/cli.ts). Imported first by bench/run.ts, so it runs
// before any of those modules is evaluated.
process.env.NODE_ENV ??= 'production';

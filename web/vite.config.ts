import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The operator's page: built into dist/web, which Farol serves at `/`. Everything is bundled
 * (ECharts included), so the page loads nothing from elsewhere and runs under a CSP without
 * inline scripts or styles.
 */
export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: path.resolve(here, '..', 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be inlined into the entry; every supported browser preloads modules itself.
    modulePreload: { polyfill: false },
    // ECharts alone is ~600 kB minified; it is one file served from the same origin, cached.
    chunkSizeWarningLimit: 1_500,
    rollupOptions: {
      input: path.resolve(here, 'index.html'),
      // zod's sources carry esbuild-style `@__PURE__` comments Rollup cannot place; harmless.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
});

import { defineConfig } from 'vitest/config';

// One config for the widget build (library mode) and for vitest (API, core and e2e suites).
// Browser tests of the widget run under web-test-runner (web-test-runner.config.mjs).
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // One file serves both npm consumers and <script type="module"> partners, so it is fully
    // minified (Vite keeps whitespace in ES library output by default) with Lit bundled in.
    rolldownOptions: { output: { minify: true } },
    lib: {
      entry: 'widget/index.ts',
      name: 'SmartPackGrid',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'smart-pack-grid.js' : `smart-pack-grid.${format}.js`),
    },
  },
  test: {
    include: ['test/core/**/*.test.ts', 'test/api/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

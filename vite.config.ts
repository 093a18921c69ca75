import { defineConfig } from 'vitest/config';

// vitest's config (core, API, end-to-end and package suites). The widget's build has its own config in
// widget/vite.config.ts; browser tests of the widget run under web-test-runner (web-test-runner.config.mjs).
export default defineConfig({
  test: {
    include: ['test/core/**/*.test.ts', 'test/api/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/package/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

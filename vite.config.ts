import { execFileSync } from 'node:child_process';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// package.json "types" points at dist/types/widget/index.d.ts; Vite does not emit declarations,
// so the build runs tsc once for the widget's public surface (about 1 s).
function widgetTypes(): Plugin {
  let done = false;
  return {
      name: 'smart-pack-grid:types',
      apply: 'build',
      closeBundle() {
        if (done) return;
        done = true;
        // TypeScript 7 is installed as @typescript/native; `typescript` is the TS 6 API for typescript-eslint.
        // prettier-ignore
        execFileSync(process.execPath, [
          'node_modules/@typescript/native/bin/tsc', 'widget/index.ts', 'widget/package.ts', '--ignoreConfig',
          '--declaration', '--emitDeclarationOnly', '--outDir', 'dist/types', '--rootDir', '.',
          '--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'Bundler',
          '--experimentalDecorators', '--useDefineForClassFields', 'false', '--strict', '--skipLibCheck',
          '--verbatimModuleSyntax', '--lib', 'ES2023,DOM,DOM.Iterable', '--types', 'node',
        ], { stdio: 'inherit' });
      },
  };
}

// Two self-contained bundles, each with Lit inside, so a page loads only the element it shows:
// `vite build` → smart-pack-grid(.iife).js (booking; budget 25 KB gzip), then
// `vite build --mode package` → smart-pack-package(.iife).js (a parent's bought pack).
const ENTRIES = {
  grid: { entry: 'widget/index.ts', name: 'SmartPackGrid', file: 'smart-pack-grid' },
  package: { entry: 'widget/package.ts', name: 'SmartPackPackage', file: 'smart-pack-package' },
} as const;

// One config for the widget build (library mode) and for vitest (API, core and e2e suites).
// Browser tests of the widget run under web-test-runner (web-test-runner.config.mjs).
export default defineConfig(({ mode }) => {
  const bundle = mode === 'package' ? ENTRIES.package : ENTRIES.grid;
  return {
    plugins: bundle === ENTRIES.grid ? [widgetTypes()] : [],
    build: {
      target: 'es2022',
      outDir: 'dist',
      // The second bundle is added beside the first.
      emptyOutDir: bundle === ENTRIES.grid,
      sourcemap: true,
      // One file serves both npm consumers and <script type="module"> partners, so it is fully
      // minified (Vite keeps whitespace in ES library output by default) with Lit bundled in.
      rolldownOptions: { output: { minify: true } },
      lib: {
        entry: bundle.entry,
        name: bundle.name,
        formats: ['es', 'iife'],
        fileName: (format: string) => (format === 'es' ? `${bundle.file}.js` : `${bundle.file}.${format}.js`),
      },
    },
    test: {
      include: ['test/core/**/*.test.ts', 'test/api/**/*.test.ts', 'test/e2e/**/*.test.ts'],
      pool: 'forks',
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  };
});

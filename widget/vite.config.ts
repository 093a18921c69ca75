import { defineConfig, type Plugin, type UserConfig } from 'vite';

// The package's bundles, each self-contained with Lit inside so a page loads only the element it shows:
// `vite build` → smart-pack-grid(.iife).js (booking; budget 25 KB gzip),
// `vite build --mode package` → smart-pack-package(.iife).js (a parent's bought pack),
// `vite build --mode react` → react.js, the React wrapper: it imports the grid bundle beside it and
// leaves react and @lit/react to the app's bundler (they are the package's peer and dependency).
// Declarations and custom-elements.json follow in `npm run build` (scripts/types.mjs, cem analyze).
const ENTRIES = {
  grid: { entry: 'index.ts', name: 'SmartPackGrid', file: 'smart-pack-grid' },
  package: { entry: 'package.ts', name: 'SmartPackPackage', file: 'smart-pack-package' },
} as const;

// react.ts imports the element from ./index.js; in dist that is the grid bundle, not a second copy of it.
function gridBundle(): Plugin {
  return {
    name: 'smart-pack-grid:grid-bundle',
    enforce: 'pre',
    resolveId: (source, importer) =>
      source === './index.js' && importer?.endsWith('react.ts') ? { id: './smart-pack-grid.js', external: true } : null,
  };
}

export default defineConfig(({ mode }): UserConfig => {
  const common = {
    target: 'es2022',
    outDir: 'dist',
    sourcemap: true,
  } as const;
  if (mode === 'react') {
    return {
      build: {
        ...common,
        emptyOutDir: false,
        lib: { entry: 'react.ts', formats: ['es'], fileName: () => 'react.js' },
        rolldownOptions: { external: (id: string) => id === 'react' || id.startsWith('@lit/react') },
      },
      plugins: [gridBundle()],
    };
  }
  const bundle = mode === 'package' ? ENTRIES.package : ENTRIES.grid;
  return {
    build: {
      ...common,
      // The other bundles are added beside the first.
      emptyOutDir: bundle === ENTRIES.grid,
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
  };
});

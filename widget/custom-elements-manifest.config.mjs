import { bundleModules } from './scripts/cem-bundles.mjs';

/** `cem analyze` (run by `npm run build` after the bundles): custom-elements.json for the published package. */
export default {
  globs: ['**/*.ts'],
  exclude: ['dist/**', 'node_modules/**', 'scripts/**', 'vite.config.ts', '**/*.test.ts'],
  litelement: true,
  outdir: '.',
  // package.json already names the manifest; the analyzer would rewrite the field on every build.
  packagejson: false,
  plugins: [
    bundleModules({
      'index.ts': 'dist/smart-pack-grid.js',
      'package.ts': 'dist/smart-pack-package.js',
      'teacher.ts': 'dist/smart-pack-teacher.js',
      'react.ts': 'dist/react.js',
    }),
  ],
};

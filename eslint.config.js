// ESLint flat config. Syntax-only on purpose: no type-aware rules, so linting the repo takes seconds
// (tsc already checks the types), and no stylistic rules (Prettier formats; see .prettierrc.json).
//
// typescript-eslint 8 cannot read TypeScript 7, whose package has no JavaScript compiler API. So the
// `typescript` devDependency is the official TS 6 API (`npm:@typescript/typescript6`), which only
// typescript-eslint loads, and `tsc` comes from `@typescript/native` (`npm:typescript@7`), as the
// TypeScript 7.0 release notes advise for running both side by side.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      '**/dist/',
      'build/',
      'data/',
      'coverage/',
      'test-results/',
      '.wrangler/',
      'docs/screenshots/',
      '**/custom-elements.json',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A `_` name marks a value left out on purpose: a key dropped from a copy (`{ id: _id, ...rest }`)
      // or a parameter a signature requires.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The element, its browser tests and the demo pages run in the browser.
    files: ['widget/**/*.ts', 'test/widget/**/*.ts', 'test/e2e/fixtures/**/*.js', 'demo/**/*.{js,ts}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['widget/**/*.ts', 'test/widget/**/*.ts'],
    extends: [lit.configs['flat/recommended']],
  },
  {
    files: ['widget/**/*.ts'],
    extends: [litA11y.configs.recommended],
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read the JSON of real HTTP responses; typing every ad-hoc `body.x.map((s: any) => …)` would
      // restate the wire types the assertions already check by value. Source code keeps the rule.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['test/widget/**/*.ts'],
    rules: {
      // Chai's property assertions (`expect(x).to.exist`) are expressions by design.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);

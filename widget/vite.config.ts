import ts from 'typescript';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

// The package's bundles, each self-contained with Lit inside so a page loads only the element it shows:
// `vite build` → smart-pack-grid(.iife).js (booking; budget 25 KB gzip),
// `vite build --mode package` → smart-pack-package(.iife).js (a parent's bought pack),
// `vite build --mode teacher` → smart-pack-teacher(.iife).js (a teacher's week, time off and schedule),
// `vite build --mode react` → react.js, the React wrapper: it imports the grid bundle beside it and
// leaves react and @lit/react to the app's bundler (they are the package's peer and dependency).
// Declarations and custom-elements.json follow in `npm run build` (scripts/types.mjs, cem analyze).
const ENTRIES = {
  grid: { entry: 'index.ts', name: 'SmartPackGrid', file: 'smart-pack-grid' },
  package: { entry: 'package.ts', name: 'SmartPackPackage', file: 'smart-pack-package' },
  teacher: { entry: 'teacher.ts', name: 'SmartPackTeacher', file: 'smart-pack-teacher' },
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

/**
 * Drops the indentation inside the `html` and `css` tagged templates of the widget's own sources (in HTML the
 * line breaks stay, so source maps keep their lines; CSS, alone in its styles modules, is compacted further;
 * HTML and CSS read the result the same way). Found with the
 * TypeScript parser (only template text, never the `${…}` code), so nothing else in the file changes.
 */
function compactTemplates(): Plugin {
  return {
    name: 'smart-pack-grid:compact-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/widget\/(?!node_modules\/).*\.ts$/.test(id) || !/(?:html|css)`/.test(code)) return null;
      const file = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
      const spans: Array<[number, number, boolean]> = [];
      const visit = (node: ts.Node): void => {
        if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && /^(html|css)$/.test(node.tag.text)) {
          const t = node.template;
          const parts = ts.isNoSubstitutionTemplateLiteral(t)
            ? [t]
            : [t.head, ...t.templateSpans.map((span) => span.literal)];
          for (const part of parts) spans.push([part.getStart(file), part.getEnd(), node.tag.text === 'css']);
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      if (!spans.length) return null;
      spans.sort((a, b) => a[0] - b[0]);
      let out = '';
      let at = 0;
      for (const [start, end, css] of spans) {
        const text = code.slice(start, end).replace(/[ \t]*\n[ \t]*/g, '\n');
        // CSS also loses the blanks around braces, semicolons and after a property's colon.
        out +=
          code.slice(at, start) + (css ? text.replace(/\s*([{};])\s*/g, '$1').replace(/([\w-]):\s+/g, '$1:') : text);
        at = end;
      }
      return { code: out + code.slice(at), map: null };
    },
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
  const bundle = mode === 'package' || mode === 'teacher' ? ENTRIES[mode] : ENTRIES.grid;
  return {
    plugins: [compactTemplates()],
    build: {
      ...common,
      // The other bundles are added beside the first.
      emptyOutDir: bundle === ENTRIES.grid,
      // One file serves both npm consumers and <script type="module"> partners, so it is fully
      // minified (Vite keeps whitespace in ES library output by default) with Lit bundled in.
      // `allFunctionsCalledOnLoad` (V8's explicit compile hints, Chromium 136+): nearly every function of a
      // bundle runs for its first screen, so V8 compiles them all while the script streams in, on a
      // background thread, instead of each on the page's main thread at its first call. Measured on the
      // partner page: the first grid in the DOM ~9 ms sooner (README, "first paint"). Other engines ignore
      // it. After minification (postBanner), which would drop a comment.
      rolldownOptions: { output: { minify: true, postBanner: '//# allFunctionsCalledOnLoad' } },
      lib: {
        entry: bundle.entry,
        name: bundle.name,
        formats: ['es', 'iife'],
        fileName: (format: string) => (format === 'es' ? `${bundle.file}.js` : `${bundle.file}.${format}.js`),
      },
    },
  };
});

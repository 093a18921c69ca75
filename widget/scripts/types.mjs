/**
 * Declarations of the package's entry points, into dist/types/.
 *
 * tsc emits a .d.ts for every file its program reaches, and the widget's program reaches the whole
 * server: the hono/client behind the default HTTP client is typed by the server's routes (`AppType`).
 * That client is `@internal` (dropped by --stripInternal), so the public declarations reach only the
 * widget and the pure contract types of api/contract/ and api/core/. This script keeps exactly the files
 * the entry points reach, under the same relative paths, and fails the build when one of them imports a
 * package the published package does not provide (hono, zod, …), so no server type can leak into it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WIDGET = fileURLToPath(new URL('../', import.meta.url));
const REPO = resolve(WIDGET, '..');
const OUT = join(WIDGET, 'dist/types');
const ENTRIES = ['index.ts', 'package.ts', 'teacher.ts', 'react.ts'];

const pkg = JSON.parse(readFileSync(join(WIDGET, 'package.json'), 'utf8'));
// What a consumer's install provides: dependencies, peers (react's types come from @types/react,
// which @lit/react declares as its peer) and the platform.
const provided = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
const packageName = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const tmp = mkdtempSync(join(tmpdir(), 'smart-pack-grid-types-'));
try {
  const tsc = join(dirname(createRequire(import.meta.url).resolve('@typescript/native/package.json')), 'bin/tsc');
  // prettier-ignore
  execFileSync(process.execPath, [
    tsc, ...ENTRIES.map((entry) => join(WIDGET, entry)), '--ignoreConfig',
    '--declaration', '--emitDeclarationOnly', '--stripInternal', '--outDir', tmp, '--rootDir', REPO,
    '--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'Bundler',
    '--experimentalDecorators', '--useDefineForClassFields', 'false', '--strict', '--skipLibCheck',
    '--verbatimModuleSyntax', '--lib', 'ES2023,DOM,DOM.Iterable', '--types', 'node',
  ], { stdio: 'inherit' });

  const entryFiles = ENTRIES.map((entry) => join(tmp, relative(REPO, join(WIDGET, entry)).replace(/\.ts$/, '.d.ts')));
  const reached = new Set();
  const leaks = new Set();
  const pending = [...entryFiles];
  while (pending.length > 0) {
    const file = pending.pop();
    if (reached.has(file)) continue;
    if (!existsSync(file)) throw new Error(`declaration ${relative(tmp, file)} was not emitted`);
    reached.add(file);
    const text = readFileSync(file, 'utf8');
    // import/export … from '…', import '…', import('…') and /// <reference types="…" />
    const specifiers = [
      ...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g),
      ...text.matchAll(/<reference\s+types=['"]([^'"]+)['"]/g),
    ].map((match) => match[1]);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.d.ts')));
      } else if (!provided.has(packageName(specifier)) && !specifier.startsWith('node:')) {
        leaks.add(`${posix.normalize(relative(tmp, file))} imports '${specifier}'`);
      }
    }
    if (/\bNodeJS\./.test(text))
      leaks.add(`${relative(tmp, file)} names a NodeJS type (@types/node is not installed with the package)`);
  }
  if (leaks.size > 0) {
    throw new Error(
      `the public declarations reach beyond the package:\n  ${[...leaks].join('\n  ')}\n` +
        'Mark server-typed helpers @internal, or add the package to widget/package.json.',
    );
  }

  rmSync(OUT, { recursive: true, force: true });
  for (const file of reached) {
    const target = join(OUT, relative(tmp, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
  console.log(`dist/types: ${reached.size} declaration files reached from ${ENTRIES.join(', ')}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The layout rules, checked on the source: the walk from route to database goes forward only, and
 * the widget shares nothing with the server but types from api/contract/. A rule broken here would
 * compile and run fine, which is why it is a test.
 */

const ROOT = resolve(import.meta.dirname, '../..');

interface Import {
  from: string;
  /** Repository-relative path of the target (`api/routes/errors.ts`), or the bare package name. */
  to: string;
  typeOnly: boolean;
}

// Statement-level imports and re-exports (`import type` / `export type` are erased; with
// verbatimModuleSyntax, `import { type X }` is not), side-effect imports, and dynamic import().
const STATIC = /^[ \t]*(?:import|export)\s+(type\s+)?(?:[\w*{}\s,$]*?\s*from\s*)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /^(?![ \t]*(?:\/\/|\*)).*?\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string, source: string): Import[] {
  const target = (specifier: string) => {
    if (!specifier.startsWith('.')) return specifier;
    const path = relative(ROOT, resolve(ROOT, dirname(file), specifier))
      .split(sep)
      .join('/');
    return path.replace(/\.js$/, '.ts');
  };
  const found: Import[] = [];
  for (const m of source.matchAll(STATIC)) found.push({ from: file, to: target(m[2]!), typeOnly: m[1] !== undefined });
  for (const m of source.matchAll(DYNAMIC)) found.push({ from: file, to: target(m[1]!), typeOnly: false });
  return found;
}

/** Every broken rule, as "<file> → <target>: <rule>". */
function violations(imports: Import[]): string[] {
  const out: string[] = [];
  for (const { from, to, typeOnly } of imports) {
    const broken = (rule: string) => out.push(`${from} → ${to}: ${rule}`);
    if ((from.startsWith('api/services/') || from.startsWith('widget/')) && to.startsWith('api/routes/')) {
      broken('services and the widget import nothing from api/routes');
    }
    if (from.startsWith('widget/') && to.startsWith('api/')) {
      if (!typeOnly) broken('the widget imports only types from api/ (import type)');
      if (!to.startsWith('api/contract/')) broken('the widget imports from api/contract/ only');
    }
    if (from.startsWith('api/contract/') && !typeOnly && to.startsWith('api/') && !/^api\/(contract|core)\//.test(to)) {
      broken('the contract runs nothing from routes, services or db');
    }
    if (from.startsWith('api/core/') && !to.startsWith('api/core/') && to !== 'luxon') {
      broken('the scheduling core imports only itself and luxon');
    }
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

describe('layout rules', () => {
  it('hold for every file of api/ and widget/', () => {
    const files = [...sources('api'), ...sources('widget')];
    expect(files).toContain('api/services/lifecycle.ts');
    expect(files).toContain('widget/api-client.ts');
    const imports = files.flatMap((file) => importsOf(file, readFileSync(join(ROOT, file), 'utf8')));
    // The scan sees the imports that matter: the widget's type imports from the contract, the routes' services.
    expect(imports).toContainEqual({ from: 'widget/api-client.ts', to: 'api/contract/app-type.ts', typeOnly: true });
    expect(imports).toContainEqual({
      from: 'api/routes/lifecycle.ts',
      to: 'api/services/lifecycle.ts',
      typeOnly: false,
    });
    expect(violations(imports)).toEqual([]);
  });

  it('are broken by a service importing a route, or the widget importing server code or values', () => {
    const imports = [
      ...importsOf('api/services/x.ts', "import { ApiError } from '../routes/errors.js';\n"),
      ...importsOf('widget/x.ts', "import type { PackageView } from '../api/contract/wire.js';\n"),
      ...importsOf('widget/y.ts', "import { WEEKDAYS } from '../api/contract/wire.js';\n"),
      ...importsOf(
        'widget/z.ts',
        "import {\n  type Weekday,\n} from '../api/core/types.js';\nexport * from '../api/routes/errors.js';\n",
      ),
      ...importsOf(
        'widget/w.ts',
        "// import { x } from '../api/db/store.js';\nconst m = await import('../api/app.js');\n",
      ),
      ...importsOf('api/contract/x.ts', "import { findPackage } from '../db/repositories/packages.js';\n"),
      ...importsOf('api/core/x.ts', "import { z } from 'zod';\n"),
    ];
    expect(violations(imports)).toEqual([
      'api/services/x.ts → api/routes/errors.ts: services and the widget import nothing from api/routes',
      'widget/y.ts → api/contract/wire.ts: the widget imports only types from api/ (import type)',
      'widget/z.ts → api/core/types.ts: the widget imports only types from api/ (import type)',
      'widget/z.ts → api/core/types.ts: the widget imports from api/contract/ only',
      'widget/z.ts → api/routes/errors.ts: services and the widget import nothing from api/routes',
      'widget/z.ts → api/routes/errors.ts: the widget imports only types from api/ (import type)',
      'widget/z.ts → api/routes/errors.ts: the widget imports from api/contract/ only',
      'widget/w.ts → api/app.ts: the widget imports only types from api/ (import type)',
      'widget/w.ts → api/app.ts: the widget imports from api/contract/ only',
      'api/contract/x.ts → api/db/repositories/packages.ts: the contract runs nothing from routes, services or db',
      'api/core/x.ts → zod: the scheduling core imports only itself and luxon',
    ]);
  });
});

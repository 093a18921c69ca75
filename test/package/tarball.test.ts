/**
 * The npm package as a consumer gets it: `npm pack` of widget/, installed into an empty project with
 * `npm install --omit=dev --offline` (no network: npm's cache, filled by `npm ci`, is the only source), then
 * type-checked by `tsc` as a TypeScript and a React (.tsx) consumer would write it. `npm test` builds first.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WIDGET = join(ROOT, 'widget');
const TSC = join(ROOT, 'node_modules/@typescript/native/bin/tsc');
const widgetPackage = JSON.parse(readFileSync(join(WIDGET, 'package.json'), 'utf8')) as PackageJson;

/** What the server needs and a widget user must never get (nor anything that compiles native code). */
const SERVER_PACKAGES = [
  'hono',
  '@hono/node-server',
  '@hono/zod-validator',
  'zod',
  'kysely',
  'kysely-d1',
  'better-sqlite3',
  'luxon',
  'wrangler',
  'workerd',
  'miniflare',
  'esbuild',
  'tsx',
  'typescript',
  'vite',
  '@cloudflare/workers-types',
];

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  main?: string;
  types?: string;
  customElements?: string;
  exports?: Record<string, string | Record<string, string>>;
  sideEffects?: boolean | string[];
  scripts?: Record<string, string>;
  gypfile?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

type LockEntry = PackageJson & Record<string, unknown>;

function run(command: string, args: string[], cwd: string) {
  // The outer `npm test` passes its own settings down as npm_* variables; a workspace or prefix among
  // them would point the inner npm at the repository instead of the consumer project.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_(package_|lifecycle_|config_(workspaces?|prefix|global|include_workspace_root)$)/i.test(key),
    ),
  );
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

/**
 * The consumer's package-lock.json, taken from the repository's: the entries the widget's dependencies
 * resolve to there, at the same places. `npm ci` fetched exactly those tarballs into npm's cache, but
 * not the registry's package documents an install without a lockfile would ask for, so this lockfile is
 * what lets the install run offline on a machine where only `npm ci` ever ran.
 */
function consumerLock(tarball: string, integrity: string): object {
  const rootLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const packages = rootLock.packages;
  const WORKSPACE = 'widget';
  const INSTALLED = `node_modules/${widgetPackage.name}`;
  /** Node's lookup: node_modules of the package itself, then of each folder above it. */
  const resolveFrom = (name: string, from: string): string | null => {
    let location = from;
    for (;;) {
      const candidate = `${location ? `${location}/` : ''}node_modules/${name}`;
      if (packages[candidate] && !packages[candidate].link) return candidate;
      if (!location) return null;
      const up = location.lastIndexOf('/node_modules/');
      location = up >= 0 ? location.slice(0, up) : '';
    }
  };
  const needs = (entry: LockEntry) => [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}),
    ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !entry.peerDependenciesMeta?.[name]?.optional),
  ];
  const lock: Record<string, object> = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { [widgetPackage.name]: `file:${tarball}` } },
    [INSTALLED]: {
      version: widgetPackage.version,
      resolved: `file:${tarball}`,
      integrity,
      license: widgetPackage.license,
      dependencies: widgetPackage.dependencies,
      peerDependencies: widgetPackage.peerDependencies,
      peerDependenciesMeta: widgetPackage.peerDependenciesMeta,
    },
  };
  const pending: Array<[string, LockEntry]> = [[WORKSPACE, widgetPackage as LockEntry]];
  while (pending.length > 0) {
    const [location, entry] = pending.pop()!;
    for (const name of needs(entry)) {
      const found = resolveFrom(name, location);
      if (!found) throw new Error(`${name} (needed by ${location}) is not in package-lock.json`);
      const target = found.startsWith(`${WORKSPACE}/`) ? `${INSTALLED}${found.slice(WORKSPACE.length)}` : found;
      if (lock[target]) continue;
      // Dev/peer flags describe the repository's tree; here every one of them is a production dependency.
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...copy } = packages[found]!;
      // Without `resolved` npm asks the registry for the package document to find the tarball's URL.
      lock[target] = {
        resolved: tarballUrl(found.slice(found.lastIndexOf('node_modules/') + 13), copy.version),
        ...copy,
      };
      pending.push([found, packages[found]!]);
    }
  }
  return { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages: lock };
}

/** Where the registry keeps a version's tarball; npm then finds it in its cache by `integrity`. */
function tarballUrl(name: string, version: string): string {
  const registry = (process.env.npm_config_registry ?? 'https://registry.npmjs.org/').replace(/\/?$/, '/');
  return `${registry}${name}/-/${name.split('/').pop()}-${version}.tgz`;
}

function installedPackages(nodeModules: string): Array<{ dir: string; manifest: PackageJson }> {
  const found: Array<{ dir: string; manifest: PackageJson }> = [];
  const visit = (folder: string) => {
    if (!existsSync(folder)) return;
    for (const name of readdirSync(folder)) {
      if (name.startsWith('.')) continue;
      const dir = join(folder, name);
      if (name.startsWith('@')) {
        visit(dir);
        continue;
      }
      const manifestFile = join(dir, 'package.json');
      if (!existsSync(manifestFile)) continue;
      found.push({ dir, manifest: JSON.parse(readFileSync(manifestFile, 'utf8')) as PackageJson });
      visit(join(dir, 'node_modules'));
    }
  };
  visit(nodeModules);
  return found;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

interface Manifest {
  modules: Array<{
    path: string;
    declarations?: Array<{
      name: string;
      kind: string;
      customElement?: boolean;
      tagName?: string;
      cssParts?: Array<{ name: string }>;
      events?: Array<{ name: string }>;
    }>;
    exports?: Array<{ kind: string; name: string; declaration: { name: string; module?: string } }>;
  }>;
}

/** @csspart and @fires tags of the widget's sources, by the class whose doc comment holds them. */
function documentedTags() {
  const byClass = new Map<string, { parts: string[]; events: string[] }>();
  const all = { parts: new Set<string>(), events: new Set<string>() };
  const tags = (doc: string) => ({
    parts: [...doc.matchAll(/@csspart\s+([\w-]+)/g)].map((m) => m[1]!),
    events: [...doc.matchAll(/@fires\s+(?:\{[^}]*\}\s+)?([\w-]+)/g)].map((m) => m[1]!),
  });
  const sources = walk(WIDGET).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !/\/(dist|node_modules|scripts)\//.test(file),
  );
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    for (const [doc] of text.matchAll(/\/\*\*(?:(?!\*\/)[\s\S])*\*\//g)) {
      const found = tags(doc);
      found.parts.forEach((part) => all.parts.add(part));
      found.events.forEach((event) => all.events.add(event));
    }
    for (const match of text.matchAll(
      /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(?:export\s+)?(?:abstract\s+)?class\s+(\w+)/g,
    )) {
      const found = tags(match[1]!);
      if (found.parts.length + found.events.length > 0) byClass.set(match[2]!, found);
    }
  }
  return { byClass, all };
}

describe('the smart-pack-grid npm package', () => {
  let work: string;
  let consumer: string;
  let tarballFiles: string[];
  let install: { status: number | null; output: string };
  let manifest: Manifest;

  beforeAll(() => {
    expect(existsSync(join(WIDGET, 'dist/smart-pack-grid.js')), 'run `npm run build` first').toBe(true);
    work = mkdtempSync(join(tmpdir(), 'smart-pack-grid-package-'));
    const packed = run('npm', ['pack', '--workspace', widgetPackage.name, '--pack-destination', work, '--json'], ROOT);
    expect(packed.status, packed.output).toBe(0);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    tarballFiles = info!.files.map((file) => file.path).sort();

    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    const tarball = join(consumer, info!.filename);
    writeFileSync(tarball, readFileSync(join(work, info!.filename)));
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        version: '1.0.0',
        private: true,
        type: 'module',
        dependencies: { [widgetPackage.name]: `file:${info!.filename}` },
      }),
    );
    writeFileSync(
      join(consumer, 'package-lock.json'),
      JSON.stringify(consumerLock(info!.filename, integrity), null, 2),
    );
    install = run('npm', ['install', '--omit=dev', '--offline', '--no-audit', '--no-fund'], consumer);
    const installed = join(consumer, 'node_modules', widgetPackage.name, 'custom-elements.json');
    if (existsSync(installed)) manifest = JSON.parse(readFileSync(installed, 'utf8')) as Manifest;
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('npm pack', () => {
    it('ships both bundles (ES and IIFE), the React wrapper, their declarations, the manifest and the README', () => {
      for (const file of [
        'dist/smart-pack-grid.js',
        'dist/smart-pack-grid.iife.js',
        'dist/smart-pack-package.js',
        'dist/smart-pack-package.iife.js',
        'dist/react.js',
        'dist/types/widget/index.d.ts',
        'dist/types/widget/package.d.ts',
        'dist/types/widget/react.d.ts',
        'custom-elements.json',
        'README.md',
        'package.json',
      ]) {
        expect(tarballFiles).toContain(file);
      }
    });

    it('ships no sources, tests or server code: only built files and declarations', () => {
      const unexpected = tarballFiles.filter(
        (file) =>
          !/^(dist\/[\w.-]+\.js(\.map)?|dist\/types\/.+\.d\.ts|custom-elements\.json|README\.md|package\.json|LICENSE)$/.test(
            file,
          ),
      );
      expect(unexpected).toEqual([]);
      // The only api/ files are the contract's pure types the public declarations import.
      const apiTypes = tarballFiles.filter((file) => file.startsWith('dist/types/api/'));
      expect(
        apiTypes.every((file) => /^dist\/types\/api\/(contract|core)\//.test(file)),
        apiTypes.join('\n'),
      ).toBe(true);
    });

    it('declares exports with types first, for files that are in the tarball, and its side effects', () => {
      const exported = Object.entries(widgetPackage.exports ?? {});
      expect(exported.map(([key]) => key)).toEqual(expect.arrayContaining(['.', './package-view', './react']));
      for (const [key, target] of exported) {
        const conditions = typeof target === 'string' ? { default: target } : target;
        if (key.endsWith('.json')) continue;
        expect(Object.keys(conditions)[0], `${key}: "types" must come first`).toBe('types');
        for (const file of Object.values(conditions))
          expect(tarballFiles, `${key} → ${file}`).toContain(file.replace(/^\.\//, ''));
      }
      for (const file of [widgetPackage.main, widgetPackage.types, widgetPackage.customElements]) {
        expect(tarballFiles).toContain(file!.replace(/^\.\//, ''));
      }
      // Registering the elements is the point of the bundles; the React wrapper itself has none.
      expect(widgetPackage.sideEffects).toEqual(
        expect.arrayContaining(['./dist/smart-pack-grid.js', './dist/smart-pack-package.js']),
      );
      expect(widgetPackage.sideEffects).not.toContain('./dist/react.js');
    });

    it('has declarations that import nothing but its own dependencies (no hono, zod or server types)', () => {
      const provided = new Set([
        ...Object.keys(widgetPackage.dependencies ?? {}),
        ...Object.keys(widgetPackage.peerDependencies ?? {}),
      ]);
      const installedDir = join(consumer, 'node_modules', widgetPackage.name);
      for (const file of tarballFiles.filter((f) => f.endsWith('.d.ts'))) {
        const text = readFileSync(join(installedDir, file), 'utf8');
        const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        expect(code, file).not.toMatch(/\bAppType\b|\bhono\b|\bzod\b|\bkysely\b/i);
        for (const [, specifier] of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)) {
          if (specifier!.startsWith('.')) {
            const target = join(dirname(file), specifier!.replace(/\.js$/, '.d.ts'));
            expect(tarballFiles, `${file} imports ${specifier}`).toContain(target);
          } else {
            const name = specifier!
              .split('/')
              .slice(0, specifier!.startsWith('@') ? 2 : 1)
              .join('/');
            expect(provided, `${file} imports ${specifier}`).toContain(name);
          }
        }
      }
    });
  });

  describe('npm install --omit=dev --offline of the tarball into an empty project', () => {
    it('succeeds without the network', () => {
      expect(install.status, install.output).toBe(0);
    });

    it('pulls no server package', () => {
      const names = installedPackages(join(consumer, 'node_modules')).map((p) => p.manifest.name);
      expect(names).toContain(widgetPackage.name);
      expect(names).toContain('lit');
      expect(names.filter((name) => SERVER_PACKAGES.includes(name) || name.startsWith('@hono/'))).toEqual([]);
    });

    it('compiles nothing native: no package has an install script or a binding.gyp', () => {
      const native = installedPackages(join(consumer, 'node_modules'))
        .filter(
          ({ dir, manifest: m }) =>
            m.gypfile ||
            existsSync(join(dir, 'binding.gyp')) ||
            ['preinstall', 'install', 'postinstall'].some((script) => m.scripts?.[script]),
        )
        .map(({ dir }) => relative(consumer, dir));
      expect(native).toEqual([]);
      expect(install.output).not.toMatch(/node-gyp|prebuild-install/);
    });

    it('installs exactly the files npm pack listed', () => {
      const installedDir = join(consumer, 'node_modules', widgetPackage.name);
      const files = walk(installedDir)
        .map((file) => relative(installedDir, file))
        .filter((file) => !file.startsWith('node_modules/'))
        .sort();
      expect(files).toEqual(tarballFiles);
    });
  });

  describe('custom-elements.json', () => {
    it('names only modules that are files of the tarball', () => {
      const paths = new Set<string>();
      const collect = (node: unknown) => {
        if (Array.isArray(node)) node.forEach(collect);
        else if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if ((key === 'path' || key === 'module') && typeof value === 'string') paths.add(value);
            else collect(value);
          }
        }
      };
      collect(manifest.modules);
      expect(paths.size).toBeGreaterThan(0);
      for (const path of paths)
        expect(tarballFiles, `custom-elements.json names ${path}`).toContain(path.replace(/^\.?\//, ''));
    });

    it('defines both elements, each from the bundle that registers it', () => {
      const definitions = manifest.modules.flatMap((mod) =>
        (mod.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => `${e.name} ${mod.path}`),
      );
      expect(definitions).toEqual(
        expect.arrayContaining([
          'smart-pack-grid dist/smart-pack-grid.js',
          'smart-pack-package dist/smart-pack-package.js',
        ]),
      );
    });

    it('lists every @csspart and every @fires of the element classes', () => {
      const { byClass, all } = documentedTags();
      expect(byClass.has('SmartPackGrid')).toBe(true);
      const elements = manifest.modules.flatMap((mod) => (mod.declarations ?? []).filter((d) => d.customElement));
      for (const [className, tags] of byClass) {
        const element = elements.find((d) => d.name === className);
        expect(element, `${className} is not in custom-elements.json`).toBeDefined();
        expect(element!.cssParts?.map((p) => p.name) ?? []).toEqual(expect.arrayContaining(tags.parts));
        expect(element!.events?.map((e) => e.name) ?? []).toEqual(expect.arrayContaining(tags.events));
      }
      // A tag written anywhere else (a render function's file, say) must still reach an element.
      expect(elements.flatMap((d) => d.cssParts?.map((p) => p.name) ?? [])).toEqual(
        expect.arrayContaining([...all.parts]),
      );
      expect(elements.flatMap((d) => d.events?.map((e) => e.name) ?? [])).toEqual(
        expect.arrayContaining([...all.events]),
      );
    });

    it('lists every part a template of the widget names literally', () => {
      const listed = new Set(
        manifest.modules.flatMap((mod) =>
          (mod.declarations ?? []).flatMap((d) => d.cssParts?.map((p) => p.name) ?? []),
        ),
      );
      const used = new Set<string>();
      for (const file of walk(WIDGET).filter((f) => f.endsWith('.ts') && !/\/(dist|node_modules)\//.test(f))) {
        const text = readFileSync(file, 'utf8');
        for (const [, value] of text.matchAll(/\bpart="([^"]*)"/g))
          value!.split(/\s+/).forEach((p) => p && used.add(p));
        for (const [, expression] of text.matchAll(/\bpart=\$\{([^}]*)\}/g)) {
          for (const [, literal] of expression!.matchAll(/'([\w\s-]+)'/g))
            literal!.split(/\s+/).forEach((p) => p && used.add(p));
        }
      }
      expect(used.size).toBeGreaterThan(10);
      expect([...used].filter((part) => !listed.has(part))).toEqual([]);
    });
  });

  describe('a TypeScript consumer (tsc, no skipLibCheck, no @types/node)', () => {
    const typecheck = (moduleResolution: 'NodeNext' | 'Bundler') => {
      const dir = join(consumer, `check-${moduleResolution}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: moduleResolution === 'NodeNext' ? 'NodeNext' : 'ESNext',
            moduleResolution,
            lib: ['ES2023', 'DOM', 'DOM.Iterable'],
            jsx: 'react-jsx',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: [],
          },
          files: ['../src/element.ts', '../src/app.tsx'],
        }),
      );
      return run(process.execPath, [TSC, '-p', dir], dir);
    };

    beforeAll(() => {
      mkdirSync(join(consumer, 'src'), { recursive: true });
      writeFileSync(
        join(consumer, 'src/element.ts'),
        `import 'smart-pack-grid';
import { SmartPackGrid, SmartPackPurchasedEvent, type SmartPackClient } from 'smart-pack-grid';
import { SmartPackPackage } from 'smart-pack-grid/package-view';

const el = document.createElement('smart-pack-grid');
const grid: SmartPackGrid = el;
grid.teacherId = 'teacher-amna';
grid.patterns = [{ weekday: 'MONDAY', time: '16:00' }];

el.addEventListener('smart-pack-purchased', (e) => e.detail.package.id);
el.addEventListener('smart-pack-purchased', (e) => {
  const id: string = e.detail.package.id;
  const event: SmartPackPurchasedEvent = e;
  return [id, event];
});
el.addEventListener('smart-pack-change', (e) => e.detail.patterns.map((p) => p.weekday));
// @ts-expect-error the detail is typed (not any): a package has no such field
el.addEventListener('smart-pack-purchased', (e) => e.detail.package.noSuchField);
// @ts-expect-error patterns are { weekday, time } objects
grid.patterns = ['MONDAY 16:00'];

const client: SmartPackClient | undefined = grid.client;
const pack: SmartPackPackage = document.createElement('smart-pack-package');
export { client, pack };
`,
      );
      writeFileSync(
        join(consumer, 'src/app.tsx'),
        `import { useState } from 'react';
import { SmartPackGrid } from 'smart-pack-grid/react';

export function Booking() {
  const [bought, setBought] = useState<string | null>(null);
  return (
    <SmartPackGrid
      apiBase="https://api.example"
      teacherId="teacher-amna"
      subjectId="math"
      studentId={bought ?? 'student-demo'}
      weeks={8}
      patterns={[{ weekday: 'MONDAY', time: '16:00' }]}
      onSmartPackChange={(e) => e.detail.sessions.length}
      onSmartPackPurchased={(e) => setBought(e.detail.package.id)}
    />
  );
}

// @ts-expect-error teacherId is a string property
export const wrongType = <SmartPackGrid teacherId={42} />;
// @ts-expect-error the wrapper knows the element's props
export const unknownProp = <SmartPackGrid noSuchProp="x" />;
// @ts-expect-error the event handler receives the typed event
export const wrongEvent = <SmartPackGrid onSmartPackPurchased={(e) => e.detail.package.noSuchField} />;
`,
      );
    });

    it('types the element, its events and the React wrapper under NodeNext resolution', () => {
      const result = typecheck('NodeNext');
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });

    it('types the element, its events and the React wrapper under bundler resolution', () => {
      const result = typecheck('Bundler');
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    });

    it('fails on a consumer that misuses the types (the check can fail)', () => {
      writeFileSync(
        join(consumer, 'src/element.ts'),
        `import 'smart-pack-grid';\ndocument.createElement('smart-pack-grid').addEventListener('smart-pack-purchased', (e) => e.detail.package.noSuchField);\n`,
      );
      const result = typecheck('NodeNext');
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/noSuchField/);
    });
  });
});

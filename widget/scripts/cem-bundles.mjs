/**
 * Analyzer plugin: describes the modules the package ships instead of the sources it was built from.
 *
 * The analyzer reads widget/*.ts and names each declaration by its source file, which is not in the
 * tarball; the package ships one bundle per entry point. For each bundle this builds one module, at the
 * bundle's path, that declares what the bundle really exports (read from the built file itself, so a type
 * re-export or an @internal helper is not listed as a runtime export), plus the declarations those
 * reference (a base class, say), and the custom elements the bundle defines. Every `module` in the
 * result is then a file of the tarball.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { initSync, parse } from 'es-module-lexer';

/** @param {Record<string, string>} entries source entry (relative to widget/) → bundle path */
export function bundleModules(entries) {
  return {
    name: 'smart-pack-grid:bundle-modules',
    packageLinkPhase({ customElementsManifest }) {
      initSync(); // the analyzer does not await plugin phases
      const sources = new Map(customElementsManifest.modules.map((mod) => [mod.path, mod]));
      customElementsManifest.modules = Object.entries(entries).map(([entry, bundle]) =>
        bundleModule(sources, entry, bundle, runtimeExports(bundle)),
      );
    },
  };
}

function runtimeExports(bundle) {
  const [, exports] = parse(readFileSync(new URL(`../${bundle}`, import.meta.url), 'utf8'));
  return exports.map((e) => e.n);
}

/** The analyzer writes module references three ways: relative to the module, from the root, or from "/". */
function resolveModule(sources, reference, from) {
  const path = reference.startsWith('.')
    ? posix.normalize(posix.join(posix.dirname(from), reference))
    : reference.replace(/^\//, '');
  for (const candidate of [path, path.replace(/\.js$/, '.ts')]) if (sources.has(candidate)) return candidate;
  return null; // outside the analyzed sources (the contract's types): nothing at run time
}

/** Follows re-exports (named and `export *`) to the declaration behind `name` as exported by `path`. */
function resolveExport(sources, path, name, seen = new Set()) {
  const key = `${path}#${name}`;
  if (seen.has(key)) return null;
  seen.add(key);
  const mod = sources.get(path);
  for (const exp of mod?.exports ?? []) {
    if (exp.kind !== 'js' || exp.name !== name) continue;
    const target = resolveModule(sources, exp.declaration.module ?? path, path);
    if (target === path) {
      const declaration = mod.declarations?.find((d) => d.name === exp.declaration.name);
      if (declaration) return { path, declaration };
    } else if (target) {
      const found = resolveExport(sources, target, exp.declaration.name, seen);
      if (found) return found;
    }
  }
  for (const exp of mod?.exports ?? []) {
    if (exp.kind !== 'js' || exp.name !== '*') continue;
    const target = resolveModule(sources, exp.declaration.module, path);
    const found = target && resolveExport(sources, target, name, seen);
    if (found) return found;
  }
  return null;
}

function bundleModule(sources, entry, bundle, exportNames) {
  /** @type {Map<object, string>} source declaration → its name in the bundle module */
  const included = new Map();
  const names = new Map();
  const queue = [];
  const include = (found) => {
    if (included.has(found.declaration)) return;
    const clash = names.get(found.declaration.name);
    if (clash) throw new Error(`${bundle}: two declarations named ${found.declaration.name} (${clash}, ${found.path})`);
    names.set(found.declaration.name, found.path);
    included.set(found.declaration, found.path);
    queue.push(found);
  };

  const exports = [];
  for (const name of exportNames) {
    const found = resolveExport(sources, entry, name);
    if (!found)
      throw new Error(`${bundle} exports ${name}, which the analyzer found no declaration for (from ${entry})`);
    include(found);
    exports.push({ kind: 'js', name, declaration: { name: found.declaration.name, module: bundle } });
  }

  // References (superclass, inheritedFrom, …) point at source modules: pull their declarations in too.
  const declarations = [];
  while (queue.length > 0) {
    const { path, declaration } = queue.shift();
    declarations.push(relink(sources, structuredClone(declaration), path, bundle, include));
  }

  // Elements defined anywhere in the bundle's sources, by a define() the analyzer saw or an @tagname.
  const defined = new Set();
  for (const [path, mod] of sources) {
    for (const exp of mod.exports ?? []) {
      if (exp.kind !== 'custom-element-definition') continue;
      const target = resolveModule(sources, exp.declaration.module ?? path, path);
      const declaration = target && sources.get(target).declarations?.find((d) => d.name === exp.declaration.name);
      if (declaration && included.has(declaration) && !defined.has(exp.name)) {
        defined.add(exp.name);
        exports.push({
          kind: 'custom-element-definition',
          name: exp.name,
          declaration: { name: declaration.name, module: bundle },
        });
      }
    }
  }
  for (const declaration of declarations) {
    if (declaration.customElement && declaration.tagName && !defined.has(declaration.tagName)) {
      defined.add(declaration.tagName);
      exports.push({
        kind: 'custom-element-definition',
        name: declaration.tagName,
        declaration: { name: declaration.name, module: bundle },
      });
    }
  }
  return { kind: 'javascript-module', path: bundle, declarations, exports };
}

/** Rewrites every `{ name, module }` reference inside a declaration to the bundle that holds it. */
function relink(sources, node, from, bundle, include) {
  if (Array.isArray(node)) return node.map((item) => relink(sources, item, from, bundle, include));
  if (node === null || typeof node !== 'object') return node;
  for (const [key, value] of Object.entries(node)) node[key] = relink(sources, value, from, bundle, include);
  if (typeof node.module === 'string' && typeof node.name === 'string' && node.module !== bundle) {
    const target = resolveModule(sources, node.module, from);
    const declaration = target && sources.get(target).declarations?.find((d) => d.name === node.name);
    if (declaration) {
      include({ path: target, declaration });
      node.module = bundle;
    } else {
      delete node.module; // a type from outside the sources: the name alone says what it is
    }
  }
  return node;
}

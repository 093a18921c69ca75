/**
 * Local Cloudflare tooling for the Worker target: wrangler's local D1 (migrations, seed) and
 * `wrangler dev` on workerd. Shared by `npm run dev:worker`, `npm run seed:worker`, the API test
 * target and the benchmark. Node-only; never imported by api/worker.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type Compilable } from 'kysely';
import type { Database } from '../db/schema.js';
import { seedStatements, type SeedOptions } from '../db/seed.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** wrangler's own default, so plain `wrangler d1 …` commands see the same local database. */
export const DEFAULT_PERSIST_DIR = join(ROOT, '.wrangler/state');

// The CLI proper, run by this Node directly: bin/wrangler.js would add a second Node process
// between us and workerd, and a signal to it does not always reach the grandchild.
const WRANGLER_CLI = join(
  dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'wrangler-dist/cli.js',
);

/**
 * Offline: no metrics, no banner (whose update check asks the npm registry), no download of the
 * `Request.cf` object (Miniflare uses a placeholder). Plain output for the logs.
 */
export function wranglerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    CI: process.env.CI ?? 'true',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  };
}

export function spawnWrangler(
  args: string[],
  options: { stdio?: 'pipe' | 'inherit'; detached?: boolean } = {},
): ChildProcess {
  return spawn(process.execPath, ['--no-warnings', '--experimental-vm-modules', WRANGLER_CLI, ...args], {
    cwd: ROOT,
    env: wranglerEnv(),
    stdio: ['ignore', options.stdio ?? 'pipe', options.stdio ?? 'pipe'],
    detached: options.detached ?? false,
  });
}

/** Runs a wrangler command to completion; rejects with its output when it fails. */
export function runWrangler(args: string[]): Promise<string> {
  const child = spawnWrangler(args);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`wrangler ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

/** `wrangler d1 migrations apply DB --local`: the very files and tool a deployment uses (with --remote). */
export async function applyLocalMigrations(persistTo: string): Promise<void> {
  await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo]);
}

/** The SQLite file behind the local D1 binding (Miniflare keeps one per database, named by a hash). */
export function localD1File(persistTo: string): string {
  const dir = join(persistTo, 'v3/d1/miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one local D1 database in ${dir}, found ${files.length}`);
  return join(dir, files[0]!);
}

/** True when the local D1 has no teachers yet (migrations must have run). */
export async function isLocalD1Empty(persistTo: string): Promise<boolean> {
  const output = await runWrangler([
    'd1',
    'execute',
    'DB',
    '--local',
    '--persist-to',
    persistTo,
    '--json',
    '--command',
    'SELECT count(*) AS n FROM teachers',
  ]);
  const parsed = JSON.parse(output.slice(output.indexOf('['))) as { results: { n: number }[] }[];
  return parsed[0]!.results[0]!.n === 0;
}

/** A Kysely that only compiles: the seed's statements become SQL text, never run here. */
function compilerOnly(): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot inline ${value}`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  throw new Error(`cannot inline a ${typeof value}`);
}

/**
 * One statement with its parameters written in as literals. A D1 statement binds at most 100
 * parameters and the seed inserts hundreds of rows at once, so the file carries plain SQL.
 */
export function inlineParameters(query: Compilable): string {
  const { sql, parameters } = query.compile();
  let out = '';
  let next = 0;
  let quote: string | null = null;
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = null;
      out += char;
    } else if (char === "'" || char === '"' || char === '`') {
      quote = char;
      out += char;
    } else if (char === '?') {
      if (next >= parameters.length) throw new Error(`more placeholders than parameters in: ${sql}`);
      out += literal(parameters[next++]);
    } else {
      out += char;
    }
  }
  if (next !== parameters.length) throw new Error(`${parameters.length - next} parameters left over in: ${sql}`);
  return out;
}

/** The demo data of `npm start` (api/db/seed.ts, relative to `now`) as a SQL file for `wrangler d1 execute`. */
export function seedSql(now: Date, options: SeedOptions = {}): string {
  return seedStatements(compilerOnly(), now, options)
    .map((statement) => `${inlineParameters(statement)};\n`)
    .join('');
}

/** Puts the demo data into the local D1 through `wrangler d1 execute --local --file`. */
export async function seedLocalD1(persistTo: string, now: Date, options: SeedOptions = {}): Promise<void> {
  const dir = join(tmpdir(), `smart-pack-seed-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'seed.sql');
  writeFileSync(file, seedSql(now, options));
  await runWrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--yes', '--file', file]);
}

/**
 * `wrangler deploy --dry-run`: bundles api/worker.ts exactly as a deploy would, into `outdir`
 * (worker.js), with esbuild's metafile (meta.json) listing every module in the bundle.
 */
export async function bundleWorker(outdir: string): Promise<{ script: string; metafile: string }> {
  const metafile = join(outdir, 'meta.json');
  await runWrangler(['deploy', '--dry-run', '--outdir', outdir, '--metafile', metafile]);
  return { script: join(outdir, 'worker.js'), metafile };
}

/**
 * Response headers of the static assets (Cloudflare's `_headers` file): partners embed the widget from
 * other origins as a module script, which runs only with CORS headers. The Node host sends the same
 * (api/server/host.ts, widgetFiles).
 */
export const ASSET_HEADERS = `/dist/*
  Access-Control-Allow-Origin: *
  Cross-Origin-Resource-Policy: cross-origin
`;

/**
 * A copy of wrangler.toml in `dir` with absolute paths plus an [assets] table (binding ASSETS) over
 * demo/ and the built widget (widget/dist/, served as /dist/), with ASSET_HEADERS. Returns its path.
 * For `npm run dev:worker` and the tests; the deployed wrangler.toml binds no assets.
 */
export function writeAssetsConfig(dir: string): string {
  const assets = join(dir, 'assets');
  rmSync(assets, { recursive: true, force: true });
  mkdirSync(assets, { recursive: true });
  cpSync(join(ROOT, 'demo'), join(assets, 'demo'), { recursive: true });
  cpSync(join(ROOT, 'widget/dist'), join(assets, 'dist'), { recursive: true });
  writeFileSync(join(assets, '_headers'), ASSET_HEADERS);
  const config = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8').replace(
    /^(\s*(?:main|migrations_dir)\s*=\s*)"([^"]+)"/gm,
    (_line, key: string, path: string) => `${key}${JSON.stringify(resolve(ROOT, path))}`,
  );
  const file = join(dir, 'wrangler.toml');
  writeFileSync(
    file,
    `${config}\n[assets]\ndirectory = ${JSON.stringify(assets)}\nbinding = "ASSETS"\nhtml_handling = "none"\n`,
  );
  return file;
}

export interface WranglerDevOptions {
  persistTo: string;
  port: number;
  vars?: Record<string, string>;
  /**
   * A Worker already bundled by `wrangler deploy --dry-run --outdir` (see bundleWorker): served as
   * is, which skips wrangler's esbuild step on every start and runs the very file a deploy uploads.
   */
  bundle?: string;
  /** wrangler's --log-level; 'warn' drops the line it prints per request (the benchmark). */
  logLevel?: 'debug' | 'info' | 'log' | 'warn' | 'error' | 'none';
  /** Another wrangler config than the project's wrangler.toml (dev-worker's, which adds assets). */
  config?: string | undefined;
  /** Pass wrangler's output through (npm run dev:worker) instead of collecting it (tests). */
  inherit?: boolean;
}

export interface RunningWorker {
  url: string;
  process: ChildProcess;
  /** Everything wrangler printed so far (empty when inherited). */
  output(): string;
  stop(): Promise<void>;
}

// wrangler dev keeps running when the Node process that started it ends without stopping it (a
// crashed test, Ctrl-C). SIGTERM, not SIGKILL: wrangler then stops its workerd processes itself,
// which a killed wrangler would leave running.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/** Last resort for a wrangler that ignores SIGTERM: its whole process group, workerd included. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Starts `wrangler dev` on workerd and resolves once it answers /health. */
export async function startWranglerDev(options: WranglerDevOptions): Promise<RunningWorker> {
  const args = [
    'dev',
    '-c',
    options.config ?? join(ROOT, 'wrangler.toml'),
    ...(options.bundle ? ['--no-bundle', options.bundle] : []),
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--persist-to',
    options.persistTo,
    // Several instances run side by side in tests; each takes a free inspector port.
    '--inspector-port',
    '0',
    '--show-interactive-dev-session=false',
    ...(options.logLevel ? ['--log-level', options.logLevel] : []),
    ...Object.entries(options.vars ?? {}).flatMap(([key, value]) => ['--var', `${key}:${value}`]),
  ];
  // Its own process group, so killGroup reaches workerd too.
  const child = spawnWrangler(args, { stdio: options.inherit ? 'inherit' : 'pipe', detached: true });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`wrangler dev exited with ${code}:\n${output}`))),
  );
  exited.catch(() => {});
  const deadline = Date.now() + 60_000;
  const ready = (async () => {
    while (child.exitCode === null && child.signalCode === null) {
      try {
        const response = await fetch(`${url}/health`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer on ${url}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    killGroup(child);
    throw error;
  }
  return {
    url,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => killGroup(child), 5_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A port nobody listens on right now (wrangler dev needs a number up front). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

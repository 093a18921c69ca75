/**
 * The Worker target of the API suite: `wrangler dev` on workerd with a local D1, reached over HTTP
 * exactly like the Node server. Used by target.ts when API_TARGET=worker and by the benchmark.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyLocalMigrations,
  bundleWorker,
  freePort,
  localD1File,
  ROOT,
  seedLocalD1,
  seedSql,
  startWranglerDev,
  type RunningWorker,
  type WranglerDevOptions,
} from '../../api/server/worker-local.js';
import { SUITE_RATE_LIMIT_ENV } from './process.js';

const MIGRATIONS = join(ROOT, 'api/db/migrations');
const WRANGLER_VERSION = (createRequire(import.meta.url)('wrangler/package.json') as { version: string }).version;

export interface WorkerTarget {
  url: string;
  persistTo: string;
  /** The local D1's SQLite file, for assertions that read the database directly. */
  databasePath: string;
  worker: RunningWorker;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds a persist dir once and shares it between test files and runs: `wrangler d1 migrations
 * apply` plus the seed take several seconds, a copy takes milliseconds. The name hashes everything
 * the content depends on (wrangler version, every migration file, the seed SQL), so a change to
 * any of them builds a new one. test/api/d1.test.ts applies the migrations afresh on every run.
 */
async function template(name: string, inputs: string[], build: (dir: string) => Promise<void>): Promise<string> {
  const hash = createHash('sha256');
  for (const input of inputs) hash.update(input).update('\0');
  const dir = join(tmpdir(), `smart-pack-d1-${name}-${hash.digest('hex').slice(0, 16)}`);
  const ready = join(dir, '.ready');
  if (existsSync(ready)) return dir;
  // mkdir is atomic: one test process builds, the others wait for its marker.
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(ready)) return dir;
      // A builder that died leaves its lock behind; nobody needs two minutes for this.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000)
        rmSync(lock, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    if (existsSync(ready)) return dir;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await build(dir);
    writeFileSync(ready, new Date().toISOString());
    pruneTemplates(name, dir);
    return dir;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Every edit under api/ makes a new bundle: drop the ones nobody has built for an hour. */
function pruneTemplates(name: string, keep: string): void {
  const prefix = `smart-pack-d1-${name}-`;
  for (const entry of readdirSync(tmpdir())) {
    const dir = join(tmpdir(), entry);
    if (!entry.startsWith(prefix) || entry.endsWith('.lock') || dir === keep) continue;
    const built = statSync(join(dir, '.ready'), { throwIfNoEntry: false });
    if (built && Date.now() - built.mtimeMs > 3_600_000) rmSync(dir, { recursive: true, force: true });
  }
}

function migrationInputs(): string[] {
  return [
    WRANGLER_VERSION,
    readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'),
    ...readdirSync(MIGRATIONS)
      .filter((name) => name.endsWith('.sql'))
      .sort()
      .flatMap((name) => [name, readFileSync(join(MIGRATIONS, name), 'utf8')]),
  ];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The Worker as `wrangler deploy` would upload it, built once for all test files and starts. */
export async function workerBundle(): Promise<{ script: string; metafile: string }> {
  const inputs = [
    WRANGLER_VERSION,
    readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'),
    readFileSync(join(ROOT, 'package-lock.json'), 'utf8'),
    ...filesUnder(join(ROOT, 'api')).flatMap((path) => [path, readFileSync(path, 'utf8')]),
  ];
  const dir = await template('bundle', inputs, async (out) => {
    await bundleWorker(out);
  });
  return { script: join(dir, 'worker.js'), metafile: join(dir, 'meta.json') };
}

async function migratedTemplate(): Promise<string> {
  return template('migrated', migrationInputs(), (dir) => applyLocalMigrations(dir));
}

async function seededTemplate(now: string): Promise<string> {
  const migrated = await migratedTemplate();
  return template('seeded', [...migrationInputs(), seedSql(new Date(now))], async (dir) => {
    cpSync(migrated, dir, { recursive: true });
    await seedLocalD1(dir, new Date(now));
  });
}

/** A fresh local D1 (migrated, seeded if asked) in its own persist dir. */
export async function freshPersistDir(options: { now: string; seed?: boolean | undefined }): Promise<string> {
  const source = options.seed ? await seededTemplate(options.now) : await migratedTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'smart-pack-worker-'));
  cpSync(source, dir, { recursive: true, filter: (path) => !path.endsWith('.ready') });
  return dir;
}

/** `wrangler dev` on a fresh local D1 with a pinned clock (the real one without `now`) and admin key, on a free loopback port. */
export async function startWorkerTarget(options: {
  now?: string;
  seed?: boolean;
  adminKey: string;
  persistTo?: string;
  vars?: Record<string, string>;
  /** The deployment's real rate limits instead of the suite's (SUITE_RATE_LIMIT_ENV). */
  realRateLimits?: boolean;
  logLevel?: WranglerDevOptions['logLevel'];
}): Promise<WorkerTarget> {
  const persistTo =
    options.persistTo ?? (await freshPersistDir({ now: options.now ?? new Date().toISOString(), seed: options.seed }));
  const vars = {
    ...(options.realRateLimits ? {} : SUITE_RATE_LIMIT_ENV),
    ...(options.now ? { NOW: options.now } : {}),
    ADMIN_API_KEY: options.adminKey,
    ...options.vars,
  };
  // Its own copy: wrangler reloads the Worker on any change in the bundle's directory, and a
  // reload answers a POST in flight with 503. A private directory nobody else writes to.
  const { script } = await workerBundle();
  const bundleDir = mkdtempSync(join(tmpdir(), 'smart-pack-worker-bundle-'));
  cpSync(script, join(bundleDir, 'worker.js'));
  cpSync(`${script}.map`, join(bundleDir, 'worker.js.map'));
  let worker: RunningWorker | undefined;
  for (let attempt = 1; !worker; attempt++) {
    try {
      worker = await startWranglerDev({
        persistTo,
        port: await freePort(),
        vars,
        bundle: join(bundleDir, 'worker.js'),
        logLevel: options.logLevel,
      });
    } catch (error) {
      // The free port can be taken between our probe and wrangler's listen; try another once.
      if (attempt >= 2) {
        rmSync(bundleDir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const running = worker;
  return {
    url: running.url,
    persistTo,
    databasePath: localD1File(persistTo),
    worker: running,
    async close() {
      await running.stop();
      // A reload or an error in the Worker shows up here only; print it so a failing test can be read.
      const output = running.output();
      if (process.env.WORKER_LOG || /Reloading local server|restarted mid-request|✘ \[ERROR\]/.test(output)) {
        console.warn(
          `wrangler dev on ${running.url} reported:\n${output
            .split('\n')
            .filter((l) => !/^\[wrangler:info\] (GET|POST|PUT|DELETE|OPTIONS) /.test(l))
            .join('\n')}`,
        );
      }
      rmSync(bundleDir, { recursive: true, force: true });
      if (!options.persistTo) rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

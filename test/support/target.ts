import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeServer } from '../../api/server/host.js';
import { rateLimitsFromEnv } from '../../api/services/rate-limit.js';
import { spawnServer, SUITE_RATE_LIMIT_ENV } from './process.js';
import { startWorkerTarget, type WorkerTarget } from './worker-target.js';

export const ADMIN_KEY = 'test-admin-key';
const SUITE_RATE_LIMITS = rateLimitsFromEnv(SUITE_RATE_LIMIT_ENV);

/** Which API the suite runs against: the Node server (default) or the Worker on workerd. */
export const API_TARGET: 'node' | 'worker' = process.env.API_TARGET === 'worker' ? 'worker' : 'node';

/**
 * A running API reached over real HTTP on loopback, backed by a real SQLite file: the Node
 * server's own file, or the local D1's file under the Worker's persist dir.
 */
export interface ApiTarget {
  url: string;
  adminKey: string;
  databasePath: string;
  close(): Promise<void>;
}

export function tempDatabasePath(prefix = 'smart-pack-test-'): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { path: join(dir, 'test.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TargetOptions {
  now: string;
  seed?: boolean;
  /** false: no default tenant, so public requests without a publishable key get 401 (default: the default tenant). */
  defaultTenant?: boolean;
  /** The external calendars' fetch timeout (default 10 s), short for a test's slow feed. */
  calendarFetchTimeoutMs?: number;
}

/**
 * Starts the API with a pinned clock on a fresh database: the Node server, or with
 * `API_TARGET=worker` the Cloudflare Worker under `wrangler dev` on a fresh local D1.
 */
export async function startTarget(options: TargetOptions): Promise<ApiTarget> {
  if (API_TARGET === 'worker') {
    const worker = await nextWorker(options);
    const later = new Map<string, Promise<WorkerTarget>>();
    workerTargets.set(worker.url, { persistTo: worker.persistTo, later });
    return {
      url: worker.url,
      adminKey: ADMIN_KEY,
      databasePath: worker.databasePath,
      async close() {
        workerTargets.delete(worker.url);
        await Promise.all([...later.values()].map(async (other) => (await other).close()));
        await worker.close();
      },
    };
  }
  const db = tempDatabasePath();
  const server = await startNodeServer({
    databasePath: db.path,
    port: 0,
    adminApiKey: ADMIN_KEY,
    now: options.now,
    seed: options.seed ?? false,
    rateLimits: SUITE_RATE_LIMITS,
    ...(options.defaultTenant === false ? { defaultTenantId: null } : {}),
    ...(options.calendarFetchTimeoutMs ? { calendars: { timeoutMs: options.calendarFetchTimeoutMs } } : {}),
  });
  return {
    url: server.url,
    adminKey: ADMIN_KEY,
    databasePath: db.path,
    async close() {
      await server.close();
      db.cleanup();
    },
  };
}

const workerTargets = new Map<string, { persistTo: string; later: Map<string, Promise<WorkerTarget>> }>();

/**
 * A file that starts a fresh Worker per test (beforeEach) would wait seconds for each one. Once a
 * file has asked twice for the same kind, the next one starts in the background while its tests
 * run; the spare still gets its own fresh database, so nothing is shared between tests.
 */
const spares = new Map<string, Promise<WorkerTarget>>();
const asked = new Map<string, number>();

/** wrangler.toml's [vars] name the default tenant; an empty value overrides it with none. */
const workerOptions = (options: TargetOptions) => ({
  now: options.now,
  seed: options.seed,
  adminKey: ADMIN_KEY,
  vars: {
    ...(options.defaultTenant === false ? { DEFAULT_TENANT_ID: '' } : {}),
    ...(options.calendarFetchTimeoutMs ? { CALENDAR_FETCH_TIMEOUT_MS: String(options.calendarFetchTimeoutMs) } : {}),
  },
});

function startSpare(options: TargetOptions): Promise<WorkerTarget> {
  const spare = startWorkerTarget(workerOptions(options));
  spare.catch(() => {});
  return spare;
}

async function nextWorker(options: TargetOptions): Promise<WorkerTarget> {
  const key = JSON.stringify([
    options.now,
    options.seed ?? false,
    options.defaultTenant ?? true,
    options.calendarFetchTimeoutMs ?? null,
  ]);
  const count = (asked.get(key) ?? 0) + 1;
  asked.set(key, count);
  const spare = spares.get(key);
  spares.delete(key);
  if (count >= 2) spares.set(key, startSpare(options));
  return (await spare?.catch(() => undefined)) ?? startWorkerTarget(workerOptions(options));
}

if (API_TARGET === 'worker') {
  // Registered while the test file imports this module, so it runs when that file is done.
  afterAll(async () => {
    const left = [...spares.values()];
    spares.clear();
    await Promise.all(left.map(async (spare) => (await spare.catch(() => undefined))?.close()));
  });
}

/**
 * A second server on the target's database with its own pinned clock, for "the same data, later".
 * Node: a server on the same SQLite file. Worker: a second `wrangler dev` on the same persist dir,
 * kept per instant until the target closes (a start costs seconds). Use them one at a time: two
 * workerd processes writing one local D1 at once fail with SQLITE_BUSY.
 */
export async function startServerAt(target: ApiTarget, now: string): Promise<{ url: string; close(): Promise<void> }> {
  const worker = workerTargets.get(target.url);
  if (worker) {
    let started = worker.later.get(now);
    if (!started) {
      started = startWorkerTarget({ now, adminKey: ADMIN_KEY, persistTo: worker.persistTo });
      worker.later.set(now, started);
    }
    return { url: (await started).url, close: async () => {} };
  }
  const server = await startNodeServer({
    databasePath: target.databasePath,
    port: 0,
    adminApiKey: ADMIN_KEY,
    now,
    rateLimits: SUITE_RATE_LIMITS,
  });
  return { url: server.url, close: () => server.close() };
}

/** Servers that share one database, for the race tests; requests are spread over `urls`. */
export interface SharedTarget {
  urls: string[];
  databasePath: string;
  /** What the servers are, for the test's report. */
  description: string;
  close(): Promise<void>;
}

/**
 * Node: two OS processes on one SQLite file. Worker: one `wrangler dev`, listed twice. Two
 * workerd processes on one persist dir fail with SQLITE_BUSY (each assumes it owns the D1
 * database, as Cloudflare's single primary does), so the race runs as concurrent requests
 * interleaving inside one isolate, which is where they meet on Cloudflare too.
 */
export async function startSharedTarget(options: {
  now: string;
  /** More environment for the servers (Worker: vars), e.g. small rate limits. */
  env?: Record<string, string>;
}): Promise<SharedTarget> {
  if (API_TARGET === 'worker') {
    const worker = await startWorkerTarget({ now: options.now, adminKey: ADMIN_KEY, vars: options.env });
    return {
      urls: [worker.url, worker.url],
      databasePath: worker.databasePath,
      description: 'one Worker (wrangler dev, local D1)',
      close: worker.close,
    };
  }
  const db = tempDatabasePath('smart-pack-race-');
  const env = { DATABASE_PATH: db.path, NOW: options.now, ADMIN_API_KEY: ADMIN_KEY, ...options.env };
  // Start one first so the migration runs once, then the second on the migrated file.
  const first = await spawnServer(env);
  const second = await spawnServer(env);
  return {
    urls: [first.url, second.url],
    databasePath: db.path,
    description: 'two server processes sharing one SQLite file',
    async close() {
      await Promise.all([first.stop(), second.stop()]);
      db.cleanup();
    },
  };
}

import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.js';
import { clockFrom, type AppDeps } from '../deps.js';
import { migrate } from '../db/migrate-node.js';
import { openNodeStore } from '../db/node.js';
import { isEmpty, seedStatements } from '../db/seed.js';
import { handleError, handleNotFound } from '../routes/errors.js';
import { pages } from '../routes/pages.js';
import type { RateLimits } from '../services/rate-limit.js';
import { errorBody } from '../contract/errors.js';
import { demoParentToken } from '../services/parents.js';
import { demoTeacherToken } from '../services/teacher.js';
import { demoCheckout } from '../services/holds.js';
import { startOutboxRunner, type OutboxRunner } from '../services/outbox.js';
import { startCalendarRunner, type CalendarFetchOptions, type CalendarRunner } from '../services/external-calendars.js';
import { ScheduleSource } from '../db/schedule-source.js';
import { DEFAULT_TENANT_ID } from '../contract/auth.js';
import { findPackage } from '../db/repositories/packages.js';
import { DEMO_PACKAGE_ID } from '../db/seed.js';
import { manageLink, secretOf } from '../services/tokens.js';
import { gzip, noneMatch } from '../routes/http-cache.js';
import { publicOnlyFetch } from './public-fetch.js';

/**
 * The project folder (demo/, widget/dist/): the nearest one above this file with the demo pages, since
 * this file runs from api/server/ under tsx and from build/api/server/ once compiled (`npm start`).
 * Not the nearest package.json: the compiled tree has its own copy (the OpenAPI document reads its version).
 */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'demo', 'index.html'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no demo/index.html above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return `${dir}/`;
}

const ROOT = projectRoot();

/**
 * The built widget (widget/dist/) under the URL partners embed, /dist/…. A module script from another
 * origin runs only with CORS headers, so the files allow every origin: they are the same public code the
 * classic-script IIFE already gives any page, and no cookie or credential is involved. CORP lets pages that
 * isolate themselves (COEP require-corp) load them too. Source maps only when `sourceMaps` (not in production:
 * they would publish the widget's sources and comments as one file each).
 */
export function widgetFiles(sourceMaps: boolean) {
  return new Hono()
    .use(cors({ origin: '*', allowMethods: ['GET', 'HEAD'] }))
    .use(async (c, next) => (!sourceMaps && c.req.path.endsWith('.map') ? handleNotFound(c) : next()))
    .use(async (c, next) => {
      await next();
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    })
    .use(assetCaching())
    .use(serveStatic({ root: `${ROOT}widget/dist`, rewriteRequestPath: (path) => path.replace(/^\/dist/, '') }));
}

/** A built file's content hash, read again only when the file changes (a rebuild while the server runs). */
const ASSET_HASHES = new Map<string, { stamp: string; hash: string }>();

/** The first 16 hex digits of the SHA-256 of `widget/dist/<name>`, or null when there is no such file. */
export function assetHash(name: string): string | null {
  const file = `${ROOT}widget/dist/${name}`;
  if (name.includes('..')) return null;
  const stats = statSync(file, { throwIfNoEntry: false });
  if (!stats?.isFile()) return null;
  const stamp = `${stats.mtimeMs}|${stats.size}`;
  const known = ASSET_HASHES.get(file);
  if (known?.stamp === stamp) return known.hash;
  const hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  ASSET_HASHES.set(file, { stamp, hash });
  return hash;
}

/** One year: a `?v=<hash>` URL names these exact bytes for ever. */
export const IMMUTABLE_ASSET = 'public, max-age=31536000, immutable';
/** The unhashed URL partners embed: five minutes, then a revalidation (304) picks up a new release. */
export const ENTRY_ASSET = 'public, max-age=300';

/**
 * Content-hash caching of the built widget: every file carries a strong ETag of its bytes and answers a
 * matching If-None-Match with 304; `?v=<its hash>` (what the demo pages link) is immutable for a year, the
 * plain URL short-lived. A `?v=` of another release gets today's bytes, short-lived, never immutable.
 */
function assetCaching(): MiddlewareHandler {
  return async function assetCachingMiddleware(c, next) {
    const hash = assetHash(c.req.path.replace(/^\/dist\//, ''));
    if (!hash) return next();
    const tag = `"${hash}"`;
    const cacheControl = c.req.query('v') === hash ? IMMUTABLE_ASSET : ENTRY_ASSET;
    if (noneMatch(c.req.header('if-none-match'), tag)) {
      return c.body(null, 304, { ETag: tag, 'Cache-Control': cacheControl });
    }
    await next();
    if (c.res.status !== 200) return;
    c.res.headers.set('ETag', tag);
    c.res.headers.set('Cache-Control', cacheControl);
  };
}

/** A page's `/dist/<file>.js` scripts as `?v=<hash>` URLs, so the browser may keep them for a year. */
export function withAssetVersions(html: string): string {
  return html.replace(/(["'])\/dist\/([\w.-]+\.js)\1/g, (whole, quote: string, name: string) => {
    const hash = assetHash(name);
    return hash ? `${quote}/dist/${name}?v=${hash}${quote}` : whole;
  });
}

/** The calendar fetch options with, unless private URLs are allowed, a fetch that connects to public addresses only. */
function calendarFetch(options: Partial<CalendarFetchOptions>): Partial<CalendarFetchOptions> {
  return options.allowPrivateUrls || options.fetch ? options : { ...options, fetch: publicOnlyFetch() };
}

export interface NodeServerOptions {
  databasePath: string;
  port: number;
  hostname?: string;
  adminApiKey: string;
  corsOrigin?: string | string[];
  /** Seed demo data into an empty database (never when `production`). */
  seed?: boolean;
  /**
   * A production start (`npm start` with NODE_ENV=production): no demo data seeded whatever `seed` says,
   * no source maps under /dist.
   */
  production?: boolean;
  /** Who may frame /book and /pack (CSP frame-ancestors sources); `'self'` when unset. */
  frameAncestors?: string[];
  /** Abuse limits over the defaults (`RATE_LIMIT_*` in the environment). */
  rateLimits?: Partial<RateLimits>;
  /**
   * Behind a reverse proxy: the request header holding the client's address (`X-Forwarded-For`: its last
   * entry, the one the proxy added). Unset: the socket's address. Set it only when a proxy always sets it.
   */
  clientIpHeader?: string | undefined;
  /** Pinned clock (ISO instant), for demos and tests; the real clock otherwise. */
  now?: string | undefined;
  /** Serve the demo pages and the built widget beside the API. */
  demo?: boolean;
  /**
   * The seeded demo tenant's payment mode (when `seed` seeds): `npm start` passes `required` so the demo
   * runs hold → checkout → confirmed; unset, the default tenant confirms at purchase.
   */
  demoPaymentMode?: 'required' | 'none';
  /**
   * Deliver the notifications outbox while running: each tenant's rows to its own webhook, and the
   * default tenant's to `url` (signed with `secret`) when it names none of its own.
   */
  webhook?: { url?: string | undefined; secret?: string | undefined; intervalMs?: number } | undefined;
  /** The tenant of public requests without a publishable key; null for none (they get 401). Default: the default tenant. */
  defaultTenantId?: string | null;
  /**
   * Fetching teachers' external calendars. Unset `allowPrivateUrls`: allowed unless `production` (a
   * development server's feeds may be on this machine; a production one must not read its own network).
   */
  calendars?: Partial<CalendarFetchOptions>;
  /** Sync due external calendars on a timer (`npm start`; tests sync over HTTP instead). */
  calendarSync?: { intervalMs?: number } | undefined;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (what a dual-stack socket reports for 127.0.0.1). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/**
 * Headers a reverse proxy adds when it forwards a request: a loopback socket carrying one is a proxy on this
 * machine passing on someone else's request.
 */
const FORWARDED_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'cf-connecting-ip'];

/**
 * The socket decides, never the Host header; and a loopback socket that says it forwards a request (a proxy
 * on this machine serving the world) is not this machine either. Headers can only take loopback away here.
 */
export function isLoopbackSocket(c: Context): boolean {
  if (FORWARDED_HEADERS.some((name) => c.req.header(name) !== undefined)) return false;
  try {
    return isLoopbackAddress(getConnInfo(c).remote.address);
  } catch {
    // No Node socket behind this request (app.request() in a test): not known to be local.
    return false;
  }
}

export interface RunningServer {
  url: string;
  port: number;
  deps: AppDeps;
  outbox: OutboxRunner | null;
  /** The external calendars' sync timer, when `calendarSync` started it. */
  calendars: CalendarRunner | null;
  /** What the start did with the database: seeded the demo data into an empty one, or kept what was there. */
  database: { seeded: boolean; packages: number };
  /** The seeded demo package's manage link (`/pack/…?t=…`), when the demo data is there (never in production). */
  demoPackPath: string | null;
  close(): Promise<void>;
}

export interface NodeHostOptions {
  /** Serve the pages and the built widget beside the API. */
  demo: boolean;
  /**
   * A production start: the pages and the widget are served, but not the demo's parent token or its pretend
   * checkout (a proxy in front makes every request look local, so "this machine only" means nothing there).
   */
  production?: boolean;
  sourceMaps?: boolean;
  frameAncestors?: string[];
}

/** The API plus, for `npm start`, the demo page, the hosted booking page and the built widget. */
export function createNodeHost(deps: AppDeps, options: NodeHostOptions) {
  // The pages and the widget's files; the API compresses its own answers (and an encoded body is left alone).
  const host = new Hono().use(gzip());
  if (options.demo) {
    host.route(
      '/',
      pages({
        read: (name) => withAssetVersions(readFileSync(`${ROOT}demo/${name}`, 'utf8')),
        frameAncestors: options.frameAncestors ?? ["'self'"],
      }),
    );
  }
  if (options.demo && !options.production) {
    host
      .get('/demo/parent-token', async (c) => {
        // The demo pages' parent token, for this machine only: the socket's address decides (a Host
        // header says whatever the client wants). Not part of the API: a real school mints its own.
        if (!isLoopbackSocket(c)) {
          return c.json(errorBody('not_found', 'The demo parent token is served on this machine only.'), 404);
        }
        c.header('cache-control', 'no-store');
        return c.json(await demoParentToken(deps));
      })
      .get('/demo/teacher-token', async (c) => {
        // The demo teacher's token for /teach, this machine only (as the parent token above).
        if (!isLoopbackSocket(c)) {
          return c.json(errorBody('not_found', 'The demo teacher token is served on this machine only.'), 404);
        }
        c.header('cache-control', 'no-store');
        return c.json(await demoTeacherToken(deps));
      })
      .post('/demo/checkout/:packageId', async (c) => {
        // The demo's pretend payment provider, for this machine only (as the parent token above):
        // confirms the package at its own price through the same service as POST /packages/:id/confirm.
        if (!isLoopbackSocket(c)) {
          return c.json(errorBody('not_found', 'The demo checkout is served on this machine only.'), 404);
        }
        c.header('cache-control', 'no-store');
        return c.json(await demoCheckout(deps, c.req.param('packageId')));
      });
  }
  if (options.demo) {
    host.route('/dist', widgetFiles(options.sourceMaps ?? false)).use('/demo/*', serveStatic({ root: ROOT }));
  }
  host.route('/', createApp(deps));
  host.onError(handleError);
  host.notFound(handleNotFound);
  return host;
}

async function countPackages(db: AppDeps['store']['db']): Promise<number> {
  const row = await db
    .selectFrom('student_packages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The manage link of the seeded demo package (`package-legacy`), or null when this database has none. */
async function demoPackPath(deps: AppDeps): Promise<string | null> {
  const record = await findPackage(deps.store.db, DEFAULT_TENANT_ID, { id: DEMO_PACKAGE_ID });
  if (!record) return null;
  return (await manageLink(deps, await secretOf(deps, DEFAULT_TENANT_ID), record)).url;
}

/** The client's address as the Node server sees it: the socket's, or the proxy's header when configured. */
function clientIpOf(header: string | undefined): (c: Context) => string | null {
  if (!header) return (c) => getConnInfo(c).remote.address ?? null;
  return (c) => c.req.header(header)?.split(',').pop()?.trim() || null;
}

export async function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const store = openNodeStore(options.databasePath);
  migrate(store.sqlite);
  const now = clockFrom(options.now);
  // The demo's ids are guessable (teacher-amna, student-demo): a production database starts empty.
  const seeded = !!options.seed && !options.production && (await isEmpty(store.db));
  if (seeded) await store.batch(seedStatements(store.db, now(), { paymentMode: options.demoPaymentMode }));
  const deps: AppDeps = {
    store,
    schedules: new ScheduleSource(store),
    now,
    adminApiKey: options.adminApiKey,
    corsOrigin: options.corsOrigin ?? '*',
    clientIp: clientIpOf(options.clientIpHeader),
    rateLimits: options.rateLimits ?? {},
    defaultTenantId: options.defaultTenantId === undefined ? DEFAULT_TENANT_ID : options.defaultTenantId,
    isLoopbackRequest: isLoopbackSocket,
    calendars: calendarFetch({ allowPrivateUrls: !options.production, ...options.calendars }),
  };
  const host = createNodeHost(deps, {
    demo: options.demo ?? false,
    production: options.production ?? false,
    sourceMaps: !options.production,
    frameAncestors: options.frameAncestors,
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: host.fetch, port: options.port, hostname: options.hostname ?? '127.0.0.1' }, () =>
      resolve(s),
    );
    // A port in use (EADDRINUSE) is the caller's to explain; the database opened above closes with it.
    s.once('error', (error) => {
      void store.close().then(() => reject(error));
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const outbox = options.webhook
    ? startOutboxRunner(store, {
        webhookUrl: options.webhook.url,
        secret: options.webhook.secret,
        intervalMs: options.webhook.intervalMs,
        now,
      })
    : null;
  const calendars = options.calendarSync ? startCalendarRunner(deps, options.calendarSync) : null;
  return {
    url: `http://${options.hostname ?? '127.0.0.1'}:${port}`,
    port,
    deps,
    outbox,
    calendars,
    database: { seeded, packages: await countPackages(store.db) },
    demoPackPath: options.production ? null : await demoPackPath(deps),
    async close() {
      await outbox?.stop();
      await calendars?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

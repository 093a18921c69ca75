import type { D1Database, ExecutionContext, Fetcher, ScheduledController } from '@cloudflare/workers-types';
import { Hono } from 'hono';
import { createApp } from './app.js';
import { openD1Store } from './db/d1.js';
import { clockFrom, type AppDeps } from './deps.js';
import { errorBody } from './contract/errors.js';
import { handleError, handleNotFound } from './routes/errors.js';
import { frameAncestorsFrom, pages } from './routes/pages.js';
import { rateLimitsFromEnv } from './services/rate-limit.js';
import { deliverDue } from './services/outbox.js';
import { syncDueCalendars } from './services/external-calendars.js';
import { demoParentToken } from './services/parents.js';
import { demoTeacherToken } from './services/teacher.js';
import { demoCheckout } from './services/holds.js';
import { ScheduleSource } from './db/schedule-source.js';
import { DEMO_ADMIN_KEY } from './contract/auth.js';
import type { SharedCache } from './routes/http-cache.js';

/** Bindings and vars from wrangler.toml (`[vars]`, secrets, `--var` on `wrangler dev`). */
export interface Env {
  DB: D1Database;
  ADMIN_API_KEY?: string;
  /** Pinned clock (ISO instant) for tests and the demo; the real clock when unset. */
  NOW?: string;
  /** Comma-separated origins allowed to call the public API from a browser; `*` when unset. */
  CORS_ORIGIN?: string;
  /** Where the cron trigger delivers the notifications outbox; no delivery when unset. */
  WEBHOOK_URL?: string;
  WEBHOOK_SECRET?: string;
  /** Who may frame /book and /pack (CSP sources, e.g. `'self' https://school.example`); `'self'` when unset. */
  FRAME_ANCESTORS?: string;
  /** Writes per client IP per minute (default 60) and availability checks per IP per minute (default 300). */
  RATE_LIMIT_WRITES_PER_MINUTE?: string;
  RATE_LIMIT_CHECKS_PER_MINUTE?: string;
  RATE_LIMIT_PURCHASES_PER_HOUR?: string;
  RATE_LIMIT_TENANT_WRITES_PER_MINUTE?: string;
  /**
   * The tenant of public requests without a publishable key (wrangler.toml [vars] names the demo's
   * for `wrangler dev`; `--env production` has none, so a key is required there). Empty: none.
   */
  DEFAULT_TENANT_ID?: string;
  /**
   * Static assets holding demo/ and dist/, bound by `npm run dev:worker` only: then the Worker serves
   * the demo pages like `npm start` does. wrangler.toml binds none, so a deploy is the API alone.
   */
  ASSETS?: Fetcher;
  /**
   * `true`: teachers' calendar feeds may be http or on private and loopback hosts (wrangler.toml's
   * [vars] for `wrangler dev`; `--env production` has none, so only public https feeds are fetched).
   */
  CALENDAR_ALLOW_PRIVATE_URLS?: string;
  /** Per feed fetch (default 10 000 ms). */
  CALENDAR_FETCH_TIMEOUT_MS?: string;
}

/** External calendars synced per cron run: each feed is a fetch, and a run should end well within its limits. */
const CALENDARS_PER_RUN = 5;

function positive(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : undefined;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A Worker has no socket address to look at: the host the request was made to is what it knows. */
const isLoopbackHost = (url: string) => LOOPBACK.has(new URL(url).hostname);

/** The path as the router sees it: percent-escapes decoded (`/%61dmin` is `/admin`), repeated slashes as one. */
function routedPath(pathname: string): string {
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // A malformed escape: the app refuses it (invalid_text); judge the raw text.
  }
  return path.replace(/\/+/g, '/').toLowerCase();
}

/**
 * A plain `wrangler deploy` (without `--env production`) would ship wrangler.toml's documented demo
 * key, so /admin refuses it on any host but this machine's, before the app runs. Judged on the decoded
 * path, because the router decodes it too. The app's own check (authenticate) refuses the demo key
 * from a non-loopback host on every path as well; this is the outer wall.
 */
function demoKeyExposed(request: Request, env: Env): boolean {
  if (env.ADMIN_API_KEY !== DEMO_ADMIN_KEY) return false;
  const url = new URL(request.url);
  return routedPath(url.pathname).startsWith('/admin') && !isLoopbackHost(request.url);
}

async function drain(body: ReadableStream<Uint8Array>): Promise<void> {
  const reader = body.getReader();
  try {
    while (!(await reader.read()).done);
  } catch {
    // A client that went away: nothing left to protect.
  }
}

function corsOrigins(value: string | undefined): string | string[] {
  const origins = (value ?? '*')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  // Hono's cors() takes "*" as a wildcard only as a plain string, never inside a list.
  return origins.length === 0 || origins.includes('*') ? '*' : origins;
}

function build(env: Env) {
  const store = openD1Store(env.DB);
  const deps: AppDeps = {
    store,
    // Lives as long as the isolate. It stays correct beside other isolates because every read
    // checks teachers.schedule_version in D1 first.
    schedules: new ScheduleSource(store),
    now: clockFrom(env.NOW),
    // No key locks /admin (requireAdmin refuses everything) rather than opening it.
    adminApiKey: env.ADMIN_API_KEY ?? '',
    corsOrigin: corsOrigins(env.CORS_ORIGIN),
    // Cloudflare sets it on every request and overwrites what a client sends. `wrangler dev` may not:
    // then every local caller shares one bucket.
    clientIp: (c) => c.req.header('cf-connecting-ip') ?? null,
    rateLimits: rateLimitsFromEnv(env),
    defaultTenantId: env.DEFAULT_TENANT_ID || null,
    isLoopbackRequest: (c) => isLoopbackHost(c.req.url),
    calendars: {
      allowPrivateUrls: env.CALENDAR_ALLOW_PRIVATE_URLS === 'true',
      ...(positive(env.CALENDAR_FETCH_TIMEOUT_MS) ? { timeoutMs: positive(env.CALENDAR_FETCH_TIMEOUT_MS) } : {}),
    },
    // The data centre's cache for the public reads, keyed per tenant (edgeCache); a no-op on *.workers.dev.
    sharedCache: (globalThis as { caches?: { default?: SharedCache } }).caches?.default,
  };
  const app = createApp(deps);
  return {
    deps,
    app: env.ASSETS ? withDemoPages(app, env.ASSETS, frameAncestorsFrom(env.FRAME_ANCESTORS), deps) : app,
  };
}

/** The page routes of the Node host's demo; files under /demo/ and /dist/ are served as assets directly. */
function withDemoPages(api: ReturnType<typeof createApp>, assets: Fetcher, frameAncestors: string[], deps: AppDeps) {
  const read = async (name: string, c: { req: { url: string } }) => {
    const response = await assets.fetch(new URL(`/demo/${name}`, c.req.url).toString());
    return response.ok ? response.text() : null;
  };
  const host = new Hono()
    .route('/', pages({ read, frameAncestors }))
    // The demo pages' parent token (`npm run dev:worker` only: ASSETS is bound there alone). workerd
    // gives no socket address, so the URL's host must be this machine's, as for the demo admin key.
    .get('/demo/parent-token', async (c) => {
      if (!LOOPBACK.has(new URL(c.req.url).hostname))
        return c.json(errorBody('not_found', 'The demo parent token is served on this machine only.'), 404);
      c.header('cache-control', 'no-store');
      return c.json(await demoParentToken(deps));
    })
    .get('/demo/teacher-token', async (c) => {
      if (!LOOPBACK.has(new URL(c.req.url).hostname))
        return c.json(errorBody('not_found', 'The demo teacher token is served on this machine only.'), 404);
      c.header('cache-control', 'no-store');
      return c.json(await demoTeacherToken(deps));
    })
    // The demo's pretend payment provider, this machine only: the package's own price, the same
    // confirmation as POST /packages/:id/confirm.
    .post('/demo/checkout/:packageId', async (c) => {
      if (!LOOPBACK.has(new URL(c.req.url).hostname))
        return c.json(errorBody('not_found', 'The demo checkout is served on this machine only.'), 404);
      c.header('cache-control', 'no-store');
      return c.json(await demoCheckout(deps, c.req.param('packageId')));
    })
    .route('/', api);
  host.onError(handleError);
  host.notFound(handleNotFound);
  return host;
}

// Built on the first event of each isolate, not per request: env only arrives with the event,
// and a per-request app would throw the schedule cache away each time.
let built: { env: Env; instance: ReturnType<typeof build> } | undefined;
function instance(env: Env) {
  if (built?.env !== env) built = { env, instance: build(env) };
  return built.instance;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const response = demoKeyExposed(request, env)
      ? Response.json(
          errorBody('unauthorized', 'The demo admin key works on this machine only; set ADMIN_API_KEY as a secret.'),
          { status: 401 },
        )
      : await instance(env).app.fetch(request, env, ctx);
    // Error paths answer without reading the body (wrong content type, no admin token). Behind
    // wrangler dev's proxy, which reuses its connection to the Worker, a body left unread there
    // made the next request on that connection fail with a 503 (about 1 in 50 in the test suite).
    // Read to the end, in chunks so a large body never sits in memory; the usual path has read it.
    if (request.body && !request.bodyUsed) await drain(request.body);
    return response;
  },

  /**
   * The cron trigger in wrangler.toml: what the Node server's outbox timer does, once a minute. Every
   * tenant's webhook; WEBHOOK_URL and WEBHOOK_SECRET, when set, serve the default tenant. Then the
   * external calendars not synced for 15 minutes, a few per run (the Node server's calendar timer).
   */
  async scheduled(_controller: ScheduledController, env: Env): Promise<void> {
    const { deps } = instance(env);
    const report = await deliverDue(deps.store, {
      now: deps.now(),
      webhookUrl: env.WEBHOOK_URL,
      secret: env.WEBHOOK_SECRET,
    });
    if (
      report.claimed > 0 ||
      report.expiringQueued > 0 ||
      report.refundsQueued > 0 ||
      report.holdsExpiredQueued > 0 ||
      report.remindersQueued > 0
    )
      console.log('outbox', JSON.stringify(report));
    const calendars = await syncDueCalendars(deps, CALENDARS_PER_RUN);
    if (calendars.synced > 0 || calendars.failing > 0 || calendars.errors > 0)
      console.log('calendars', JSON.stringify(calendars));
  },
};

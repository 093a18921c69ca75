import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app.js';
import { clockFrom, type AppDeps } from '../deps.js';
import { migrate } from '../db/migrate-node.js';
import { openNodeStore } from '../db/node.js';
import { isEmpty, seedStatements } from '../db/seed.js';
import { handleError, handleNotFound } from '../routes/errors.js';
import { startOutboxRunner, type OutboxRunner } from '../services/outbox.js';
import { ScheduleSource } from '../db/schedule-source.js';
import { DEFAULT_TENANT_ID } from '../contract/auth.js';

/**
 * The project folder (demo/, widget/dist/): the nearest one above this file with a package.json, since
 * this file runs from api/server/ under tsx and from build/api/server/ once compiled (`npm start`).
 */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return `${dir}/`;
}

const ROOT = projectRoot();

/**
 * The built widget (widget/dist/) under the URL partners embed, /dist/…. A module script from another
 * origin runs only with CORS headers, so the files allow every origin: they are the same public code the
 * classic-script IIFE already gives any page, and no cookie or credential is involved. CORP lets pages that
 * isolate themselves (COEP require-corp) load them too.
 */
export function widgetFiles() {
  return new Hono()
    .use(cors({ origin: '*', allowMethods: ['GET', 'HEAD'] }))
    .use(async (c, next) => {
      await next();
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    })
    .use(serveStatic({ root: `${ROOT}widget/dist`, rewriteRequestPath: (path) => path.replace(/^\/dist/, '') }));
}

export interface NodeServerOptions {
  databasePath: string;
  port: number;
  hostname?: string;
  adminApiKey: string;
  corsOrigin?: string | string[];
  /** Seed demo data into an empty database. */
  seed?: boolean;
  /** Pinned clock (ISO instant), for demos and tests; the real clock otherwise. */
  now?: string | undefined;
  /** Serve the demo pages and the built widget beside the API. */
  demo?: boolean;
  /**
   * Deliver the notifications outbox while running: each tenant's rows to its own webhook, and the
   * default tenant's to `url` (signed with `secret`) when it names none of its own.
   */
  webhook?: { url?: string | undefined; secret?: string | undefined; intervalMs?: number } | undefined;
  /** The tenant of public requests without a publishable key; null for none (they get 401). Default: the default tenant. */
  defaultTenantId?: string | null;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (what a dual-stack socket reports for 127.0.0.1). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** The socket decides, never a header: a proxy on this machine forwarding the world is not loopback either. */
export function isLoopbackSocket(c: Context): boolean {
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
  close(): Promise<void>;
}

/** The API plus, for `npm start`, the demo page, the hosted booking page and the built widget. */
export function createNodeHost(deps: AppDeps, demo: boolean) {
  const host = new Hono();
  if (demo) {
    const page = (name: string) => () => readFileSync(`${ROOT}demo/${name}`, 'utf8');
    const html = (name: string) => {
      const read = page(name);
      return new Hono().get('/', (c) => c.html(read()));
    };
    host
      .route('/', html('index.html'))
      .get('/book/:teacherId', (c) => c.html(page('book.html')()))
      .get('/partner', (c) => c.html(page('partner.html')()))
      .get('/pack/:packageId', (c) => c.html(page('pack.html')()))
      .route('/dist', widgetFiles())
      .use('/demo/*', serveStatic({ root: ROOT }));
  }
  host.route('/', createApp(deps));
  host.onError(handleError);
  host.notFound(handleNotFound);
  return host;
}

export async function startNodeServer(options: NodeServerOptions): Promise<RunningServer> {
  const store = openNodeStore(options.databasePath);
  migrate(store.sqlite);
  const now = clockFrom(options.now);
  if (options.seed && (await isEmpty(store.db))) await store.batch(seedStatements(store.db, now()));
  const deps: AppDeps = {
    store,
    schedules: new ScheduleSource(store),
    now,
    adminApiKey: options.adminApiKey,
    corsOrigin: options.corsOrigin ?? '*',
    defaultTenantId: options.defaultTenantId === undefined ? DEFAULT_TENANT_ID : options.defaultTenantId,
    isLoopbackRequest: isLoopbackSocket,
  };
  const host = createNodeHost(deps, options.demo ?? false);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: host.fetch, port: options.port, hostname: options.hostname ?? '127.0.0.1' }, () =>
      resolve(s),
    );
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
  return {
    url: `http://${options.hostname ?? '127.0.0.1'}:${port}`,
    port,
    deps,
    outbox,
    async close() {
      await outbox?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppDeps } from './deps.js';
import { adminRoutes } from './routes/admin.js';
import { handleError, handleNotFound } from './routes/errors.js';
import { marketplaceRoutes } from './routes/marketplace.js';
import { packageRoutes } from './routes/packages.js';
import { wellFormedText } from './routes/well-formed.js';

/**
 * The whole HTTP API as one Hono app, built from its dependencies so the Node server, the Worker
 * and the tests run the same code on different databases.
 */
export function createApp(deps: AppDeps) {
  const app = new Hono()
    .use('/marketplace/*', cors({ origin: deps.corsOrigin, maxAge: 600 }))
    .use(
      '/packages/*',
      cors({
        origin: deps.corsOrigin,
        allowHeaders: ['Content-Type', 'Idempotency-Key'],
        allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
        maxAge: 600,
      }),
    )
    // After CORS, so a browser can read the refusal too.
    .use(wellFormedText())
    .get('/health', (c) => c.json({ ok: true }))
    .route('/marketplace', marketplaceRoutes(deps))
    .route('/packages', packageRoutes(deps))
    .route('/admin', adminRoutes(deps));
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}

export type AppType = ReturnType<typeof createApp>;

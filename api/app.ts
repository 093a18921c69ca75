import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppDeps } from './deps.js';
import { adminRoutes } from './routes/admin.js';
import { publicTenant } from './routes/auth.js';
import { tenantCorsPolicy } from './routes/cors.js';
import { fastGrid } from './routes/fast-grid.js';
import { fastCheck } from './routes/fast-check.js';
import { CHECK_PATH } from './routes/rate-limit.js';
import { handleError, handleNotFound } from './routes/errors.js';
import { marketplaceRoutes } from './routes/marketplace.js';
import { openApiDocument, operation } from './routes/openapi.js';
import { packageRoutes } from './routes/packages.js';
import { parentRoutes } from './routes/parents.js';
import { teacherRoutes, teacherTokenRoutes } from './routes/teacher.js';
import { wellFormedText } from './routes/well-formed.js';
import { limitBody, noSniff } from './routes/hardening.js';
import { perIpLimits, RATE_LIMIT_HEADERS } from './routes/rate-limit.js';
import { healthSchema } from './contract/responses.js';
import { z } from 'zod';
import { cacheControl, gzip } from './routes/http-cache.js';

/**
 * The whole HTTP API as one Hono app, built from its dependencies so the Node server, the Worker
 * and the tests run the same code on different databases.
 */
export function createApp(deps: AppDeps) {
  // Public routes answer in the publishable key's tenant, and browsers may read them from that
  // tenant's origins (CORS first, so a browser can read a refusal too).
  const scoped = publicTenant(deps, { fromToken: true });
  // The package routes a token opens (the parent's, a manage link's, a calendar feed's) take the
  // tenant from the signed token; only the check needs the publishable key's.
  const packageScope = publicTenant(deps, {
    optional: (c) => !c.req.path.endsWith('/check-multi-slot-availability'),
  });
  const publicCorsPolicy = tenantCorsPolicy(deps, {
    allowHeaders: ['Content-Type', 'Idempotency-Key', 'X-Publishable-Key', 'Authorization', 'If-None-Match'],
    allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
    // ETag: the widget revalidates with it, and a cross-origin page reads only the headers exposed.
    exposeHeaders: [...RATE_LIMIT_HEADERS, 'ETag'],
    maxAge: 600,
  });
  const publicCors = publicCorsPolicy.middleware;
  const app = new Hono()
    // First of all: the grid's and the check's plain requests are answered without the stack below (with the
    // same headers; test/api/fast-grid.test.ts and fast-check.test.ts hold them to it).
    .use('/marketplace/teachers/:teacherId/weekly-availability', fastGrid(deps, publicCorsPolicy))
    .use(CHECK_PATH, fastCheck(deps, publicCorsPolicy))
    // Outermost, so they see every answer, the errors included: gzip last of all (it adds the tag's suffix).
    .use(gzip())
    .use(cacheControl('no-store'))
    .use(noSniff())
    .use('/marketplace/*', cacheControl('shared-read'), publicCors, scoped)
    .use('/packages/*', publicCors, packageScope)
    // The widget reads what its parent token names; minting one is server-to-server (no CORS).
    .use('/auth/me', cors({ origin: deps.corsOrigin, allowHeaders: ['Authorization'], maxAge: 600 }))
    // The teacher's page (hosted `/teach`, or a school's page with the element) calls with its teacher token.
    .use(
      '/teacher/*',
      cors({
        origin: deps.corsOrigin,
        allowHeaders: ['Authorization', 'Content-Type'],
        allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
        maxAge: 600,
      }),
    )
    // After CORS, so a browser can read the refusals too. The limits count a write before its body is
    // read; the body limit refuses a large one before wellFormedText reads it.
    .use(perIpLimits(deps))
    .use(limitBody())
    .use(wellFormedText())
    .get(
      '/health',
      operation({
        operationId: 'health',
        tag: 'meta',
        summary: 'Liveness',
        responses: { 200: { description: 'The API answers.', schema: healthSchema } },
        errors: [],
      }),
      (c) => c.json({ ok: true }),
    )
    .route('/marketplace', marketplaceRoutes(deps))
    .route('/packages', packageRoutes(deps))
    .route('/auth', parentRoutes(deps))
    .route('/auth', teacherTokenRoutes(deps))
    .route('/teacher', teacherRoutes(deps))
    .route('/admin', adminRoutes(deps));
  // Outside the chain above: the document is not part of AppType (the widget's client never reads it).
  app.get(
    '/openapi.json',
    // Any origin: API tools and editors load it from their own pages, and it tells nothing the README does not.
    cors({ origin: '*', allowMethods: ['GET'] }),
    operation({
      operationId: 'openapi',
      tag: 'meta',
      summary: 'This OpenAPI 3.1 document, generated from the routes and their schemas',
      responses: { 200: { description: 'The document.', schema: z.looseObject({ openapi: z.literal('3.1.0') }) } },
      errors: [],
    }),
    openApiDocument(app),
  );
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}

export type AppType = ReturnType<typeof createApp>;

import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../deps.js';
import { tenantDirectory } from '../services/tenants.js';
import type { PublicEnv } from './auth.js';

/** An answer's allowed origin: `*`, the request's own origin, or none. */
type Allowed = '*' | 'origin' | null;

function allows(list: string | string[], origin: string): Allowed {
  if (list === '*' || (Array.isArray(list) && list.includes('*'))) return '*';
  return (Array.isArray(list) ? list : [list]).includes(origin) ? 'origin' : null;
}

export interface TenantCorsOptions {
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders?: string[];
  maxAge: number;
}

/** What an answer carries for CORS; `Vary` is to be appended to, the others set. */
export type CorsAnswerHeaders = Partial<
  Record<'Access-Control-Allow-Origin' | 'Access-Control-Expose-Headers' | 'Vary', string>
>;

/**
 * CORS for the public routes, per tenant. A tenant's `allowedOrigins` (null: the deployment's
 * `corsOrigin`) decide whether a browser page may read its answers. A preflight carries no key, so it
 * is allowed for an origin that some tenant allows (or when some tenant allows any); the answer
 * itself then carries `Access-Control-Allow-Origin` only when the request's own tenant (set by
 * publicTenant, which runs after this) allows that origin. A refusal made before the tenant is known
 * (a wrong key) follows the preflight's rule, so the page can read why.
 *
 * Options are resolved once; `answerHeaders` is the same decision for a caller that builds its answer
 * itself (the grid's fast path, api/routes/fast-grid.ts), so both paths answer a browser alike.
 */
export function tenantCorsPolicy(deps: Pick<AppDeps, 'store' | 'corsOrigin'>, options: TenantCorsOptions) {
  const directory = tenantDirectory(deps.store);
  const effective = (origins: string[] | null | undefined) => origins ?? deps.corsOrigin;
  const exposed = options.exposeHeaders?.length ? options.exposeHeaders.join(',') : undefined;
  const preflight = {
    'Access-Control-Allow-Methods': options.allowMethods.join(','),
    'Access-Control-Allow-Headers': options.allowHeaders.join(','),
    'Access-Control-Max-Age': String(options.maxAge),
  };
  const anyTenant = async (origin: string): Promise<Allowed> => {
    let best: Allowed = null;
    for (const origins of (await directory.origins()).values()) {
      const allowed = allows(effective(origins), origin);
      if (allowed === '*') return '*';
      best ??= allowed;
    }
    return best;
  };
  const originHeaders = (allowed: Allowed, origin: string): CorsAnswerHeaders => {
    const headers: CorsAnswerHeaders = {};
    if (allowed === '*') headers['Access-Control-Allow-Origin'] = '*';
    else if (allowed === 'origin') headers['Access-Control-Allow-Origin'] = origin;
    // The answer depends on the origin unless every origin gets the same one.
    if (allowed !== '*') headers.Vary = 'Origin';
    return headers;
  };

  /**
   * The CORS headers of an answer made in `tenantId`'s name (undefined: refused before the tenant was known).
   * A 304 exposes nothing: it has no headers to read beyond the tag the caller sent (RFC 9110 §15.4.5 asks a
   * 304 for what guides a cache, nothing more), and every header costs every revalidation.
   */
  async function answerHeaders(
    tenantId: string | undefined,
    origin: string,
    notModified = false,
  ): Promise<CorsAnswerHeaders> {
    const allowed = tenantId ? allows(effective(await directory.originsOf(tenantId)), origin) : await anyTenant(origin);
    const headers = originHeaders(allowed, origin);
    if (allowed && exposed && !notModified) headers['Access-Control-Expose-Headers'] = exposed;
    return headers;
  }

  const middleware: MiddlewareHandler<PublicEnv> = async function tenantCorsMiddleware(c, next) {
    const origin = c.req.header('origin') ?? '';
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      const headers = new Headers(originHeaders(origin ? await anyTenant(origin) : null, origin));
      for (const [name, value] of Object.entries(preflight)) headers.set(name, value);
      return new Response(null, { status: 204, headers });
    }
    await next();
    const headers = c.res.headers;
    for (const [name, value] of Object.entries(await answerHeaders(c.get('tenantId'), origin, c.res.status === 304))) {
      if (name === 'Vary') headers.append(name, value);
      else headers.set(name, value);
    }
  };
  return { middleware, answerHeaders };
}

/** The CORS middleware of {@link tenantCorsPolicy}. */
export function tenantCors(
  deps: Pick<AppDeps, 'store' | 'corsOrigin'>,
  options: TenantCorsOptions,
): MiddlewareHandler<PublicEnv> {
  return tenantCorsPolicy(deps, options).middleware;
}

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

/**
 * CORS for the public routes, per tenant. A tenant's `allowedOrigins` (null: the deployment's
 * `corsOrigin`) decide whether a browser page may read its answers. A preflight carries no key, so it
 * is allowed for an origin that some tenant allows (or when some tenant allows any); the answer
 * itself then carries `Access-Control-Allow-Origin` only when the request's own tenant (set by
 * publicTenant, which runs after this) allows that origin. A refusal made before the tenant is known
 * (a wrong key) follows the preflight's rule, so the page can read why.
 */
export function tenantCors(
  deps: Pick<AppDeps, 'store' | 'corsOrigin'>,
  options: { allowMethods: string[]; allowHeaders: string[]; exposeHeaders?: string[]; maxAge: number },
): MiddlewareHandler<PublicEnv> {
  const directory = tenantDirectory(deps.store);
  const effective = (origins: string[] | null | undefined) => origins ?? deps.corsOrigin;
  const anyTenant = async (origin: string): Promise<Allowed> => {
    let best: Allowed = null;
    for (const origins of (await directory.origins()).values()) {
      const allowed = allows(effective(origins), origin);
      if (allowed === '*') return '*';
      best ??= allowed;
    }
    return best;
  };
  const apply = (headers: Headers, allowed: Allowed, origin: string) => {
    if (allowed === '*') headers.set('Access-Control-Allow-Origin', '*');
    else if (allowed === 'origin') headers.set('Access-Control-Allow-Origin', origin);
    // The answer depends on the origin unless every origin gets the same one.
    if (allowed !== '*') headers.append('Vary', 'Origin');
  };

  return async function tenantCorsMiddleware(c, next) {
    const origin = c.req.header('origin') ?? '';
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      const headers = new Headers();
      apply(headers, origin ? await anyTenant(origin) : null, origin);
      headers.set('Access-Control-Allow-Methods', options.allowMethods.join(','));
      headers.set('Access-Control-Allow-Headers', options.allowHeaders.join(','));
      headers.set('Access-Control-Max-Age', String(options.maxAge));
      return new Response(null, { status: 204, headers });
    }
    await next();
    const tenantId = c.get('tenantId');
    const allowed = tenantId ? allows(effective(await directory.originsOf(tenantId)), origin) : await anyTenant(origin);
    apply(c.res.headers, allowed, origin);
    if (allowed && options.exposeHeaders?.length) {
      c.res.headers.set('Access-Control-Expose-Headers', options.exposeHeaders.join(','));
    }
  };
}

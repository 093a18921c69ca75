import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../contract/errors.js';
import { DEFAULT_TENANT_ID, type Principal } from '../contract/auth.js';
import type { AppDeps } from '../deps.js';
import { constantTimeEqual } from '../services/crypto.js';
import { tenantOfKey } from '../services/keys.js';

/** What the auth middlewares leave on the context for the routes after them. */
export interface AuthVariables {
  /** The caller of an /admin route (operator key or a tenant's secret key); null when neither. */
  principal: Principal | null;
}

export type AuthEnv = { Variables: AuthVariables };

function bearer(c: Context): string {
  const header = c.req.header('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

/**
 * Resolves `Authorization: Bearer …` to a principal: the operator key (compared in constant time) or
 * a tenant's live secret key (found by its hash). Anything else leaves `principal` null; routes that
 * need one refuse with 401.
 */
export function authenticate(deps: Pick<AppDeps, 'adminApiKey' | 'store'>): MiddlewareHandler<AuthEnv> {
  return async function authenticateMiddleware(c, next) {
    const token = bearer(c);
    let principal: Principal | null = null;
    if (token && deps.adminApiKey && constantTimeEqual(token, deps.adminApiKey)) principal = { kind: 'operator' };
    else if (token) {
      const tenantId = await tenantOfKey(deps.store, token, 'secret');
      if (tenantId) principal = { kind: 'tenant', tenantId };
    }
    c.set('principal', principal);
    await next();
  };
}

/** /admin needs the operator key or a tenant's secret key. */
export function requireAdmin(): MiddlewareHandler<AuthEnv> {
  return async function requireAdminMiddleware(c, next) {
    if (!c.get('principal')) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send Authorization: Bearer <secret key> (or the operator ADMIN_API_KEY) to use /admin.',
      );
    }
    await next();
  };
}

/**
 * The tenant an /admin request acts in: a tenant's own for its secret key; for the operator, the
 * tenant named by `X-Tenant-Id`, else the default tenant (so the seed and scripts written before
 * tenants keep working).
 */
export function actingTenant(c: Context<AuthEnv>): string {
  const principal = c.get('principal');
  if (!principal) throw new ApiError(401, 'unauthorized', 'This route needs a secret key.');
  if (principal.kind === 'tenant') return principal.tenantId;
  return c.req.header('x-tenant-id')?.trim() || DEFAULT_TENANT_ID;
}

import type { Context, MiddlewareHandler } from 'hono';
import { claimedKind } from './parent-auth.js';
import { verifyToken } from '../services/tokens.js';
import { ApiError } from '../contract/errors.js';
import { DEFAULT_TENANT_ID, DEMO_ADMIN_KEY, type Principal } from '../contract/auth.js';
import type { AppDeps } from '../deps.js';
import type { Store } from '../db/store.js';
import { constantTimeEqual } from '../services/crypto.js';
import { tenantOfKey } from '../services/keys.js';
import { tenantDirectory } from '../services/tenants.js';

/** What the auth middlewares leave on the context for the routes after them. */
export interface AuthVariables {
  /** The caller of an /admin route (operator key or a tenant's secret key); null when neither. */
  principal: Principal | null;
}

export type AuthEnv = { Variables: AuthVariables };

/** What publicTenant leaves on the context: the tenant a public request is scoped to. */
export interface PublicVariables {
  tenantId: string;
  /** The tenant of the publishable key the request sent, if it sent one (not the deployment's default). */
  keyTenantId?: string;
}

export type PublicEnv = { Variables: PublicVariables };

function bearer(c: Context): string {
  const header = c.req.header('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

/**
 * Resolves `Authorization: Bearer …` to a principal: the operator key (compared in constant time) or
 * a tenant's live secret key (found by its hash, never cached: a rotated key fails at once). Anything
 * else leaves `principal` null; routes that need one refuse with 401. The documented demo operator
 * key counts only on a request from this machine, as the host decides (`isLoopbackRequest`: the
 * socket's address on Node, whatever the Host header says).
 */
const SECRET_KEY_TENANTS = new WeakMap<Request, Promise<string | undefined>>();

/**
 * The tenant whose live secret key `token` is, looked up once per request: the write limit (which counts a
 * school's server by its key) and authentication both ask.
 */
export function secretKeyTenantOf(c: Context, store: Store, token: string): Promise<string | undefined> {
  let tenant = SECRET_KEY_TENANTS.get(c.req.raw);
  if (!tenant) SECRET_KEY_TENANTS.set(c.req.raw, (tenant = tenantOfKey(store, token, 'secret')));
  return tenant;
}

export function authenticate(
  deps: Pick<AppDeps, 'adminApiKey' | 'store' | 'isLoopbackRequest'>,
): MiddlewareHandler<AuthEnv> {
  return async function authenticateMiddleware(c, next) {
    const token = bearer(c);
    let principal: Principal | null = null;
    if (token && deps.adminApiKey && constantTimeEqual(token, deps.adminApiKey)) {
      if (deps.adminApiKey !== DEMO_ADMIN_KEY || deps.isLoopbackRequest(c)) principal = { kind: 'operator' };
    } else if (token) {
      const tenantId = await secretKeyTenantOf(c, deps.store, token);
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

/**
 * Tenant management is the operator's alone. A tenant's secret key is told there is no such route
 * (the same 404 as an unknown path), so it learns nothing about what the operator can do.
 */
export function requireOperator(): MiddlewareHandler<AuthEnv> {
  return async function requireOperatorMiddleware(c, next) {
    if (c.get('principal')?.kind !== 'operator') {
      throw new ApiError(404, 'not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`);
    }
    await next();
  };
}

/** The publishable key of a public request: the `X-Publishable-Key` header, else `?key=` (plain links). */
export function publishableKeyOf(c: Context): string {
  return c.req.header('x-publishable-key')?.trim() || c.req.query('key')?.trim() || '';
}

/**
 * Scopes a public request to a tenant (`c.var.tenantId`): the one whose live publishable key it
 * sends, else the deployment's default tenant. An unknown or revoked key is refused (401) rather
 * than served as the default: a partner with a wrong key must find out. Keys resolve through the
 * in-memory TenantDirectory (PUBLISHABLE_KEY_TTL_MS), so the hot path adds no statement.
 */
export function publicTenant(
  deps: Pick<AppDeps, 'store' | 'defaultTenantId' | 'now'>,
  options: {
    optional?: (c: Context) => boolean;
    /**
     * Without a key, a parent or manage token (`Authorization: Bearer`) names the tenant: the hosted
     * pack page opened from a manage link knows no publishable key (only its hash is stored), and its
     * free-slot picker still reads the right school's teacher.
     */
    fromToken?: boolean;
  } = {},
): MiddlewareHandler<PublicEnv> {
  return async function publicTenantMiddleware(c, next) {
    const key = publishableKeyOf(c);
    const token = options.fromToken && !key ? bearer(c) : '';
    const kind = token ? claimedKind(token) : undefined;
    if (key) {
      const tenantId = await tenantDirectory(deps.store).tenantOfPublishableKey(key);
      if (!tenantId) throw new ApiError(401, 'unauthorized', 'This publishable key is unknown or was rotated.');
      c.set('tenantId', tenantId);
      c.set('keyTenantId', tenantId);
    } else if (kind === 'parent' || kind === 'manage') {
      // verifyToken refuses (401) a forged or expired one: a page with a bad token must find out.
      c.set('tenantId', (await verifyToken(deps, token, kind)).tid);
    } else if (deps.defaultTenantId) {
      c.set('tenantId', deps.defaultTenantId);
    } else if (options.optional?.(c)) {
      // A route whose signed token names the tenant (a parent's package, a calendar feed): no key needed.
    } else {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the tenant’s publishable key: X-Publishable-Key: pk_… (or ?key=pk_… on a plain link).',
      );
    }
    await next();
  };
}

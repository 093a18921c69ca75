import type { Context, MiddlewareHandler } from 'hono';
import type { RateDecision } from '../services/rate-limit.js';
import { errorBody } from '../contract/errors.js';
import type { AppDeps } from '../deps.js';
import { constantTimeEqual } from '../services/crypto.js';
import { consume, deploymentLimits } from '../services/rate-limit.js';
import { secretKeyTenantOf } from './auth.js';
import { KEY_PREFIX } from '../contract/auth.js';

/** Headers a browser on a partner's page must be allowed to read (CORS `exposeHeaders`). */
export const RATE_LIMIT_HEADERS = ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

export interface RateLimitOptions {
  /** What this request is counted in (`ip:…:writes`, `parent:…:purchases`); null: not limited here. */
  bucket: (c: Context) => string | null | Promise<string | null>;
  /** Requests per window; a function when it depends on the request (a tenant's own setting). */
  limit: number | ((c: Context) => number | Promise<number>);
  windowSeconds: number;
  /** Names the limit in the refusal's message, e.g. "writes from this address". */
  what?: string;
}

/**
 * Counts each request of `bucket` in the database and answers 429 `rate_limited`, with `Retry-After`, once
 * the window's limit is spent. Allowed answers carry `RateLimit-Limit/Remaining/Reset` of the limit closest
 * to running out, when several of these middlewares see the same request.
 */
/** The RateLimit-* headers of an allowed answer. */
export function decisionHeaders(decision: RateDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.retryAfterSeconds),
  };
}

/** The 429 of a spent limit: its JSON text and headers (with `Retry-After`). */
export function refusal(
  decision: RateDecision,
  windowSeconds: number,
  what = 'requests',
): { text: string; headers: Record<string, string> } {
  const { limit, retryAfterSeconds } = decision;
  return {
    text: JSON.stringify(
      errorBody(
        'rate_limited',
        `Too many ${what}: ${limit} per ${windowSeconds} s. Try again in ${retryAfterSeconds} s.`,
        { limit, windowSeconds, retryAfterSeconds },
      ),
    ),
    headers: { ...decisionHeaders(decision), 'Retry-After': String(retryAfterSeconds) },
  };
}

export function rateLimit(deps: Pick<AppDeps, 'store' | 'now'>, options: RateLimitOptions): MiddlewareHandler {
  return async function rateLimitMiddleware(c, next) {
    const bucket = await options.bucket(c);
    if (bucket === null) return next();
    const limit = typeof options.limit === 'function' ? await options.limit(c) : options.limit;
    const decision = await consume(deps, bucket, { limit, windowSeconds: options.windowSeconds });
    if (!decision.allowed) {
      const refused = refusal(decision, options.windowSeconds, options.what);
      return c.body(refused.text, 429, { 'Content-Type': 'application/json', ...refused.headers });
    }
    await next();
    const reported = c.res.headers.get('RateLimit-Remaining');
    if (reported === null || Number(reported) > decision.remaining) {
      for (const [name, value] of Object.entries(decisionHeaders(decision))) c.res.headers.set(name, value);
    }
  };
}

export const CHECK_PATH = '/packages/check-multi-slot-availability';
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Longer than any IPv6 text: whatever else a header says is not an address worth a bucket of its own. */
export const MAX_IP_LENGTH = 64;

function isOperator(c: Context, adminApiKey: string): boolean {
  const header = c.req.header('authorization') ?? '';
  return adminApiKey !== '' && header.startsWith('Bearer ') && constantTimeEqual(header.slice(7).trim(), adminApiKey);
}

/** The tenant whose live secret key the request carries, if it does (a wrong key counts by its address). */
async function secretKeyTenant(c: Context, deps: AppDeps): Promise<string | undefined> {
  const header = c.req.header('authorization') ?? '';
  if (!header.startsWith(`Bearer ${KEY_PREFIX.secret}`)) return undefined;
  return secretKeyTenantOf(c, deps.store, header.slice(7).trim());
}

/** What the per-IP and per-tenant limits name in their refusal. */
export const PER_IP_WHAT = 'writes from this address or school';

/**
 * The limits on every write (POST, PUT, DELETE, PATCH), /admin included. Per client IP:
 * `writesPerMinutePerIp`, and for the availability check, a read the widget sends as the parent picks
 * slots, its own larger budget so browsing never spends the purchase's. A tenant's server (its live secret
 * key) is counted per tenant instead (`writesPerMinutePerTenant`): it mints every parent's token from one
 * address. The operator key is exempt: it can already do anything, and the seed and operations scripts
 * write in bulk.
 */
export function perIpLimits(deps: AppDeps): MiddlewareHandler {
  const limits = deploymentLimits(deps);
  const isCheck = (c: Context) => c.req.path === CHECK_PATH;
  const tenantOf = new WeakMap<Context, string>();
  return rateLimit(deps, {
    bucket: async (c) => {
      if (READ_METHODS.has(c.req.method) || isOperator(c, deps.adminApiKey)) return null;
      const tenant = await secretKeyTenant(c, deps);
      if (tenant !== undefined) {
        tenantOf.set(c, tenant);
        return `tenant:${tenant}:writes`;
      }
      const ip = (deps.clientIp?.(c) ?? 'local').slice(0, MAX_IP_LENGTH);
      return `ip:${ip}:${isCheck(c) ? 'checks' : 'writes'}`;
    },
    limit: (c) =>
      tenantOf.has(c)
        ? limits.writesPerMinutePerTenant
        : isCheck(c)
          ? limits.checksPerMinutePerIp
          : limits.writesPerMinutePerIp,
    windowSeconds: 60,
    what: PER_IP_WHAT,
  });
}

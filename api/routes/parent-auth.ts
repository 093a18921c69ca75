import type { Context, MiddlewareHandler } from 'hono';
import { decode } from 'hono/jwt';
import { ApiError } from '../contract/errors.js';
import { TOKEN_AUDIENCE, type TokenKind } from '../contract/tokens.js';
import type { AppDeps } from '../deps.js';
import type { PackageAccess } from '../services/access.js';
import { verifyToken } from '../services/tokens.js';

/** What `requireAccess` leaves on the context for the parent routes after it. */
export type AccessEnv = {
  Variables: {
    access: PackageAccess;
    /** Set by publicTenant when the request sent a publishable key. */
    keyTenantId?: string;
  };
};

function bearer(c: Context): string {
  const header = c.req.header('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

const KIND_OF_AUDIENCE = new Map<unknown, TokenKind>(
  Object.entries(TOKEN_AUDIENCE).map(([kind, aud]) => [aud, kind as TokenKind]),
);

/** The audience a token claims, unverified: it only picks which check to run. */
export function claimedKind(token: string): TokenKind | undefined {
  try {
    return KIND_OF_AUDIENCE.get(decode(token).payload.aud);
  } catch {
    return undefined;
  }
}

/**
 * The parent routes' one rule: `Authorization: Bearer` must carry a valid token of one of `kinds`
 * (a parent token, and for a package's own routes its manage link too), signed by its school. No
 * token, or one that is expired, forged or made for something else: 401. Whose package it is, the
 * service decides (someone else's answers 404).
 */
export function requireAccess(
  deps: Pick<AppDeps, 'store' | 'now'>,
  kinds: readonly ('parent' | 'manage')[],
): MiddlewareHandler<AccessEnv> {
  return async function requireAccessMiddleware(c, next) {
    const token = bearer(c);
    if (!token) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send Authorization: Bearer <parent token> (or the package’s manage token).',
      );
    }
    const kind = claimedKind(token);
    let access: PackageAccess;
    if (kind === 'parent' && kinds.includes('parent')) {
      const claims = await verifyToken(deps, token, 'parent');
      access = {
        kind: 'parent',
        tenantId: claims.tid,
        guardianId: claims.sub,
        studentIds: claims.sids,
        exp: claims.exp,
        secret: claims.secret,
      };
    } else if (kind === 'manage' && kinds.includes('manage')) {
      const claims = await verifyToken(deps, token, 'manage');
      access = { kind: 'manage', tenantId: claims.tid, packageId: claims.pid, secret: claims.secret };
    } else {
      throw new ApiError(401, 'unauthorized', 'This token is not valid here.');
    }
    // A page that names its school by key and carries another school's token is misconfigured or
    // stitched together: neither side may be trusted to pick the tenant.
    const keyTenant = c.get('keyTenantId');
    if (keyTenant !== undefined && keyTenant !== access.tenantId) {
      throw new ApiError(401, 'unauthorized', 'This token was issued by another school than the publishable key’s.');
    }
    c.set('access', access);
    await next();
  };
}

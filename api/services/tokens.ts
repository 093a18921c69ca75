import { decode, sign, verify } from 'hono/jwt';
import { ApiError } from '../contract/errors.js';
import {
  FEED_AFTER_END_DAYS,
  TOKEN_AUDIENCE,
  type FeedClaims,
  type ManageClaims,
  type ParentClaims,
  type TeacherClaims,
  type TokenKind,
} from '../contract/tokens.js';
import { signingSecret } from '../db/repositories/guardians.js';
import type { AppDeps } from '../deps.js';

type ClaimsOf = { parent: ParentClaims; manage: ManageClaims; feed: FeedClaims; teacher: TeacherClaims };

/** A verified token: its claims, and the secret that signed it (to sign the feed URL of an answer). */
export type Verified<K extends TokenKind> = ClaimsOf[K] & { secret: string };

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Signs a token of `kind` for `tenantId` (`iat` from the app's clock: tests and demos pin it). */
export async function signToken<K extends TokenKind>(
  deps: Pick<AppDeps, 'now'>,
  secret: string,
  kind: K,
  claims: Omit<ClaimsOf[K], 'aud' | 'iat'>,
): Promise<string> {
  return sign({ ...claims, aud: TOKEN_AUDIENCE[kind], iat: seconds(deps.now()) }, secret, 'HS256');
}

export async function secretOf(deps: Pick<AppDeps, 'store'>, tenantId: string): Promise<string> {
  const secret = await signingSecret(deps.store.db, tenantId);
  // Only a tenant row just deleted could miss here: tenants are not deleted while they have families.
  if (!secret) throw new ApiError(401, 'unauthorized', 'This token’s school is unknown.');
  return secret;
}

const refused = (why: string) => new ApiError(401, 'unauthorized', why);

/**
 * Verifies a token of `kind`: `tid` is read from the unverified payload only to pick the tenant's
 * secret; then `hono/jwt` checks the algorithm (HS256 only), the signature and the audience. Expiry is
 * checked here against the app's clock rather than by `hono/jwt` (which reads the machine's): a host
 * with a pinned `NOW` (the demo, the tests) must judge tokens by the same time it signs them with.
 * Every refusal is the same 401, whatever was wrong.
 */
export async function verifyToken<K extends TokenKind>(
  deps: Pick<AppDeps, 'store' | 'now'>,
  token: string,
  kind: K,
): Promise<Verified<K>> {
  let tid: unknown;
  try {
    tid = decode(token).payload.tid;
  } catch {
    throw refused('The token is not a token of this API.');
  }
  if (typeof tid !== 'string' || tid.length === 0 || tid.length > 64) throw refused('The token names no school.');
  const secret = await signingSecret(deps.store.db, tid);
  if (!secret) throw refused('The token is not valid.');
  let payload: Record<string, unknown>;
  try {
    payload = await verify(token, secret, {
      alg: 'HS256',
      aud: TOKEN_AUDIENCE[kind],
      exp: false,
      iat: false,
      nbf: false,
    });
  } catch {
    throw refused('The token is not valid here (wrong signature or audience).');
  }
  const now = seconds(deps.now());
  if (typeof payload.exp !== 'number' || payload.exp <= now) throw refused('The token has expired.');
  // A token issued "later" than now is one from a clock we do not keep; a minute of skew is allowed.
  if (typeof payload.iat !== 'number' || payload.iat > now + 60) throw refused('The token is not valid yet.');
  if (!claimsOk(kind, payload)) throw refused('The token is not valid here.');
  return { ...(payload as unknown as ClaimsOf[K]), secret };
}

function claimsOk(kind: TokenKind, p: Record<string, unknown>): boolean {
  if (kind === 'parent')
    return typeof p.sub === 'string' && Array.isArray(p.sids) && p.sids.every((s) => typeof s === 'string');
  if (kind === 'manage') return typeof p.pid === 'string';
  if (kind === 'teacher') return typeof p.sub === 'string';
  return typeof p.pid === 'string' && typeof p.ver === 'number';
}

/** When a package's manage link stops working: when the package ends (or a day on, for a package with no end). */
export function manageExpiry(gracePeriodEnds: string | null, now: Date): Date {
  return gracePeriodEnds ? new Date(gracePeriodEnds) : new Date(now.getTime() + 86_400_000);
}

export async function manageLink(
  deps: Pick<AppDeps, 'now'>,
  secret: string,
  pkg: { id: string; tenantId: string; gracePeriodEnds: string | null },
) {
  const expiresAt = manageExpiry(pkg.gracePeriodEnds, deps.now());
  const token = await signToken(deps, secret, 'manage', { tid: pkg.tenantId, pid: pkg.id, exp: seconds(expiresAt) });
  return { token, url: `/pack/${encodeURIComponent(pkg.id)}?t=${token}`, expiresAt: expiresAt.toISOString() };
}

/** The calendar feed path of a package, with its read-only feed token (never the manage token). */
export async function feedPath(
  deps: Pick<AppDeps, 'now'>,
  secret: string,
  pkg: { id: string; tenantId: string; gracePeriodEnds: string | null; feedTokenVersion: number },
): Promise<string> {
  const ends = manageExpiry(pkg.gracePeriodEnds, deps.now());
  const exp = seconds(ends) + FEED_AFTER_END_DAYS * 86_400;
  const token = await signToken(deps, secret, 'feed', {
    tid: pkg.tenantId,
    pid: pkg.id,
    ver: pkg.feedTokenVersion,
    exp,
  });
  return `/packages/${encodeURIComponent(pkg.id)}/calendar.ics?token=${token}`;
}

/**
 * Who is calling. Pure types: routes resolve a principal once per request (api/routes/auth.ts) and
 * services take the tenant it scopes to, never a raw header.
 *
 * - `operator`: the deployment's `ADMIN_API_KEY`; manages tenants and may act in any tenant.
 * - `tenant`: a school's or partner's secret key (`sk_…`); acts on its own rows only.
 */
export type Principal = { kind: 'operator' } | { kind: 'tenant'; tenantId: string };

export type KeyKind = 'publishable' | 'secret';

/** Keys say what they are: `pk_…` may sit in a web page, `sk_…` only on the partner's server. */
export const KEY_PREFIX: Record<KeyKind, string> = { publishable: 'pk_', secret: 'sk_' };

/** The tenant rows created before tenants existed belong to; the demo's default tenant. */
export const DEFAULT_TENANT_ID = 'tenant-default';

/**
 * The documented demo value of `ADMIN_API_KEY` (wrangler.toml [vars], `npm start` without the variable):
 * accepted only from this machine (a loopback socket on Node, a loopback host on the Worker).
 */
export const DEMO_ADMIN_KEY = 'demo-admin-key';

/**
 * How long a publishable key, once resolved, is trusted without asking the database again: a
 * publishable key rotated (or revoked) by another process stops working within this time. Secret
 * keys are never cached.
 */
export const PUBLISHABLE_KEY_TTL_MS = 30_000;

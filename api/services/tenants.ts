import { PUBLISHABLE_KEY_TTL_MS, type KeyKind } from '../contract/auth.js';
import { ApiError } from '../contract/errors.js';
import type { KeyRotationBody, TenantBody, TenantPatch } from '../contract/schemas.js';
import type { CreatedTenant, RotatedKeys, TenantSummary, UpdatedTenant } from '../contract/wire.js';
import type { AppDeps } from '../deps.js';
import {
  createdTenantFrom,
  createTenantStatements,
  isRotationConflict,
  liveKeys,
  rotatedTenantFrom,
  rotateKeyStatements,
  tenantOrigins,
  tenantWebhookState,
  updatedTenantFrom,
  updateTenantStatements,
  type StoredKey,
} from '../db/repositories/tenants.js';
import type { Store } from '../db/store.js';
import { findTenantLimits } from '../db/repositories/rate-limits.js';

type TenantLimitColumns = Awaited<ReturnType<typeof findTenantLimits>>;
import { toHex } from './crypto.js';
import { newKey, tenantOfKey } from './keys.js';

/** An id nobody can guess (ids made over the API; seeded demo rows keep readable slugs). */
export const unguessableId = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;

const randomHex = (bytes: number) => toHex(crypto.getRandomValues(new Uint8Array(bytes)));

async function storedKey(kind: KeyKind): Promise<{ key: string; stored: StoredKey }> {
  const { key, hash, prefix } = await newKey(kind);
  return { key, stored: { id: unguessableId('key'), kind, hash, prefix } };
}

/**
 * A new tenant with a publishable and a secret key, in one batch. The keys (and the webhook secret)
 * are in this answer only: the database keeps the keys' hashes.
 */
export async function createTenant(deps: AppDeps, body: TenantBody): Promise<CreatedTenant> {
  const publishable = await storedKey('publishable');
  const secret = await storedKey('secret');
  const webhookUrl = body.webhookUrl ?? null;
  const webhookSecret = webhookUrl ? `whsec_${randomHex(32)}` : null;
  const results = await deps.store.batch(
    createTenantStatements(
      deps.store.db,
      {
        id: unguessableId('tnt'),
        name: body.name,
        allowedOrigins: body.allowedOrigins ?? null,
        webhookUrl,
        webhookSecret,
        holdMinutes: body.holdMinutes,
        paymentMode: body.paymentMode,
        signingSecret: randomHex(32),
        createdAt: deps.now().toISOString(),
      },
      [publishable.stored, secret.stored],
    ),
  );
  const {
    keyPrefixes: _prefixes,
    limits: _limits,
    reminderOffsetsMinutes: _offsets,
    studentNoShow: _noShow,
    ...tenant
  } = createdTenantFrom(results);
  // This process sees the new tenant's origins at once; others within the cache's lifetime.
  tenantDirectory(deps.store).forget();
  return { ...tenant, publishableKey: publishable.key, secretKey: secret.key, webhookSecret };
}

/**
 * Changes a tenant's settings in one batch. A first webhook URL gets a webhook secret, and
 * `rotateWebhookSecret` replaces it; either is in this answer only. Clearing the URL clears the secret.
 */
export async function updateTenant(deps: AppDeps, tenantId: string, body: TenantPatch): Promise<UpdatedTenant> {
  const current = await tenantWebhookState(deps.store.db, tenantId);
  if (!current) throw new ApiError(404, 'tenant_not_found', `No tenant with id ${tenantId}`, { tenantId });
  const url = body.webhookUrl === undefined ? current.webhookUrl : body.webhookUrl;
  let webhookSecret: string | null | undefined;
  if (url === null) webhookSecret = null;
  else if (body.rotateWebhookSecret || !current.hasSecret) webhookSecret = `whsec_${randomHex(32)}`;
  const results = await deps.store.batch(
    updateTenantStatements(deps.store.db, tenantId, {
      name: body.name,
      allowedOrigins: body.allowedOrigins,
      webhookUrl: body.webhookUrl,
      webhookSecret,
      holdMinutes: body.holdMinutes,
      paymentMode: body.paymentMode,
      purchasesPerHourPerParent: body.limits?.purchasesPerHourPerParent,
      maxOpenPurchases: body.limits?.maxOpenPurchases,
      reminderOffsetsMinutes: body.reminderOffsetsMinutes,
      studentNoShow: body.studentNoShow,
    }),
  );
  const updated = updatedTenantFrom(results);
  if (!updated) throw new ApiError(404, 'tenant_not_found', `No tenant with id ${tenantId}`, { tenantId });
  // New origins and webhook settings: this process at once, others within the cache's lifetime.
  tenantDirectory(deps.store).forget(tenantId);
  return { ...updated, webhookSecret: typeof webhookSecret === 'string' ? webhookSecret : null };
}

/**
 * Replaces a tenant's secret key, publishable key or both: the old key stops working the moment the
 * batch commits (a publishable key cached by another process: within PUBLISHABLE_KEY_TTL_MS).
 */
export async function rotateKeys(deps: AppDeps, tenantId: string, body: KeyRotationBody): Promise<RotatedKeys> {
  const live = await liveKeys(deps.store.db, tenantId);
  if (!live) throw new ApiError(404, 'tenant_not_found', `No tenant with id ${tenantId}`, { tenantId });
  const kinds: KeyKind[] = body.kind === 'both' ? ['publishable', 'secret'] : [body.kind];
  const made = await Promise.all(kinds.map(async (kind) => ({ kind, ...(await storedKey(kind)) })));
  let summary: TenantSummary;
  try {
    const results = await deps.store.batch(
      rotateKeyStatements(
        deps.store.db,
        tenantId,
        made.map(({ kind, stored }) => ({ seen: live[kind], key: stored })),
        deps.now().toISOString(),
        body.endTokens ? randomHex(32) : null,
      ),
    );
    summary = rotatedTenantFrom(results);
  } catch (error) {
    if (!isRotationConflict(error)) throw error;
    throw new ApiError(
      409,
      'rotation_conflict',
      'Another rotation of this key won meanwhile; its key is the live one.',
      {
        tenantId,
      },
    );
  }
  tenantDirectory(deps.store).forget(tenantId);
  const keyOf = (kind: KeyKind) => made.find((m) => m.kind === kind)?.key ?? null;
  return {
    tenantId,
    publishableKey: keyOf('publishable'),
    secretKey: keyOf('secret'),
    keyPrefixes: summary.keyPrefixes,
    tokensEnded: body.endTokens,
  };
}

interface Cached<T> {
  value: T;
  until: number;
}

const MAX_CACHED_KEYS = 10_000;

/**
 * What the public routes ask about tenants on every request, kept in memory for
 * PUBLISHABLE_KEY_TTL_MS: which tenant a publishable key names, and which browser origins each
 * tenant allows. Publishable keys are public (they sit in web pages), so the key itself is the map's
 * key; unknown keys are not remembered, so a new key works at once. Secret keys never pass here.
 * Time is the real clock's: a pinned demo clock must not freeze the cache.
 */
export class TenantDirectory {
  readonly #keys = new Map<string, Cached<string>>();
  #origins: Cached<Map<string, string[] | null>> | null = null;
  readonly #limits = new Map<string, Cached<TenantLimitColumns | undefined>>();

  constructor(private readonly store: Store) {}

  async tenantOfPublishableKey(key: string): Promise<string | undefined> {
    const now = Date.now();
    const hit = this.#keys.get(key);
    if (hit && hit.until > now) return hit.value;
    this.#keys.delete(key);
    const tenantId = await tenantOfKey(this.store, key, 'publishable');
    if (tenantId) {
      this.#keys.set(key, { value: tenantId, until: now + PUBLISHABLE_KEY_TTL_MS });
      if (this.#keys.size > MAX_CACHED_KEYS) this.#keys.delete(this.#keys.keys().next().value as string);
    }
    return tenantId;
  }

  /** Each tenant's allowed origins (null: the deployment's default), one read per TTL for all tenants. */
  async origins(): Promise<Map<string, string[] | null>> {
    const now = Date.now();
    if (this.#origins && this.#origins.until > now) return this.#origins.value;
    const rows = await tenantOrigins(this.store.db);
    const value = new Map(
      rows.map((row) => [row.id, row.allowedOrigins ? (JSON.parse(row.allowedOrigins) as string[]) : null]),
    );
    this.#origins = { value, until: now + PUBLISHABLE_KEY_TTL_MS };
    return value;
  }

  /** One tenant's allowed origins; a tenant the cached list does not know yet (just created elsewhere) reloads it. */
  async originsOf(tenantId: string): Promise<string[] | null | undefined> {
    const cached = await this.origins();
    if (cached.has(tenantId)) return cached.get(tenantId);
    this.#origins = null;
    return (await this.origins()).get(tenantId);
  }

  /**
   * A tenant's own abuse-limit columns, read once per TTL: a purchase's limiter would otherwise add a
   * statement to every purchase. PATCH /admin/tenants forgets them here at once (other processes: the TTL).
   */
  async limitsOf(tenantId: string): Promise<TenantLimitColumns | undefined> {
    const now = Date.now();
    const hit = this.#limits.get(tenantId);
    if (hit && hit.until > now) return hit.value;
    const value = await findTenantLimits(this.store.db, tenantId);
    this.#limits.set(tenantId, { value, until: now + PUBLISHABLE_KEY_TTL_MS });
    if (this.#limits.size > MAX_CACHED_KEYS) this.#limits.delete(this.#limits.keys().next().value as string);
    return value;
  }

  /** Drops what this process remembers of a tenant (after a rotation), or of every tenant. */
  forget(tenantId?: string): void {
    this.#origins = null;
    if (tenantId === undefined) {
      this.#limits.clear();
      return;
    }
    this.#limits.delete(tenantId);
    for (const [key, cached] of this.#keys) if (cached.value === tenantId) this.#keys.delete(key);
  }
}

const directories = new WeakMap<Store, TenantDirectory>();

/** The one directory of a store in this process (routes, CORS and the rotation share what it remembers). */
export function tenantDirectory(store: Store): TenantDirectory {
  let directory = directories.get(store);
  if (!directory) directories.set(store, (directory = new TenantDirectory(store)));
  return directory;
}

import { sql, type Compilable, type Kysely } from 'kysely';
import type { KeyKind } from '../../contract/auth.js';
import type { StudentNoShow, TenantSummary } from '../../contract/wire.js';
import type { Database } from '../schema.js';
import type { BatchResult } from '../store.js';
import { DEFAULT_REMINDER_OFFSETS_MINUTES } from '../../contract/schemas.js';

/** The tenant a live (not revoked) key belongs to, found by the key's SHA-256. */
export async function findLiveKey(
  db: Kysely<Database>,
  keyHash: string,
): Promise<{ tenantId: string; kind: KeyKind } | undefined> {
  return db
    .selectFrom('tenant_keys')
    .select(['tenant_id as tenantId', 'kind'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** A key as stored: its hash and prefix, never the key. */
export interface StoredKey {
  id: string;
  kind: KeyKind;
  hash: string;
  prefix: string;
}

export interface NewTenant {
  id: string;
  name: string;
  allowedOrigins: string[] | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
  holdMinutes: number;
  paymentMode: 'required' | 'none';
  signingSecret: string;
  createdAt: string;
}

const liveKeyPrefix = (kind: KeyKind) =>
  sql<string | null>`(SELECT prefix FROM tenant_keys k
    WHERE k.tenant_id = tenants.id AND k.kind = ${kind} AND k.revoked_at IS NULL)`;

function tenantColumns() {
  return [
    'id',
    'name',
    'allowed_origins as allowedOrigins',
    'webhook_url as webhookUrl',
    'hold_minutes as holdMinutes',
    'payment_mode as paymentMode',
    'purchases_per_hour_per_parent as purchasesPerHourPerParent',
    'max_open_purchases as maxOpenPurchases',
    'reminder_offsets_minutes as reminderOffsetsMinutes',
    'student_no_show as studentNoShow',
    'created_at as createdAt',
    liveKeyPrefix('publishable').as('publishablePrefix'),
    liveKeyPrefix('secret').as('secretPrefix'),
  ] as const;
}

interface TenantRow {
  id: string;
  name: string;
  allowedOrigins: string | null;
  webhookUrl: string | null;
  holdMinutes: number;
  paymentMode: 'required' | 'none';
  purchasesPerHourPerParent: number | null;
  maxOpenPurchases: number | null;
  reminderOffsetsMinutes: string | null;
  studentNoShow: StudentNoShow;
  createdAt: string;
  publishablePrefix: string | null;
  secretPrefix: string | null;
}

function toSummary(row: TenantRow): TenantSummary {
  return {
    id: row.id,
    name: row.name,
    allowedOrigins: row.allowedOrigins === null ? null : (JSON.parse(row.allowedOrigins) as string[]),
    webhookUrl: row.webhookUrl,
    holdMinutes: row.holdMinutes,
    paymentMode: row.paymentMode,
    limits: { purchasesPerHourPerParent: row.purchasesPerHourPerParent, maxOpenPurchases: row.maxOpenPurchases },
    reminderOffsetsMinutes:
      row.reminderOffsetsMinutes === null
        ? [...DEFAULT_REMINDER_OFFSETS_MINUTES]
        : (JSON.parse(row.reminderOffsetsMinutes) as number[]),
    studentNoShow: row.studentNoShow,
    keyPrefixes: { publishable: row.publishablePrefix, secret: row.secretPrefix },
    createdAt: row.createdAt,
  };
}

/**
 * A tenant and its two keys as statements for one batch: all of it commits or none (a taken id or key
 * hash fails the whole batch). The last statement reads the tenant as written.
 */
export function createTenantStatements(db: Kysely<Database>, tenant: NewTenant, keys: StoredKey[]): Compilable[] {
  return [
    db.insertInto('tenants').values({
      id: tenant.id,
      name: tenant.name,
      allowed_origins: tenant.allowedOrigins === null ? null : JSON.stringify(tenant.allowedOrigins),
      webhook_url: tenant.webhookUrl,
      webhook_secret: tenant.webhookSecret,
      hold_minutes: tenant.holdMinutes,
      payment_mode: tenant.paymentMode,
      signing_secret: tenant.signingSecret,
      created_at: tenant.createdAt,
    }),
    ...keys.map((key) =>
      db.insertInto('tenant_keys').values({
        id: key.id,
        tenant_id: tenant.id,
        kind: key.kind,
        key_hash: key.hash,
        prefix: key.prefix,
        created_at: tenant.createdAt,
      }),
    ),
    db.selectFrom('tenants').select(tenantColumns()).where('id', '=', tenant.id),
  ];
}

/** The tenant a `createTenantStatements` batch wrote, from its last statement. */
export function createdTenantFrom(results: BatchResult[]): TenantSummary {
  return toSummary(results[results.length - 1]!.rows[0] as unknown as TenantRow);
}

export async function listTenants(db: Kysely<Database>): Promise<TenantSummary[]> {
  const rows = await db.selectFrom('tenants').select(tenantColumns()).orderBy('created_at').orderBy('id').execute();
  return rows.map(toSummary);
}

/** The ids of a tenant's live keys, or undefined when there is no such tenant: a rotation's context read. */
export async function liveKeys(
  db: Kysely<Database>,
  tenantId: string,
): Promise<Record<KeyKind, string | null> | undefined> {
  const row = await db
    .selectFrom('tenants')
    .select([
      sql<string | null>`(SELECT id FROM tenant_keys
        WHERE tenant_id = tenants.id AND kind = 'publishable' AND revoked_at IS NULL)`.as('publishable'),
      sql<string | null>`(SELECT id FROM tenant_keys
        WHERE tenant_id = tenants.id AND kind = 'secret' AND revoked_at IS NULL)`.as('secret'),
    ])
    .where('id', '=', tenantId)
    .executeTakeFirst();
  return row && { publishable: row.publishable, secret: row.secret };
}

/**
 * One rotation as statements for one batch: each kind revokes the key the caller saw live (and only
 * it) and inserts the new one. If a concurrent rotation replaced that key first, the revoke finds
 * nothing and the insert meets the other rotation's live key on the unique partial index
 * `tenant_keys_live`: the whole batch fails and nothing changes. The last statement reads the live
 * prefixes as the batch left them.
 */
export function rotateKeyStatements(
  db: Kysely<Database>,
  tenantId: string,
  rotations: { seen: string | null; key: StoredKey }[],
  now: string,
  newSigningSecret: string | null = null,
): Compilable[] {
  return [
    ...(newSigningSecret === null
      ? []
      : [db.updateTable('tenants').set({ signing_secret: newSigningSecret }).where('id', '=', tenantId)]),
    ...rotations.flatMap(({ seen, key }) => [
      db
        .updateTable('tenant_keys')
        .set({ revoked_at: now })
        .where('id', '=', seen ?? '')
        .where('tenant_id', '=', tenantId)
        .where('revoked_at', 'is', null),
      db.insertInto('tenant_keys').values({
        id: key.id,
        tenant_id: tenantId,
        kind: key.kind,
        key_hash: key.hash,
        prefix: key.prefix,
        created_at: now,
      }),
    ]),
    db.selectFrom('tenants').select(tenantColumns()).where('id', '=', tenantId),
  ];
}

/** The tenant a rotation batch left, from its last statement. */
export function rotatedTenantFrom(results: BatchResult[]): TenantSummary {
  return toSummary(results[results.length - 1]!.rows[0] as unknown as TenantRow);
}

/** The refusal of a raced rotation: the live-key index (or a key hash that exists, which cannot happen). */
export function isRotationConflict(error: unknown): boolean {
  return /UNIQUE constraint failed: tenant_keys\.|tenant_keys_live/.test(
    String((error as { message?: unknown })?.message ?? error),
  );
}

/** Every tenant's browser origins (JSON text, or null for the deployment's default), for CORS. */
export async function tenantOrigins(db: Kysely<Database>): Promise<{ id: string; allowedOrigins: string | null }[]> {
  return db.selectFrom('tenants').select(['id', 'allowed_origins as allowedOrigins']).execute();
}

/** Where each tenant with a webhook wants its outbox delivered, and the secret it is signed with. */
export async function tenantWebhooks(
  db: Kysely<Database>,
): Promise<{ id: string; webhookUrl: string | null; webhookSecret: string | null }[]> {
  return db
    .selectFrom('tenants')
    .select(['id', 'webhook_url as webhookUrl', 'webhook_secret as webhookSecret'])
    .where('webhook_url', 'is not', null)
    .execute();
}

/** What `PATCH /admin/tenants/:id` changes: only the fields present (undefined: left as is). */
export interface TenantChanges {
  name?: string | undefined;
  allowedOrigins?: string[] | null | undefined;
  webhookUrl?: string | null | undefined;
  webhookSecret?: string | null | undefined;
  holdMinutes?: number | undefined;
  paymentMode?: 'required' | 'none' | undefined;
  purchasesPerHourPerParent?: number | null | undefined;
  maxOpenPurchases?: number | null | undefined;
  /** null: back to the default offsets. */
  reminderOffsetsMinutes?: number[] | null | undefined;
  studentNoShow?: StudentNoShow | undefined;
}

/**
 * One tenant's settings changed, and the tenant read back as the same batch left it (no row: no such
 * tenant, nothing changed). A pending hold keeps the hold_expires_at it was bought with.
 */
export function updateTenantStatements(db: Kysely<Database>, tenantId: string, changes: TenantChanges): Compilable[] {
  const set: Record<string, unknown> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.allowedOrigins !== undefined)
    set.allowed_origins = changes.allowedOrigins === null ? null : JSON.stringify(changes.allowedOrigins);
  if (changes.webhookUrl !== undefined) set.webhook_url = changes.webhookUrl;
  if (changes.webhookSecret !== undefined) set.webhook_secret = changes.webhookSecret;
  if (changes.holdMinutes !== undefined) set.hold_minutes = changes.holdMinutes;
  if (changes.paymentMode !== undefined) set.payment_mode = changes.paymentMode;
  if (changes.purchasesPerHourPerParent !== undefined)
    set.purchases_per_hour_per_parent = changes.purchasesPerHourPerParent;
  if (changes.maxOpenPurchases !== undefined) set.max_open_purchases = changes.maxOpenPurchases;
  if (changes.reminderOffsetsMinutes !== undefined)
    set.reminder_offsets_minutes =
      changes.reminderOffsetsMinutes === null ? null : JSON.stringify(changes.reminderOffsetsMinutes);
  if (changes.studentNoShow !== undefined) set.student_no_show = changes.studentNoShow;
  return [
    ...(Object.keys(set).length ? [db.updateTable('tenants').set(set).where('id', '=', tenantId)] : []),
    db
      .selectFrom('tenants')
      .select([...tenantColumns(), 'webhook_secret as webhookSecret'])
      .where('id', '=', tenantId),
  ];
}

/** The tenant an update batch left (undefined: none) and its webhook secret, from the last statement. */
export function updatedTenantFrom(
  results: BatchResult[],
): (TenantSummary & { webhookSecret: string | null }) | undefined {
  const row = results[results.length - 1]!.rows[0] as unknown as
    (TenantRow & { webhookSecret: string | null }) | undefined;
  return row && { ...toSummary(row), webhookSecret: row.webhookSecret };
}

/** A tenant's webhook URL and whether it has a secret: the context read of an update. */
export async function tenantWebhookState(
  db: Kysely<Database>,
  tenantId: string,
): Promise<{ webhookUrl: string | null; hasSecret: boolean } | undefined> {
  const row = await db
    .selectFrom('tenants')
    .select(['webhook_url as webhookUrl', 'webhook_secret as webhookSecret'])
    .where('id', '=', tenantId)
    .executeTakeFirst();
  return row && { webhookUrl: row.webhookUrl, hasSecret: row.webhookSecret !== null };
}

import { sql, type Kysely } from 'kysely';
import type { OutboxNotification } from '../../contract/wire.js';
import type { Database } from '../schema.js';
import type { Batch } from '../store.js';

/*
 * The transactional outbox (`notifications`). Rows announcing a change are written in that change's
 * batch (see lifecycle.ts, and the purchase trigger); what is here serves the delivery sweep and
 * the admin listing.
 */

export async function listNotifications(
  db: Kysely<Database>,
  tenantId: string,
  filter: { packageId?: string | undefined; eventType?: string | undefined },
): Promise<OutboxNotification[]> {
  let query = db
    .selectFrom('notifications')
    .select([
      'id',
      'event_type as eventType',
      'package_id as packageId',
      'booking_id as bookingId',
      'payload',
      'attempts',
      'next_attempt_at as nextAttemptAt',
      'delivered_at as deliveredAt',
      'last_error as lastError',
      'created_at as createdAt',
    ])
    .where('tenant_id', '=', tenantId)
    .orderBy('id');
  if (filter.packageId) query = query.where('package_id', '=', filter.packageId);
  if (filter.eventType) query = query.where('event_type', '=', filter.eventType);
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) as unknown }));
}

/**
 * `pack.expiring` once per confirmed package (dedupe_key) ending in (now, until] with floating credits left.
 * RETURNING counts only the rows written, never the ones the dedupe key skipped.
 */
export function expiringNoticesBatch(db: Kysely<Database>, input: { now: string; until: string }): Batch<number> {
  const query = sql`
    INSERT INTO notifications (event_type, package_id, payload, dedupe_key, created_at, next_attempt_at)
    SELECT 'pack.expiring', p.id,
           json_object('packageId', p.id, 'studentId', p.student_id, 'teacherId', p.teacher_id,
                       'gracePeriodEnds', p.grace_period_ends,
                       'floatingSessionsLeft', p.floating_session_count - p.floating_sessions_used),
           'pack.expiring:' || p.id, ${input.now}, ${input.now}
      FROM student_packages p
     WHERE p.status = 'active' AND p.hold_expires_at IS NULL
       AND p.grace_period_ends > ${input.now} AND p.grace_period_ends <= ${input.until}
       AND p.floating_sessions_used < p.floating_session_count
    ON CONFLICT(dedupe_key) DO NOTHING
    RETURNING id`;
  return { statements: [{ compile: () => query.compile(db) }], read: ([written]) => written!.rows.length };
}

export interface ClaimedNotification {
  id: number;
  /** Whose webhook gets it. */
  tenantId: string;
  eventType: string;
  packageId: string | null;
  bookingId: string | null;
  payload: string;
  attempts: number;
  createdAt: string;
  claimToken: string;
}

/**
 * Claims up to `limit` due rows until `leaseUntil` in one UPDATE … RETURNING, so two workers never
 * claim the same row; the claim counts as an attempt. Only rows someone will receive are claimed:
 * those of tenants with a webhook of their own, and those of `fallbackTenantId` (the tenant the
 * deployment's WEBHOOK_URL serves; null: none). The others wait, unattempted, until their tenant
 * names a webhook. A withdrawn row (a reminder whose session changed, 0012_reminders.sql) is never claimed.
 */
export function claimDueBatch(
  db: Kysely<Database>,
  input: { now: string; limit: number; leaseUntil: string; token: string; fallbackTenantId: string | null },
): Batch<ClaimedNotification[]> {
  const query = sql`
    UPDATE notifications
       SET attempts = attempts + 1, next_attempt_at = ${input.leaseUntil}, claim_token = ${input.token}
     WHERE id IN (SELECT n.id FROM notifications n JOIN tenants t ON t.id = n.tenant_id
                   WHERE n.delivered_at IS NULL AND n.withdrawn_at IS NULL AND n.next_attempt_at <= ${input.now}
                     AND ((t.webhook_url IS NOT NULL AND t.webhook_secret IS NOT NULL) OR t.id = ${input.fallbackTenantId})
                   ORDER BY n.next_attempt_at, n.id LIMIT ${input.limit})
       AND delivered_at IS NULL AND withdrawn_at IS NULL AND next_attempt_at <= ${input.now}
    RETURNING id, tenant_id, event_type, package_id, booking_id, payload, attempts, created_at`;
  return {
    statements: [{ compile: () => query.compile(db) }],
    read: ([claimed]) =>
      claimed!.rows
        .map((row) => ({
          id: Number(row.id),
          tenantId: String(row.tenant_id),
          eventType: String(row.event_type),
          packageId: (row.package_id as string | null) ?? null,
          bookingId: (row.booking_id as string | null) ?? null,
          payload: String(row.payload),
          attempts: Number(row.attempts),
          createdAt: String(row.created_at),
          claimToken: input.token,
        }))
        .sort((a, b) => a.id - b.id),
  };
}

/** Recorded even if the claim's lease ran out meanwhile: the receiver has it, so no one need send it again. */
export async function markDelivered(db: Kysely<Database>, id: number, at: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ delivered_at: at, last_error: null, claim_token: null })
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .execute();
}

/** Only the current claimant reschedules the row, so a slow stale worker cannot delay it. */
export async function markFailed(
  db: Kysely<Database>,
  input: { id: number; claimToken: string; nextAttemptAt: string; error: string },
): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ next_attempt_at: input.nextAttemptAt, last_error: input.error, claim_token: null })
    .where('id', '=', input.id)
    .where('claim_token', '=', input.claimToken)
    .where('delivered_at', 'is', null)
    .execute();
}

import { sql, type Compilable, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { Batch, BatchResult } from '../store.js';
import { packageRecordFrom, packageRecordQuery, type PackageRecord } from './packages.js';

/*
 * Holds (0007_holds.sql): confirming a pending package and cancelling one, each as one guarded batch.
 * The first statement is the guarded change (RETURNING says whether it applied); the last reads the
 * package as the batch left it, which tells the service why a refused change was refused.
 */

export interface HoldWritten {
  applied: boolean;
  record: PackageRecord | undefined;
}

function holdBatch(
  db: Kysely<Database>,
  packageId: string,
  tenantId: string,
  statements: Compilable[],
): Batch<HoldWritten> {
  return {
    statements: [
      ...statements,
      packageRecordQuery(db).where('p.id', '=', packageId).where('p.tenant_id', '=', tenantId),
    ],
    read: (results: BatchResult[]) => ({
      applied: results[0]!.rows.length > 0,
      record: packageRecordFrom(results[results.length - 1]!),
    }),
  };
}

export interface ConfirmInput {
  tenantId: string;
  packageId: string;
  paymentReference: string;
  amountMinor: number;
  currency: string;
  now: string;
}

/**
 * Confirms a pending package, only while its hold lives at `now` and only for its exact price: one
 * UPDATE, so a confirm racing the hold's expiry has one outcome. The `student_packages_confirmed`
 * trigger clears the sessions' holds, writes the escrow hold with the reference and the
 * `pack.purchased` outbox row in the same statement. A reference another package of the tenant used
 * fails the partial unique index (the whole batch rolls back).
 */
export function confirmBatch(db: Kysely<Database>, input: ConfirmInput): Batch<HoldWritten> {
  const { tenantId, packageId, paymentReference, amountMinor, currency, now } = input;
  return holdBatch(db, packageId, tenantId, [
    {
      compile: () =>
        sql`UPDATE student_packages
               SET hold_expires_at = NULL, payment_reference = ${paymentReference}, confirmed_at = ${now}
             WHERE id = ${packageId} AND tenant_id = ${tenantId} AND status = 'active'
               AND hold_expires_at IS NOT NULL AND hold_expires_at > ${now}
               AND price_minor = ${amountMinor} AND currency = ${currency}
            RETURNING id`.compile(db),
    },
  ]);
}

export interface CancelHoldInput {
  tenantId: string;
  packageId: string;
  token: string;
  now: string;
}

/**
 * The parent gives up a pending purchase: the package and its sessions are cancelled in one batch,
 * so the slots are free the moment it commits, and `pack.hold_cancelled` is announced. Guarded on
 * the hold still living at `now` (a lapsed hold has freed its slots already; a confirmed package is
 * not this batch's business).
 */
export function cancelHoldBatch(db: Kysely<Database>, input: CancelHoldInput): Batch<HoldWritten> {
  const { tenantId, packageId, token, now } = input;
  const mine = sql`EXISTS (SELECT 1 FROM student_packages WHERE id = ${packageId} AND change_token = ${token})`;
  return holdBatch(db, packageId, tenantId, [
    {
      compile: () =>
        sql`UPDATE student_packages SET status = 'cancelled', change_token = ${token}
             WHERE id = ${packageId} AND tenant_id = ${tenantId} AND status = 'active'
               AND hold_expires_at IS NOT NULL AND hold_expires_at > ${now}
            RETURNING id`.compile(db),
    },
    {
      compile: () =>
        sql`UPDATE bookings
               SET status = 'cancelled', cancelled_at = ${now}, cancel_reason = 'hold_cancelled',
                   change_token = ${token}, revision = revision + 1, updated_at = ${now}, written_at = ${now}
             WHERE package_id = ${packageId} AND status = 'scheduled' AND ${mine}`.compile(db),
    },
    {
      compile: () =>
        sql`INSERT INTO notifications (event_type, package_id, payload, dedupe_key, created_at, next_attempt_at)
            SELECT 'pack.hold_cancelled', p.id,
                   json_object('packageId', p.id, 'studentId', p.student_id, 'teacherId', p.teacher_id,
                               'holdExpiresAt', p.hold_expires_at, 'cancelledAt', ${now}),
                   'pack.hold_cancelled:' || p.id, ${now}, ${now}
              FROM student_packages p WHERE p.id = ${packageId} AND p.change_token = ${token}`.compile(db),
    },
  ]);
}

/**
 * `pack.hold_expired` once per pending package whose hold lapsed by `now` (dedupe_key). Late is
 * fine: the slots were free at the instant regardless. RETURNING counts the rows written only.
 */
export function expiredHoldNoticesBatch(db: Kysely<Database>, now: string): Batch<number> {
  const query = sql`
    INSERT INTO notifications (event_type, package_id, payload, dedupe_key, created_at, next_attempt_at)
    SELECT 'pack.hold_expired', p.id,
           json_object('packageId', p.id, 'studentId', p.student_id, 'teacherId', p.teacher_id,
                       'holdExpiresAt', p.hold_expires_at, 'priceMinor', p.price_minor, 'currency', p.currency),
           'pack.hold_expired:' || p.id, ${now}, ${now}
      FROM student_packages p
     WHERE p.status = 'active' AND p.hold_expires_at IS NOT NULL AND p.hold_expires_at <= ${now}
    ON CONFLICT(dedupe_key) DO NOTHING
    RETURNING id`;
  return { statements: [{ compile: () => query.compile(db) }], read: ([written]) => written!.rows.length };
}

/** The refusal of a reference another package of the tenant was confirmed with. */
export function isPaymentReferenceTaken(error: unknown): boolean {
  return /student_packages\.tenant_id, student_packages\.payment_reference|student_packages_payment_reference/.test(
    String((error as { message?: unknown })?.message ?? error),
  );
}

/** The tenant of a package, whatever tenant asks (the demo checkout on this machine only). */
export async function packageTenant(db: Kysely<Database>, packageId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('student_packages')
    .select('tenant_id')
    .where('id', '=', packageId)
    .executeTakeFirst();
  return row?.tenant_id;
}

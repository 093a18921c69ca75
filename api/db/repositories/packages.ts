import { sql, type InferResult, type Kysely } from 'kysely';
import type { ManageLink, PackageSessionView, RecurringPattern, TierTerms } from '../../contract/wire.js';
import { TIER_JSON } from './tiers.js';
import { scheduleVersionKey } from './schedule.js';
import type { Batch, BatchResult } from '../store.js';
import type { Database } from '../schema.js';

export interface PurchaseContext {
  existing: { id: string; requestHash: string } | null;
  /** The teacher's tenant (the request's; undefined: no such teacher there): the package's tenant. */
  tenantId: string | undefined;
  studentExists: boolean;
  teachesSubject: boolean;
  /** The teacher's schedule version key at now (undefined: no such teacher), to validate a cached schedule. */
  scheduleVersion: string | undefined;
  /** The tenant's payment terms: whether a purchase waits for payment, and how long it holds its slots. */
  paymentMode: 'required' | 'none';
  holdMinutes: number;
  /** The tenant's own limit of unfinished purchases per parent (null: the deployment's). */
  maxOpenPurchases: number | null;
  teacherName: string;
  teacherNameAr: string | null;
  subjectName: string;
  subjectNameAr: string | null;
  tier: TierTerms | null;
}

/**
 * Idempotency, existence and tier checks of a purchase in one statement, all inside the request's
 * tenant: another tenant's teacher, student or tier reads as no row (the same 404 as an unknown id).
 */
export async function loadPurchaseContext(
  db: Kysely<Database>,
  tenantId: string,
  input: {
    idempotencyKey: string;
    studentId: string;
    teacherId: string;
    subjectId: string;
    tierId: string;
    /** The parent token's guardian: the student must be this guardian's. */
    guardianId: string;
  },
  now: string,
): Promise<PurchaseContext> {
  const { rows } = await sql<{
    existing: string | null;
    tenant_id: string | null;
    student_exists: number;
    teaches_subject: number;
    tier: string | null;
    schedule_version: number | null;
    next_hold: string | null;
    payment_mode: 'required' | 'none' | null;
    hold_minutes: number | null;
    max_open_purchases: number | null;
    teacher_name: string | null;
    teacher_name_ar: string | null;
    subject_name: string | null;
    subject_name_ar: string | null;
  }>`
    SELECT
      (SELECT json_object('id', id, 'requestHash', request_hash)
         FROM student_packages
        WHERE idempotency_key = ${input.idempotencyKey} AND tenant_id = ${tenantId}) AS existing,
      (SELECT tenant_id FROM teachers WHERE id = ${input.teacherId} AND tenant_id = ${tenantId}) AS tenant_id,
      EXISTS (SELECT 1 FROM students WHERE id = ${input.studentId}
               AND tenant_id = ${tenantId} AND guardian_id = ${input.guardianId}) AS student_exists,
      EXISTS (SELECT 1 FROM teacher_subjects
               WHERE teacher_id = ${input.teacherId} AND subject_id = ${input.subjectId}) AS teaches_subject,
      (SELECT ${sql.raw(TIER_JSON)}
         FROM package_tiers
        WHERE id = ${input.tierId} AND active = 1 AND tenant_id = ${tenantId}
          AND (teacher_id IS NULL OR teacher_id = ${input.teacherId})) AS tier,
      (SELECT schedule_version FROM teachers
        WHERE id = ${input.teacherId} AND tenant_id = ${tenantId}) AS schedule_version,
      (SELECT min(h.hold_expires_at) FROM bookings h
        WHERE h.teacher_id = ${input.teacherId} AND h.status = 'scheduled'
          AND h.hold_expires_at IS NOT NULL AND h.hold_expires_at > ${now}) AS next_hold,
      (SELECT payment_mode FROM tenants WHERE id = ${tenantId}) AS payment_mode,
      (SELECT hold_minutes FROM tenants WHERE id = ${tenantId}) AS hold_minutes,
      (SELECT max_open_purchases FROM tenants WHERE id = ${tenantId}) AS max_open_purchases,
      (SELECT name FROM teachers WHERE id = ${input.teacherId}) AS teacher_name,
      (SELECT name_ar FROM teachers WHERE id = ${input.teacherId}) AS teacher_name_ar,
      (SELECT name FROM subjects WHERE id = ${input.subjectId}) AS subject_name,
      (SELECT name_ar FROM subjects WHERE id = ${input.subjectId}) AS subject_name_ar
  `.execute(db);
  const row = rows[0]!;
  return {
    existing: row.existing ? (JSON.parse(row.existing) as PurchaseContext['existing']) : null,
    tenantId: row.tenant_id ?? undefined,
    studentExists: row.student_exists === 1,
    teachesSubject: row.teaches_subject === 1,
    tier: row.tier ? (JSON.parse(row.tier) as PurchaseContext['tier']) : null,
    scheduleVersion:
      row.schedule_version === null ? undefined : scheduleVersionKey(row.schedule_version, row.next_hold),
    paymentMode: row.payment_mode ?? 'required',
    holdMinutes: row.hold_minutes ?? 15,
    maxOpenPurchases: row.max_open_purchases,
    teacherName: row.teacher_name ?? '',
    teacherNameAr: row.teacher_name_ar,
    subjectName: row.subject_name ?? input.subjectId,
    subjectNameAr: row.subject_name_ar,
  };
}

export interface NewPackage {
  id: string;
  studentId: string;
  teacherId: string;
  subjectId: string;
  tierId: string;
  recurringPatterns: RecurringPattern[];
  sessionCount: number;
  recurringSessionCount: number;
  floatingSessionCount: number;
  rescheduleLimit: number;
  sessionMinutes: number;
  firstScheduledSession: string | null;
  lastScheduledSession: string | null;
  gracePeriodEnds: string | null;
  priceMinor: number;
  currency: string;
  idempotencyKey: string;
  requestHash: string;
  /** The app's clock, not the database's: tests and demos pin it. */
  createdAt: string;
  /** The tenant and guardian of the parent token that bought it: the package is theirs. */
  tenantId: string;
  /** Null only for a package written without a parent (the seed's legacy package, storage tests). */
  guardianId: string | null;
  /** Pending until then (the tenant requires payment); null or omitted: confirmed at purchase. */
  holdExpiresAt?: string | null;
  /** With a hold: how many live holds the guardian may have (the database refuses one more). */
  openPurchaseLimit?: number | null;
}

export interface NewBooking {
  id: string;
  startUtc: string;
  endUtc: string;
  sessionNumber: number;
  escrowMinor: number;
}

export interface PurchaseWritten {
  /** The package insert applied (its RETURNING gave a row): this request owns the key. */
  inserted: boolean;
  /** When it did not: the package that holds the key, read in the same batch (for the replay). */
  holder: PackageRecord | undefined;
}

/**
 * The purchase as two set-based statements for one atomic batch, then a read of whichever package
 * holds the key if it is not ours. The package insert does nothing when the idempotency key already
 * exists, and says so by RETURNING no row; the bookings insert is guarded on the package row being
 * this very request's, so a replay racing us writes nothing. Its escrow hold and outbox row come
 * from the `student_packages_purchased` trigger. Overlaps are refused by the bookings triggers and
 * the partial unique index, which abort the whole batch. Bookings travel as one JSON parameter:
 * D1 allows at most 100 bound parameters per statement.
 */
export function purchaseBatch(
  db: Kysely<Database>,
  pkg: NewPackage,
  bookings: NewBooking[],
  manage: ManageLink,
): Batch<PurchaseWritten> {
  const insertPackage = db
    .insertInto('student_packages')
    .values({
      tenant_id: pkg.tenantId,
      id: pkg.id,
      student_id: pkg.studentId,
      teacher_id: pkg.teacherId,
      subject_id: pkg.subjectId,
      tier_id: pkg.tierId,
      recurring_patterns: JSON.stringify(pkg.recurringPatterns),
      recurring_weekday: null,
      recurring_time: null,
      session_count: pkg.sessionCount,
      recurring_session_count: pkg.recurringSessionCount,
      floating_session_count: pkg.floatingSessionCount,
      reschedule_limit: pkg.rescheduleLimit,
      session_minutes: pkg.sessionMinutes,
      first_scheduled_session: pkg.firstScheduledSession,
      last_scheduled_session: pkg.lastScheduledSession,
      grace_period_ends: pkg.gracePeriodEnds,
      price_minor: pkg.priceMinor,
      currency: pkg.currency,
      idempotency_key: pkg.idempotencyKey,
      request_hash: pkg.requestHash,
      created_at: pkg.createdAt,
      guardian_id: pkg.guardianId,
      hold_expires_at: pkg.holdExpiresAt ?? null,
      open_purchase_limit: pkg.holdExpiresAt ? (pkg.openPurchaseLimit ?? null) : null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id');

  const insertBookings = sql`
    INSERT INTO bookings (id, tenant_id, package_id, teacher_id, student_id, subject_id, start_utc, end_utc,
                          kind, session_number, status, escrow_minor, created_at, updated_at,
                          hold_expires_at, written_at)
    SELECT json_extract(s.value, '$.id'), ${pkg.tenantId}, ${pkg.id}, ${pkg.teacherId}, ${pkg.studentId}, ${pkg.subjectId},
           json_extract(s.value, '$.startUtc'), json_extract(s.value, '$.endUtc'),
           'recurring', json_extract(s.value, '$.sessionNumber'), 'scheduled',
           json_extract(s.value, '$.escrowMinor'), ${pkg.createdAt}, ${pkg.createdAt},
           ${pkg.holdExpiresAt ?? null}, ${pkg.createdAt}
      FROM json_each(${JSON.stringify(bookings)}) AS s
     WHERE EXISTS (SELECT 1 FROM student_packages
                    WHERE id = ${pkg.id} AND request_hash = ${pkg.requestHash})
  `;
  // The trigger wrote the `pack.purchased` (or, pending payment, `pack.held`) outbox row from the
  // package row, which holds no secret; the manage link (a bearer token for the parent's email or SMS)
  // joins that payload here, for this very request's package only. Confirmation copies it from there.
  const addManageLink = db
    .updateTable('notifications')
    .set({ payload: sql<string>`json_set(payload, '$.manage', json(${JSON.stringify(manage)}))` })
    .where('dedupe_key', 'in', [`pack.purchased:${pkg.id}`, `pack.held:${pkg.id}`])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('student_packages')
          .select('id')
          .where('id', '=', pkg.id)
          .where('request_hash', '=', pkg.requestHash),
      ),
    );
  const holder = packageRecordQuery(db)
    .where('p.idempotency_key', '=', pkg.idempotencyKey)
    .where('p.tenant_id', '=', pkg.tenantId)
    .where('p.id', '<>', pkg.id);
  return {
    statements: [insertPackage, { compile: () => insertBookings.compile(db) }, addManageLink, holder],
    read: ([inserted, , , held]: BatchResult[]) => ({
      inserted: inserted!.rows.length > 0,
      holder: packageRecordFrom(held!),
    }),
  };
}

/**
 * A package's session as stored: the wire's session without what the view derives at read time
 * (local date and time, what the parent may still change, alternatives).
 */
export type PackageSessionRow = Omit<
  PackageSessionView,
  'date' | 'time' | 'weekday' | 'reschedulesLeft' | 'changeableUntil' | 'canReschedule' | 'canFloat' | 'alternatives'
>;

export interface PackageRecord {
  id: string;
  studentId: string;
  teacherId: string;
  subjectId: string;
  tierId: string;
  status: 'active' | 'completed' | 'cancelled';
  recurringPatterns: string | null;
  recurringWeekday: string | null;
  recurringTime: string | null;
  sessionCount: number;
  recurringSessionCount: number;
  floatingSessionCount: number;
  floatingSessionsUsed: number;
  rescheduleLimit: number;
  sessionMinutes: number;
  firstScheduledSession: string | null;
  lastScheduledSession: string | null;
  gracePeriodEnds: string | null;
  priceMinor: number;
  currency: string;
  idempotencyKey: string;
  requestHash: string;
  createdAt: string;
  tenantId: string;
  /** Null for packages bought before parents: no parent token reaches them. */
  guardianId: string | null;
  feedTokenVersion: number;
  /** Pending payment until then; null once confirmed (or confirmed at purchase). */
  holdExpiresAt: string | null;
  paymentReference: string | null;
  confirmedAt: string | null;
  timezone: string;
  teacherName: string;
  teacherNameAr: string | null;
  subjectName: string;
  subjectNameAr: string | null;
  sessions: PackageSessionRow[];
  escrowHeldMinor: number;
  escrowReleasedMinor: number;
  escrowRefundedMinor: number;
}

/**
 * A package with its sessions and escrow totals as one row, for a read or as the last statement of
 * a write's batch (the state that write left, or refused to change).
 */
export function packageRecordQuery(db: Kysely<Database>) {
  return db
    .selectFrom('student_packages as p')
    .innerJoin('teachers as t', 't.id', 'p.teacher_id')
    .select([
      'p.tenant_id as tenantId',
      'p.id',
      'p.student_id as studentId',
      'p.teacher_id as teacherId',
      'p.subject_id as subjectId',
      'p.tier_id as tierId',
      'p.status',
      'p.recurring_patterns as recurringPatterns',
      'p.recurring_weekday as recurringWeekday',
      'p.recurring_time as recurringTime',
      'p.session_count as sessionCount',
      'p.recurring_session_count as recurringSessionCount',
      'p.floating_session_count as floatingSessionCount',
      'p.floating_sessions_used as floatingSessionsUsed',
      'p.reschedule_limit as rescheduleLimit',
      'p.session_minutes as sessionMinutes',
      'p.first_scheduled_session as firstScheduledSession',
      'p.last_scheduled_session as lastScheduledSession',
      'p.grace_period_ends as gracePeriodEnds',
      'p.price_minor as priceMinor',
      'p.currency',
      'p.idempotency_key as idempotencyKey',
      'p.request_hash as requestHash',
      'p.created_at as createdAt',
      'p.guardian_id as guardianId',
      'p.feed_token_version as feedTokenVersion',
      'p.hold_expires_at as holdExpiresAt',
      'p.payment_reference as paymentReference',
      'p.confirmed_at as confirmedAt',
      't.timezone',
      't.name as teacherName',
      't.name_ar as teacherNameAr',
      sql<string>`(SELECT coalesce((SELECT name FROM subjects WHERE id = p.subject_id), p.subject_id))`.as(
        'subjectName',
      ),
      sql<string | null>`(SELECT name_ar FROM subjects WHERE id = p.subject_id)`.as('subjectNameAr'),
      sql<string>`(SELECT json_group_array(json_object(
          'id', b.id, 'sessionNumber', b.session_number, 'kind', b.kind, 'status', b.status,
          'startUtc', b.start_utc, 'endUtc', b.end_utc, 'rescheduleCount', b.reschedule_count,
          'escrowMinor', b.escrow_minor, 'flaggedReason', b.flagged_reason, 'flaggedAt', b.flagged_at,
          'revision', b.revision, 'completedAt', b.completed_at, 'cancelledAt', b.cancelled_at,
          'cancelReason', b.cancel_reason, 'updatedAt', b.updated_at, 'attendance', b.attendance))
        FROM (SELECT * FROM bookings WHERE package_id = p.id ORDER BY start_utc, session_number) b)`.as('sessions'),
      sql<number>`(SELECT coalesce(sum(amount_minor), 0) FROM escrow_ledger
        WHERE package_id = p.id AND entry_type = 'hold')`.as('escrowHeldMinor'),
      sql<number>`(SELECT coalesce(sum(amount_minor), 0) FROM escrow_ledger
        WHERE package_id = p.id AND entry_type = 'release')`.as('escrowReleasedMinor'),
      sql<number>`(SELECT coalesce(sum(amount_minor), 0) FROM escrow_ledger
        WHERE package_id = p.id AND entry_type = 'refund')`.as('escrowRefundedMinor'),
    ]);
}

type PackageRecordRow = InferResult<ReturnType<typeof packageRecordQuery>>[number];

function toPackageRecord(row: PackageRecordRow): PackageRecord {
  return { ...row, sessions: JSON.parse(row.sessions) as PackageSessionRow[] };
}

/** The package a batch's `packageRecordQuery` statement read, if any. */
export function packageRecordFrom(result: BatchResult): PackageRecord | undefined {
  const row = result.rows[0] as PackageRecordRow | undefined;
  return row && toPackageRecord(row);
}

/** A package of the tenant with its sessions and escrow totals, in one statement. */
export async function findPackage(
  db: Kysely<Database>,
  tenantId: string,
  by: { id: string } | { idempotencyKey: string },
): Promise<PackageRecord | undefined> {
  const row = await packageRecordQuery(db)
    .where('id' in by ? 'p.id' : 'p.idempotency_key', '=', 'id' in by ? by.id : by.idempotencyKey)
    .where('p.tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row && toPackageRecord(row);
}

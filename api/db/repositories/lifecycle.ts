import { sql, type Compilable, type Kysely, type RawBuilder } from 'kysely';
import type { Attendance } from '../../contract/teacher.js';
import type { FlaggedSession } from '../../contract/wire.js';
import type { Database } from '../schema.js';
import type { Batch, BatchResult } from '../store.js';
import { packageRecordFrom, packageRecordQuery, type PackageRecord } from './packages.js';

/*
 * Lifecycle writes as atomic batches (see 0002_lifecycle.sql). The first statement of each is the
 * guarded change: it stamps `change_token` and RETURNs what it changed, so no row means its guard
 * refused. The others only act on rows carrying that token, so a refused guard commits nothing at
 * all. The last statement reads the package as the batch left it: the answer when the change
 * applied, and the state the guard saw when it did not (no second read, no race with the reason).
 * The database decides every outcome: overlaps (triggers + partial unique index), time off
 * (trigger), credits (guarded counter + CHECK), at-most-once release (unique ledger index).
 */

/** What a lifecycle batch did: whether its guarded change applied, and the package after it. */
export interface LifecycleWritten {
  applied: boolean;
  record: PackageRecord | undefined;
}

export function lifecycleBatch(
  db: Kysely<Database>,
  packageId: string,
  statements: Compilable[],
): Batch<LifecycleWritten> {
  return {
    statements: [...statements, packageRecordQuery(db).where('p.id', '=', packageId)],
    read: (results: BatchResult[]) => ({
      applied: results[0]!.rows.length > 0,
      record: packageRecordFrom(results[results.length - 1]!),
    }),
  };
}

export const compilable = (db: Kysely<Database>, query: RawBuilder<unknown>): Compilable => ({
  compile: () => query.compile(db),
});

/** The outbox row's common columns; payloads are built in SQL from the rows just written. */
const SESSION_PAYLOAD = sql`'packageId', b.package_id, 'bookingId', b.id, 'studentId', b.student_id,
  'teacherId', b.teacher_id, 'sessionNumber', b.session_number, 'kind', b.kind,
  'startUtc', b.start_utc, 'endUtc', b.end_utc`;

/**
 * The outbox row announcing one session's change, in the same batch as the change: it reads the
 * booking back by the change's token, so a refused change writes no notification either. A single
 * booking (no package) is announced too, with the package's fields null.
 */
function sessionEvent(
  db: Kysely<Database>,
  input: {
    event: string;
    extra: RawBuilder<unknown>;
    dedupeKey: RawBuilder<unknown>;
    bookingId: string;
    token: string;
    now: string;
  },
): Compilable {
  return compilable(
    db,
    sql`INSERT INTO notifications (event_type, package_id, booking_id, payload, dedupe_key, created_at, next_attempt_at)
        SELECT ${input.event}, b.package_id, b.id, json_object(${SESSION_PAYLOAD}, ${input.extra}),
               ${input.dedupeKey}, ${input.now}, ${input.now}
          FROM bookings b LEFT JOIN student_packages p ON p.id = b.package_id
         WHERE b.id = ${input.bookingId} AND b.change_token = ${input.token}`,
  );
}

export interface FloatingBookingInput {
  packageId: string;
  bookingId: string;
  token: string;
  startUtc: string;
  endUtc: string;
  now: string;
}

/**
 * Books one floating credit. The counter goes up only while a credit is left and the package has
 * not ended, and the session must start before the package's end. The new session's number is the
 * package's highest plus one (UNIQUE(package_id, session_number) backs it), and its escrow share
 * is its part of what is still unassigned: the unassigned amount divided over the credits left,
 * rounded up, so the last credit takes the exact rest and all shares add up to the price.
 */
export function bookFloatingBatch(db: Kysely<Database>, input: FloatingBookingInput): Batch<LifecycleWritten> {
  const { packageId, bookingId, token, startUtc, endUtc, now } = input;
  return lifecycleBatch(db, packageId, [
    compilable(
      db,
      sql`UPDATE student_packages
             SET floating_sessions_used = floating_sessions_used + 1, change_token = ${token}
           WHERE id = ${packageId} AND status = 'active' AND hold_expires_at IS NULL
             AND floating_sessions_used < floating_session_count
             AND grace_period_ends > ${now} AND grace_period_ends > ${startUtc}
          RETURNING id`,
    ),
    compilable(
      db,
      sql`INSERT INTO bookings (id, tenant_id, package_id, teacher_id, student_id, subject_id, start_utc, end_utc, kind,
                                session_number, status, escrow_minor, change_token, updated_at, written_at)
          SELECT ${bookingId}, q.tenant_id, q.id, q.teacher_id, q.student_id, q.subject_id, ${startUtc}, ${endUtc}, 'floating',
                 q.next_number, 'scheduled', (q.pool + q.credits - 1) / q.credits, ${token}, ${now}, ${now}
            FROM (SELECT p.id, p.tenant_id, p.teacher_id, p.student_id, p.subject_id,
                         (SELECT coalesce(max(session_number), 0) + 1 FROM bookings WHERE package_id = p.id) AS next_number,
                         p.price_minor
                           - (SELECT coalesce(sum(escrow_minor), 0) FROM bookings
                               WHERE package_id = p.id AND status <> 'cancelled')
                           - (SELECT coalesce(sum(amount_minor), 0) FROM escrow_ledger
                               WHERE package_id = p.id AND entry_type = 'refund') AS pool,
                         -- The counter already counts this booking: credits left before it.
                         p.floating_session_count - p.floating_sessions_used + 1 AS credits
                    FROM student_packages p
                   WHERE p.id = ${packageId} AND p.change_token = ${token}) AS q`,
    ),
    sessionEvent(db, {
      event: 'session.booked',
      extra: sql`'escrowMinor', b.escrow_minor,
        'floatingSessionsLeft', p.floating_session_count - p.floating_sessions_used`,
      dedupeKey: sql`'session.booked:' || b.id`,
      bookingId,
      token,
      now,
    }),
  ]);
}

export interface RescheduleInput {
  packageId: string;
  bookingId: string;
  token: string;
  /** Where the parent saw the session; it must still be there. */
  fromStartUtc: string;
  startUtc: string;
  endUtc: string;
  now: string;
  /** Earliest start a session may have for the parent to change it without a flag (now + notice). */
  noticeCutoff: string;
}

/**
 * Moves a session in place, so its old slot is free the moment the batch commits. A flagged
 * session (the teacher's time off) may be moved until it starts and does not use up the parent's
 * reschedule limit; any other session needs the notice and a reschedule left.
 */
export function rescheduleBatch(db: Kysely<Database>, input: RescheduleInput): Batch<LifecycleWritten> {
  const { packageId, bookingId, token, fromStartUtc, startUtc, endUtc, now, noticeCutoff } = input;
  return lifecycleBatch(db, packageId, [
    compilable(
      db,
      sql`UPDATE bookings
             SET start_utc = ${startUtc}, end_utc = ${endUtc},
                 reschedule_count = reschedule_count + (CASE WHEN flagged_reason IS NULL THEN 1 ELSE 0 END),
                 flagged_reason = NULL, flagged_at = NULL,
                 change_token = ${token}, revision = revision + 1, updated_at = ${now}, written_at = ${now}
           WHERE id = ${bookingId} AND package_id = ${packageId} AND status = 'scheduled'
             AND start_utc = ${fromStartUtc} AND start_utc > ${now}
             AND (flagged_reason IS NOT NULL OR (
                   start_utc >= ${noticeCutoff}
                   AND reschedule_count < (SELECT reschedule_limit FROM student_packages WHERE id = ${packageId})))
             AND EXISTS (SELECT 1 FROM student_packages
                          WHERE id = ${packageId} AND status = 'active' AND hold_expires_at IS NULL
                            AND grace_period_ends > ${startUtc})
          RETURNING id`,
    ),
    sessionEvent(db, {
      event: 'session.rescheduled',
      extra: sql`'fromStartUtc', ${fromStartUtc}, 'rescheduleCount', b.reschedule_count,
        'reschedulesLeft', max(0, p.reschedule_limit - b.reschedule_count)`,
      dedupeKey: sql`'session.rescheduled:' || ${token}`,
      bookingId,
      token,
      now,
    }),
  ]);
}

/**
 * The package side of a session cancelled into a credit, acting only when the batch's first statement
 * stamped that session: a recurring session becomes one more floating session (recurring + floating
 * still add up to the sessions bought), a floating session gives its credit back.
 */
function creditBack(db: Kysely<Database>, packageId: string, bookingId: string, token: string): Compilable {
  const mine = (kind: string) =>
    sql`(SELECT count(*) FROM bookings WHERE id = ${bookingId} AND change_token = ${token} AND kind = ${kind})`;
  return compilable(
    db,
    sql`UPDATE student_packages
           SET recurring_session_count = recurring_session_count - ${mine('recurring')},
               floating_session_count = floating_session_count + ${mine('recurring')},
               floating_sessions_used = floating_sessions_used - ${mine('floating')},
               change_token = ${token}
         WHERE id = ${packageId}
           AND EXISTS (SELECT 1 FROM bookings WHERE id = ${bookingId} AND change_token = ${token})`,
  );
}

export interface FloatSessionInput {
  packageId: string;
  bookingId: string;
  token: string;
  now: string;
  noticeCutoff: string;
}

/**
 * Cancels a session into a floating credit: a recurring session becomes one more floating session
 * (recurring + floating still add up to the sessions bought); a floating session gives its credit
 * back. Its escrow share returns to the unassigned amount the next floating booking draws from.
 */
export function floatSessionBatch(db: Kysely<Database>, input: FloatSessionInput): Batch<LifecycleWritten> {
  const { packageId, bookingId, token, now, noticeCutoff } = input;
  return lifecycleBatch(db, packageId, [
    compilable(
      db,
      sql`UPDATE bookings
             SET status = 'cancelled', cancelled_at = ${now}, cancel_reason = 'floated',
                 change_token = ${token}, revision = revision + 1, updated_at = ${now}
           WHERE id = ${bookingId} AND package_id = ${packageId} AND status = 'scheduled'
             AND kind IN ('recurring', 'floating') AND start_utc > ${now}
             AND (flagged_reason IS NOT NULL OR start_utc >= ${noticeCutoff})
             AND EXISTS (SELECT 1 FROM student_packages
                          WHERE id = ${packageId} AND status = 'active' AND hold_expires_at IS NULL)
          RETURNING id`,
    ),
    creditBack(db, packageId, bookingId, token),
    sessionEvent(db, {
      event: 'session.floated',
      extra: sql`'wasFlagged', json(CASE WHEN b.flagged_reason IS NULL THEN 'false' ELSE 'true' END),
        'floatingSessionsLeft', p.floating_session_count - p.floating_sessions_used,
        'gracePeriodEnds', p.grace_period_ends`,
      dedupeKey: sql`'session.floated:' || b.id`,
      bookingId,
      token,
      now,
    }),
  ]);
}

/** Who recorded how a session ended: the school (`/admin`, its secret key) or the teacher (`/teacher`). */
export type AttendanceBy = 'admin' | 'teacher';

export interface CompleteInput {
  packageId: string;
  bookingId: string;
  token: string;
  now: string;
  /** How it ended (default `completed`): a student no-show is released like a taught session. */
  attendance?: 'completed' | 'student_no_show';
  /** Who recorded it (default the school), for the `session.completed` / `session.no_show` event. */
  by?: AttendanceBy;
}

/** The event announcing a recorded attendance: `session.completed` or `session.no_show`, once per session. */
function attendanceEvent(
  db: Kysely<Database>,
  input: { attendance: Attendance; by: AttendanceBy; bookingId: string; token: string; now: string },
): Compilable {
  const event = input.attendance === 'completed' ? 'session.completed' : 'session.no_show';
  return sessionEvent(db, {
    event,
    extra: sql`'sessionId', b.id, 'outcome', b.attendance, 'by', ${input.by}`,
    dedupeKey: sql`${event + ':'} || b.id`,
    bookingId: input.bookingId,
    token: input.token,
    now: input.now,
  });
}

export interface CompletionWritten extends LifecycleWritten {
  /** What the ledger's release entry, written in the batch, holds (0 when nothing was released). */
  releasedMinor: number;
}

/**
 * The teacher marks a session that has started as taught: its escrow share is released once
 * (escrow_ledger_once makes a second release impossible, whatever the code above it does).
 */
export function completeSessionBatch(db: Kysely<Database>, input: CompleteInput): Batch<CompletionWritten> {
  const { packageId, bookingId, token, now } = input;
  const attendance = input.attendance ?? 'completed';
  const batch = lifecycleBatch(db, packageId, [
    compilable(
      db,
      sql`UPDATE bookings
             SET status = 'completed', completed_at = ${now}, attendance = ${attendance},
                 change_token = ${token}, revision = revision + 1, updated_at = ${now}, written_at = ${now}
           WHERE id = ${bookingId} AND package_id = ${packageId} AND status = 'scheduled' AND start_utc <= ${now}
             AND hold_expires_at IS NULL AND attendance IS NULL
          RETURNING id`,
    ),
    compilable(
      db,
      sql`INSERT INTO escrow_ledger (package_id, booking_id, entry_type, amount_minor, currency, created_at)
          SELECT b.package_id, b.id, 'release', b.escrow_minor, p.currency, ${now}
            FROM bookings b JOIN student_packages p ON p.id = b.package_id
           WHERE b.id = ${bookingId} AND b.change_token = ${token}
          RETURNING amount_minor`,
    ),
    sessionEvent(db, {
      event: 'escrow.released',
      extra: sql`'amountMinor', b.escrow_minor, 'currency', p.currency`,
      dedupeKey: sql`'escrow.released:' || b.id`,
      bookingId,
      token,
      now,
    }),
    attendanceEvent(db, { attendance, by: input.by ?? 'admin', bookingId, token, now }),
  ]);
  return {
    statements: batch.statements,
    read: (results) => ({
      ...batch.read(results),
      releasedMinor: results[1]!.rows.reduce((sum, row) => sum + Number(row.amount_minor), 0),
    }),
  };
}

export interface CreditedNoShowInput {
  packageId: string;
  bookingId: string;
  token: string;
  now: string;
  by: AttendanceBy;
  /** Who did not come: the teacher always credits; a student where the school's rule is `credit`. */
  attendance: 'teacher_no_show' | 'student_no_show';
}

/**
 * A no-show the family is not charged for (the teacher's, or the student's under a school's `credit` rule):
 * the session is cancelled (`cancel_reason` says whose) and given back to the package as a floating credit
 * (as a float does, but after the start, which a parent's float never is), and nothing is released: its share
 * goes back to the unassigned amount the credit draws from.
 */
export function creditedNoShowBatch(db: Kysely<Database>, input: CreditedNoShowInput): Batch<LifecycleWritten> {
  const { packageId, bookingId, token, now, by, attendance } = input;
  return lifecycleBatch(db, packageId, [
    compilable(
      db,
      sql`UPDATE bookings
             SET status = 'cancelled', cancelled_at = ${now}, cancel_reason = ${attendance},
                 attendance = ${attendance},
                 change_token = ${token}, revision = revision + 1, updated_at = ${now}, written_at = ${now}
           WHERE id = ${bookingId} AND package_id = ${packageId} AND status = 'scheduled' AND start_utc <= ${now}
             AND kind IN ('recurring', 'floating') AND hold_expires_at IS NULL AND attendance IS NULL
          RETURNING id`,
    ),
    creditBack(db, packageId, bookingId, token),
    attendanceEvent(db, { attendance, by, bookingId, token, now }),
  ]);
}

export interface SingleAttendanceInput {
  teacherId: string;
  bookingId: string;
  token: string;
  now: string;
  attendance: Attendance;
  by: AttendanceBy;
}

/**
 * How a single booking (outside any package: no escrow, no credit) ended: taught or a student no-show
 * keep its slot (`completed`), a teacher no-show cancels it. Its first statement RETURNs whether it applied.
 */
export function singleAttendanceBatch(db: Kysely<Database>, input: SingleAttendanceInput): Batch<boolean> {
  const { teacherId, bookingId, token, now, attendance, by } = input;
  const status = attendance === 'teacher_no_show' ? 'cancelled' : 'completed';
  return {
    statements: [
      compilable(
        db,
        sql`UPDATE bookings
               SET status = ${status}, attendance = ${attendance},
                   completed_at = CASE WHEN ${status} = 'completed' THEN ${now} END,
                   cancelled_at = CASE WHEN ${status} = 'cancelled' THEN ${now} END,
                   cancel_reason = CASE WHEN ${status} = 'cancelled' THEN 'teacher_no_show' END,
                   change_token = ${token}, revision = revision + 1, updated_at = ${now}, written_at = ${now}
             WHERE id = ${bookingId} AND teacher_id = ${teacherId} AND package_id IS NULL
               AND status = 'scheduled' AND start_utc <= ${now} AND attendance IS NULL
            RETURNING id`,
      ),
      attendanceEvent(db, { attendance, by, bookingId, token, now }),
    ],
    read: (results) => results[0]!.rows.length > 0,
  };
}

export interface TimeOffInput {
  tenantId: string;
  id: string;
  teacherId: string;
  startUtc: string;
  endUtc: string;
  reason: string | null;
  token: string;
  now: string;
}

export const TIME_OFF_FLAG = 'teacher_time_off';
/** The flag of a session an external calendar's busy time (a feed's time off row) came to cover. */
export const CALENDAR_FLAG = 'external_calendar';

export interface FlagCoveredInput {
  tenantId: string;
  teacherId: string;
  /** Which of the teacher's time off rows flag: a condition on the alias it is given. */
  covering: (alias: RawBuilder<unknown>) => RawBuilder<unknown>;
  reason: string;
  /** Leave sessions already flagged alone (a feed re-synced every 15 minutes must not flag twice). */
  onlyUnflagged: boolean;
  /** More of the `session.flagged` payload, from the covering row `o`. */
  extraPayload?: RawBuilder<unknown>;
  token: string;
  now: string;
}

/**
 * Flags every scheduled booking of the teacher that a covering time off row overlaps, and writes a
 * `session.flagged` outbox row for each package session (naming the earliest covering row), in the
 * batch of the rows themselves: manual time off and external calendars share it. The flag's
 * RETURNING lists the bookings, read by {@link flaggedFrom}.
 */
export function flagCoveredStatements(db: Kysely<Database>, input: FlagCoveredInput): Compilable[] {
  const { tenantId, teacherId, covering, reason, onlyUnflagged, extraPayload, token, now } = input;
  const o2 = sql.ref('o2');
  return [
    compilable(
      db,
      sql`UPDATE bookings
             SET flagged_reason = ${reason}, flagged_at = ${now},
                 change_token = ${token}, revision = revision + 1, updated_at = ${now}
           WHERE teacher_id = ${teacherId} AND tenant_id = ${tenantId} AND status = 'scheduled'
             ${onlyUnflagged ? sql`AND flagged_reason IS NULL` : sql``}
             AND EXISTS (SELECT 1 FROM time_off o2
                          WHERE o2.teacher_id = bookings.teacher_id AND ${covering(o2)}
                            AND o2.start_utc < bookings.end_utc AND o2.end_utc > bookings.start_utc)
          RETURNING id, package_id AS packageId, session_number AS sessionNumber, start_utc AS startUtc, end_utc AS endUtc`,
    ),
    compilable(
      db,
      sql`INSERT INTO notifications (event_type, package_id, booking_id, payload, dedupe_key, created_at, next_attempt_at)
          SELECT 'session.flagged', b.package_id, b.id,
                 json_object(${SESSION_PAYLOAD}, 'reason', b.flagged_reason, 'timeOffId', o.id,
                             'timeOffStartUtc', o.start_utc, 'timeOffEndUtc', o.end_utc
                             ${extraPayload ? sql`, ${extraPayload}` : sql``}),
                 'session.flagged:' || b.id || ':' || o.id, ${now}, ${now}
            FROM bookings b
            JOIN time_off o ON o.id = (SELECT o2.id FROM time_off o2
                                        WHERE o2.teacher_id = b.teacher_id AND ${covering(o2)}
                                          AND o2.start_utc < b.end_utc AND o2.end_utc > b.start_utc
                                        ORDER BY o2.start_utc LIMIT 1)
           WHERE b.teacher_id = ${teacherId} AND b.change_token = ${token} AND b.package_id IS NOT NULL`,
    ),
  ];
}

/** The bookings a flag statement RETURNed, by start (RETURNING gives rows in no promised order). */
export function flaggedFrom(result: Pick<BatchResult, 'rows'>): FlaggedSession[] {
  return result.rows
    .map((row): FlaggedSession => ({
      id: String(row.id),
      packageId: row.packageId === null ? null : String(row.packageId),
      sessionNumber: row.sessionNumber === null ? null : Number(row.sessionNumber),
      startUtc: String(row.startUtc),
      endUtc: String(row.endUtc),
    }))
    .sort((a, b) => (a.startUtc < b.startUtc ? -1 : a.startUtc > b.startUtc ? 1 : 0));
}

/**
 * Time off and its consequences in one write: every scheduled booking it overlaps is flagged (the
 * flag's RETURNING lists them) and each affected package session gets a `session.flagged` outbox
 * row. Nothing overlapping can slip in between: the batch is atomic, and the time-off triggers
 * refuse package sessions written later.
 */
export function addTimeOffBatch(db: Kysely<Database>, input: TimeOffInput): Batch<FlaggedSession[]> {
  const { tenantId, id, teacherId, startUtc, endUtc, reason, token, now } = input;
  const statements = [
    db.insertInto('time_off').values({ id, teacher_id: teacherId, start_utc: startUtc, end_utc: endUtc, reason }),
    ...flagCoveredStatements(db, {
      tenantId,
      teacherId,
      covering: (o) => sql`${o}.id = ${id}`,
      reason: TIME_OFF_FLAG,
      onlyUnflagged: false,
      token,
      now,
    }),
  ];
  return { statements, read: (results) => flaggedFrom(results[1]!) };
}

type TimeOffSpan = Pick<TimeOffInput, 'tenantId' | 'teacherId' | 'startUtc' | 'endUtc'>;

/** The bookings a time off flags: the teacher's scheduled ones it overlaps (the write and its preview). */
function timeOffCovers({ tenantId, teacherId, startUtc, endUtc }: TimeOffSpan): RawBuilder<unknown> {
  return sql`teacher_id = ${teacherId} AND tenant_id = ${tenantId} AND status = 'scheduled'
             AND start_utc < ${endUtc} AND end_utc > ${startUtc}`;
}

const FLAGGED_COLUMNS = sql.raw(
  'id, package_id AS packageId, session_number AS sessionNumber, start_utc AS startUtc, end_utc AS endUtc',
);

/** What `addTimeOffBatch` would flag for this time off now, by the same predicate; writes nothing. */
export async function timeOffPreview(db: Kysely<Database>, span: TimeOffSpan): Promise<FlaggedSession[]> {
  const { rows } = await sql<Record<string, unknown>>`SELECT ${FLAGGED_COLUMNS} FROM bookings
    WHERE ${timeOffCovers(span)}`.execute(db);
  return flaggedFrom({ rows });
}

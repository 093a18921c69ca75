import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.js';
import type { Batch } from '../store.js';

/*
 * `session.reminder` rows of the outbox (docs/lifecycle.md, "Reminders"). A reminder is written lazily,
 * by the delivery sweep, once its instant (start − offset) has come: a session cancelled or moved before
 * then never had one to take back. Its dedupe key names the session, its start instant and the offset,
 * so each is written once however many sweeps run, and a moved session's new time gets its own.
 */

/** What a reminder needs to be written: the session (as the read saw it) and the names its payload carries. */
export interface DueReminder {
  bookingId: string;
  packageId: string | null;
  sessionNumber: number | null;
  kind: string;
  startUtc: string;
  endUtc: string;
  offsetMinutes: number;
  remindAt: string;
  studentId: string;
  studentName: string;
  studentNameAr: string | null;
  /** The student's BCP 47 tag, the only language the schema knows of a family; null: none given. */
  studentLocale: string | null;
  guardianId: string | null;
  teacherId: string;
  teacherName: string;
  teacherNameAr: string | null;
  timezone: string;
  subjectId: string | null;
  subjectName: string | null;
  subjectNameAr: string | null;
  /** The package's manage link as `pack.purchased` carried it (JSON text); null for a single lesson. */
  manage: string | null;
}

/** The reminder's instant: the session's start moved back by the offset, in the format every instant here has. */
const REMIND_AT = sql`strftime('%Y-%m-%dT%H:%M:%fZ', b.start_utc, '-' || o.value || ' minutes')`;

/** Sessions a reminder may be sent for: scheduled, not flagged, paid, with a student. */
const REMINDABLE = sql`b.status = 'scheduled' AND b.hold_expires_at IS NULL AND b.flagged_reason IS NULL
   AND b.student_id IS NOT NULL
   AND ((b.package_id IS NULL AND b.kind = 'single')
        OR (p.status = 'active' AND p.hold_expires_at IS NULL))`;

const DEDUPE_KEY = (offset: RawBuilder<unknown>) =>
  sql`'session.reminder:' || b.id || ':' || b.start_utc || ':' || ${offset}`;

/**
 * The reminders due at `now` and not written yet: every offset of the session's tenant whose instant
 * is in (graceStart, now], for sessions starting after now. Advisory (the sweep's context read): the
 * write checks the session again.
 */
export async function dueReminders(
  db: Kysely<Database>,
  input: { now: string; graceStart: string; horizon: string; defaultOffsets: readonly number[]; limit: number },
): Promise<DueReminder[]> {
  const result = await sql<DueReminder>`
    SELECT b.id AS bookingId, b.package_id AS packageId, b.session_number AS sessionNumber, b.kind AS kind,
           b.start_utc AS startUtc, b.end_utc AS endUtc, o.value AS offsetMinutes, ${REMIND_AT} AS remindAt,
           s.id AS studentId, s.name AS studentName, s.name_ar AS studentNameAr, s.locale AS studentLocale, s.guardian_id AS guardianId,
           t.id AS teacherId, t.name AS teacherName, t.name_ar AS teacherNameAr, t.timezone AS timezone,
           sub.id AS subjectId, sub.name AS subjectName, sub.name_ar AS subjectNameAr,
           (SELECT json_extract(n.payload, '$.manage') FROM notifications n
             WHERE n.dedupe_key = 'pack.purchased:' || b.package_id) AS manage
      FROM bookings b
      JOIN tenants tn ON tn.id = b.tenant_id
      JOIN json_each(coalesce(tn.reminder_offsets_minutes, ${JSON.stringify(input.defaultOffsets)})) o
      JOIN teachers t ON t.id = b.teacher_id
      JOIN students s ON s.id = b.student_id
      LEFT JOIN subjects sub ON sub.id = b.subject_id
      LEFT JOIN student_packages p ON p.id = b.package_id
     WHERE b.status = 'scheduled' AND b.start_utc > ${input.now} AND b.start_utc <= ${input.horizon}
       AND ${REMINDABLE}
       AND ${REMIND_AT} <= ${input.now} AND ${REMIND_AT} > ${input.graceStart}
       AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = ${DEDUPE_KEY(sql`o.value`)})
     ORDER BY b.start_utc, b.id, o.value DESC
     LIMIT ${input.limit}`.execute(db);
  return result.rows.map((row) => ({ ...row, offsetMinutes: Number(row.offsetMinutes) }));
}

/**
 * Writes the reminders in one statement, each only if its session is still remindable at the very start
 * the read saw (not cancelled, moved, flagged or unpaid meanwhile) and has not started. The dedupe key
 * makes a second sweep, or a racing one, write nothing; RETURNING counts only the rows written.
 * The rows travel as one JSON parameter (D1 allows at most 100 bound parameters per statement).
 */
export function remindersBatch(
  db: Kysely<Database>,
  input: { now: string; reminders: { bookingId: string; startUtc: string; offsetMinutes: number; payload: unknown }[] },
): Batch<number> {
  const query = sql`
    INSERT INTO notifications (event_type, package_id, booking_id, payload, dedupe_key, created_at, next_attempt_at)
    SELECT 'session.reminder', b.package_id, b.id, json(json_extract(o.value, '$.payload')),
           ${DEDUPE_KEY(sql`json_extract(o.value, '$.offsetMinutes')`)}, ${input.now}, ${input.now}
      FROM json_each(${JSON.stringify(input.reminders)}) o
      JOIN bookings b ON b.id = json_extract(o.value, '$.bookingId')
                     AND b.start_utc = json_extract(o.value, '$.startUtc')
      LEFT JOIN student_packages p ON p.id = b.package_id
     WHERE b.start_utc > ${input.now} AND ${REMINDABLE}
    ON CONFLICT(dedupe_key) DO NOTHING
    RETURNING id`;
  return { statements: [{ compile: () => query.compile(db) }], read: ([written]) => written!.rows.length };
}

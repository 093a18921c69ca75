import { sql, type Compilable, type InferResult, type Kysely } from 'kysely';
import type { StudentNoShow } from '../../contract/wire.js';
import type { Database } from '../schema.js';
import type { BatchResult } from '../store.js';

/*
 * What a teacher token reads and writes of its own teacher (issue 12). Every function acts in one
 * tenant and one teacher (`tenantId`, `teacherId` after `db`): another teacher's rows read as none.
 */

/**
 * The teacher's bookings (package sessions and single bookings) with what the schedule shows of each,
 * in one statement: the student, the package's tier and end. A hold that lapsed is no booking any
 * more (its slot is free), so it is left out; a live hold is listed.
 */
export function teacherSessionsQuery(db: Kysely<Database>, tenantId: string, teacherId: string, now: string) {
  return db
    .selectFrom('bookings as b')
    .leftJoin('student_packages as p', 'p.id', 'b.package_id')
    .leftJoin('students as st', (join) => join.on(sql<boolean>`st.id = coalesce(b.student_id, p.student_id)`))
    .leftJoin('package_tiers as t', 't.id', 'p.tier_id')
    .select([
      'b.id',
      'b.package_id as packageId',
      'b.session_number as sessionNumber',
      'b.kind',
      'b.start_utc as startUtc',
      'b.end_utc as endUtc',
      'b.status',
      'b.attendance',
      'b.flagged_reason as flaggedReason',
      'b.hold_expires_at as holdExpiresAt',
      sql<string | null>`coalesce(b.subject_id, p.subject_id)`.as('subjectId'),
      'st.name as studentName',
      'st.name_ar as studentNameAr',
      't.name as tierName',
      't.name_ar as tierNameAr',
      'p.grace_period_ends as gracePeriodEnds',
    ])
    .where('b.tenant_id', '=', tenantId)
    .where('b.teacher_id', '=', teacherId)
    .where((eb) => eb.or([eb('b.hold_expires_at', 'is', null), eb('b.hold_expires_at', '>', now)]));
}

export type TeacherSessionRow = InferResult<ReturnType<typeof teacherSessionsQuery>>[number];

/** The teacher's bookings overlapping [from, to), in time order. */
export async function listTeacherSessions(
  db: Kysely<Database>,
  tenantId: string,
  teacherId: string,
  range: { from: string; to: string; now: string },
): Promise<TeacherSessionRow[]> {
  return teacherSessionsQuery(db, tenantId, teacherId, range.now)
    .where('b.start_utc', '<', range.to)
    .where('b.end_utc', '>', range.from)
    .orderBy('b.start_utc')
    .orderBy('b.id')
    .execute();
}

/** One of the teacher's bookings; as a batch's last statement, the booking as that batch left it. */
export function teacherSessionQuery(
  db: Kysely<Database>,
  tenantId: string,
  teacherId: string,
  sessionId: string,
  now: string,
) {
  // With the school's no-show rule, which recording attendance needs and the schedule's list does not.
  return teacherSessionsQuery(db, tenantId, teacherId, now)
    .where('b.id', '=', sessionId)
    .select(sql<StudentNoShow>`(SELECT n.student_no_show FROM tenants n WHERE n.id = b.tenant_id)`.as('studentNoShow'));
}

export function teacherSessionFrom(result: BatchResult): TeacherSessionRow | undefined {
  return result.rows[0] as TeacherSessionRow | undefined;
}

/** Deletes one of the teacher's time off; RETURNs its id (no row: not this teacher's, or unknown). */
export function deleteTimeOffStatement(
  db: Kysely<Database>,
  tenantId: string,
  teacherId: string,
  timeOffId: string,
): Compilable {
  return (
    db
      .deleteFrom('time_off')
      .where('id', '=', timeOffId)
      .where('teacher_id', '=', teacherId)
      // An external calendar's busy time is that feed's to replace, never a teacher's delete.
      .where('calendar_id', 'is', null)
      .where(sql<boolean>`EXISTS (SELECT 1 FROM teachers WHERE id = ${teacherId} AND tenant_id = ${tenantId})`)
      .returning('id')
  );
}

import type { Kysely } from 'kysely';
import type { SingleBooking } from '../../contract/wire.js';
import type { Database } from '../schema.js';

export interface SingleBookingInput {
  id: string;
  teacherId: string;
  studentId: string | null;
  subjectId: string | null;
  startUtc: string;
  endUtc: string;
  /** The app's now: the overlap triggers judge holds against it (a lapsed hold does not block). */
  now: string;
}

/**
 * A lesson booked outside Smart Packs (or imported from another system) that blocks its slot. The
 * overlap triggers and the partial unique index refuse it when it collides with an active booking
 * (a confirmed one, or a hold still live at `now`).
 * The answer is the row as RETURNING reports it.
 */
export async function insertSingleBooking(
  db: Kysely<Database>,
  tenantId: string,
  booking: SingleBookingInput,
): Promise<SingleBooking> {
  const row = await db
    .insertInto('bookings')
    .values({
      // The bookings_same_tenant_insert trigger refuses a teacher, student or subject of another tenant.
      tenant_id: tenantId,
      id: booking.id,
      package_id: null,
      teacher_id: booking.teacherId,
      student_id: booking.studentId,
      subject_id: booking.subjectId,
      start_utc: booking.startUtc,
      end_utc: booking.endUtc,
      kind: 'single',
      session_number: null,
      flagged_reason: null,
      written_at: booking.now,
    })
    .returning([
      'id',
      'teacher_id as teacherId',
      'student_id as studentId',
      'subject_id as subjectId',
      'start_utc as startUtc',
      'end_utc as endUtc',
    ])
    .executeTakeFirstOrThrow();
  // Written as a single lesson, scheduled by the column's default: nothing else can come back.
  return { ...row, kind: 'single', status: 'scheduled' };
}

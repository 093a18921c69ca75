import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface SingleBookingInput {
  id: string;
  teacherId: string;
  studentId: string | null;
  subjectId: string | null;
  startUtc: string;
  endUtc: string;
}

/**
 * A lesson booked outside Smart Packs (or imported from another system) that blocks its slot. The
 * overlap triggers and the partial unique index refuse it when it collides with an active booking.
 */
export async function insertSingleBooking(db: Kysely<Database>, booking: SingleBookingInput): Promise<void> {
  await db
    .insertInto('bookings')
    .values({
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
    })
    .execute();
}

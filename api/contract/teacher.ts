/**
 * The teacher's side of the contract (wire shapes only): what `/teacher/*` answers under a teacher token,
 * and what `<smart-pack-teacher>` renders. Written before either side so both build against one shape.
 *
 * Routes (all under `Authorization: Bearer <teacher token>`; any id that is not this teacher's answers 404):
 * - `POST /auth/teacher-tokens { teacherId, ttlSeconds? }` (the tenant's secret key) → {@link TeacherToken}
 * - `GET  /teacher/me` → {@link TeacherProfile}
 * - `GET  /teacher/availability-rules`, `PUT /teacher/availability-rules { rules }` → `AvailabilityRules`
 * - `GET  /teacher/time-off` → `TimeOffList`; `POST /teacher/time-off/preview { startUtc, endUtc }` →
 *   {@link TimeOffPreview} (writes nothing); `POST /teacher/time-off { startUtc, endUtc, reason? }` →
 *   `TimeOffOutcome`; `DELETE /teacher/time-off/:id` → 204
 * - `GET  /teacher/sessions?from=&to=` → {@link TeacherSchedule}
 * - `POST /teacher/sessions/:sessionId/attendance { outcome }` → {@link AttendanceOutcome}
 * - `GET/POST /teacher/calendars`, `DELETE /teacher/calendars/:calendarId`,
 *   `POST /teacher/calendars/:calendarId/sync` → {@link ExternalCalendar} (also under
 *   `/admin/teachers/:teacherId/calendars` with the secret key)
 */
import type { FlaggedSession, StudentNoShow } from './wire.js';

export interface TeacherToken {
  token: string;
  teacherId: string;
  expiresAt: string;
}

export interface TeacherProfile {
  id: string;
  name: string;
  nameAr: string | null;
  timezone: string;
  /** The school's session length for this teacher's grid (minutes), as the parent's grid uses. */
  durationMinutes: number;
  subjectIds: string[];
  /** The school's rule for a student's no-show, so the teacher is told what recording one does. */
  studentNoShow: StudentNoShow;
}

/** What a time off would flag, computed by the same core that flags it on save. */
export interface TimeOffPreview {
  startUtc: string;
  endUtc: string;
  flaggedSessions: FlaggedSession[];
}

/** How a session ended, as the teacher (or the school) records it. */
export type Attendance = 'completed' | 'student_no_show' | 'teacher_no_show';

export type TeacherSessionStatus = 'scheduled' | 'completed' | 'cancelled' | 'no_show';

export interface TeacherSession {
  id: string;
  packageId: string | null;
  sessionNumber: number | null;
  startUtc: string;
  endUtc: string;
  status: TeacherSessionStatus;
  /** Set once recorded. */
  attendance: Attendance | null;
  studentName: string | null;
  studentNameAr: string | null;
  subjectId: string | null;
  tierName: string | null;
  tierNameAr: string | null;
  /** Why the session needs attention (time off or an external calendar over it), else null. */
  flaggedReason: string | null;
  /** For a flagged session: free times the parent could move it to (the same slots the pack page offers). */
  alternatives: string[];
}

export interface TeacherSchedule {
  teacherId: string;
  timezone: string;
  from: string;
  to: string;
  /** In time order. */
  sessions: TeacherSession[];
}

export interface AttendanceOutcome {
  session: TeacherSession;
  /** Minor units released to the teacher by this record (0 for a teacher no-show or a replay). */
  releasedMinor: number;
  /** A teacher no-show gives the family the session back as a floating credit. */
  creditReturned: boolean;
  /** False when the same outcome was already recorded (a retried request): nothing happened twice. */
  recorded: boolean;
}

export type CalendarStatus = 'pending' | 'ok' | 'failing';

/** An external calendar feed (ICS URL) whose events block the teacher's time. */
export interface ExternalCalendar {
  id: string;
  teacherId: string;
  name: string | null;
  /** The URL with any query string shown as `?…`: a feed URL is often itself a secret. */
  urlDisplay: string;
  status: CalendarStatus;
  lastSyncedAt: string | null;
  lastError: string | null;
  /** Busy intervals stored from the last good copy. */
  busyCount: number;
}

export interface ExternalCalendars {
  teacherId: string;
  calendars: ExternalCalendar[];
}

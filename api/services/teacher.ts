import { DEFAULT_TENANT_ID } from '../contract/auth.js';
import { DAY_MS, DEFAULT_SESSION_MINUTES, nearbyAlternatives } from '../core/index.js';
import { ApiError } from '../contract/errors.js';
import {
  MAX_TEACHER_SESSIONS_DAYS,
  type AttendanceBody,
  type RulesBody,
  type TeacherSessionsQuery,
  type TeacherTokenBody,
  type TimeOffPreviewBody,
} from '../contract/schemas.js';
import type {
  Attendance,
  AttendanceOutcome,
  TeacherProfile,
  TeacherSchedule,
  TeacherSession,
  TeacherToken,
  TimeOffPreview,
} from '../contract/teacher.js';
import { TEACHER_TOKEN_TTL } from '../contract/tokens.js';
import type { AvailabilityRules } from '../contract/wire.js';
import { adminGetTeacher, listRules, replaceRulesStatements } from '../db/repositories/admin.js';
import {
  completeSessionBatch,
  singleAttendanceBatch,
  creditedNoShowBatch,
  timeOffPreview,
} from '../db/repositories/lifecycle.js';
import {
  deleteTimeOffStatement,
  listTeacherSessions,
  teacherSessionFrom,
  teacherSessionQuery,
  type TeacherSessionRow,
} from '../db/repositories/teacher.js';
import type { Batch } from '../db/store.js';
import { runBatch } from '../db/store.js';
import type { AppDeps } from '../deps.js';
import { found, notFound } from './lookup.js';
import { secretOf, signToken } from './tokens.js';

/** Who a verified teacher token acts as: one teacher of one tenant, nothing else. */
export interface TeacherAccess {
  tenantId: string;
  teacherId: string;
}

/** The school's server vouches for one of its teachers: a signed, expiring teacher token. */
export async function issueTeacherToken(
  deps: AppDeps,
  tenantId: string,
  body: TeacherTokenBody,
): Promise<TeacherToken> {
  // Another tenant's teacher is unknown here, like any id that is not this school's.
  found(await adminGetTeacher(deps.store.db, tenantId, body.teacherId), () => notFound.teacher(body.teacherId));
  const now = deps.now();
  const secret = await secretOf(deps, tenantId);
  const exp = Math.floor(now.getTime() / 1000) + (body.ttlSeconds ?? TEACHER_TOKEN_TTL.default);
  const token = await signToken(deps, secret, 'teacher', { tid: tenantId, sub: body.teacherId, exp });
  return { token, teacherId: body.teacherId, expiresAt: new Date(exp * 1000).toISOString() };
}

/** The seeded demo teacher (Amna), whose token `npm start`'s /teach page gets on this machine only. */
export const DEMO_TEACHER_ID = 'teacher-amna';

/** A teacher token for the demo teacher, for `npm start`'s /teach page on this machine only. */
export function demoTeacherToken(deps: AppDeps): Promise<TeacherToken> {
  return issueTeacherToken(deps, DEFAULT_TENANT_ID, { teacherId: DEMO_TEACHER_ID });
}

async function teacherOr404(deps: AppDeps, access: TeacherAccess) {
  return found(await adminGetTeacher(deps.store.db, access.tenantId, access.teacherId), () =>
    notFound.teacher(access.teacherId),
  );
}

export async function teacherProfile(deps: AppDeps, access: TeacherAccess): Promise<TeacherProfile> {
  const teacher = await teacherOr404(deps, access);
  const school = await deps.store.db
    .selectFrom('tenants')
    .select('student_no_show as studentNoShow')
    .where('id', '=', access.tenantId)
    .executeTakeFirstOrThrow();
  return {
    id: teacher.id,
    name: teacher.name,
    nameAr: teacher.nameAr,
    timezone: teacher.timezone,
    // The parent's grid without a tier uses the default length; a tier's own length is the tier's.
    durationMinutes: DEFAULT_SESSION_MINUTES,
    subjectIds: teacher.subjectIds,
    studentNoShow: school.studentNoShow,
  };
}

export async function teacherRules(deps: AppDeps, access: TeacherAccess): Promise<AvailabilityRules> {
  await teacherOr404(deps, access);
  return { teacherId: access.teacherId, rules: await listRules(deps.store.db, access.tenantId, access.teacherId) };
}

/** Replaces the teacher's week at once, as the admin route does (the grid reads the new rules on its next load). */
export async function replaceTeacherRules(
  deps: AppDeps,
  access: TeacherAccess,
  body: RulesBody,
  guarded: <T>(write: () => Promise<T>) => Promise<T>,
): Promise<AvailabilityRules> {
  await teacherOr404(deps, access);
  const rules = body.rules.map((rule) => ({ id: crypto.randomUUID(), ...rule }));
  await guarded(() =>
    deps.store.batch(replaceRulesStatements(deps.store.db, access.tenantId, access.teacherId, rules)),
  );
  return teacherRules(deps, access);
}

/** What `addTimeOff` would flag now, by its own predicate; nothing is written. */
export async function previewTimeOff(
  deps: AppDeps,
  access: TeacherAccess,
  body: TimeOffPreviewBody,
): Promise<TimeOffPreview> {
  await teacherOr404(deps, access);
  const flaggedSessions = await timeOffPreview(deps.store.db, { ...access, ...body });
  return { startUtc: body.startUtc, endUtc: body.endUtc, flaggedSessions };
}

/**
 * Deletes one of the teacher's time off. The sessions it flagged stay flagged: the flag told their
 * parents to move them (free of the limit), and a parent who already chose keeps that choice.
 */
export async function deleteTimeOff(deps: AppDeps, access: TeacherAccess, timeOffId: string): Promise<void> {
  const [deleted] = await deps.store.batch([
    deleteTimeOffStatement(deps.store.db, access.tenantId, access.teacherId, timeOffId),
  ]);
  if (!deleted || deleted.rows.length === 0) {
    throw new ApiError(404, 'time_off_not_found', `No time off with id ${timeOffId}`, { timeOffId });
  }
}

/** The default schedule window: a day back (what was just taught) to four weeks ahead. */
const DEFAULT_BACK_DAYS = 1;
const DEFAULT_AHEAD_DAYS = 28;

function sessionStatus(row: TeacherSessionRow): TeacherSession['status'] {
  return row.attendance === 'student_no_show' ? 'no_show' : row.status;
}

function toTeacherSession(row: TeacherSessionRow, alternatives: string[] = []): TeacherSession {
  return {
    id: row.id,
    packageId: row.packageId,
    sessionNumber: row.sessionNumber,
    startUtc: row.startUtc,
    endUtc: row.endUtc,
    status: sessionStatus(row),
    attendance: row.attendance,
    studentName: row.studentName,
    studentNameAr: row.studentNameAr,
    subjectId: row.subjectId,
    tierName: row.tierName,
    tierNameAr: row.tierNameAr,
    flaggedReason: row.flaggedReason,
    alternatives,
  };
}

export async function teacherSchedule(
  deps: AppDeps,
  access: TeacherAccess,
  query: TeacherSessionsQuery,
): Promise<TeacherSchedule> {
  const now = deps.now();
  const from = query.from ?? new Date(now.getTime() - DEFAULT_BACK_DAYS * DAY_MS).toISOString();
  const to = query.to ?? new Date(Date.parse(from) + (DEFAULT_BACK_DAYS + DEFAULT_AHEAD_DAYS) * DAY_MS).toISOString();
  if (Date.parse(to) <= Date.parse(from) || Date.parse(to) - Date.parse(from) > MAX_TEACHER_SESSIONS_DAYS * DAY_MS) {
    throw new ApiError(
      400,
      'validation_error',
      `The range must run forward and span at most ${MAX_TEACHER_SESSIONS_DAYS} days.`,
      {
        from,
        to,
      },
    );
  }
  const teacher = await teacherOr404(deps, access);
  const nowIso = now.toISOString();
  const rows = await listTeacherSessions(deps.store.db, access.tenantId, access.teacherId, { from, to, now: nowIso });
  const flagged = rows.filter((r) => r.flaggedReason !== null && r.status === 'scheduled' && r.startUtc > nowIso);
  // One schedule read for every flagged session, and only when there is one.
  const loaded = flagged.length > 0 ? await deps.schedules.load(access.tenantId, access.teacherId, now) : undefined;
  const alternatives = new Map<string, string[]>();
  for (const row of loaded ? flagged : []) {
    const slots = nearbyAlternatives({
      schedule: loaded!.row.schedule,
      session: { startUtc: row.startUtc, endUtc: row.endUtc },
      now: nowIso,
      before: row.gracePeriodEnds,
    });
    alternatives.set(
      row.id,
      slots.map((slot) => slot.startUtc),
    );
  }
  return {
    teacherId: access.teacherId,
    timezone: teacher.timezone,
    from,
    to,
    sessions: rows.map((row) => toTeacherSession(row, alternatives.get(row.id))),
  };
}

function sessionNotFound(sessionId: string): ApiError {
  return new ApiError(404, 'session_not_found', `No session with id ${sessionId}`, { sessionId });
}

/** The answer when an outcome is already recorded: the same one is a replay, another one a conflict. */
function alreadyRecorded(row: TeacherSessionRow, outcome: Attendance): AttendanceOutcome {
  if (row.attendance !== outcome) {
    throw new ApiError(
      409,
      'attendance_recorded',
      `This session’s attendance is already recorded (${row.attendance}).`,
      {
        sessionId: row.id,
        attendance: row.attendance,
      },
    );
  }
  return { session: toTeacherSession(row), releasedMinor: 0, creditReturned: false, recorded: false };
}

/**
 * Records how a started session ended, in one guarded batch each: `completed` is the school's
 * completion (the share released once), `student_no_show` is released the same way (the teacher
 * kept the time) unless the school's rule is `credit`, `teacher_no_show` cancels the session into a
 * floating credit (nothing released), as does a forgiven student no-show.
 * The batch's guard (`attendance IS NULL`) makes a replay change nothing; its last statement reads
 * the session as it left it, which also tells a lost race from a replay.
 */
export async function recordAttendance(
  deps: AppDeps,
  access: TeacherAccess,
  sessionId: string,
  { outcome }: AttendanceBody,
): Promise<AttendanceOutcome> {
  const now = deps.now();
  const nowIso = now.toISOString();
  const db = deps.store.db;
  const read = () => teacherSessionQuery(db, access.tenantId, access.teacherId, sessionId, nowIso);
  const row = found(await read().executeTakeFirst(), () => sessionNotFound(sessionId));
  if (row.attendance !== null) return alreadyRecorded(row, outcome);
  const details = { sessionId, packageId: row.packageId, status: row.status, startUtc: row.startUtc };
  if (row.status !== 'scheduled') {
    throw new ApiError(
      409,
      'session_not_scheduled',
      `This session is ${row.status}; there is nothing to record.`,
      details,
    );
  }
  if (row.startUtc > nowIso) {
    throw new ApiError(409, 'session_not_started', 'Attendance can be recorded once the session has started.', details);
  }
  if (row.holdExpiresAt !== null) {
    throw new ApiError(
      409,
      'package_pending_payment',
      'This package is waiting for its payment to be confirmed.',
      details,
    );
  }
  const token = crypto.randomUUID();
  const base = { bookingId: sessionId, token, now: nowIso, by: 'teacher' as const };
  // The family is not charged for the teacher's no-show, nor for the student's where the school forgives it.
  const credited = outcome === 'teacher_no_show' || (outcome === 'student_no_show' && row.studentNoShow === 'credit');
  let written: { applied: boolean; releasedMinor: number; after: TeacherSessionRow | undefined };
  if (row.packageId === null) {
    const batch = singleAttendanceBatch(db, { ...base, teacherId: access.teacherId, attendance: outcome });
    written = await runBatch(
      deps.store,
      withSession(batch, read(), (applied) => ({ applied, releasedMinor: 0 })),
    );
  } else if (credited) {
    const batch = creditedNoShowBatch(db, { ...base, packageId: row.packageId, attendance: outcome });
    written = await runBatch(
      deps.store,
      withSession(batch, read(), (w) => ({ applied: w.applied, releasedMinor: 0 })),
    );
  } else {
    const batch = completeSessionBatch(db, { ...base, packageId: row.packageId, attendance: outcome });
    written = await runBatch(
      deps.store,
      withSession(batch, read(), (w) => ({ applied: w.applied, releasedMinor: w.releasedMinor })),
    );
  }
  const after = found(written.after, () => sessionNotFound(sessionId));
  if (!written.applied) {
    // Refused: a concurrent record got there first (the same outcome is a replay), or the session changed.
    if (after.attendance !== null) return alreadyRecorded(after, outcome);
    throw new ApiError(409, 'session_changed', 'This session changed meanwhile; please review it and try again.', {
      ...details,
      status: after.status,
    });
  }
  return {
    session: toTeacherSession(after),
    releasedMinor: written.releasedMinor,
    creditReturned: credited && row.packageId !== null,
    recorded: true,
  };
}

/** A batch with the teacher's view of the session appended as its last read (the state the batch left). */
function withSession<T, U>(
  batch: Batch<T>,
  session: { compile: Batch<T>['statements'][number]['compile'] },
  pick: (written: T) => U,
): Batch<U & { after: TeacherSessionRow | undefined }> {
  return {
    statements: [...batch.statements, session],
    read: (results) => ({
      ...pick(batch.read(results.slice(0, -1))),
      after: teacherSessionFrom(results[results.length - 1]!),
    }),
  };
}

import { ApiError } from '../contract/errors.js';
import type { AppDeps } from '../deps.js';
import { findPackage, type PackageRecord, type PackageSessionRow } from '../db/repositories/packages.js';
import { probeTeacher, type TeacherProbe } from '../db/repositories/schedule.js';

/**
 * The 404 of each unknown id, worded once. Another tenant's or family's ids answer these too (never
 * 403), so an id gives away nothing about whether it exists elsewhere.
 */
export const notFound = {
  teacher: (teacherId: string) =>
    new ApiError(404, 'teacher_not_found', `No teacher with id ${teacherId}`, { teacherId }),
  /** With `teacherId`: the tier is unknown, inactive, or another teacher's (one answer for all three). */
  tier: (tierId: string, teacherId?: string) =>
    new ApiError(
      404,
      'tier_not_found',
      teacherId ? `Teacher ${teacherId} sells no tier with id ${tierId}` : `No tier with id ${tierId}`,
      { tierId },
    ),
  subject: (subjectId: string) =>
    new ApiError(404, 'subject_not_found', `No subject with id ${subjectId}`, { subjectId }),
  subjectNotTaught: (teacherId: string, subjectId: string | undefined) =>
    new ApiError(404, 'subject_not_taught', `Teacher ${teacherId} does not teach ${subjectId}`, {
      teacherId,
      subjectId,
    }),
  student: (studentId: string) =>
    new ApiError(404, 'student_not_found', `No student with id ${studentId}`, { studentId }),
  package: (packageId: string) =>
    new ApiError(404, 'package_not_found', `No package with id ${packageId}`, { packageId }),
  session: (packageId: string, sessionId: string) =>
    new ApiError(404, 'session_not_found', `Package ${packageId} has no session ${sessionId}`, {
      packageId,
      sessionId,
    }),
};

/** The value, or the 404 when a read (or a write's RETURNING) found no row. */
export function found<T>(value: T | null | undefined, missing: () => ApiError): T {
  if (value === null || value === undefined) throw missing();
  return value;
}

export async function packageOr404(deps: AppDeps, tenantId: string, packageId: string): Promise<PackageRecord> {
  return found(await findPackage(deps.store.db, tenantId, { id: packageId }), () => notFound.package(packageId));
}

export function sessionOr404(record: PackageRecord, sessionId: string): PackageSessionRow {
  return found(
    record.sessions.find((s) => s.id === sessionId),
    () => notFound.session(record.id, sessionId),
  );
}

/**
 * A teacher's schedule with the subject and tier a request names: one probe answers all three, and
 * each unknown one is its own 404.
 */
export async function scheduleOr404(
  deps: AppDeps,
  tenantId: string,
  teacherId: string,
  now: Date,
  ask: { subjectId?: string | undefined; tierId?: string | undefined } = {},
) {
  const loaded = found(await deps.schedules.load(tenantId, teacherId, now, ask), () => notFound.teacher(teacherId));
  if (loaded.probe.teachesSubject === false) throw notFound.subjectNotTaught(teacherId, ask.subjectId);
  if (ask.tierId && !loaded.probe.tier) throw notFound.tier(ask.tierId, teacherId);
  return loaded;
}

/**
 * scheduleOr404's checks on the probe alone (one statement), for a read that may answer 304 before it
 * loads the schedule; `scheduleAt` then loads it at the probed version.
 */
export async function probeOr404(
  deps: AppDeps,
  tenantId: string,
  teacherId: string,
  now: Date,
  ask: { subjectId?: string | undefined; tierId?: string | undefined } = {},
): Promise<TeacherProbe> {
  const probe = found(await probeTeacher(deps.store, tenantId, teacherId, now.toISOString(), ask), () =>
    notFound.teacher(teacherId),
  );
  if (probe.teachesSubject === false) throw notFound.subjectNotTaught(teacherId, ask.subjectId);
  if (ask.tierId && !probe.tier) throw notFound.tier(ask.tierId, teacherId);
  return probe;
}

/** The schedule at the version `probeOr404` read (the probe checked the teacher's tenant). */
export async function scheduleAt(deps: AppDeps, teacherId: string, probe: TeacherProbe, now: Date) {
  return found(await deps.schedules.at(teacherId, probe.version, now), () => notFound.teacher(teacherId));
}

import {
  addDays,
  datedFreeSlots,
  DEFAULT_SESSION_MINUTES,
  isSlotFree,
  minuteKey,
  requestedSlot,
  withoutBooking,
} from '../core/index.js';
import { localParts } from '../core/local-parts.js';
import type {
  CompletionOutcome,
  ConflictReason,
  DatedSlots,
  SessionOutcome,
  SlotRef,
  TimeOffOutcome,
} from '../contract/wire.js';
import type { SlotsQuery, SlotTarget, TimeOffBody } from '../contract/schemas.js';
import type { AppDeps } from '../deps.js';
import {
  addTimeOffBatch,
  bookFloatingBatch,
  completeSessionBatch,
  floatSessionBatch,
  rescheduleBatch,
  type LifecycleWritten,
} from '../db/repositories/lifecycle.js';
import type { PackageRecord, PackageSessionRow } from '../db/repositories/packages.js';
import { isBookingConflict, runBatch, type Batch } from '../db/store.js';
import { ApiError } from '../contract/errors.js';
import { flaggedAlternatives, packageState, toPackageView } from './packages.js';
import { CHANGE_NOTICE_HOURS, noticeCutoff } from './policy.js';
import { found, notFound, packageOr404, probeOr404, scheduleAt, scheduleOr404, sessionOr404 } from './lookup.js';
import type { VersionedRead } from './marketplace.js';
import { ownedPackageOr404, withFeed, type PackageAccess } from './access.js';

/** The answer to a session change, from the package as its batch left it (no read after the write). */
async function outcome(
  deps: AppDeps,
  record: PackageRecord,
  sessionId: string,
  now: Date,
  access?: PackageAccess,
): Promise<SessionOutcome> {
  const plain = toPackageView(record, now, await flaggedAlternatives(deps, record, now));
  // The parent's answer carries the feed URL with its token; the teacher's (admin) the bare path.
  const view = access ? await withFeed(deps, access, record, plain) : plain;
  return { session: view.sessions.find((s) => s.id === sessionId)!, package: view };
}

/** The package a lifecycle batch read last; it always exists, since packages are never deleted. */
function after(written: LifecycleWritten, packageId: string): PackageRecord {
  return found(written.record, () => notFound.package(packageId));
}

/** The package must be running: not cancelled, not past its end. */
export function assertPackageOpen(record: PackageRecord, now: Date): void {
  const state = packageState(record, now);
  if (state === 'cancelled')
    throw new ApiError(409, 'package_cancelled', 'This package was cancelled.', { packageId: record.id });
  // Sessions change once the payment is confirmed; a lapsed hold holds nothing to change.
  if (state === 'pending_payment') {
    throw new ApiError(409, 'package_pending_payment', 'This package is waiting for its payment to be confirmed.', {
      packageId: record.id,
      holdExpiresAt: record.holdExpiresAt,
    });
  }
  if (state === 'hold_expired') {
    throw new ApiError(409, 'hold_expired', 'The hold on this package lapsed before it was paid.', {
      packageId: record.id,
      holdExpiresAt: record.holdExpiresAt,
    });
  }
  if (state === 'expired') {
    throw new ApiError(422, 'package_expired', `This package ended on ${record.gracePeriodEnds}.`, {
      packageId: record.id,
      gracePeriodEnds: record.gracePeriodEnds,
      floatingSessionsExpired: record.floatingSessionCount - record.floatingSessionsUsed,
    });
  }
}

/** Which parent-side change a session still allows at `now`; throws the reason it does not. */
function assertChangeable(
  record: PackageRecord,
  session: PackageSessionRow,
  now: Date,
  what: 'reschedule' | 'float',
): void {
  const details = { packageId: record.id, sessionId: session.id, status: session.status, startUtc: session.startUtc };
  if (session.status !== 'scheduled') {
    throw new ApiError(
      409,
      'session_not_scheduled',
      `This session is ${session.status}; only scheduled sessions can change.`,
      details,
    );
  }
  const nowIso = now.toISOString();
  if (session.startUtc <= nowIso)
    throw new ApiError(409, 'session_started', 'This session has already started.', details);
  const flagged = session.flaggedReason !== null;
  if (!flagged && session.startUtc < noticeCutoff(now)) {
    throw new ApiError(
      409,
      'change_window_passed',
      `Sessions can be changed up to ${CHANGE_NOTICE_HOURS} hours before they start.`,
      { ...details, changeNoticeHours: CHANGE_NOTICE_HOURS },
    );
  }
  if (what === 'reschedule' && !flagged && session.rescheduleCount >= record.rescheduleLimit) {
    throw new ApiError(
      409,
      'reschedule_limit_reached',
      `This session was already rescheduled ${session.rescheduleCount} times, the limit of this package.`,
      { ...details, rescheduleLimit: record.rescheduleLimit, rescheduleCount: session.rescheduleCount },
    );
  }
}

/** Resolves and checks a requested slot with the same core as the grid; throws why it cannot be booked. */
async function freeSlotOrThrow(
  deps: AppDeps,
  record: PackageRecord,
  target: SlotTarget,
  now: Date,
  moving: PackageSessionRow | null,
): Promise<SlotRef> {
  const slot = requestedSlot(record.timezone, target, record.sessionMinutes);
  if (!slot) {
    throw new ApiError(
      422,
      'slot_not_available',
      'That local time does not exist on that day (daylight-saving change).',
      {
        reason: 'dst_gap' satisfies ConflictReason,
        target,
      },
    );
  }
  if (moving && slot.startUtc === moving.startUtc) {
    throw new ApiError(422, 'same_slot', 'The session is already at that time.', { slot });
  }
  if (!record.gracePeriodEnds || slot.startUtc >= record.gracePeriodEnds) {
    throw new ApiError(
      422,
      'after_package_end',
      `Sessions of this package must start before ${record.gracePeriodEnds}.`,
      {
        slot,
        gracePeriodEnds: record.gracePeriodEnds,
      },
    );
  }
  const loaded = await scheduleOr404(deps, record.tenantId, record.teacherId, now);
  const schedule = moving ? withoutBooking(loaded.row.schedule, moving) : loaded.row.schedule;
  const reason = isSlotFree(schedule, slot, now.toISOString());
  if (reason === 'booked') throw slotTaken(slot);
  if (reason !== null) {
    throw new ApiError(422, 'slot_not_available', `The teacher cannot take a session then (${reason}).`, {
      reason,
      slot,
    });
  }
  return slot;
}

function slotTaken(slot: SlotRef): ApiError {
  return new ApiError(409, 'slot_taken', 'That slot was just booked by someone else; please pick another.', { slot });
}

/** Runs a lifecycle batch; an overlap the database refused (trigger, unique index) means the slot was taken. */
async function runGuarded<T>(deps: AppDeps, batch: Batch<T>, slot: SlotRef | null): Promise<T> {
  try {
    return await runBatch(deps.store, batch);
  } catch (error) {
    if (slot && isBookingConflict(error)) throw slotTaken(slot);
    throw error;
  }
}

/**
 * Books one of the package's floating sessions at a free slot before the package ends. The checks
 * here give the parent a precise answer; the guarded batch is what decides, so two bookings racing
 * for the last credit (or for one slot) cannot both succeed.
 */
export async function bookFloatingSession(
  deps: AppDeps,
  packageId: string,
  target: SlotTarget,
  access: PackageAccess,
): Promise<SessionOutcome> {
  const now = deps.now();
  const record = await ownedPackageOr404(deps, packageId, access);
  assertPackageOpen(record, now);
  const left = record.floatingSessionCount - record.floatingSessionsUsed;
  if (left <= 0) throw noCreditsLeft(record);
  const slot = await freeSlotOrThrow(deps, record, target, now, null);
  const bookingId = crypto.randomUUID();
  const token = crypto.randomUUID();
  const written = await runGuarded(
    deps,
    bookFloatingBatch(deps.store.db, {
      packageId,
      bookingId,
      token,
      startUtc: slot.startUtc,
      endUtc: slot.endUtc,
      now: now.toISOString(),
    }),
    slot,
  );
  const fresh = after(written, packageId);
  if (!written.applied) {
    // The guard refused; the package as the same batch saw it says why.
    assertPackageOpen(fresh, now);
    if (fresh.floatingSessionCount - fresh.floatingSessionsUsed <= 0) throw noCreditsLeft(fresh);
    throw new ApiError(409, 'package_changed', 'The package changed while booking; please try again.', { packageId });
  }
  return outcome(deps, fresh, bookingId, now, access);
}

function noCreditsLeft(record: PackageRecord): ApiError {
  return new ApiError(409, 'no_floating_sessions_left', 'All floating sessions of this package are booked.', {
    packageId: record.id,
    floatingSessionCount: record.floatingSessionCount,
    floatingSessionsUsed: record.floatingSessionsUsed,
  });
}

/**
 * Moves a session to a free slot, in place: the old slot is free as soon as this commits. Two
 * parents racing for one slot: the overlap trigger lets exactly one batch commit.
 */
export async function rescheduleSession(
  deps: AppDeps,
  packageId: string,
  sessionId: string,
  target: SlotTarget,
  access: PackageAccess,
): Promise<SessionOutcome> {
  const now = deps.now();
  const record = await ownedPackageOr404(deps, packageId, access);
  const session = sessionOr404(record, sessionId);
  assertPackageOpen(record, now);
  assertChangeable(record, session, now, 'reschedule');
  const slot = await freeSlotOrThrow(deps, record, target, now, session);
  const token = crypto.randomUUID();
  const written = await runGuarded(
    deps,
    rescheduleBatch(deps.store.db, {
      packageId,
      bookingId: sessionId,
      token,
      fromStartUtc: session.startUtc,
      startUtc: slot.startUtc,
      endUtc: slot.endUtc,
      now: now.toISOString(),
      noticeCutoff: noticeCutoff(now),
    }),
    slot,
  );
  const fresh = after(written, packageId);
  if (!written.applied) {
    // The guard refused; the package as the same batch saw it says why.
    const current = sessionOr404(fresh, sessionId);
    assertPackageOpen(fresh, now);
    assertChangeable(fresh, current, now, 'reschedule');
    throw new ApiError(409, 'session_changed', 'This session changed meanwhile; please review it and try again.', {
      packageId,
      sessionId,
      startUtc: current.startUtc,
    });
  }
  return outcome(deps, fresh, sessionId, now, access);
}

/**
 * Cancels a session into a floating credit (the parent's cancellation policy, and the way out of a
 * flagged session): the slot frees at once and the package gains one floating session.
 */
export async function floatSession(
  deps: AppDeps,
  packageId: string,
  sessionId: string,
  access: PackageAccess,
): Promise<SessionOutcome> {
  const now = deps.now();
  const record = await ownedPackageOr404(deps, packageId, access);
  const session = sessionOr404(record, sessionId);
  assertPackageOpen(record, now);
  assertChangeable(record, session, now, 'float');
  const token = crypto.randomUUID();
  const written = await runGuarded(
    deps,
    floatSessionBatch(deps.store.db, {
      packageId,
      bookingId: sessionId,
      token,
      now: now.toISOString(),
      noticeCutoff: noticeCutoff(now),
    }),
    null,
  );
  const fresh = after(written, packageId);
  if (!written.applied) {
    // The guard refused; the package as the same batch saw it says why.
    assertPackageOpen(fresh, now);
    assertChangeable(fresh, sessionOr404(fresh, sessionId), now, 'float');
    throw new ApiError(409, 'session_changed', 'This session changed meanwhile; please review it and try again.', {
      packageId,
      sessionId,
    });
  }
  return outcome(deps, fresh, sessionId, now, access);
}

/** Teacher side: the session was taught, so its escrow share is released (at most once). */
export async function completeSession(
  deps: AppDeps,
  tenantId: string,
  packageId: string,
  sessionId: string,
): Promise<CompletionOutcome> {
  const now = deps.now();
  const record = await packageOr404(deps, tenantId, packageId);
  const session = sessionOr404(record, sessionId);
  // Nothing is held in escrow before the payment, so nothing can be released.
  const state = packageState(record, now);
  if (state === 'pending_payment' || state === 'hold_expired') assertPackageOpen(record, now);
  if (session.status === 'completed')
    return { ...(await outcome(deps, record, sessionId, now)), released: false, releasedMinor: 0 };
  if (session.status === 'cancelled') {
    throw new ApiError(409, 'session_not_scheduled', 'This session was cancelled; there is nothing to complete.', {
      packageId,
      sessionId,
      status: session.status,
    });
  }
  if (session.startUtc > now.toISOString()) {
    throw new ApiError(409, 'session_not_started', 'A session can be completed once it has started.', {
      packageId,
      sessionId,
      startUtc: session.startUtc,
    });
  }
  const token = crypto.randomUUID();
  const written = await runGuarded(
    deps,
    completeSessionBatch(deps.store.db, { packageId, bookingId: sessionId, token, now: now.toISOString() }),
    null,
  );
  const fresh = after(written, packageId);
  const current = sessionOr404(fresh, sessionId);
  // Refused because a concurrent completion got there first: done already, nothing released twice.
  if (!written.applied && current.status !== 'completed') {
    throw new ApiError(409, 'session_changed', 'This session changed meanwhile; please review it and try again.', {
      packageId,
      sessionId,
      status: current.status,
    });
  }
  return {
    ...(await outcome(deps, fresh, sessionId, now)),
    released: written.applied,
    releasedMinor: written.releasedMinor,
  };
}

export async function addTimeOff(
  deps: AppDeps,
  tenantId: string,
  teacherId: string,
  body: TimeOffBody,
): Promise<TimeOffOutcome> {
  const id = crypto.randomUUID();
  const token = crypto.randomUUID();
  const reason = body.reason ?? null;
  const flaggedSessions = await runBatch(
    deps.store,
    addTimeOffBatch(deps.store.db, {
      tenantId,
      id,
      teacherId,
      startUtc: body.startUtc,
      endUtc: body.endUtc,
      reason,
      token,
      now: deps.now().toISOString(),
    }),
  );
  return { id, teacherId, startUtc: body.startUtc, endUtc: body.endUtc, reason, flaggedSessions };
}

export const DEFAULT_SLOT_RANGE_DAYS = 14;

/** Dated free slots of a teacher, from the same core as the grid (one source of truth). */
export async function teacherSlots(
  deps: AppDeps,
  tenantId: string,
  teacherId: string,
  query: SlotsQuery,
): Promise<VersionedRead<DatedSlots>> {
  const now = deps.now();
  const probe = await probeOr404(deps, tenantId, teacherId, now, { tierId: query.tierId });
  const durationMinutes = query.duration ?? probe.tier?.sessionMinutes ?? DEFAULT_SESSION_MINUTES;
  // Every instant of one minute key gets the same slots as a booking's exact check (minuteKey says why).
  // The default range is today in the teacher's zone: the minute and the schedule version (the zone) decide it.
  const minute = minuteKey(now);
  return {
    version: `${probe.version}|${probe.catalogVersion}|slots|${durationMinutes}|${minute}`,
    read: async () => {
      const row = await scheduleAt(deps, teacherId, probe, now);
      const from = query.from ?? localParts(now.toISOString(), row.schedule.timezone).date;
      const to = query.to ?? addDays(from, DEFAULT_SLOT_RANGE_DAYS - 1);
      const slots = deps.schedules.derive(row, `slots|${durationMinutes}|${from}|${to}|${minute}`, () =>
        datedFreeSlots({ schedule: row.schedule, durationMinutes, fromDate: from, toDate: to, now: now.toISOString() }),
      );
      return { teacherId, timezone: row.schedule.timezone, durationMinutes, from, to, slots };
    },
  };
}

import {
  checkMultiSlot,
  DEFAULT_GRACE_PERIOD_DAYS,
  DEFAULT_SESSION_MINUTES,
  legacyPatterns,
  minuteKey,
  nearbyAlternatives,
  splitEscrow,
  tierPrice,
  unassignedEscrow,
} from '../core/index.js';
import { localParts } from '../core/local-parts.js';
import type {
  MultiSlotAvailability,
  PackageState,
  PackageView,
  PurchasedPackage,
  RecurringPattern,
  SlotRef,
  Weekday,
} from '../contract/wire.js';
import type { AppDeps } from '../deps.js';
import {
  findPackage,
  loadPurchaseContext,
  purchaseBatch,
  type NewBooking,
  type NewPackage,
  type PackageRecord,
  type PurchaseWritten,
} from '../db/repositories/packages.js';
import { isBookingConflict, runBatch } from '../db/store.js';
import { ApiError } from '../contract/errors.js';
import type { CheckMultiSlotBody, PurchaseBody } from '../contract/schemas.js';
import { CHANGE_NOTICE_HOURS } from './policy.js';
import { sha256Hex } from './crypto.js';
import { found, notFound, scheduleOr404 } from './lookup.js';
import { ownedPackageOr404, withFeed, type PackageAccess, type ParentAccess } from './access.js';
import { manageLink } from './tokens.js';
import { deploymentLimits } from './rate-limit.js';

/** The open-limit trigger's refusal (0007_holds.sql). */
function isTooManyOpenPurchases(error: unknown): boolean {
  return String((error as { message?: unknown })?.message ?? error).includes('too_many_open_purchases');
}

/** State is derived from `now`, so expiry needs no job that must have run. */
export function packageState(record: PackageRecord, now: Date): PackageState {
  if (record.status === 'cancelled') return 'cancelled';
  // Unpaid: the hold lives until holdExpiresAt (exclusive), then has lapsed, with no write.
  if (record.holdExpiresAt !== null) {
    return now.toISOString() < record.holdExpiresAt ? 'pending_payment' : 'hold_expired';
  }
  const open = record.sessions.some((s) => s.status === 'scheduled');
  const floatingLeft = record.floatingSessionCount - record.floatingSessionsUsed;
  if (record.status === 'completed' || (!open && floatingLeft === 0)) return 'completed';
  if (record.gracePeriodEnds && now.toISOString() > record.gracePeriodEnds) return 'expired';
  return 'active';
}

/**
 * Owed back to the family and not refunded yet: once the package has expired, the share its unused
 * floating credits hold. Derived at once from the clock; the outbox sweep writes the refund
 * (`expiryRefundsBatch`), after which the same sum is 0 here and counted in `refundedMinor`.
 */
export function refundDueMinor(record: PackageRecord, state: PackageState): number {
  if (state !== 'expired' || record.floatingSessionsUsed >= record.floatingSessionCount) return 0;
  const live = record.sessions.filter((s) => s.status !== 'cancelled').map((s) => s.escrowMinor);
  return unassignedEscrow(record.priceMinor, live, record.escrowRefundedMinor);
}

/**
 * The package as the parent sees it at `now`. `alternatives` holds the same-week free slots of
 * flagged sessions (computed by `getPackageView`, which has the teacher's schedule).
 */
export function toPackageView(
  record: PackageRecord,
  now: Date,
  alternatives: ReadonlyMap<string, SlotRef[]> = new Map(),
): PackageView {
  const state = packageState(record, now);
  const nowIso = now.toISOString();
  const floatingUnused = record.floatingSessionCount - record.floatingSessionsUsed;
  const open = state === 'active' || state === 'completed';
  return {
    id: record.id,
    studentId: record.studentId,
    teacherId: record.teacherId,
    subjectId: record.subjectId,
    tierId: record.tierId,
    teacherName: record.teacherName,
    teacherNameAr: record.teacherNameAr,
    subjectName: record.subjectName,
    subjectNameAr: record.subjectNameAr,
    state,
    holdExpiresAt: record.holdExpiresAt,
    paymentReference: record.paymentReference,
    confirmedAt: record.confirmedAt,
    recurringPatterns: legacyPatterns(
      record.recurringWeekday as Weekday | null,
      record.recurringTime,
      record.recurringPatterns,
    ),
    sessionCount: record.sessionCount,
    recurringSessionCount: record.recurringSessionCount,
    floatingSessionCount: record.floatingSessionCount,
    floatingSessionsUsed: record.floatingSessionsUsed,
    // A cancelled package's unused credits were refunded with it.
    floatingSessionsLeft: state === 'expired' || state === 'cancelled' ? 0 : floatingUnused,
    floatingSessionsExpired: state === 'expired' ? floatingUnused : 0,
    rescheduleLimit: record.rescheduleLimit,
    changeNoticeHours: CHANGE_NOTICE_HOURS,
    sessionMinutes: record.sessionMinutes,
    firstScheduledSession: record.firstScheduledSession,
    lastScheduledSession: record.lastScheduledSession,
    gracePeriodEnds: record.gracePeriodEnds,
    priceMinor: record.priceMinor,
    currency: record.currency,
    timezone: record.timezone,
    sessions: record.sessions.map((s) => {
      const flagged = s.flaggedReason !== null && s.status === 'scheduled';
      const changeableUntil =
        s.status !== 'scheduled'
          ? null
          : flagged
            ? s.startUtc
            : new Date(Date.parse(s.startUtc) - CHANGE_NOTICE_HOURS * 3_600_000).toISOString();
      const changeable =
        open && changeableUntil !== null && (flagged ? nowIso < changeableUntil : nowIso <= changeableUntil);
      return {
        ...s,
        ...localParts(s.startUtc, record.timezone),
        reschedulesLeft: Math.max(0, record.rescheduleLimit - s.rescheduleCount),
        changeableUntil,
        canReschedule: changeable && (flagged || s.rescheduleCount < record.rescheduleLimit),
        canFloat: changeable,
        alternatives: flagged ? (alternatives.get(s.id) ?? []) : [],
      };
    }),
    escrow: {
      heldMinor: record.escrowHeldMinor,
      releasedMinor: record.escrowReleasedMinor,
      refundedMinor: record.escrowRefundedMinor,
      remainingMinor: record.escrowHeldMinor - record.escrowReleasedMinor - record.escrowRefundedMinor,
      refundDueMinor: refundDueMinor(record, state),
    },
    flaggedSessionCount: record.sessions.filter((s) => s.flaggedReason !== null && s.status === 'scheduled').length,
    calendarPath: `/packages/${record.id}/calendar.ics`,
    createdAt: record.createdAt,
  };
}

export async function getPackageView(deps: AppDeps, id: string, access: PackageAccess): Promise<PackageView> {
  const record = await ownedPackageOr404(deps, id, access);
  const now = deps.now();
  return withFeed(deps, access, record, toPackageView(record, now, await flaggedAlternatives(deps, record, now)));
}

/** Same-week alternatives for each flagged, upcoming session; no schedule read when there is none. */
export async function flaggedAlternatives(
  deps: AppDeps,
  record: PackageRecord,
  now: Date,
): Promise<Map<string, SlotRef[]>> {
  const out = new Map<string, SlotRef[]>();
  const nowIso = now.toISOString();
  const flagged = record.sessions.filter(
    (s) => s.flaggedReason !== null && s.status === 'scheduled' && s.startUtc > nowIso,
  );
  if (flagged.length === 0) return out;
  const loaded = await deps.schedules.load(record.tenantId, record.teacherId, now);
  if (!loaded) return out;
  for (const s of flagged) {
    out.set(
      s.id,
      nearbyAlternatives({
        schedule: loaded.row.schedule,
        session: { startUtc: s.startUtc, endUtc: s.endUtc },
        now: nowIso,
        before: record.gracePeriodEnds,
      }),
    );
  }
  return out;
}

export async function checkAvailability(
  deps: AppDeps,
  tenantId: string,
  request: CheckMultiSlotBody,
): Promise<MultiSlotAvailability> {
  const now = deps.now();
  const { probe, row } = await scheduleOr404(deps, tenantId, request.teacherId, now, {
    subjectId: request.subjectId,
    tierId: request.tierId,
  });
  const input = {
    patterns: request.patterns,
    recurringSessionCount: request.recurringSessionCount ?? probe.tier!.recurringCount,
    durationMinutes: request.duration ?? probe.tier?.sessionMinutes ?? DEFAULT_SESSION_MINUTES,
    gracePeriodDays: probe.tier?.gracePeriodDays ?? DEFAULT_GRACE_PERIOD_DAYS,
    resolutions: request.resolutions ?? [],
  };
  // Parents re-check the same choices as they click, and many look at the same teacher: the answer
  // is a pure function of the schedule version, the inputs and the minute key, which is the same
  // answer the purchase computes at its exact instant (minuteKey says why).
  const minute = minuteKey(now);
  return deps.schedules.derive(row, `check|${minute}|${JSON.stringify(input)}`, () =>
    checkMultiSlot({ ...input, schedule: row.schedule, now: now.toISOString() }),
  );
}

/** SHA-256 of the request's canonical JSON: what "the same body" means for an idempotency key. */
export async function requestHash(value: unknown): Promise<string> {
  const canonical = JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
  return sha256Hex(canonical);
}

function sortedBy<T>(list: readonly T[], key: (item: T) => string): T[] {
  return list
    .map((item) => ({ item, k: key(item) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ item }) => item);
}

export interface PurchaseOutcome {
  status: 200 | 201;
  view: PurchasedPackage;
}

async function replay(
  deps: AppDeps,
  key: string,
  hash: string,
  access: ParentAccess,
): Promise<PurchaseOutcome | undefined> {
  const existing = await findPackage(deps.store.db, access.tenantId, { idempotencyKey: key });
  return existing && replayOf(deps, existing, hash, access);
}

/** The package as its buyer gets it: the view with its feed URL, and the manage link. */
async function purchased(
  deps: AppDeps,
  access: ParentAccess,
  record: PackageRecord,
  link?: PurchasedPackage['manage'],
): Promise<PurchasedPackage> {
  const view = await withFeed(deps, access, record, toPackageView(record, deps.now()));
  return { ...view, manage: link ?? (await manageLink(deps, access.secret, record)) };
}

/**
 * The answer to a request whose key a package already holds: that package, if the body is the same
 * and the same family bought it (another family's retry learns nothing about it).
 */
async function replayOf(
  deps: AppDeps,
  existing: PackageRecord,
  hash: string,
  access: ParentAccess,
): Promise<PurchaseOutcome> {
  if (
    existing.requestHash !== hash ||
    existing.tenantId !== access.tenantId ||
    existing.guardianId !== access.guardianId
  ) {
    throw new ApiError(
      409,
      'idempotency_key_reused',
      'This idempotency key was already used for a different purchase; use a new key for a new purchase.',
      // Not the other package's id: a package id is what lets someone manage that package.
      null,
    );
  }
  return { status: 200, view: await purchased(deps, access, existing) };
}

/**
 * Buys a Smart Pack: validate, check every session with the core, then one atomic batch that the
 * database guards (idempotency key, overlap triggers). No read-then-write decides the outcome:
 * two racing purchases both pass the check, and the database lets exactly one batch commit.
 */
export async function purchaseSmartPack(
  deps: AppDeps,
  body: PurchaseBody,
  headerKey: string | undefined,
  access: ParentAccess,
): Promise<PurchaseOutcome> {
  // Before anything is read: the school vouched for these children only.
  if (!access.studentIds.includes(body.studentId)) {
    throw new ApiError(403, 'student_not_in_token', 'This parent token does not name that student.', {
      studentId: body.studentId,
    });
  }
  const key = headerKey ?? body.idempotencyKey;
  if (!key) {
    throw new ApiError(400, 'idempotency_key_required', 'Send an Idempotency-Key header or an idempotencyKey field.');
  }
  if (headerKey && body.idempotencyKey && headerKey !== body.idempotencyKey) {
    throw new ApiError(400, 'idempotency_key_mismatch', 'The Idempotency-Key header and idempotencyKey field differ.');
  }
  const patterns: RecurringPattern[] = body.recurringPatterns ?? [
    { weekday: body.recurringWeekday!, time: body.recurringTime! },
  ];
  const { idempotencyKey: _key, recurringWeekday: _w, recurringTime: _t, ...rest } = body;
  // Patterns and resolutions are sets (the core refuses a pattern or a date+time given twice), so
  // their order is not part of what the parent asked for.
  const hash = await requestHash({
    ...rest,
    recurringPatterns: sortedBy(patterns, (p) => `${p.weekday}|${p.time}`),
    resolutions: sortedBy(body.resolutions ?? [], (r) => `${r.date}|${r.time}`),
  });

  // One read answers idempotency, existence, the tier and the schedule version.
  const now = deps.now();
  const context = await loadPurchaseContext(
    deps.store.db,
    access.tenantId,
    { ...body, idempotencyKey: key, guardianId: access.guardianId },
    now.toISOString(),
  );
  if (context.existing) return (await replay(deps, key, hash, access))!;
  if (context.scheduleVersion === undefined || !context.tenantId) throw notFound.teacher(body.teacherId);
  if (!context.studentExists) throw notFound.student(body.studentId);
  if (!context.teachesSubject) throw notFound.subjectNotTaught(body.teacherId, body.subjectId);
  const tier = found(context.tier, () => notFound.tier(body.tierId, body.teacherId));

  const row = await deps.schedules.at(body.teacherId, context.scheduleVersion, now);
  if (!row) throw notFound.teacher(body.teacherId);
  let availability: MultiSlotAvailability;
  try {
    availability = checkMultiSlot({
      schedule: row.schedule,
      patterns,
      recurringSessionCount: tier.recurringCount,
      durationMinutes: tier.sessionMinutes,
      gracePeriodDays: tier.gracePeriodDays,
      resolutions: body.resolutions ?? [],
      now: now.toISOString(),
    });
  } catch (error) {
    const replayed = await replay(deps, key, hash, access);
    if (replayed) return replayed;
    throw error;
  }
  if (!availability.available) {
    // A retry of a purchase that committed meanwhile sees its own sessions as taken: replay it.
    const replayed = await replay(deps, key, hash, access);
    if (replayed) return replayed;
    throw new ApiError(422, 'not_available', availability.message, { availability });
  }

  const price = tierPrice(row.hourlyRateMinor, tier.sessionMinutes, tier.sessionCount, tier.discountPercent);
  // Every session of the pack holds its share; floating sessions take theirs when booked.
  const shares = splitEscrow(price.priceMinor, tier.sessionCount);
  const sessions = availability.scheduledSessions;
  const packageId = crypto.randomUUID();
  const createdAt = now.toISOString();
  // A tenant that collects payment: the sessions hold their slots until the partner confirms it.
  const holdExpiresAt =
    context.paymentMode === 'required' ? new Date(now.getTime() + context.holdMinutes * 60_000).toISOString() : null;
  const pkg: NewPackage = {
    id: packageId,
    studentId: body.studentId,
    teacherId: body.teacherId,
    subjectId: body.subjectId,
    tierId: tier.id,
    recurringPatterns: patterns,
    sessionCount: tier.sessionCount,
    recurringSessionCount: sessions.length,
    floatingSessionCount: tier.sessionCount - sessions.length,
    rescheduleLimit: tier.rescheduleLimit,
    sessionMinutes: tier.sessionMinutes,
    firstScheduledSession: availability.firstSession,
    lastScheduledSession: availability.lastSession,
    gracePeriodEnds: availability.packageEndDate,
    priceMinor: price.priceMinor,
    currency: row.currency,
    idempotencyKey: key,
    requestHash: hash,
    createdAt,
    tenantId: access.tenantId,
    guardianId: access.guardianId,
    holdExpiresAt,
    openPurchaseLimit: context.maxOpenPurchases ?? deploymentLimits(deps).maxOpenPurchases,
  };
  const bookings: NewBooking[] = sessions.map((session, index) => ({
    id: crypto.randomUUID(),
    startUtc: session.startUtc,
    endUtc: session.endUtc,
    sessionNumber: session.sessionNumber,
    escrowMinor: shares[index]!,
  }));
  const link = await manageLink(deps, access.secret, pkg);
  let written: PurchaseWritten;
  try {
    written = await runBatch(deps.store, purchaseBatch(deps.store.db, pkg, bookings, link));
  } catch (error) {
    if (isTooManyOpenPurchases(error)) {
      // A retry of a purchase that committed meanwhile is no new hold: replay it.
      const replayed = await replay(deps, key, hash, access);
      if (replayed) return replayed;
      throw new ApiError(
        409,
        'too_many_open_purchases',
        'This family already has the most unfinished purchases allowed at once; pay for or cancel one first.',
        { limit: pkg.openPurchaseLimit },
      );
    }
    if (!isBookingConflict(error)) throw error;
    // Someone took a slot between our check and our write; tell the parent which dates moved.
    const fresh = await checkAvailability(deps, access.tenantId, {
      teacherId: body.teacherId,
      tierId: tier.id,
      patterns,
      resolutions: body.resolutions,
    }).catch(() => null);
    const taken = new Set(sessions.map((s) => s.startUtc));
    const conflicts = (fresh?.patterns ?? [])
      .flatMap((p) => p.conflicts)
      .filter((conflict) => taken.has(conflict.startUtc));
    throw new ApiError(
      409,
      'slot_taken',
      'One or more of these sessions was just booked by someone else. Nothing was charged; please review the new availability.',
      { conflicts, availability: fresh },
    );
  }
  if (!written.inserted) {
    // A concurrent request with the same key won the insert (the only way it does nothing): answer
    // as its replay, from the package the same batch read.
    // No package of this tenant holds it: another tenant's purchase used the key (keys are unique
    // across tenants); answered like a reused key, without a word about the other package.
    if (!written.holder) {
      throw new ApiError(409, 'idempotency_key_reused', 'This idempotency key was already used; use a new key.', null);
    }
    return replayOf(deps, written.holder, hash, access);
  }
  // Everything the new package holds is known here; reading it back would be one more statement.
  const record: PackageRecord = {
    ...pkg,
    tierId: tier.id,
    status: 'active',
    recurringPatterns: JSON.stringify(patterns),
    recurringWeekday: null,
    recurringTime: null,
    floatingSessionsUsed: 0,
    feedTokenVersion: 0,
    holdExpiresAt,
    paymentReference: null,
    confirmedAt: null,
    timezone: row.schedule.timezone,
    teacherName: context.teacherName,
    teacherNameAr: context.teacherNameAr,
    subjectName: context.subjectName,
    subjectNameAr: context.subjectNameAr,
    sessions: bookings.map((b) => ({
      id: b.id,
      sessionNumber: b.sessionNumber,
      kind: 'recurring',
      status: 'scheduled',
      startUtc: b.startUtc,
      endUtc: b.endUtc,
      rescheduleCount: 0,
      escrowMinor: b.escrowMinor,
      flaggedReason: null,
      flaggedAt: null,
      revision: 0,
      completedAt: null,
      cancelledAt: null,
      cancelReason: null,
      updatedAt: createdAt,
      attendance: null,
    })),
    // Pending: nothing is held before it is paid (the confirmation writes the hold).
    escrowHeldMinor: holdExpiresAt === null ? pkg.priceMinor : 0,
    escrowReleasedMinor: 0,
    escrowRefundedMinor: 0,
  };
  return { status: 201, view: await purchased(deps, access, record, link) };
}

/**
 * The wire shapes of `wire.ts` as zod schemas, for the OpenAPI document (`GET /openapi.json`) and
 * the tests that hold real responses against it. `wire.ts` stays pure types (the widget's `.d.ts`
 * ships them without zod); the assertions at the end of this file make the compiler prove each
 * schema and its interface describe the same values, so neither can drift from the other.
 *
 * Schemas with an `id` become named components (`#/components/schemas/<id>`) in the document.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from './errors.js';
import { endTime, time, weekday } from './schemas.js';
import type {
  AdminTeacher,
  AdminTier,
  CreatedTenant,
  RotatedKeys,
  TenantList,
  TenantSummary,
  UpdatedTenant,
  AvailabilityRules,
  CompletionOutcome,
  Conflict,
  DatedSlots,
  EscrowEntries,
  EscrowEntry,
  FlaggedSession,
  GridDay,
  GridSlot,
  MultiSlotAvailability,
  OutboxNotification,
  PackageSessionView,
  PackageView,
  PatternReport,
  RecurringPattern,
  ScheduledSession,
  SessionOutcome,
  SingleBooking,
  SlotRef,
  StoredAvailabilityRule,
  Student,
  CalendarFeed,
  ManageLink,
  ParentIdentity,
  ParentToken,
  PurchasedPackage,
  TokenStudent,
  SubjectSummary,
  TeacherListing,
  TierOffer,
  TiersResponse,
  TierTerms,
  TimeOffEntry,
  TimeOffList,
  TimeOffOutcome,
  WeeklyGrid,
  WeeklyGridAnswer,
} from './wire.js';
import type {
  AttendanceOutcome,
  TeacherProfile,
  TeacherSchedule,
  TeacherSession,
  TeacherToken,
  TimeOffPreview,
} from './teacher.js';
import type { ExternalCalendar, ExternalCalendars } from './teacher.js';

// Looser than the request's `id` on purpose: an answer lists whatever ids the database holds.
const rowId = z.string().min(1);
/** UTC instants as the API writes them: `2026-12-07T13:00:00.000Z`. */
const instant = z.iso.datetime();
const localDate = z.iso.date();
const minor = z.number().int().describe('Money in minor units (piastres, pence) of `currency`');
const count = z.number().int().min(0);
const currency = z.string().regex(/^[A-Z]{3}$/);
const conflictReason = z.enum(['booked', 'time_off', 'outside_availability', 'too_soon', 'dst_gap', 'beyond_horizon']);

export const subjectSummarySchema = z.strictObject({ id: rowId, name: z.string(), nameAr: z.string().nullable() });

export const teacherListingSchema = z
  .strictObject({
    id: rowId,
    name: z.string(),
    nameAr: z.string().nullable(),
    bio: z.string().nullable(),
    timezone: z.string().describe('IANA zone in which the teacher’s dates and times are given'),
    currency,
    hourlyRateMinor: minor,
    subjects: z.array(subjectSummarySchema),
  })
  .meta({ id: 'TeacherListing' });

export const teachersResponseSchema = z.strictObject({ teachers: z.array(teacherListingSchema) });

export const tierTermsSchema = z.strictObject({
  id: rowId,
  name: z.string(),
  nameAr: z.string().nullable().describe('The name in Arabic, for Arabic pages; null: `name` everywhere'),
  sessionCount: count,
  recurringCount: count,
  floatingCount: count,
  discountPercent: z.number().int().min(0).max(100),
  gracePeriodDays: count,
  rescheduleLimit: count,
  sessionMinutes: z.number().int().positive(),
});

export const tierOfferSchema = tierTermsSchema
  .extend({
    listPriceMinor: minor,
    priceMinor: minor,
    savingsMinor: minor,
    currency,
  })
  .meta({ id: 'TierOffer' });

export const tiersResponseSchema = z
  .strictObject({ teacherId: rowId, timezone: z.string(), currency, tiers: z.array(tierOfferSchema) })
  .meta({ id: 'TiersResponse' });

export const recurringPatternSchema = z.strictObject({ weekday, time }).meta({ id: 'RecurringPattern' });

export const slotRefSchema = z
  .strictObject({
    date: localDate.describe('Teacher-local date'),
    time: time.describe('Teacher-local start time'),
    weekday,
    startUtc: instant,
    endUtc: instant,
  })
  .meta({ id: 'SlotRef', description: 'A concrete dated slot, teacher-local and in UTC' });

export const gridSlotSchema = z.strictObject({
  time,
  available: z.boolean().describe('At least one week of the window is free (`status` tells whether all are)'),
  status: z.enum(['free', 'partial', 'unavailable']),
  freeWeeks: count,
  weeks: count,
  reason: conflictReason.optional().describe('Dominant reason for the weeks that are not free'),
});

export const gridDaySchema = z.strictObject({ weekday, slots: z.array(gridSlotSchema) });

export const weeklyGridSchema = z
  .strictObject({
    teacherId: rowId,
    timezone: z.string(),
    durationMinutes: z.number().int().positive(),
    weeks: z.number().int().positive(),
    windowStart: instant.describe('First bookable instant (now + minimum notice)'),
    windowEnd: instant,
    availability: z.array(gridDaySchema).describe('Always 7 days, SUNDAY first; days without teaching have no slots'),
  })
  .meta({ id: 'WeeklyGrid' });

export const weeklyGridAnswerSchema = weeklyGridSchema
  .extend({
    tiers: tiersResponseSchema
      .optional()
      .describe('With `include=tiers`: the teacher’s tiers, as `GET …/tiers` answers them'),
    zoneLabels: z
      .record(z.string(), z.string())
      .optional()
      .describe('With `lang`: each zone of the answer by name and UTC offset at `windowStart`, in that language'),
  })
  .meta({ id: 'WeeklyGridAnswer' });

export const datedSlotsSchema = z
  .strictObject({
    teacherId: rowId,
    timezone: z.string(),
    durationMinutes: z.number().int().positive(),
    from: localDate,
    to: localDate,
    slots: z.array(slotRefSchema),
  })
  .meta({ id: 'DatedSlots' });

export const conflictSchema = z
  .strictObject({
    date: localDate,
    time,
    weekday,
    startUtc: instant,
    reason: conflictReason,
    alternatives: z.array(slotRefSchema).describe('Up to 3 free slots the same week'),
    resolution: z.enum(['extend', 'alternative', 'float']),
  })
  .meta({ id: 'Conflict' });

export const patternReportSchema = z.strictObject({
  weekday,
  time,
  availableWeeks: count,
  conflicts: z.array(conflictSchema),
});

export const scheduledSessionSchema = slotRefSchema
  .extend({
    sessionNumber: z.number().int().positive(),
    patternIndex: z
      .number()
      .int()
      .min(0)
      .nullable()
      .describe('Index into the request’s patterns; null for an alternative'),
  })
  .meta({ id: 'ScheduledSession' });

export const multiSlotAvailabilitySchema = z
  .strictObject({
    available: z.boolean(),
    timezone: z.string(),
    patterns: z.array(patternReportSchema),
    scheduledSessions: z.array(scheduledSessionSchema),
    recurringSessionCount: count,
    floated: count,
    totalWeeksNeeded: count,
    firstSession: instant.nullable(),
    lastSession: instant.nullable(),
    packageEndDate: instant.nullable().describe('Last session + grace period'),
    message: z.string(),
  })
  .meta({ id: 'MultiSlotAvailability' });

export const attendanceSchema = z.enum(['completed', 'student_no_show', 'teacher_no_show']).meta({ id: 'Attendance' });

export const packageSessionViewSchema = z
  .strictObject({
    id: rowId,
    sessionNumber: z.number().int().positive().nullable(),
    kind: z.enum(['recurring', 'floating', 'single']),
    status: z.enum(['scheduled', 'completed', 'cancelled']),
    startUtc: instant,
    endUtc: instant,
    date: localDate,
    time,
    weekday,
    rescheduleCount: count,
    reschedulesLeft: count,
    escrowMinor: minor,
    flaggedReason: z.string().nullable(),
    flaggedAt: instant.nullable(),
    revision: count,
    completedAt: instant.nullable(),
    cancelledAt: instant.nullable(),
    cancelReason: z.string().nullable(),
    updatedAt: instant,
    changeableUntil: instant.nullable().describe('Until when the parent may reschedule or float it'),
    canReschedule: z.boolean(),
    canFloat: z.boolean(),
    alternatives: z.array(slotRefSchema).describe('For a flagged session: free slots the same week to move it to'),
    attendance: attendanceSchema
      .nullable()
      .describe('How the session ended once recorded (a student no-show is completed, a teacher no-show cancelled)'),
  })
  .meta({ id: 'PackageSession' });

export const packageViewSchema = z
  .strictObject({
    id: rowId,
    studentId: rowId,
    teacherId: rowId,
    subjectId: rowId,
    tierId: rowId,
    teacherName: z.string(),
    teacherNameAr: z.string().nullable().describe('The teacher’s Arabic name; null when the school gave none'),
    subjectName: z.string(),
    subjectNameAr: z.string().nullable().describe('The subject’s Arabic name; null when the school gave none'),
    state: z.enum(['pending_payment', 'hold_expired', 'active', 'expired', 'completed', 'cancelled']),
    recurringPatterns: z.array(recurringPatternSchema),
    sessionCount: count,
    recurringSessionCount: count,
    floatingSessionCount: count,
    floatingSessionsUsed: count,
    floatingSessionsLeft: count,
    floatingSessionsExpired: count.describe('Floating credits left unused when the package ended (0 while it runs)'),
    rescheduleLimit: count,
    changeNoticeHours: count,
    sessionMinutes: z.number().int().positive(),
    firstScheduledSession: instant.nullable(),
    lastScheduledSession: instant.nullable(),
    gracePeriodEnds: instant.nullable(),
    priceMinor: minor,
    currency,
    timezone: z.string(),
    sessions: z.array(packageSessionViewSchema),
    escrow: z
      .strictObject({
        heldMinor: minor,
        releasedMinor: minor,
        refundedMinor: minor,
        remainingMinor: minor,
        refundDueMinor: minor.describe(
          'Part of remainingMinor owed back but not yet refunded: once expired, the unused floating credits’ share',
        ),
      })
      .describe('held = released + refunded + remaining'),
    holdExpiresAt: instant.nullable().describe('While pending_payment (and once hold_expired): when the hold lapses'),
    paymentReference: z.string().nullable().describe('The partner’s reference of the confirming payment'),
    confirmedAt: instant.nullable(),
    flaggedSessionCount: count,
    calendarPath: z
      .string()
      .describe('Path of the package’s iCalendar feed on this API, with its read-only feed token (`?token=`)'),
    createdAt: instant,
  })
  .meta({ id: 'Package' });

export const sessionOutcomeSchema = z
  .strictObject({ session: packageSessionViewSchema, package: packageViewSchema })
  .meta({ id: 'SessionOutcome', description: 'The changed session and the whole package after the change' });

export const completionOutcomeSchema = sessionOutcomeSchema
  .extend({
    released: z.boolean().describe('False when the session was already completed: nothing was released twice'),
    releasedMinor: minor.describe('The session’s escrow share released by this request (0 on a retry)'),
  })
  .meta({ id: 'CompletionOutcome' });

// ---- Admin ----

export const adminTeacherSchema = z
  .strictObject({
    id: rowId,
    name: z.string(),
    nameAr: z.string().nullable(),
    bio: z.string().nullable(),
    timezone: z.string(),
    hourlyRateMinor: minor,
    currency,
    minNoticeMinutes: count.describe('Minimum notice before a session may start'),
    horizonDays: count.describe('How many days ahead sessions may be booked'),
    subjectIds: z.array(rowId),
  })
  .meta({ id: 'AdminTeacher' });

export const adminTeachersSchema = z.strictObject({ teachers: z.array(adminTeacherSchema) });

export const storedAvailabilityRuleSchema = z
  .strictObject({ id: rowId, weekday, startTime: time, endTime: endTime.describe('`24:00` ends the day') })
  .meta({ id: 'AvailabilityRule', description: 'Weekly teaching hours, teacher-local' });

export const availabilityRulesSchema = z.strictObject({
  teacherId: rowId,
  rules: z.array(storedAvailabilityRuleSchema).describe('All the teacher’s rules, by weekday and start'),
});

export const timeOffEntrySchema = z.strictObject({
  id: rowId,
  startUtc: instant,
  endUtc: instant,
  reason: z.string().nullable(),
});

export const timeOffListSchema = z.strictObject({ teacherId: rowId, timeOff: z.array(timeOffEntrySchema) });

export const flaggedSessionSchema = z.strictObject({
  id: rowId,
  packageId: rowId.nullable().describe('Null for a single booking'),
  sessionNumber: z.number().int().positive().nullable(),
  startUtc: instant,
  endUtc: instant,
});

export const timeOffOutcomeSchema = timeOffEntrySchema
  .extend({
    teacherId: rowId,
    flaggedSessions: z
      .array(flaggedSessionSchema)
      .describe('The scheduled bookings the time off covers, flagged in the same write, by start'),
  })
  .meta({ id: 'TimeOffOutcome' });

export const singleBookingSchema = z
  .strictObject({
    id: rowId,
    teacherId: rowId,
    studentId: rowId.nullable(),
    subjectId: rowId.nullable(),
    startUtc: instant,
    endUtc: instant,
    kind: z.literal('single'),
    status: z.literal('scheduled'),
  })
  .meta({ id: 'SingleBooking' });

export const subjectsSchema = z.strictObject({ subjects: z.array(subjectSummarySchema) });

export const adminTierSchema = tierTermsSchema
  .extend({
    teacherId: rowId.nullable().describe('The teacher who sells it; null: every teacher'),
    active: z.boolean().describe('Sold to new buyers; packages already bought keep their terms'),
  })
  .meta({ id: 'AdminTier' });

export const adminTiersSchema = z.strictObject({ tiers: z.array(adminTierSchema) });

export const studentSchema = z
  .strictObject({
    id: rowId,
    name: z.string(),
    nameAr: z.string().nullable().describe('The name in Arabic; null: pages show `name`'),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    timezone: z.string().nullable(),
    locale: z.string().nullable(),
  })
  .meta({ id: 'Student' });

export const studentsSchema = z.strictObject({ students: z.array(studentSchema) });

export const outboxNotificationSchema = z
  .strictObject({
    id: z.number().int().positive(),
    eventType: z.string().describe('`pack.purchased`, `session.booked`, `session.flagged`, …'),
    packageId: rowId.nullable(),
    bookingId: rowId.nullable(),
    payload: z.unknown().describe('The event’s body as the webhook delivers it'),
    attempts: count,
    nextAttemptAt: instant,
    deliveredAt: instant.nullable(),
    lastError: z.string().nullable(),
    createdAt: instant,
  })
  .meta({ id: 'OutboxNotification' });

export const notificationsSchema = z.strictObject({ notifications: z.array(outboxNotificationSchema) });

export const escrowEntrySchema = z.strictObject({
  id: z.number().int().positive(),
  bookingId: rowId.nullable().describe('The session whose share moved; null for the purchase’s hold'),
  entryType: z.enum(['hold', 'release', 'refund']),
  reason: z
    .enum(['floating_expired', 'pack_cancelled'])
    .nullable()
    .describe('Why a refund was made; null for holds and releases'),
  amountMinor: minor,
  currency,
  createdAt: instant,
});

export const escrowEntriesSchema = z
  .strictObject({ packageId: rowId, entries: z.array(escrowEntrySchema).describe('Oldest first') })
  .meta({ id: 'EscrowEntries' });

/**
 * The error body, its `code` narrowed to what one route can answer (every code when none is given).
 * Not a named component: each route's copy lists its own codes.
 */
export function errorBodySchema(codes: readonly [ErrorCode, ...ErrorCode[]] = ERROR_CODES) {
  return z.strictObject({
    error: z.strictObject({
      code: z.enum(codes),
      message: z.string().describe('For people; may change. Switch on `code`'),
      details: z.unknown().describe('What the refusal is about (ids, conflicts, validation issues), or null'),
    }),
  });
}

export const healthSchema = z.strictObject({ ok: z.literal(true) });

// ---- Tenants ----

const origins = z
  .array(z.string())
  .nullable()
  .describe('Origins allowed in browsers; null: the deployment’s CORS_ORIGIN');
const keyPrefixes = z
  .strictObject({ publishable: z.string().nullable(), secret: z.string().nullable() })
  .describe('Prefixes of the live keys (never the keys)');

const tenantLimitsSchema = z
  .strictObject({
    purchasesPerHourPerParent: z.number().int().positive().nullable(),
    maxOpenPurchases: z.number().int().positive().nullable(),
  })
  .describe('The tenant’s own abuse limits; null: the deployment’s');

export const tenantSummarySchema = z
  .strictObject({
    id: rowId,
    name: z.string(),
    allowedOrigins: origins,
    webhookUrl: z.string().nullable(),
    holdMinutes: z.number().int().positive(),
    paymentMode: z.enum(['required', 'none']),
    limits: tenantLimitsSchema,
    reminderOffsetsMinutes: z
      .array(z.number().int().positive())
      .describe('Minutes before each session’s start at which `session.reminder` is sent'),
    studentNoShow: z
      .enum(['release', 'credit'])
      .describe(
        'A student’s no-show: `release` pays the teacher’s share (the default); `credit` gives the family the session back as a floating credit',
      ),
    keyPrefixes,
    createdAt: instant,
  })
  .meta({ id: 'TenantSummary' });

export const updatedTenantSchema = tenantSummarySchema
  .extend({
    webhookSecret: z
      .string()
      .nullable()
      .describe('Shown once: set when this gave the tenant its first webhook URL or rotated the secret'),
  })
  .meta({ id: 'UpdatedTenant' });

export const tenantListSchema = z.strictObject({ tenants: z.array(tenantSummarySchema) });

export const createdTenantSchema = z
  .strictObject({
    id: rowId,
    name: z.string(),
    allowedOrigins: origins,
    webhookUrl: z.string().nullable(),
    holdMinutes: z.number().int().positive(),
    paymentMode: z.enum(['required', 'none']),
    publishableKey: z.string().startsWith('pk_').describe('Shown once: for web pages (the widget’s publishable-key)'),
    secretKey: z.string().startsWith('sk_').describe('Shown once: for the partner’s server only'),
    webhookSecret: z.string().nullable().describe('Shown once: verifies this tenant’s webhook signatures'),
    createdAt: instant,
  })
  .meta({ id: 'CreatedTenant' });

export const rotatedKeysSchema = z
  .strictObject({
    tenantId: rowId,
    publishableKey: z.string().startsWith('pk_').nullable().describe('Shown once; null when not rotated'),
    secretKey: z.string().startsWith('sk_').nullable().describe('Shown once; null when not rotated'),
    keyPrefixes,
    tokensEnded: z.boolean().describe('Whether every token the tenant issued was voided (`endTokens`)'),
  })
  .meta({ id: 'RotatedKeys' });

// The compiler's proof that schema and interface agree. `Same` is exact (not mere mutual
// assignability, which lets an optional field go missing on either side).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Agree<A, B> = Same<{ [K in keyof A]: A[K] }, { [K in keyof B]: B[K] }>;
type Assert<T extends true> = T;
export type ResponseSchemasAgreeWithWire = [
  Assert<Agree<z.infer<typeof subjectSummarySchema>, SubjectSummary>>,
  Assert<Agree<z.infer<typeof teacherListingSchema>, TeacherListing>>,
  Assert<Agree<z.infer<typeof teachersResponseSchema>, { teachers: TeacherListing[] }>>,
  Assert<Agree<z.infer<typeof tierTermsSchema>, TierTerms>>,
  Assert<Agree<z.infer<typeof tierOfferSchema>, TierOffer>>,
  Assert<Agree<z.infer<typeof tiersResponseSchema>, TiersResponse>>,
  Assert<Agree<z.infer<typeof recurringPatternSchema>, RecurringPattern>>,
  Assert<Agree<z.infer<typeof slotRefSchema>, SlotRef>>,
  Assert<Agree<z.infer<typeof gridSlotSchema>, GridSlot>>,
  Assert<Agree<z.infer<typeof gridDaySchema>, GridDay>>,
  Assert<Agree<z.infer<typeof weeklyGridSchema>, WeeklyGrid>>,
  Assert<Agree<z.infer<typeof weeklyGridAnswerSchema>, WeeklyGridAnswer>>,
  Assert<Agree<z.infer<typeof datedSlotsSchema>, DatedSlots>>,
  Assert<Agree<z.infer<typeof conflictSchema>, Conflict>>,
  Assert<Agree<z.infer<typeof patternReportSchema>, PatternReport>>,
  Assert<Agree<z.infer<typeof scheduledSessionSchema>, ScheduledSession>>,
  Assert<Agree<z.infer<typeof multiSlotAvailabilitySchema>, MultiSlotAvailability>>,
  Assert<Agree<z.infer<typeof packageSessionViewSchema>, PackageSessionView>>,
  Assert<Agree<z.infer<typeof packageViewSchema>, PackageView>>,
  Assert<Agree<z.infer<typeof sessionOutcomeSchema>, SessionOutcome>>,
  Assert<Agree<z.infer<typeof completionOutcomeSchema>, CompletionOutcome>>,
  Assert<Agree<z.infer<typeof adminTeacherSchema>, AdminTeacher>>,
  Assert<Agree<z.infer<typeof adminTeachersSchema>, { teachers: AdminTeacher[] }>>,
  Assert<Agree<z.infer<typeof storedAvailabilityRuleSchema>, StoredAvailabilityRule>>,
  Assert<Agree<z.infer<typeof availabilityRulesSchema>, AvailabilityRules>>,
  Assert<Agree<z.infer<typeof timeOffEntrySchema>, TimeOffEntry>>,
  Assert<Agree<z.infer<typeof timeOffListSchema>, TimeOffList>>,
  Assert<Agree<z.infer<typeof flaggedSessionSchema>, FlaggedSession>>,
  Assert<Agree<z.infer<typeof timeOffOutcomeSchema>, TimeOffOutcome>>,
  Assert<Agree<z.infer<typeof singleBookingSchema>, SingleBooking>>,
  Assert<Agree<z.infer<typeof subjectsSchema>, { subjects: SubjectSummary[] }>>,
  Assert<Agree<z.infer<typeof adminTierSchema>, AdminTier>>,
  Assert<Agree<z.infer<typeof adminTiersSchema>, { tiers: AdminTier[] }>>,
  Assert<Agree<z.infer<typeof studentSchema>, Student>>,
  Assert<Agree<z.infer<typeof studentsSchema>, { students: Student[] }>>,
  Assert<Agree<z.infer<typeof outboxNotificationSchema>, OutboxNotification>>,
  Assert<Agree<z.infer<typeof notificationsSchema>, { notifications: OutboxNotification[] }>>,
  Assert<Agree<z.infer<typeof escrowEntrySchema>, EscrowEntry>>,
  Assert<Agree<z.infer<typeof escrowEntriesSchema>, EscrowEntries>>,
  Assert<Agree<z.infer<ReturnType<typeof errorBodySchema>>, ErrorBody>>,
  Assert<Agree<z.infer<typeof tenantSummarySchema>, TenantSummary>>,
  Assert<Agree<z.infer<typeof updatedTenantSchema>, UpdatedTenant>>,
  Assert<Agree<z.infer<typeof tenantListSchema>, TenantList>>,
  Assert<Agree<z.infer<typeof createdTenantSchema>, CreatedTenant>>,
  Assert<Agree<z.infer<typeof rotatedKeysSchema>, RotatedKeys>>,
];

// ---- Parents ----

export const tokenStudentSchema = z.strictObject({
  id: rowId,
  externalId: z.string().describe('The school’s own id of the student'),
  name: z.string(),
  nameAr: z.string().nullable(),
});

export const parentTokenSchema = z
  .strictObject({
    token: z
      .string()
      .describe('Signed, expiring parent token: send it as `Authorization: Bearer` (widget `parent-token`)'),
    expiresAt: instant,
    guardianId: rowId,
    students: z.array(tokenStudentSchema),
  })
  .meta({ id: 'ParentToken' });

export const parentIdentitySchema = z
  .strictObject({
    guardianId: rowId,
    students: z.array(z.strictObject({ id: rowId, name: z.string(), nameAr: z.string().nullable() })),
    expiresAt: instant,
  })
  .meta({ id: 'ParentIdentity' });

export const manageLinkSchema = z
  .strictObject({
    token: z.string().describe('Manage token of this one package (a bearer token; keep it like a password)'),
    url: z.string().describe('`/pack/:id?t=<token>`, relative to the site that hosts the pack page'),
    expiresAt: instant.describe('When the package ends (its grace period)'),
  })
  .meta({ id: 'ManageLink' });

export const purchasedPackageSchema = packageViewSchema
  .extend({ manage: manageLinkSchema })
  .meta({ id: 'PurchasedPackage' });

export const calendarFeedSchema = z
  .strictObject({
    calendarPath: z.string().describe('The new feed path with its token; every older feed URL stops working'),
    version: count,
  })
  .meta({ id: 'CalendarFeed' });

export type ParentSchemasAgreeWithWire = [
  Assert<Agree<z.infer<typeof tokenStudentSchema>, TokenStudent>>,
  Assert<Agree<z.infer<typeof parentTokenSchema>, ParentToken>>,
  Assert<Agree<z.infer<typeof parentIdentitySchema>, ParentIdentity>>,
  Assert<Agree<z.infer<typeof manageLinkSchema>, ManageLink>>,
  Assert<Agree<z.infer<typeof purchasedPackageSchema>, PurchasedPackage>>,
  Assert<Agree<z.infer<typeof calendarFeedSchema>, CalendarFeed>>,
];

// ---- Teachers (issue 12: a teacher token's own routes) ----

export const teacherTokenSchema = z
  .strictObject({
    token: z.string().describe('Signed, expiring teacher token: send it as `Authorization: Bearer` to `/teacher/*`'),
    teacherId: rowId,
    expiresAt: instant,
  })
  .meta({ id: 'TeacherToken' });

export const teacherProfileSchema = z
  .strictObject({
    id: rowId,
    name: z.string(),
    nameAr: z.string().nullable(),
    timezone: z.string(),
    durationMinutes: z.number().int().positive().describe('The session length the parent’s grid uses'),
    subjectIds: z.array(rowId),
    studentNoShow: z
      .enum(['release', 'credit'])
      .describe('The school’s rule for a student’s no-show (what recording one does): see TenantSummary'),
  })
  .meta({ id: 'TeacherProfile' });

export const timeOffPreviewSchema = z
  .strictObject({ startUtc: instant, endUtc: instant, flaggedSessions: z.array(flaggedSessionSchema) })
  .meta({ id: 'TimeOffPreview', description: 'What the time off would flag if saved now; nothing was written' });

export const teacherSessionSchema = z
  .strictObject({
    id: rowId,
    packageId: rowId.nullable(),
    sessionNumber: z.number().int().positive().nullable(),
    startUtc: instant,
    endUtc: instant,
    status: z
      .enum(['scheduled', 'completed', 'cancelled', 'no_show'])
      .describe('`no_show`: the student did not come (released as taught); a teacher no-show is `cancelled`'),
    attendance: attendanceSchema.nullable(),
    studentName: z.string().nullable(),
    studentNameAr: z.string().nullable(),
    subjectId: rowId.nullable(),
    tierName: z.string().nullable(),
    tierNameAr: z.string().nullable(),
    flaggedReason: z.string().nullable(),
    alternatives: z.array(instant).describe('For a flagged, upcoming session: free start instants to move it to'),
  })
  .meta({ id: 'TeacherSession' });

export const teacherScheduleSchema = z
  .strictObject({
    teacherId: rowId,
    timezone: z.string(),
    from: instant,
    to: instant,
    sessions: z.array(teacherSessionSchema).describe('In time order'),
  })
  .meta({ id: 'TeacherSchedule' });

export const attendanceOutcomeSchema = z
  .strictObject({
    session: teacherSessionSchema,
    releasedMinor: minor.describe('Released to the teacher by this record (0 for a teacher no-show or a replay)'),
    creditReturned: z.boolean().describe('A teacher no-show gives the family the session back as a floating credit'),
    recorded: z.boolean().describe('False when the same outcome was already recorded: nothing happened twice'),
  })
  .meta({ id: 'AttendanceOutcome' });

export type TeacherSchemasAgreeWithWire = [
  Assert<Agree<z.infer<typeof teacherTokenSchema>, TeacherToken>>,
  Assert<Agree<z.infer<typeof teacherProfileSchema>, TeacherProfile>>,
  Assert<Agree<z.infer<typeof timeOffPreviewSchema>, TimeOffPreview>>,
  Assert<Agree<z.infer<typeof teacherSessionSchema>, TeacherSession>>,
  Assert<Agree<z.infer<typeof teacherScheduleSchema>, TeacherSchedule>>,
  Assert<Agree<z.infer<typeof attendanceOutcomeSchema>, AttendanceOutcome>>,
];

// ---- External calendars (issue 12) ----

export const externalCalendarSchema = z
  .strictObject({
    id: rowId,
    teacherId: rowId,
    name: z.string().nullable(),
    urlDisplay: z
      .string()
      .describe(
        'The feed URL with only its last path segment and any query as `?…` (a feed URL is often itself a secret)',
      ),
    status: z
      .enum(['pending', 'ok', 'failing'])
      .describe('`failing`: the last fetch failed; the busy time of the last good copy still blocks'),
    lastSyncedAt: instant.nullable(),
    lastError: z
      .string()
      .nullable()
      .describe('Why the last fetch failed; with `ok`, a note (e.g. that only the first busy intervals were kept)'),
    busyCount: count.describe('Busy intervals stored from the last good copy'),
  })
  .meta({ id: 'ExternalCalendar' });

export const externalCalendarsSchema = z
  .strictObject({ teacherId: rowId, calendars: z.array(externalCalendarSchema) })
  .meta({ id: 'ExternalCalendars' });

export type CalendarSchemasAgreeWithWire = [
  Assert<Agree<z.infer<typeof externalCalendarSchema>, ExternalCalendar>>,
  Assert<Agree<z.infer<typeof externalCalendarsSchema>, ExternalCalendars>>,
];

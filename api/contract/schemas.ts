import { z } from 'zod';
import { daysBetween, isValidTimeZone } from '../core/time.js';
import { DEFAULT_GRACE_PERIOD_DAYS, DEFAULT_SESSION_MINUTES } from '../core/availability.js';
import { MAX_SLOT_RANGE_DAYS } from '../core/lifecycle.js';
import { MAX_PATTERNS } from '../core/patterns.js';
import { WEEKDAYS } from '../core/types.js';

/*
 * Every request the API validates, as zod schemas (the route validators use them, and so can an
 * OpenAPI generator), each with the type a handler receives after validation.
 */

/** Ids are UUIDs for rows created over the API and readable slugs for seeded demo rows. */
export const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "-" or "_"');
export const weekday = z.enum(WEEKDAYS);
export const time = z.string().regex(/^([01]\d|2[0-3]):([0-5]\d)$/, 'Time must be in HH:mm format (e.g., 17:00)');
export const endTime = z.string().regex(/^(([01]\d|2[0-3]):([0-5]\d)|24:00)$/, 'Time must be HH:mm (24:00 allowed)');
// Years 2000-2099 only: far enough for any booking, and date arithmetic stays in four digits.
export const localDate = z.iso
  .date()
  .refine((d) => d >= '2000-01-01' && d <= '2099-12-31', 'must be between 2000 and 2099');
export const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

export const recurringPattern = z.strictObject({ weekday, time });
export const recurringPatterns = z
  .array(recurringPattern)
  .min(1, 'At least one recurring pattern is required')
  .max(MAX_PATTERNS, `Maximum ${MAX_PATTERNS} recurring patterns allowed`);

export const resolution = z.discriminatedUnion('action', [
  z.strictObject({ date: localDate, time, action: z.enum(['extend', 'float']) }),
  z.strictObject({
    date: localDate,
    time,
    action: z.literal('alternative'),
    alternative: z.strictObject({ date: localDate, time }),
  }),
]);
export const resolutions = z.array(resolution).max(200);

/** A BCP 47 language tag that `Intl` accepts (a well-formed tag it still refuses, such as `en-a`, is a 400). */
export const languageTag = z
  .string()
  .max(35)
  .regex(/^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/, 'a BCP 47 language tag')
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'a BCP 47 language tag');
export const timezone = z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone such as Africa/Khartoum');

export const teacherParam = z.strictObject({ teacherId: id });
export const idParam = z.strictObject({ id });

/**
 * `?key=`: the publishable key for plain links (a calendar app, an `<a href>`), which cannot send the
 * `X-Publishable-Key` header. Read by the publicTenant middleware, accepted and ignored by the validators.
 */
export const publishableKeyParam = {
  key: z
    .string()
    .max(200)
    .optional()
    .describe('The tenant’s publishable key (`pk_…`), when no X-Publishable-Key header is sent'),
};

export const weeklyAvailabilityQuery = z.strictObject({
  ...publishableKeyParam,
  subjectId: id.optional(),
  tierId: id.optional(),
  weeks: z.coerce.number().int().min(1).max(26).default(8),
  duration: z.coerce.number().int().min(15).max(240).optional(),
  include: z
    .literal('tiers')
    .optional()
    .describe(
      '`tiers`: the answer carries the teacher’s tiers too, as `GET …/tiers` answers them (one request for a first screen)',
    ),
  lang: languageTag
    .optional()
    .describe('The answer names its time zones (`zoneLabels`) in this language, by name and UTC offset'),
  viewerTimeZone: timezone
    .optional()
    .describe('The viewer’s IANA zone: named in `zoneLabels` beside the teacher’s (with `lang`)'),
});

export const tiersQuery = z.strictObject({ ...publishableKeyParam, subjectId: id.optional() });
export const teachersQuery = z.strictObject({ ...publishableKeyParam, subjectId: id.optional() });

export const checkMultiSlot = z
  .strictObject({
    teacherId: id,
    subjectId: id.optional(),
    tierId: id.optional(),
    patterns: recurringPatterns,
    recurringSessionCount: z.number().int().min(1).max(100).optional(),
    duration: z.number().int().min(30).max(240).optional(),
    resolutions: resolutions.optional(),
  })
  .refine((body) => body.tierId !== undefined || body.recurringSessionCount !== undefined, {
    message: 'Give tierId or recurringSessionCount',
    path: ['recurringSessionCount'],
  })
  // The purchase takes the count and the session length from the tier; a check that let them differ
  // would show sessions the purchase then does not book.
  .refine((body) => body.tierId === undefined || body.recurringSessionCount === undefined, {
    message: 'With tierId the tier sets the session count; leave recurringSessionCount out',
    path: ['recurringSessionCount'],
  })
  .refine((body) => body.tierId === undefined || body.duration === undefined, {
    message: 'With tierId the tier sets the session length; leave duration out',
    path: ['duration'],
  });

export const purchase = z
  .strictObject({
    studentId: id,
    teacherId: id,
    subjectId: id,
    tierId: id,
    recurringPatterns: recurringPatterns.optional(),
    /** @deprecated single-slot clients; converted to one recurring pattern. */
    recurringWeekday: weekday.optional(),
    /** @deprecated single-slot clients; converted to one recurring pattern. */
    recurringTime: time.optional(),
    resolutions: resolutions.optional(),
    idempotencyKey: z.string().min(8).max(200).optional(),
  })
  .refine((body) => (body.recurringPatterns === undefined) !== (body.recurringWeekday === undefined), {
    message: 'Give either recurringPatterns or the legacy recurringWeekday + recurringTime, not both',
    path: ['recurringPatterns'],
  })
  .refine((body) => (body.recurringWeekday === undefined) === (body.recurringTime === undefined), {
    message: 'recurringWeekday and recurringTime go together',
    path: ['recurringTime'],
  });

export const idempotencyHeader = z.object({
  'idempotency-key': z.string().min(8).max(200).optional(),
});

export type WeeklyAvailabilityQuery = z.infer<typeof weeklyAvailabilityQuery>;
export type TiersQuery = z.infer<typeof tiersQuery>;
export type TeachersQuery = z.infer<typeof teachersQuery>;
export type CheckMultiSlotBody = z.infer<typeof checkMultiSlot>;
export type PurchaseBody = z.infer<typeof purchase>;
export type IdempotencyHeader = z.infer<typeof idempotencyHeader>;

// ---- Package lifecycle (the parent's changes after purchase, the teacher's completion) ----

// Sessions start on whole minutes: a start with seconds would run past the teacher's hours.
export const sessionStart = instant.refine((iso) => iso.endsWith(':00.000Z'), 'must be a whole minute (seconds 00)');
/** A slot as the parent picked it: teacher-local date + time (from the slots list) or a UTC instant. */
export const slotTarget = z.union([
  z.strictObject({ date: localDate, time }),
  z.strictObject({ startUtc: sessionStart }),
]);
export const sessionParams = z.strictObject({ id, sessionId: id });
export const slotsQuery = z
  .strictObject({
    ...publishableKeyParam,
    from: localDate.optional(),
    to: localDate.optional(),
    duration: z.coerce.number().int().min(15).max(240).optional(),
    tierId: id.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'to must not be before from', path: ['to'] })
  .refine((q) => !q.from || !q.to || daysBetween(q.from, q.to) + 1 <= MAX_SLOT_RANGE_DAYS, {
    message: `The range may span at most ${MAX_SLOT_RANGE_DAYS} days`,
    path: ['to'],
  });

export type SlotTarget = z.infer<typeof slotTarget>;
export type SessionParams = z.infer<typeof sessionParams>;
export type SlotsQuery = z.infer<typeof slotsQuery>;

// ---- Admin (school and marketplace set-up) ----

export const teacherBody = z.strictObject({
  id: id.optional(),
  name: z.string().trim().min(1).max(200),
  nameAr: z.string().max(200).nullable().optional(),
  bio: z.string().max(2000).nullable().optional(),
  timezone,
  hourlyRateMinor: z.number().int().min(0).max(100_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as SDG'),
  minNoticeMinutes: z
    .number()
    .int()
    .min(0)
    .max(30 * 1440)
    .optional(),
  horizonDays: z.number().int().min(7).max(366).optional(),
  subjectIds: z.array(id).max(50).optional(),
});
export const teacherUpdateBody = teacherBody.omit({ id: true });
export const subjectBody = z.strictObject({
  id: id.optional(),
  name: z.string().trim().min(1).max(200),
  nameAr: z.string().max(200).nullable().optional(),
});
export const subjectUpdateBody = subjectBody.omit({ id: true });
export const ruleBody = z
  .strictObject({ weekday, startTime: time, endTime })
  .refine((r) => r.startTime < r.endTime, { message: 'startTime must be before endTime', path: ['endTime'] });
export const rulesBody = z.strictObject({ rules: z.array(ruleBody).max(100) });
export const timeOffBody = z
  .strictObject({ startUtc: instant, endUtc: instant, reason: z.string().max(500).nullable().optional() })
  .refine((t) => t.startUtc < t.endUtc, { message: 'startUtc must be before endUtc', path: ['endUtc'] });
export const singleBookingBody = z
  .strictObject({
    startUtc: instant,
    endUtc: instant,
    studentId: id.nullable().optional(),
    subjectId: id.nullable().optional(),
  })
  .refine((t) => t.startUtc < t.endUtc, { message: 'startUtc must be before endUtc', path: ['endUtc'] });
const tierFields = z.strictObject({
  teacherId: id.nullable().optional(),
  name: z.string().trim().min(1).max(200),
  /** The name in Arabic (issue 11); absent or null: the widget shows `name` on Arabic pages too. */
  nameAr: z.string().trim().min(1).max(200).nullable().default(null),
  sessionCount: z.number().int().min(1).max(100),
  recurringCount: z.number().int().min(1).max(100),
  floatingCount: z.number().int().min(0).max(100),
  discountPercent: z.number().int().min(0).max(90).default(0),
  gracePeriodDays: z.number().int().min(0).max(365).default(DEFAULT_GRACE_PERIOD_DAYS),
  rescheduleLimit: z.number().int().min(0).max(20).default(2),
  sessionMinutes: z.number().int().min(15).max(240).default(DEFAULT_SESSION_MINUTES),
  active: z.boolean().default(true),
});
const splitAddsUp = (t: { recurringCount: number; floatingCount: number; sessionCount: number }) =>
  t.recurringCount + t.floatingCount === t.sessionCount;
const splitMessage = {
  message: 'recurringCount + floatingCount must equal sessionCount (whole numbers, stored on the tier)',
  path: ['floatingCount'],
};
export const tierBody = tierFields.extend({ id: id.optional() }).refine(splitAddsUp, splitMessage);
export const tierUpdateBody = tierFields.refine(splitAddsUp, splitMessage);
const nameAr = z.string().trim().min(1).max(200).nullable().optional().describe('The name in Arabic');
export const studentBody = z.strictObject({
  id: id.optional(),
  name: z.string().trim().min(1).max(200),
  nameAr,
  email: z.email().nullable().optional(),
  phone: z.string().max(40).nullable().optional(),
  timezone: timezone.nullable().optional(),
  locale: z.string().max(35).nullable().optional(),
});
export const studentUpdateBody = studentBody.omit({ id: true });
export const notificationsQuery = z.strictObject({
  packageId: id.optional(),
  eventType: z.string().max(100).optional(),
});
export const escrowQuery = z.strictObject({ packageId: id });

export type TeacherBody = z.infer<typeof teacherBody>;
export type TeacherUpdateBody = z.infer<typeof teacherUpdateBody>;
export type SubjectBody = z.infer<typeof subjectBody>;
export type SubjectUpdateBody = z.infer<typeof subjectUpdateBody>;
export type RuleBody = z.infer<typeof ruleBody>;
export type RulesBody = z.infer<typeof rulesBody>;
export type TimeOffBody = z.infer<typeof timeOffBody>;
export type SingleBookingBody = z.infer<typeof singleBookingBody>;
export type TierBody = z.infer<typeof tierBody>;
export type TierUpdateBody = z.infer<typeof tierUpdateBody>;
export type StudentBody = z.infer<typeof studentBody>;
export type StudentUpdateBody = z.infer<typeof studentUpdateBody>;
export type NotificationsQuery = z.infer<typeof notificationsQuery>;
export type EscrowQuery = z.infer<typeof escrowQuery>;

// ---- Parents (the school's server vouches for a family) ----

const externalId = z.string().trim().min(1).max(200);
const personName = z.string().trim().min(1).max(200);
export const parentTokenBody = z.strictObject({
  guardian: z.strictObject({
    externalId,
    name: personName,
    email: z.email().max(320).nullable().optional(),
    phone: z.string().max(40).nullable().optional(),
  }),
  students: z
    .array(z.strictObject({ externalId, name: personName, nameAr }))
    .min(1)
    .max(20)
    .refine((list) => new Set(list.map((s) => s.externalId)).size === list.length, {
      message: 'Each student externalId may appear once',
    }),
  ttlSeconds: z.number().int().min(60).max(86_400).optional(),
});
/** `?token=` of the calendar feed: a feed token (a JWT; its size is bounded so a long one is a 400). */
export const calendarQuery = z.strictObject({
  ...publishableKeyParam,
  token: z.string().min(1).max(2000).optional(),
  /**
   * The parent's language (BCP 47): `ar…` gives Arabic titles and notes with the Arabic names; else English.
   * Only its shape is checked (not `Intl`, as `languageTag` does): a calendar app keeps the address it was given.
   */
  lang: z
    .string()
    .max(35)
    .regex(/^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/, 'a BCP 47 language tag')
    .optional(),
});

export type ParentTokenBody = z.infer<typeof parentTokenBody>;
export type CalendarQuery = z.infer<typeof calendarQuery>;
// ---- Tenants (operator key only) ----

/** An origin as a browser sends it: scheme, host, optional port; nothing after. */
const origin = z
  .string()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'must be an origin such as https://school.example (scheme, host and port only)');
export const webhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .describe('Where this tenant’s outbox is delivered, signed with its webhook secret');
export const tenantBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  allowedOrigins: z
    .array(origin)
    .max(50)
    .nullable()
    .optional()
    .describe('Origins allowed to call the public API from a browser; omitted or null: the deployment’s CORS_ORIGIN'),
  webhookUrl: webhookUrl.nullable().optional(),
  holdMinutes: z.number().int().min(1).max(120).default(15),
  paymentMode: z
    .enum(['required', 'none'])
    .default('required')
    .describe(
      '`required`: a purchase holds its slots until the partner confirms the payment; `none`: the school invoices, a purchase is confirmed at once',
    ),
});
/** `POST /packages/:id/confirm`: the partner's server, after its checkout or its payment provider's webhook. */
export const confirmPayment = z.strictObject({
  paymentReference: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe('The payment provider’s id of the payment; replays with it answer the same'),
  amountMinor: z
    .number()
    .int()
    .nonnegative()
    .describe('What was paid, in minor units; must equal the package’s priceMinor'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .describe('ISO 4217; must equal the package’s currency'),
});
export type ConfirmPayment = z.infer<typeof confirmPayment>;
/** `PATCH /admin/tenants/:id`: only the fields sent change; null clears a nullable one. */
/** A tenant's `session.reminder` offsets when it sets none: 24 hours and 1 hour before the start. */
export const DEFAULT_REMINDER_OFFSETS_MINUTES: readonly number[] = [1440, 60];

/** `session.reminder` offsets (docs/lifecycle.md, "Reminders"): 5 minutes to a week before the start, each once. */
const reminderOffsets = z
  .array(z.number().int().min(5).max(10_080))
  .max(4)
  .refine((offsets) => new Set(offsets).size === offsets.length, { message: 'Each offset once' })
  .describe(
    'Minutes before each session’s start at which `session.reminder` is sent (0 to 4 offsets; [] sends none); null: the default, [1440, 60]',
  );

export const tenantPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    allowedOrigins: z.array(origin).max(50).nullable().optional(),
    webhookUrl: webhookUrl.nullable().optional(),
    rotateWebhookSecret: z
      .boolean()
      .optional()
      .describe('A new webhook secret (shown once); the old one stops signing'),
    holdMinutes: z.number().int().min(1).max(120).optional(),
    paymentMode: z.enum(['required', 'none']).optional(),
    limits: z
      .strictObject({
        purchasesPerHourPerParent: z.number().int().min(1).max(100_000).nullable().optional(),
        maxOpenPurchases: z.number().int().min(1).max(1000).nullable().optional(),
      })
      .optional(),
    reminderOffsetsMinutes: reminderOffsets.nullable().optional(),
    studentNoShow: z
      .enum(['release', 'credit'])
      .optional()
      .describe('`release`: a student’s no-show pays the teacher’s share; `credit`: the family gets the session back'),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one field to change' });
export type TenantPatch = z.infer<typeof tenantPatch>;

export const keyRotationBody = z.strictObject({
  kind: z.enum(['secret', 'publishable', 'both']).default('secret'),
  endTokens: z
    .boolean()
    .default(false)
    .describe(
      'Also replace the secret the tenant signs tokens with: every parent token, manage link and calendar-feed URL it has issued stops working (after a leak)',
    ),
});

export type TenantBody = z.infer<typeof tenantBody>;
export type KeyRotationBody = z.infer<typeof keyRotationBody>;

// ---- Teachers (a teacher token's own routes, issue 12) ----

export const teacherTokenBody = z.strictObject({
  teacherId: id,
  ttlSeconds: z.number().int().min(60).max(86_400).optional(),
});
export const timeOffPreviewBody = z
  .strictObject({ startUtc: instant, endUtc: instant })
  .refine((t) => t.startUtc < t.endUtc, { message: 'startUtc must be before endUtc', path: ['endUtc'] });
/** At most this long a range of `GET /teacher/sessions`. */
export const MAX_TEACHER_SESSIONS_DAYS = 92;
export const teacherSessionsQuery = z
  .strictObject({ from: instant.optional(), to: instant.optional() })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'to must be after from', path: ['to'] });
export const teacherSessionParam = z.strictObject({ sessionId: id });
export const attendanceBody = z.strictObject({
  outcome: z
    .enum(['completed', 'student_no_show', 'teacher_no_show'])
    .describe(
      '`completed`: taught (its share is released); `student_no_show`: the student did not come (released, as taught); `teacher_no_show`: the teacher did not come (cancelled, and the family gets the session back as a floating credit)',
    ),
});

export type TeacherTokenBody = z.infer<typeof teacherTokenBody>;
export type TimeOffPreviewBody = z.infer<typeof timeOffPreviewBody>;
export type TeacherSessionsQuery = z.infer<typeof teacherSessionsQuery>;
export type AttendanceBody = z.infer<typeof attendanceBody>;
// ---- External calendars (issue 12): a teacher's ICS feeds ----

export const calendarBody = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .describe('The ICS feed URL (Google’s “secret address”, Outlook’s published ICS, a platform’s export)'),
  name: z.string().trim().min(1).max(200).nullable().optional(),
});
export const calendarParams = z.strictObject({ teacherId: id, calendarId: id });
/** `/teacher/calendars` (a teacher token): the token names the teacher, the path only the calendar. */
export const ownCalendarsParam = z.strictObject({});
export const ownCalendarParam = z.strictObject({ calendarId: id });

export type CalendarBody = z.infer<typeof calendarBody>;

/**
 * The wire shapes: what the API answers and the widget reads. Pure types (no zod, no Hono), so
 * the widget's published `.d.ts` carries them with no server dependency.
 *
 * The scheduling core's own results (grid, check, slots) go on the wire as the core computes them
 * and are re-exported from here; the rest is defined here.
 */
import type { AvailabilityRule, RecurringPattern, SlotRef, Weekday, WeeklyGrid } from '../core/types.js';
import type { Attendance } from './teacher.js';

export type {
  AvailabilityRule,
  Conflict,
  ConflictReason,
  GridDay,
  GridSlot,
  Interval,
  MultiSlotAvailability,
  PatternReport,
  RecurringPattern,
  Resolution,
  ResolutionAction,
  ScheduledSession,
  SlotRef,
  SlotStatus,
  Weekday,
  WeeklyGrid,
} from '../core/types.js';
export { WEEKDAYS } from '../core/types.js';
export type { ErrorBody, ErrorCode } from './errors.js';

export interface SubjectSummary {
  id: string;
  name: string;
  nameAr: string | null;
}

export interface TeacherListing {
  id: string;
  name: string;
  nameAr: string | null;
  bio: string | null;
  timezone: string;
  currency: string;
  hourlyRateMinor: number;
  subjects: SubjectSummary[];
}

/** A tier's terms: its session split (whole numbers, stored), discount, grace period and limits. */
export interface TierTerms {
  id: string;
  name: string;
  /** The name in Arabic, shown on Arabic pages; null: `name` everywhere. */
  nameAr: string | null;
  sessionCount: number;
  recurringCount: number;
  floatingCount: number;
  discountPercent: number;
  gracePeriodDays: number;
  rescheduleLimit: number;
  sessionMinutes: number;
}

/** A tier as sold by one teacher: its terms and its price in the teacher's currency. */
export interface TierOffer extends TierTerms {
  listPriceMinor: number;
  priceMinor: number;
  savingsMinor: number;
  currency: string;
}

export interface TiersResponse {
  teacherId: string;
  timezone: string;
  currency: string;
  tiers: TierOffer[];
}

/**
 * `GET /marketplace/teachers/:id/weekly-availability`: the grid and, when asked, what a booking page's first
 * screen needs besides (one request instead of two, no locale data to load in the browser).
 */
export interface WeeklyGridAnswer extends WeeklyGrid {
  /** With `include=tiers`: the teacher's tiers, as `GET …/tiers` answers them. */
  tiers?: TiersResponse;
  /** With `lang`: the teacher's zone (and `viewerTimeZone`) by name and UTC offset at `windowStart`, in that language. */
  zoneLabels?: Record<string, string>;
}

/**
 * `pending_payment`: bought, its sessions hold their slots until `holdExpiresAt` while the partner collects the
 * payment. `hold_expired`: the payment never came; the slots are free again (derived from the clock, like
 * `expired`). The rest follow confirmation (or a tenant with `paymentMode: "none"`, confirmed at purchase).
 */
export type PackageState = 'pending_payment' | 'hold_expired' | 'active' | 'expired' | 'completed' | 'cancelled';

export interface PackageSessionView {
  id: string;
  sessionNumber: number | null;
  kind: 'recurring' | 'floating' | 'single';
  status: 'scheduled' | 'completed' | 'cancelled';
  startUtc: string;
  endUtc: string;
  date: string;
  time: string;
  weekday: Weekday;
  rescheduleCount: number;
  reschedulesLeft: number;
  escrowMinor: number;
  flaggedReason: string | null;
  flaggedAt: string | null;
  revision: number;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  updatedAt: string;
  /** Until when the parent may reschedule or float it (null once it is no longer scheduled). */
  changeableUntil: string | null;
  canReschedule: boolean;
  canFloat: boolean;
  /** For a flagged session: free slots the same week to move it to (from the scheduling core). */
  alternatives: SlotRef[];
  /**
   * How the session ended once recorded (the teacher's attendance, or the school's completion); null
   * until then. A student no-show is `completed` (its share released), a teacher no-show `cancelled`.
   */
  attendance: Attendance | null;
}

export interface PackageView {
  id: string;
  studentId: string;
  teacherId: string;
  subjectId: string;
  tierId: string;
  /** The teacher's and the subject's names as the school set them up (Arabic: null when none was given). */
  teacherName: string;
  teacherNameAr: string | null;
  subjectName: string;
  subjectNameAr: string | null;
  state: PackageState;
  recurringPatterns: RecurringPattern[];
  sessionCount: number;
  recurringSessionCount: number;
  floatingSessionCount: number;
  floatingSessionsUsed: number;
  floatingSessionsLeft: number;
  /** Floating credits left unused when the package ended (0 while it runs). */
  floatingSessionsExpired: number;
  rescheduleLimit: number;
  changeNoticeHours: number;
  sessionMinutes: number;
  firstScheduledSession: string | null;
  lastScheduledSession: string | null;
  gracePeriodEnds: string | null;
  priceMinor: number;
  currency: string;
  timezone: string;
  sessions: PackageSessionView[];
  /**
   * The package's escrow: held = released + refunded + remaining. `refundDueMinor` is the part of
   * `remainingMinor` owed back to the family but not yet written as a refund: once the package has
   * expired, what its unused floating credits hold (derived from the clock; the outbox sweep then
   * writes the refund and `escrow.refund_due`, and it moves to `refundedMinor`).
   */
  escrow: {
    heldMinor: number;
    releasedMinor: number;
    refundedMinor: number;
    remainingMinor: number;
    refundDueMinor: number;
  };
  /** While `pending_payment` (and once `hold_expired`): when the hold lapses; null once confirmed. */
  holdExpiresAt: string | null;
  /** The partner's reference of the payment that confirmed the package; null until then. */
  paymentReference: string | null;
  confirmedAt: string | null;
  /** Sessions that need the parent's attention (flagged, still scheduled). */
  flaggedSessionCount: number;
  calendarPath: string;
  createdAt: string;
}

/** Dated free slots of a teacher for a range (`GET /marketplace/teachers/:id/slots`). */
export interface DatedSlots {
  teacherId: string;
  timezone: string;
  durationMinutes: number;
  from: string;
  to: string;
  slots: SlotRef[];
}

/** The answer of a change to one session: that session and the whole package after it. */
export interface SessionOutcome {
  session: PackageSessionView;
  package: PackageView;
}

/** `POST /admin/packages/:id/sessions/:sessionId/complete`: the session change, and what it released. */
export interface CompletionOutcome extends SessionOutcome {
  /** False when the session was already completed (a retried request): nothing was released twice. */
  released: boolean;
  releasedMinor: number;
}

// ---- Admin (school set-up and the teacher's side, behind the admin key) ----

/** A teacher as the school set it up: the listing's fields, the booking limits and the subjects' ids. */
export interface AdminTeacher {
  id: string;
  name: string;
  nameAr: string | null;
  bio: string | null;
  timezone: string;
  hourlyRateMinor: number;
  currency: string;
  minNoticeMinutes: number;
  horizonDays: number;
  subjectIds: string[];
}

/** A weekly availability rule as stored: the core's rule and its id. */
export interface StoredAvailabilityRule extends AvailabilityRule {
  id: string;
}

export interface AvailabilityRules {
  teacherId: string;
  rules: StoredAvailabilityRule[];
}

export interface TimeOffEntry {
  id: string;
  startUtc: string;
  endUtc: string;
  reason: string | null;
}

export interface TimeOffList {
  teacherId: string;
  timeOff: TimeOffEntry[];
}

/** A booking the time off covers, flagged in the same write (a single booking has no package or number). */
export interface FlaggedSession {
  id: string;
  packageId: string | null;
  sessionNumber: number | null;
  startUtc: string;
  endUtc: string;
}

/** `POST /admin/teachers/:teacherId/time-off`: the time off written and the bookings it flagged. */
export interface TimeOffOutcome extends TimeOffEntry {
  teacherId: string;
  /** Every scheduled booking the time off covers, flagged in the same write, in time order. */
  flaggedSessions: FlaggedSession[];
}

/** A lesson booked outside Smart Packs (or imported from another system): it only blocks its slot. */
export interface SingleBooking {
  id: string;
  teacherId: string;
  studentId: string | null;
  subjectId: string | null;
  startUtc: string;
  endUtc: string;
  kind: 'single';
  status: 'scheduled';
}

/** A tier as stored: its terms, whose it is (null: every teacher's) and whether it is sold. */
export interface AdminTier extends TierTerms {
  teacherId: string | null;
  active: boolean;
}

export interface Student {
  id: string;
  name: string;
  /** The name in Arabic; null when the school gave one spelling (pages then show `name`). */
  nameAr: string | null;
  email: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
}

/** A row of the transactional outbox: an event, its payload and its delivery so far. */
export interface OutboxNotification {
  id: number;
  eventType: string;
  packageId: string | null;
  bookingId: string | null;
  /** The event's body as the webhook delivers it. */
  payload: unknown;
  attempts: number;
  nextAttemptAt: string;
  deliveredAt: string | null;
  lastError: string | null;
  createdAt: string;
}

/**
 * Why escrow went back to the family: `floating_expired`, the share of floating credits left unused when
 * the package ended; `pack_cancelled`, the parent cancelled the package (sessions after the change window,
 * and the unused floating credits).
 */
export type RefundReason = 'floating_expired' | 'pack_cancelled';

/** An entry of a package's append-only escrow ledger. */
export interface EscrowEntry {
  id: number;
  /** The session whose share moved; null for the purchase's hold. */
  bookingId: string | null;
  entryType: 'hold' | 'release' | 'refund';
  /** Why a refund was made; null for holds and releases. */
  reason: RefundReason | null;
  amountMinor: number;
  currency: string;
  createdAt: string;
}

export interface EscrowEntries {
  packageId: string;
  entries: EscrowEntry[];
}

/** A student as a parent token names it. */
export interface TokenStudent {
  id: string;
  externalId: string;
  name: string;
  nameAr: string | null;
}

/** `POST /auth/parent-tokens`: the signed parent token and the family it names. */
export interface ParentToken {
  token: string;
  expiresAt: string;
  guardianId: string;
  students: TokenStudent[];
}

/** `GET /auth/me`: what a parent token names, for the widget's child chooser. */
export interface ParentIdentity {
  guardianId: string;
  students: Array<{ id: string; name: string; nameAr: string | null }>;
  expiresAt: string;
}

/** The signed link a parent manages one package with (email or SMS); valid until the package ends. */
export interface ManageLink {
  token: string;
  /** `/pack/:id?t=<token>`, relative to the site that hosts the pack page. */
  url: string;
  expiresAt: string;
}

/** The purchase's answer: the package, and its manage link. */
export interface PurchasedPackage extends PackageView {
  manage: ManageLink;
}

/** `POST /packages/:id/calendar-token`: the new feed URL (every older one stops working). */
export interface CalendarFeed {
  calendarPath: string;
  version: number;
}

// ---- Tenants (operator key only) ----

/** A tenant as listed: never a key, only the prefixes of its live keys. */
export interface TenantSummary {
  id: string;
  name: string;
  /** Origins allowed to call the public API from a browser; null: the deployment's `CORS_ORIGIN`. */
  allowedOrigins: string[] | null;
  webhookUrl: string | null;
  holdMinutes: number;
  /** `required`: purchases hold their slots until the partner confirms the payment; `none`: confirmed at purchase. */
  paymentMode: 'required' | 'none';
  /** The tenant's own abuse limits; null: the deployment's (README, "Abuse limits"). */
  limits: { purchasesPerHourPerParent: number | null; maxOpenPurchases: number | null };
  /** Minutes before each session's start at which `session.reminder` is sent (the default: [1440, 60]). */
  reminderOffsetsMinutes: number[];
  /** What a student's no-show means for the family (see {@link StudentNoShow}). */
  studentNoShow: StudentNoShow;
  /** Prefixes (e.g. `pk_Ab12Cd`) of the live keys, to tell which one a partner holds. */
  keyPrefixes: { publishable: string | null; secret: string | null };
  createdAt: string;
}

/**
 * A school's rule for a student's no-show: `release` pays the teacher's share (the teacher kept the time; the
 * default), `credit` forgives it: the session comes back to the package as a floating credit, nothing released.
 */
export type StudentNoShow = 'release' | 'credit';

/** `PATCH /admin/tenants/:id`: the tenant as changed, and a webhook secret if this made or rotated one. */
export interface UpdatedTenant extends TenantSummary {
  /** Shown once: set when the tenant got its first webhook URL or asked for `rotateWebhookSecret`. */
  webhookSecret: string | null;
}

export interface TenantList {
  tenants: TenantSummary[];
}

/** A tenant just created: its keys and webhook secret, shown this once (only hashes are kept of the keys). */
export interface CreatedTenant {
  id: string;
  name: string;
  allowedOrigins: string[] | null;
  webhookUrl: string | null;
  holdMinutes: number;
  /** `required`: purchases hold their slots until the partner confirms the payment; `none`: confirmed at purchase. */
  paymentMode: 'required' | 'none';
  publishableKey: string;
  secretKey: string;
  /** Signs this tenant's webhook deliveries; null without a `webhookUrl`. */
  webhookSecret: string | null;
  createdAt: string;
}

/** The keys a rotation made, shown this once; the kind not rotated is null. */
export interface RotatedKeys {
  tenantId: string;
  publishableKey: string | null;
  secretKey: string | null;
  keyPrefixes: { publishable: string | null; secret: string | null };
  /** Whether the signing secret was replaced too (`endTokens`): every token the tenant issued is void. */
  tokensEnded: boolean;
}

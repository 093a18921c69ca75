/**
 * The wire shapes: what the API answers and the widget reads. Pure types (no zod, no Hono), so
 * the widget's published `.d.ts` carries them with no server dependency.
 *
 * The scheduling core's own results (grid, check, slots) go on the wire as the core computes them
 * and are re-exported from here; the rest is defined here.
 */
import type {
  RecurringPattern,
  SlotRef,
  Weekday,
} from '../core/types.js';

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

export type PackageState = 'active' | 'expired' | 'completed' | 'cancelled';

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
}

export interface PackageView {
  id: string;
  studentId: string;
  teacherId: string;
  subjectId: string;
  tierId: string;
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
  escrow: { heldMinor: number; releasedMinor: number; refundedMinor: number; remainingMinor: number };
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

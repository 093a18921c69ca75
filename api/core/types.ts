/**
 * Shared vocabulary of the scheduling core and the HTTP contract.
 *
 * Pure types only: the widget imports these (type-only) so the wire shapes
 * have exactly one definition.
 *
 * Conventions
 * - Instants are ISO-8601 UTC strings with milliseconds, e.g. `2026-12-07T13:00:00.000Z`
 *   (fixed width, so they compare correctly as strings, also inside SQLite).
 * - Local dates are `YYYY-MM-DD` and local times `HH:mm` (24 h) in the teacher's IANA zone.
 * - Money is an integer count of minor units (e.g. piastres for SDG, pence for GBP).
 */

export const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One weekly slot chosen by a parent: every `weekday` at `time`, teacher-local. */
export interface RecurringPattern {
  weekday: Weekday;
  time: string;
}

/** A weekly window in which the teacher teaches, teacher-local; `endTime` is exclusive and may be `24:00`. */
export interface AvailabilityRule {
  weekday: Weekday;
  startTime: string;
  endTime: string;
}

export interface Interval {
  startUtc: string;
  endUtc: string;
}

export type ConflictReason = 'booked' | 'time_off' | 'outside_availability' | 'too_soon' | 'dst_gap' | 'beyond_horizon';

/** Everything the core needs to know about a teacher's calendar; loaded in one read. */
export interface TeacherSchedule {
  timezone: string;
  rules: AvailabilityRule[];
  timeOff: Interval[];
  /** Active (scheduled or completed) bookings of the teacher, any package or none. */
  bookings: Interval[];
  /** Minimum notice before a session may start, minutes (default 1440 = 24 h). */
  minNoticeMinutes: number;
  /** How far ahead sessions may be booked, days from `now`. */
  horizonDays: number;
}

/** A concrete dated slot. */
export interface SlotRef {
  /** Teacher-local date. */
  date: string;
  /** Teacher-local start time. */
  time: string;
  weekday: Weekday;
  startUtc: string;
  endUtc: string;
}

export interface ScheduledSession extends SlotRef {
  /** 1..N in chronological order. */
  sessionNumber: number;
  /** Index into the request's patterns, or null when the parent took an alternative slot that week. */
  patternIndex: number | null;
}

export interface Conflict {
  /** Teacher-local date and time of the occurrence that cannot be booked. */
  date: string;
  time: string;
  weekday: Weekday;
  startUtc: string;
  reason: ConflictReason;
  /** Up to 3 free slots the same week: nearest free times that day, then the same time on other days. */
  alternatives: SlotRef[];
  /** How this conflict is handled in the result (the request's resolution, or the default `extend`). */
  resolution: ResolutionAction;
}

export type ResolutionAction = 'extend' | 'alternative' | 'float';

/**
 * The parent's choice for one conflicting occurrence, identified by its teacher-local date and
 * the pattern's time. `extend` (default): skip it, the series runs one more week. `alternative`:
 * take the given slot that week instead. `float`: it becomes one more floating session.
 */
export type Resolution =
  | { date: string; time: string; action: 'extend' | 'float' }
  | { date: string; time: string; action: 'alternative'; alternative: { date: string; time: string } };

export interface PatternReport {
  weekday: Weekday;
  time: string;
  /** Occurrences of this pattern inside the series span that are free. */
  availableWeeks: number;
  conflicts: Conflict[];
}

/** The spec's MultiSlotAvailabilityResponse, extended. */
export interface MultiSlotAvailability {
  available: boolean;
  timezone: string;
  patterns: PatternReport[];
  scheduledSessions: ScheduledSession[];
  /** Recurring sessions still wanted (the request's count minus `floated`). */
  recurringSessionCount: number;
  /** Conflicting occurrences the parent turned into extra floating sessions. */
  floated: number;
  totalWeeksNeeded: number;
  firstSession: string | null;
  lastSession: string | null;
  /** Last session + grace period. */
  packageEndDate: string | null;
  message: string;
}

export type SlotStatus = 'free' | 'partial' | 'unavailable';

export interface GridSlot {
  time: string;
  /** True when at least one week of the window is free (`status` tells whether all are). */
  available: boolean;
  status: SlotStatus;
  freeWeeks: number;
  weeks: number;
  /** Dominant reason for the weeks that are not free. */
  reason?: ConflictReason;
}

export interface GridDay {
  weekday: Weekday;
  slots: GridSlot[];
}

export interface WeeklyGrid {
  teacherId: string;
  timezone: string;
  durationMinutes: number;
  weeks: number;
  /** First bookable instant (now + minimum notice) and end of the window. */
  windowStart: string;
  windowEnd: string;
  /** Always 7 days, SUNDAY first; days the teacher does not teach have no slots. */
  availability: GridDay[];
}

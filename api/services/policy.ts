/**
 * The package lifecycle's business rules in one place (docs/lifecycle.md explains them).
 *
 * A parent may reschedule a session, or cancel it into a floating credit, up to this many hours
 * before it starts. A session flagged because of the teacher's time off may be changed until it
 * starts, and moving it does not count against the reschedule limit: the teacher caused it.
 */
export const CHANGE_NOTICE_HOURS = 24;

/** `pack.expiring` is written once, this many days before the package ends, if floating credits are left. */
export const EXPIRING_NOTICE_DAYS = 7;

export function noticeCutoff(now: Date): string {
  return new Date(now.getTime() + CHANGE_NOTICE_HOURS * 3_600_000).toISOString();
}

/**
 * `session.reminder` (docs/lifecycle.md, "Reminders"): minutes before a session's start, unless the
 * tenant sets its own `reminderOffsetsMinutes`. A reminder is written when its instant (start − offset)
 * has come and at most REMINDER_GRACE_MINUTES ago: a sweep that ran late (a restart, an outage) still
 * sends it, but a session booked or moved after that instant gets no late "24 hours to go" for it.
 */
export { DEFAULT_REMINDER_OFFSETS_MINUTES } from '../contract/schemas.js';
export const REMINDER_GRACE_MINUTES = 15;
/** The largest offset a tenant may set: a week. */
export const MAX_REMINDER_OFFSET_MINUTES = 10_080;

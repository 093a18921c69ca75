/**
 * The scheduling core: pure functions over a teacher's calendar. No I/O and no clock (`now` is
 * always an argument), no Node-only APIs, so the same code runs in Node and on Cloudflare Workers.
 */
export * from './types.js';
export { SchedulingError, type SchedulingErrorCode } from './errors.js';
export { isValidTimeZone, addDays, addDaysUtc, daysBetween, DAY_MS, MINUTE_MS } from './time.js';
export { legacyPatterns, MAX_PATTERNS } from './patterns.js';
export {
  isSlotFree,
  freeSlots,
  minuteKey,
  slotAt,
  REASON_PRIORITY,
  DEFAULT_MIN_NOTICE_MINUTES,
  DEFAULT_HORIZON_DAYS,
  DEFAULT_SESSION_MINUTES,
  DEFAULT_GRACE_PERIOD_DAYS,
} from './availability.js';
export { weeklyGrid, MAX_GRID_WEEKS } from './grid.js';
export { checkMultiSlot, distributeSessionsChronologically, SAME_WEEK_DAYS, MAX_ALTERNATIVES } from './multislot.js';
export { splitEscrow, tierPrice, unassignedEscrow } from './money.js';
export { datedFreeSlots, nearbyAlternatives, requestedSlot, withoutBooking, MAX_SLOT_RANGE_DAYS } from './lifecycle.js';

import type { Interval, SlotRef, TeacherSchedule } from './types.js';
import { SchedulingError } from './errors.js';
import { assertDuration, freeSlots, slotAt, slotRefOf } from './availability.js';
import { DAY_MS, MINUTE_MS, formatDate, formatTime, parseDate, parseInstant, toIso, zoneOffsets } from './time.js';
import { SAME_WEEK_DAYS, MAX_ALTERNATIVES } from './multislot.js';

/** Longest range `datedFreeSlots` answers, in local days (inclusive of both ends). */
export const MAX_SLOT_RANGE_DAYS = 92;

/**
 * Free slots whose teacher-local start date lies in [fromDate, toDate] (both inclusive), from the
 * same slot logic as the grid and the purchase check. The UTC window is widened by a day on each
 * side (no zone is 24 h off UTC) and the slots are then filtered by their local date, so no
 * midnight conversion, which a DST change can make ambiguous, is needed.
 */
export function datedFreeSlots(input: {
  schedule: TeacherSchedule;
  durationMinutes: number;
  fromDate: string;
  toDate: string;
  now: string;
}): SlotRef[] {
  const from = parseDate(input.fromDate);
  const to = parseDate(input.toDate);
  if (from === null || to === null) {
    throw new SchedulingError('invalid_time', 'from and to must be calendar dates (YYYY-MM-DD)', {
      from: input.fromDate,
      to: input.toDate,
    });
  }
  if (to < from)
    throw new SchedulingError('invalid_time', 'to must not be before from', { from: input.fromDate, to: input.toDate });
  if (to - from + 1 > MAX_SLOT_RANGE_DAYS) {
    throw new SchedulingError('invalid_time', `The range may span at most ${MAX_SLOT_RANGE_DAYS} days`, {
      from: input.fromDate,
      to: input.toDate,
    });
  }
  return freeSlots({
    schedule: input.schedule,
    durationMinutes: input.durationMinutes,
    fromUtc: toIso((from - 1) * DAY_MS),
    toUtc: toIso((to + 2) * DAY_MS),
    now: input.now,
  }).filter((slot) => slot.date >= input.fromDate && slot.date <= input.toDate);
}

/** The schedule without one of its bookings: a session being moved does not block its own new slot. */
export function withoutBooking(schedule: TeacherSchedule, booking: Interval): TeacherSchedule {
  let removed = false;
  return {
    ...schedule,
    bookings: schedule.bookings.filter((b) => {
      if (removed || b.startUtc !== booking.startUtc || b.endUtc !== booking.endUtc) return true;
      removed = true;
      return false;
    }),
  };
}

/**
 * A requested slot, given either as teacher-local date and time or as a UTC instant, as a dated
 * slot of `durationMinutes`. Null when the local time does not exist that day (DST gap).
 */
export function requestedSlot(
  timezone: string,
  target: { date: string; time: string } | { startUtc: string },
  durationMinutes: number,
): SlotRef | null {
  if ('date' in target) return slotAt(timezone, target.date, target.time, durationMinutes);
  assertDuration(durationMinutes);
  const startMs = parseInstant(target.startUtc, 'startUtc');
  const { day, minutes } = zoneOffsets(timezone).utcToLocal(startMs);
  return slotRefOf(day, minutes, startMs, durationMinutes);
}

/**
 * Replacement slots for a session that can no longer take place as planned (e.g. the teacher added
 * time off), in the order the purchase check suggests alternatives: other times the same local day
 * (nearest first), then the same local time on the days around it (nearest first, the earlier day
 * wins a tie), then any other free slot within SAME_WEEK_DAYS days (nearest first). At most
 * `limit`, none starting at or after `before` (the package's end).
 */
export function nearbyAlternatives(input: {
  schedule: TeacherSchedule;
  session: Interval;
  now: string;
  before?: string | null;
  limit?: number;
}): SlotRef[] {
  const startMs = parseInstant(input.session.startUtc, 'startUtc');
  const endMs = parseInstant(input.session.endUtc, 'endUtc');
  const durationMinutes = Math.round((endMs - startMs) / MINUTE_MS);
  const local = zoneOffsets(input.schedule.timezone).utcToLocal(startMs);
  const date = formatDate(local.day);
  const time = formatTime(local.minutes);
  const candidates = freeSlots({
    schedule: withoutBooking(input.schedule, input.session),
    durationMinutes,
    fromUtc: toIso(startMs - (SAME_WEEK_DAYS + 1) * DAY_MS),
    toUtc: toIso(startMs + (SAME_WEEK_DAYS + 1) * DAY_MS),
    now: input.now,
  }).filter((slot) => {
    const days = Math.abs((parseDate(slot.date) ?? 0) - local.day);
    return (
      slot.startUtc !== input.session.startUtc &&
      days <= SAME_WEEK_DAYS &&
      (!input.before || slot.startUtc < input.before)
    );
  });
  const rank = (slot: SlotRef) => (slot.date === date ? 0 : slot.time === time ? 1 : 2);
  return candidates
    .map((slot) => ({ slot, rank: rank(slot), distance: Math.abs(Date.parse(slot.startUtc) - startMs) }))
    .sort((a, b) => a.rank - b.rank || a.distance - b.distance || (a.slot.startUtc < b.slot.startUtc ? -1 : 1))
    .slice(0, input.limit ?? MAX_ALTERNATIVES)
    .map(({ slot }) => slot);
}

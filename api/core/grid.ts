import {
  WEEKDAYS,
  type ConflictReason,
  type GridDay,
  type GridSlot,
  type TeacherSchedule,
  type WeeklyGrid,
} from './types.js';
import { SchedulingError } from './errors.js';
import { PreparedSchedule, REASON_PRIORITY, assertDuration } from './availability.js';
import { WeeklyCursor } from './occurrences.js';
import { DAY_MS, formatTime, toIso } from './time.js';

export const MAX_GRID_WEEKS = 104;

/**
 * The weekly grid: for every rule-aligned slot of every weekday, how many of its next `weeks`
 * occurrences (from now + notice) are free. A slot is 'free' when all are, 'partial' when some
 * are, 'unavailable' when none; `reason` is the most frequent problem among the weeks that are not
 * free (ties go to the higher-priority reason).
 */
export function weeklyGrid(input: {
  schedule: TeacherSchedule;
  durationMinutes: number;
  weeks: number;
  now: string;
}): Omit<WeeklyGrid, 'teacherId'> {
  const { durationMinutes, weeks } = input;
  assertDuration(durationMinutes);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_GRID_WEEKS) {
    throw new SchedulingError('invalid_weeks', `weeks must be an integer from 1 to ${MAX_GRID_WEEKS}`, { weeks });
  }
  const p = new PreparedSchedule(input.schedule, input.now);
  const reasonCounts = new Array<number>(REASON_PRIORITY.length);
  const availability: GridDay[] = WEEKDAYS.map((weekday, weekdayIdx) => {
    const slots: GridSlot[] = [];
    for (const minutes of p.slotStarts(weekdayIdx, durationMinutes)) {
      const cursor = new WeeklyCursor(p.zone, weekdayIdx, minutes, p.earliestMs);
      let freeWeeks = 0;
      reasonCounts.fill(0);
      for (let k = 0; k < weeks; k++) {
        const reason = p.classify(cursor.day, minutes, cursor.startMs, durationMinutes);
        if (reason === null) freeWeeks++;
        else reasonCounts[REASON_PRIORITY.indexOf(reason)]!++;
        cursor.advance();
      }
      const slot: GridSlot = {
        time: formatTime(minutes),
        available: freeWeeks > 0,
        status: freeWeeks === weeks ? 'free' : freeWeeks > 0 ? 'partial' : 'unavailable',
        freeWeeks,
        weeks,
      };
      if (freeWeeks < weeks) slot.reason = dominantReason(reasonCounts);
      slots.push(slot);
    }
    return { weekday, slots };
  });
  return {
    timezone: input.schedule.timezone,
    durationMinutes,
    weeks,
    windowStart: toIso(p.earliestMs),
    windowEnd: toIso(p.earliestMs + weeks * 7 * DAY_MS),
    availability,
  };
}

function dominantReason(counts: number[]): ConflictReason {
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[best]!) best = i;
  return REASON_PRIORITY[best]!;
}

import { WEEKDAYS, type RecurringPattern, type Weekday } from './types.js';
import { SchedulingError } from './errors.js';
import { parseTime, weekdayIndex } from './time.js';

export const MAX_PATTERNS = 4;

/** A validated pattern in numbers: weekday index (Sunday = 0) and local minutes. */
export interface ParsedPattern {
  index: number;
  weekday: Weekday;
  time: string;
  weekdayIdx: number;
  minutes: number;
}

/**
 * The patterns of a stored package: the `recurring_patterns` JSON when present and well formed,
 * else the deprecated single weekday/time pair as one pattern, else none.
 */
export function legacyPatterns(
  weekday: Weekday | null,
  time: string | null,
  patternsJson: string | null,
): RecurringPattern[] {
  if (patternsJson !== null && patternsJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(patternsJson);
    } catch {
      parsed = undefined;
    }
    if (Array.isArray(parsed)) {
      const out: RecurringPattern[] = [];
      for (const item of parsed) {
        if (item && typeof item === 'object') {
          const { weekday: w, time: t } = item as Record<string, unknown>;
          if (weekdayIndex(w) >= 0 && parseTime(t) !== null) out.push({ weekday: w as Weekday, time: t as string });
        }
      }
      if (out.length > 0) return out;
    }
  }
  if (weekday && time && weekdayIndex(weekday) >= 0 && parseTime(time) !== null) return [{ weekday, time }];
  return [];
}

const WEEK_MINUTES = 7 * 1440;

/**
 * Checks 1–4 well-formed, distinct, non-overlapping patterns. Overlap is measured around the whole
 * week, so Monday 23:30 and Tuesday 00:00 with 60-minute sessions overlap too.
 */
export function parsePatterns(patterns: readonly RecurringPattern[], durationMinutes: number): ParsedPattern[] {
  if (!Array.isArray(patterns) || patterns.length < 1 || patterns.length > MAX_PATTERNS) {
    throw new SchedulingError('invalid_pattern', `Choose between 1 and ${MAX_PATTERNS} weekly slots`, {
      count: Array.isArray(patterns) ? patterns.length : null,
    });
  }
  const parsed: ParsedPattern[] = patterns.map((p, index) => {
    const weekdayIdx = weekdayIndex(p?.weekday);
    if (weekdayIdx < 0) {
      throw new SchedulingError('invalid_pattern', `Unknown weekday: ${String(p?.weekday)}`, { index, pattern: p });
    }
    const minutes = parseTime(p.time);
    if (minutes === null) {
      throw new SchedulingError('invalid_time', `Time must be HH:mm (00:00–23:59): ${String(p.time)}`, {
        index,
        pattern: p,
      });
    }
    return { index, weekday: WEEKDAYS[weekdayIdx]!, time: p.time, weekdayIdx, minutes };
  });
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      const pa = a.weekdayIdx * 1440 + a.minutes;
      const pb = b.weekdayIdx * 1440 + b.minutes;
      if (pa === pb) {
        throw new SchedulingError('duplicate_pattern', `${a.weekday} ${a.time} is chosen twice`, {
          indexes: [i, j],
          pattern: patterns[i],
        });
      }
      const gap = Math.abs(pa - pb);
      if (Math.min(gap, WEEK_MINUTES - gap) < durationMinutes) {
        throw new SchedulingError(
          'overlapping_patterns',
          `${a.weekday} ${a.time} and ${b.weekday} ${b.time} overlap with ${durationMinutes}-minute sessions`,
          { indexes: [i, j], patterns: [patterns[i], patterns[j]] },
        );
      }
    }
  }
  return parsed;
}

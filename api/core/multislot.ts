import type {
  Conflict,
  ConflictReason,
  MultiSlotAvailability,
  PatternReport,
  RecurringPattern,
  Resolution,
  ResolutionAction,
  ScheduledSession,
  SlotRef,
  TeacherSchedule,
} from './types.js';
import { SchedulingError } from './errors.js';
import { PreparedSchedule, assertDuration } from './availability.js';
import { parsePatterns, type ParsedPattern } from './patterns.js';
import { WeeklyCursor } from './occurrences.js';
import {
  MINUTE_MS,
  addDaysUtc,
  formatDate,
  formatTime,
  parseDate,
  parseInstant,
  parseTime,
  toIso,
  weekdayIndexOfDay,
  weekdayOfDay,
  zoneOffsets,
} from './time.js';

/** An alternative must lie within this many local calendar days of the conflict it replaces. */
export const SAME_WEEK_DAYS = 3;
export const MAX_ALTERNATIVES = 3;

interface Session {
  day: number;
  minutes: number;
  startMs: number;
  endMs: number;
  patternIndex: number | null;
}

interface PendingResolution {
  resolution: Resolution;
  day: number;
  minutes: number;
  used: boolean;
}

/**
 * Schedules `recurringSessionCount` sessions on the chosen weekly patterns, walking all patterns'
 * occurrences in time order from the first bookable instant (now + notice) up to the horizon.
 * Every occurrence is checked; a free one becomes the next session, a conflicting one is reported
 * with up to three alternatives and handled by the parent's resolution for it (default `extend`).
 */
export function checkMultiSlot(input: {
  schedule: TeacherSchedule;
  patterns: RecurringPattern[];
  recurringSessionCount: number;
  durationMinutes: number;
  gracePeriodDays: number;
  resolutions?: Resolution[];
  now: string;
}): MultiSlotAvailability {
  const { durationMinutes } = input;
  assertDuration(durationMinutes);
  const p = new PreparedSchedule(input.schedule, input.now);
  const patterns = parsePatterns(input.patterns, durationMinutes);
  const resolutions = parseResolutions(input.resolutions ?? []);
  const requested = Math.max(0, Math.floor(input.recurringSessionCount));
  const durMs = durationMinutes * MINUTE_MS;

  const cursors = patterns.map((pat) => new WeeklyCursor(p.zone, pat.weekdayIdx, pat.minutes, p.earliestMs));
  const reports: PatternReport[] = patterns.map((pat) => ({
    weekday: pat.weekday,
    time: pat.time,
    availableWeeks: 0,
    conflicts: [],
  }));
  const sessions: Session[] = [];
  let floated = 0;
  let extended = 0;
  let alternativesTaken = 0;

  const overlapsSessions = (s: number, e: number): boolean => sessions.some((x) => x.startMs < e && s < x.endMs);

  /**
   * Would some pattern's free occurrence near local `day` overlap [s, e)? Those occurrences become
   * sessions when the walk reaches them, so an alternative must leave room for them.
   */
  const overlapsPatternOccurrences = (day: number, s: number, e: number, exceptMs: number | null): boolean => {
    for (const pat of patterns) {
      for (let d = day - 1; d <= day + 1; d++) {
        if (weekdayIndexOfDay(d) !== pat.weekdayIdx) continue;
        const os = p.zone.localToUtc(d, pat.minutes);
        if (os === null || os === exceptMs || os < p.earliestMs) continue;
        if (os < e && s < os + durMs && p.classify(d, pat.minutes, os, durationMinutes) === null) return true;
      }
    }
    return false;
  };

  /** Why a replacement slot is unacceptable, or null. */
  const alternativeProblem = (day: number, minutes: number, conflictMs: number | null): string | null => {
    const s = p.zone.localToUtc(day, minutes);
    if (s === null) return 'that time does not exist that day (daylight-saving change)';
    const reason = p.classify(day, minutes, s, durationMinutes);
    if (reason !== null) return `the slot is not free (${reason})`;
    if (overlapsSessions(s, s + durMs) || overlapsPatternOccurrences(day, s, s + durMs, conflictMs)) {
      return 'the slot overlaps another session of this series';
    }
    return null;
  };

  const suggestAlternatives = (pat: ParsedPattern, day: number, conflictMs: number | null): SlotRef[] => {
    const out: SlotRef[] = [];
    const consider = (d: number, m: number): void => {
      if (out.length >= MAX_ALTERNATIVES || alternativeProblem(d, m, conflictMs) !== null) return;
      const s = p.zone.localToUtc(d, m)!;
      out.push(p.slotRef(d, m, s, durationMinutes));
    };
    // Same day first, nearest start to the pattern time first (earlier wins a tie)...
    const sameDay = p
      .slotStarts(weekdayIndexOfDay(day), durationMinutes)
      .filter((m) => m !== pat.minutes)
      .sort((a, b) => Math.abs(a - pat.minutes) - Math.abs(b - pat.minutes) || a - b);
    for (const m of sameDay) consider(day, m);
    // ...then the pattern time on the neighbouring days, nearest first (the earlier day wins a tie).
    for (let delta = 1; delta <= SAME_WEEK_DAYS; delta++) {
      consider(day - delta, pat.minutes);
      consider(day + delta, pat.minutes);
    }
    return out;
  };

  while (sessions.length < requested - floated) {
    let next = 0;
    for (let i = 1; i < cursors.length; i++) if (cursors[i]!.sortMs < cursors[next]!.sortMs) next = i;
    const cursor = cursors[next]!;
    const pat = patterns[next]!;
    if (cursor.sortMs >= p.latestMs) {
      break;
    }
    const { day, startMs, sortMs } = cursor;
    cursor.advance();
    const reason: ConflictReason | null = p.classify(day, pat.minutes, startMs, durationMinutes);
    const pending = resolutions.get(resolutionKey(day, pat.minutes));
    if (pending) pending.used = true;

    if (reason === null) {
      if (pending) {
        throw new SchedulingError(
          'invalid_resolution',
          `${formatDate(day)} ${pat.time} is free, so there is nothing to resolve`,
          pending.resolution,
        );
      }
      sessions.push({ day, minutes: pat.minutes, startMs: startMs!, endMs: startMs! + durMs, patternIndex: pat.index });
      reports[pat.index]!.availableWeeks++;
      continue;
    }

    const action: ResolutionAction = pending?.resolution.action ?? 'extend';
    const conflict: Conflict = {
      date: formatDate(day),
      time: pat.time,
      weekday: pat.weekday,
      startUtc: toIso(sortMs),
      reason,
      alternatives: suggestAlternatives(pat, day, startMs),
      resolution: action,
    };
    if (action === 'alternative') {
      const alt = (pending!.resolution as Extract<Resolution, { action: 'alternative' }>).alternative;
      const altDay = alt ? parseDate(alt.date) : null;
      const altMinutes = alt ? parseTime(alt.time) : null;
      if (altDay === null || altMinutes === null) {
        throw new SchedulingError(
          'invalid_resolution',
          'The alternative needs a valid date and HH:mm time',
          pending!.resolution,
        );
      }
      if (Math.abs(altDay - day) > SAME_WEEK_DAYS) {
        throw new SchedulingError(
          'invalid_resolution',
          `The alternative must be within ${SAME_WEEK_DAYS} days of ${formatDate(day)}`,
          pending!.resolution,
        );
      }
      const problem = alternativeProblem(altDay, altMinutes, startMs);
      if (problem !== null) {
        throw new SchedulingError(
          'invalid_resolution',
          `Cannot use ${alt.date} ${alt.time}: ${problem}`,
          pending!.resolution,
        );
      }
      const s = p.zone.localToUtc(altDay, altMinutes)!;
      sessions.push({ day: altDay, minutes: altMinutes, startMs: s, endMs: s + durMs, patternIndex: null });
      alternativesTaken++;
    } else if (action === 'float') {
      floated++;
    } else {
      extended++;
    }
    reports[pat.index]!.conflicts.push(conflict);
  }

  rejectUnusedResolutions(resolutions, patterns, cursors);

  sessions.sort((a, b) => a.startMs - b.startMs);
  const scheduledSessions: ScheduledSession[] = sessions.map((s, i) => ({
    ...p.slotRef(s.day, s.minutes, s.startMs, durationMinutes),
    sessionNumber: i + 1,
    patternIndex: s.patternIndex,
  }));
  const needed = requested - floated;
  // A pack needs at least one recurring session: its end date (and so its floating sessions'
  // deadline) counts from the last one.
  const available = needed > 0 && sessions.length >= needed;
  const first = sessions[0];
  const last = sessions[sessions.length - 1];
  const totalWeeksNeeded = first && last ? Math.ceil((last.day - first.day + 1) / 7) : 0;
  const lastSession = last ? toIso(last.startMs) : null;

  return {
    available,
    timezone: input.schedule.timezone,
    patterns: reports,
    scheduledSessions,
    recurringSessionCount: needed,
    floated,
    totalWeeksNeeded,
    firstSession: first ? toIso(first.startMs) : null,
    lastSession,
    packageEndDate: lastSession ? addDaysUtc(lastSession, input.gracePeriodDays) : null,
    message: summarize({
      available,
      scheduled: sessions.length,
      needed,
      weeks: totalWeeksNeeded,
      extended,
      alternativesTaken,
      floated,
      horizonDate: formatDate(p.zone.utcToLocal(p.latestMs).day),
    }),
  };
}

function resolutionKey(day: number, minutes: number): string {
  return `${day}|${minutes}`;
}

function parseResolutions(list: readonly Resolution[]): Map<string, PendingResolution> {
  const map = new Map<string, PendingResolution>();
  if (!Array.isArray(list)) throw new SchedulingError('invalid_resolution', 'resolutions must be a list', list);
  for (const resolution of list) {
    const day = parseDate(resolution?.date);
    const minutes = parseTime(resolution?.time);
    const action = resolution?.action;
    if (day === null || minutes === null || (action !== 'extend' && action !== 'float' && action !== 'alternative')) {
      throw new SchedulingError(
        'invalid_resolution',
        'Each resolution needs a date, an HH:mm time and an action',
        resolution,
      );
    }
    const key = resolutionKey(day, minutes);
    if (map.has(key)) {
      throw new SchedulingError(
        'invalid_resolution',
        `${resolution.date} ${resolution.time} is resolved twice`,
        resolution,
      );
    }
    map.set(key, { resolution, day, minutes, used: false });
  }
  return map;
}

/**
 * A resolution the walk never reached is an error when it names no occurrence of the chosen
 * patterns, or one before the walk's start. One naming an occurrence after the point where the
 * walk stopped is ignored: it is a leftover from an earlier check (e.g. before another conflict
 * was floated, which shortened the series) and harmless.
 */
function rejectUnusedResolutions(
  resolutions: Map<string, PendingResolution>,
  patterns: readonly ParsedPattern[],
  cursors: readonly WeeklyCursor[],
): void {
  for (const r of resolutions.values()) {
    if (r.used) continue;
    const i = patterns.findIndex((pat) => pat.minutes === r.minutes && pat.weekdayIdx === weekdayIndexOfDay(r.day));
    if (i < 0 || r.day < cursors[i]!.day) {
      throw new SchedulingError(
        'invalid_resolution',
        `${r.resolution.date} ${r.resolution.time} is not a conflicting session of this schedule`,
        r.resolution,
      );
    }
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summarize(s: {
  available: boolean;
  scheduled: number;
  needed: number;
  weeks: number;
  extended: number;
  alternativesTaken: number;
  floated: number;
  horizonDate: string;
}): string {
  const notes: string[] = [];
  if (s.extended > 0) notes.push(`${plural(s.extended, 'week')} skipped because of conflicts`);
  if (s.alternativesTaken > 0) notes.push(`${plural(s.alternativesTaken, 'session')} moved to an alternative time`);
  if (s.floated > 0) notes.push(`${plural(s.floated, 'session')} turned into floating sessions`);
  const tail = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  if (s.needed === 0)
    return `At least one session must stay recurring; the pack ends a grace period after the last one${tail}`;
  if (!s.available) {
    return `Only ${s.scheduled} of ${plural(s.needed, 'session')} fit before ${s.horizonDate}${tail}`;
  }
  if (notes.length === 0) {
    return `All ${plural(s.needed, 'session')} can be scheduled across ${plural(s.weeks, 'week')}`;
  }
  return `${plural(s.needed, 'session')} across ${plural(s.weeks, 'week')}${tail}`;
}

/**
 * The spec's appendix B: `totalSessions` occurrences of the patterns in time order from the first
 * occurrence at or after `startUtc`, without any availability check. An occurrence whose local
 * time does not exist (DST gap) is skipped, since it has no instant.
 */
export function distributeSessionsChronologically(
  patterns: RecurringPattern[],
  totalSessions: number,
  startUtc: string,
  timezone: string,
  durationMinutes: number,
): ScheduledSession[] {
  assertDuration(durationMinutes);
  const zone = zoneOffsets(timezone);
  const parsed = parsePatterns(patterns, durationMinutes);
  const startMs = parseInstant(startUtc, 'startUtc');
  const cursors = parsed.map((pat) => new WeeklyCursor(zone, pat.weekdayIdx, pat.minutes, startMs));
  const out: ScheduledSession[] = [];
  while (out.length < totalSessions) {
    let next = 0;
    for (let i = 1; i < cursors.length; i++) if (cursors[i]!.sortMs < cursors[next]!.sortMs) next = i;
    const cursor = cursors[next]!;
    const { day, startMs: s } = cursor;
    cursor.advance();
    if (s === null) continue;
    out.push({
      date: formatDate(day),
      time: formatTime(parsed[next]!.minutes),
      weekday: weekdayOfDay(day),
      startUtc: toIso(s),
      endUtc: toIso(s + durationMinutes * MINUTE_MS),
      sessionNumber: out.length + 1,
      patternIndex: parsed[next]!.index,
    });
  }
  return out;
}

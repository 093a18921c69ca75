import type { AvailabilityRule, ConflictReason, Interval, SlotRef, TeacherSchedule } from './types.js';
import { SchedulingError } from './errors.js';
import {
  DAY_MS,
  MINUTE_MS,
  formatDate,
  formatTime,
  parseDate as parseDateSafe,
  parseEndTime,
  parseInstant,
  parseTime,
  toIso,
  weekdayIndex,
  weekdayIndexOfDay,
  weekdayOfDay,
  zoneOffsets,
  type ZoneOffsets,
} from './time.js';

export const DEFAULT_MIN_NOTICE_MINUTES = 1440;
export const DEFAULT_HORIZON_DAYS = 182;

/**
 * When one occurrence has several problems, the one reported is the first in this list: problems
 * the parent cannot fix by waiting (the time does not exist, the teacher never teaches then) come
 * before timing limits, and those before calendar entries; time off before bookings because it is
 * the broader statement about the teacher.
 */
export const REASON_PRIORITY: readonly ConflictReason[] = [
  'dst_gap',
  'outside_availability',
  'too_soon',
  'beyond_horizon',
  'time_off',
  'booked',
];

/** Union of intervals as sorted, disjoint [start, end) pairs, queried by binary search. */
export class IntervalIndex {
  readonly starts: Float64Array;
  readonly ends: Float64Array;

  constructor(intervals: readonly Interval[]) {
    const raw: Array<[number, number]> = [];
    for (const iv of intervals) {
      const s = Date.parse(iv.startUtc);
      const e = Date.parse(iv.endUtc);
      if (Number.isFinite(s) && Number.isFinite(e) && e > s) raw.push([s, e]);
    }
    raw.sort((a, b) => a[0] - b[0]);
    const starts: number[] = [];
    const ends: number[] = [];
    for (const [s, e] of raw) {
      const last = ends.length - 1;
      if (last >= 0 && s <= ends[last]!) {
        if (e > ends[last]!) ends[last] = e;
      } else {
        starts.push(s);
        ends.push(e);
      }
    }
    this.starts = Float64Array.from(starts);
    this.ends = Float64Array.from(ends);
  }

  /** True when [s, e) intersects some interval. */
  overlaps(s: number, e: number): boolean {
    const ends = this.ends;
    // First interval ending after s; intervals are disjoint so ends are sorted too.
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! > s) hi = mid;
      else lo = mid + 1;
    }
    return lo < ends.length && this.starts[lo]! < e;
  }
}

interface RuleWindow {
  start: number;
  end: number;
}

/**
 * A TeacherSchedule parsed once per request: rules per weekday in minutes, busy time as two
 * interval indexes, and the notice/horizon bounds as instants.
 */
export class PreparedSchedule {
  readonly zone: ZoneOffsets;
  /** Per weekday index (Sunday = 0), rule windows in local minutes. */
  readonly rules: RuleWindow[][];
  readonly timeOff: IntervalIndex;
  readonly booked: IntervalIndex;
  readonly nowMs: number;
  /** Earliest allowed session start (now + minimum notice). */
  readonly earliestMs: number;
  /** Latest allowed session start (now + horizon). */
  readonly latestMs: number;

  constructor(schedule: TeacherSchedule, now: string) {
    this.zone = zoneOffsets(schedule.timezone);
    this.nowMs = parseInstant(now, 'now');
    const notice = finiteOr(schedule.minNoticeMinutes, DEFAULT_MIN_NOTICE_MINUTES);
    const horizon = finiteOr(schedule.horizonDays, DEFAULT_HORIZON_DAYS);
    this.earliestMs = this.nowMs + notice * MINUTE_MS;
    this.latestMs = this.nowMs + horizon * DAY_MS;
    this.rules = prepareRules(schedule.rules ?? []);
    this.timeOff = new IntervalIndex(schedule.timeOff ?? []);
    this.booked = new IntervalIndex(schedule.bookings ?? []);
  }

  /** Is [minutes, minutes + duration) inside one rule window of that weekday? */
  insideRules(weekdayIdx: number, minutes: number, durationMinutes: number): boolean {
    for (const r of this.rules[weekdayIdx]!) {
      if (minutes >= r.start && minutes + durationMinutes <= r.end) return true;
    }
    return false;
  }

  /**
   * Why a session at local (day, minutes) cannot be booked, or null when it can. `startMs` is the
   * already-converted instant (null for a DST gap).
   */
  classify(day: number, minutes: number, startMs: number | null, durationMinutes: number): ConflictReason | null {
    if (startMs === null) return 'dst_gap';
    if (!this.insideRules(weekdayIndexOfDay(day), minutes, durationMinutes)) return 'outside_availability';
    return this.classifyInstant(startMs, startMs + durationMinutes * MINUTE_MS);
  }

  /** The checks that depend only on the instant, in REASON_PRIORITY order. */
  classifyInstant(startMs: number, endMs: number): ConflictReason | null {
    if (startMs < this.earliestMs) return 'too_soon';
    if (startMs > this.latestMs) return 'beyond_horizon';
    if (this.timeOff.overlaps(startMs, endMs)) return 'time_off';
    if (this.booked.overlaps(startMs, endMs)) return 'booked';
    return null;
  }

  /** Slot start times (minutes) of a weekday: every `duration` from each rule's start, deduplicated. */
  slotStarts(weekdayIdx: number, durationMinutes: number): number[] {
    const set = new Set<number>();
    for (const r of this.rules[weekdayIdx]!) {
      for (let m = r.start; m + durationMinutes <= r.end; m += durationMinutes) set.add(m);
    }
    return [...set].sort((a, b) => a - b);
  }

  slotRef(day: number, minutes: number, startMs: number, durationMinutes: number): SlotRef {
    return {
      date: formatDate(day),
      time: formatTime(minutes),
      weekday: weekdayOfDay(day),
      startUtc: toIso(startMs),
      endUtc: toIso(startMs + durationMinutes * MINUTE_MS),
    };
  }
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function prepareRules(rules: readonly AvailabilityRule[]): RuleWindow[][] {
  const byDay: RuleWindow[][] = [[], [], [], [], [], [], []];
  for (const rule of rules) {
    const w = weekdayIndex(rule.weekday);
    const start = parseTime(rule.startTime);
    const end = parseEndTime(rule.endTime);
    // A malformed rule can only come from bad data; it offers no time rather than failing the request.
    if (w < 0 || start === null || end === null || end <= start) continue;
    byDay[w]!.push({ start, end });
  }
  for (const list of byDay) list.sort((a, b) => a.start - b.start);
  return byDay;
}

export function assertDuration(durationMinutes: number): void {
  if (!Number.isInteger(durationMinutes) || durationMinutes < 1 || durationMinutes > 1440) {
    throw new SchedulingError('invalid_duration', `Invalid session duration: ${String(durationMinutes)}`, {
      durationMinutes,
    });
  }
}

/** A dated slot in the teacher's zone, or null when that local time does not exist that day (DST gap). */
export function slotAt(timezone: string, date: string, time: string, durationMinutes: number): SlotRef | null {
  const zone = zoneOffsets(timezone);
  const day = parseDateOrThrow(date);
  const minutes = parseTime(time);
  if (minutes === null) throw new SchedulingError('invalid_time', `Invalid time: ${String(time)}`, { time });
  assertDuration(durationMinutes);
  const startMs = zone.localToUtc(day, minutes);
  if (startMs === null) return null;
  return {
    date: formatDate(day),
    time: formatTime(minutes),
    weekday: weekdayOfDay(day),
    startUtc: toIso(startMs),
    endUtc: toIso(startMs + durationMinutes * MINUTE_MS),
  };
}

export function parseDateOrThrow(date: string): number {
  const day = parseDateSafe(date);
  if (day === null) throw new SchedulingError('invalid_time', `Invalid date: ${String(date)}`, { date });
  return day;
}

/**
 * Why a concrete slot (e.g. a reschedule target) cannot be booked, or null when it can. The slot
 * must lie inside one availability rule judged by its local start time plus its length.
 */
export function isSlotFree(
  schedule: TeacherSchedule,
  slot: { startUtc: string; endUtc: string },
  now: string,
): ConflictReason | null {
  const prepared = new PreparedSchedule(schedule, now);
  const startMs = parseInstant(slot.startUtc, 'startUtc');
  const endMs = parseInstant(slot.endUtc, 'endUtc');
  if (!(endMs > startMs)) throw new SchedulingError('invalid_time', 'Slot ends before it starts', slot);
  const { day, minutes } = prepared.zone.utcToLocal(startMs);
  const durationMinutes = Math.ceil((endMs - startMs) / MINUTE_MS);
  if (!prepared.insideRules(weekdayIndexOfDay(day), minutes, durationMinutes)) return 'outside_availability';
  return prepared.classifyInstant(startMs, endMs);
}

/**
 * Every free slot (rule-aligned start, same logic as the grid) whose start lies in
 * [fromUtc, toUtc), chronologically.
 */
export function freeSlots(input: {
  schedule: TeacherSchedule;
  durationMinutes: number;
  fromUtc: string;
  toUtc: string;
  now: string;
}): SlotRef[] {
  assertDuration(input.durationMinutes);
  const p = new PreparedSchedule(input.schedule, input.now);
  const fromMs = Math.max(parseInstant(input.fromUtc, 'fromUtc'), p.earliestMs);
  const toMs = Math.min(parseInstant(input.toUtc, 'toUtc'), p.latestMs + 1);
  const out: SlotRef[] = [];
  if (!(toMs > fromMs)) return out;
  const startsByWeekday = [0, 1, 2, 3, 4, 5, 6].map((w) => p.slotStarts(w, input.durationMinutes));
  const firstDay = p.zone.utcToLocal(fromMs).day;
  const lastDay = p.zone.utcToLocal(toMs).day;
  for (let day = firstDay; day <= lastDay; day++) {
    const fixed = p.zone.fixedOffsetOfDay(day);
    for (const minutes of startsByWeekday[weekdayIndexOfDay(day)]!) {
      const startMs =
        fixed !== null ? (day * DAY_MS + minutes * MINUTE_MS) - fixed * MINUTE_MS : p.zone.localToUtc(day, minutes);
      if (startMs === null || startMs < fromMs || startMs >= toMs) continue;
      if (p.classify(day, minutes, startMs, input.durationMinutes) === null) {
        out.push(p.slotRef(day, minutes, startMs, input.durationMinutes));
      }
    }
  }
  return out;
}

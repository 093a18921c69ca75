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

// What applies when a teacher or a request does not say (the admin API's defaults too).
export const DEFAULT_MIN_NOTICE_MINUTES = 1440;
export const DEFAULT_HORIZON_DAYS = 182;
export const DEFAULT_SESSION_MINUTES = 60;
export const DEFAULT_GRACE_PERIOD_DAYS = 14;

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

/**
 * The minute `now` falls in, rounded up: the key under which the API may cache an answer of the core.
 * Session starts, the notice and the horizon are whole minutes, so `start >= now + notice` holds
 * exactly when `start >= ceil(now) + notice`, and `start < now + horizon` exactly when
 * `start < ceil(now) + horizon` (for a whole number k and any x, k >= x iff k >= ceil(x), and k < x
 * iff k < ceil(x)). Every answer is therefore the same for all instants of one key; a property
 * test in test/core checks it.
 */
export function minuteKey(now: Date): number {
  return Math.ceil(now.getTime() / MINUTE_MS);
}

/** Union of intervals as sorted, disjoint [start, end) pairs, queried by binary search. */
export class IntervalIndex {
  readonly starts: Float64Array;
  readonly ends: Float64Array;

  constructor(intervals: readonly Interval[]) {
    const n = intervals.length;
    const rawStarts = new Float64Array(n);
    const rawEnds = new Float64Array(n);
    let count = 0;
    let sorted = true;
    for (let i = 0; i < n; i++) {
      const iv = intervals[i]!;
      const s = fastInstant(iv.startUtc);
      const e = fastInstant(iv.endUtc);
      if (!(e > s)) continue; // also drops NaN
      if (count > 0 && s < rawStarts[count - 1]!) sorted = false;
      rawStarts[count] = s;
      rawEnds[count] = e;
      count++;
    }
    // Bookings usually arrive ordered by start (the query sorts them); only sort when they are not.
    let order: ArrayLike<number> | null = null;
    if (!sorted) {
      const idx = Array.from({ length: count }, (_, i) => i);
      idx.sort((a, b) => rawStarts[a]! - rawStarts[b]!);
      order = idx;
    }
    const starts = new Float64Array(count);
    const ends = new Float64Array(count);
    let m = 0;
    for (let j = 0; j < count; j++) {
      const i = order ? order[j]! : j;
      const s = rawStarts[i]!;
      const e = rawEnds[i]!;
      if (m > 0 && s <= ends[m - 1]!) {
        if (e > ends[m - 1]!) ends[m - 1] = e;
      } else {
        starts[m] = s;
        ends[m] = e;
        m++;
      }
    }
    this.starts = starts.subarray(0, m);
    this.ends = ends.subarray(0, m);
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

/*
 * A teacher with a year of bookings means ~1000 intervals per request, and Date.parse dominated the
 * grid's cost. Stored instants have one fixed format, which is parsed here from char codes;
 * anything else goes through Date.parse.
 */
function fastInstant(iso: string): number {
  if (typeof iso !== 'string') return NaN;
  if (iso.length !== 24 || iso.charCodeAt(23) !== 90 /* Z */ || iso.charCodeAt(10) !== 84 /* T */)
    return Date.parse(iso);
  const d = (i: number) => iso.charCodeAt(i) - 48;
  const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  const month = d(5) * 10 + d(6);
  const day = d(8) * 10 + d(9);
  const hour = d(11) * 10 + d(12);
  const minute = d(14) * 10 + d(15);
  const second = d(17) * 10 + d(18);
  const ms = d(20) * 100 + d(21) * 10 + d(22);
  if (
    !(
      year >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 31 &&
      hour <= 23 &&
      minute <= 59 &&
      second <= 59 &&
      ms >= 0 &&
      ms <= 999
    ) ||
    iso.charCodeAt(4) !== 45 ||
    iso.charCodeAt(7) !== 45 ||
    iso.charCodeAt(13) !== 58 ||
    iso.charCodeAt(16) !== 58 ||
    iso.charCodeAt(19) !== 46
  ) {
    return Date.parse(iso);
  }
  return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * MINUTE_MS + second * 1000 + ms;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/*
 * The same bookings array is often checked many times (a grid, then a purchase check, or a route
 * that caches the schedule per schedule_version). Indexes are memoized per array object; a hit
 * also requires the same length and the same first and last entries, so an array that was
 * appended to or replaced element-wise is re-indexed. Arrays changed in place otherwise must not
 * be passed again (the core treats its input as immutable).
 */
interface MemoEntry {
  index: IntervalIndex;
  length: number;
  first: Interval | undefined;
  last: Interval | undefined;
  firstKey: string;
  lastKey: string;
}
const indexMemo = new WeakMap<readonly Interval[], MemoEntry>();
const keyOf = (iv: Interval | undefined) => (iv ? iv.startUtc + iv.endUtc : '');

export function intervalIndex(intervals: readonly Interval[]): IntervalIndex {
  const first = intervals[0];
  const last = intervals[intervals.length - 1];
  const hit = indexMemo.get(intervals);
  if (
    hit &&
    hit.length === intervals.length &&
    hit.first === first &&
    hit.last === last &&
    hit.firstKey === keyOf(first) &&
    hit.lastKey === keyOf(last)
  ) {
    return hit.index;
  }
  const index = new IntervalIndex(intervals);
  indexMemo.set(intervals, {
    index,
    length: intervals.length,
    first,
    last,
    firstKey: keyOf(first),
    lastKey: keyOf(last),
  });
  return index;
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
  /** Earliest allowed session start: now + minimum notice, rounded up to the minute. */
  readonly earliestMs: number;
  /** Sessions start before this: now + horizon, rounded up to the minute. */
  readonly latestMs: number;

  constructor(schedule: TeacherSchedule, now: string) {
    this.zone = zoneOffsets(schedule.timezone);
    this.nowMs = parseInstant(now, 'now');
    const notice = finiteOr(schedule.minNoticeMinutes, DEFAULT_MIN_NOTICE_MINUTES);
    const horizon = finiteOr(schedule.horizonDays, DEFAULT_HORIZON_DAYS);
    // Rounding up changes no answer for whole-minute starts (see minuteKey) and makes every
    // answer, including the stated window, depend on the minute alone.
    this.earliestMs = ceilToMinute(this.nowMs + notice * MINUTE_MS);
    this.latestMs = ceilToMinute(this.nowMs + horizon * DAY_MS);
    this.rules = prepareRules(schedule.rules ?? []);
    this.timeOff = intervalIndex(schedule.timeOff ?? []);
    this.booked = intervalIndex(schedule.bookings ?? []);
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
    if (startMs >= this.latestMs) return 'beyond_horizon';
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
    return slotRefOf(day, minutes, startMs, durationMinutes);
  }
}

function ceilToMinute(ms: number): number {
  return Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
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
  return slotRefOf(day, minutes, startMs, durationMinutes);
}

/** A dated slot from a local day (days since epoch), its local minutes and its UTC start. */
export function slotRefOf(day: number, minutes: number, startMs: number, durationMinutes: number): SlotRef {
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
  const toMs = Math.min(parseInstant(input.toUtc, 'toUtc'), p.latestMs);
  const out: SlotRef[] = [];
  if (!(toMs > fromMs)) return out;
  const startsByWeekday = [0, 1, 2, 3, 4, 5, 6].map((w) => p.slotStarts(w, input.durationMinutes));
  const firstDay = p.zone.utcToLocal(fromMs).day;
  const lastDay = p.zone.utcToLocal(toMs).day;
  for (let day = firstDay; day <= lastDay; day++) {
    const fixed = p.zone.fixedOffsetOfDay(day);
    for (const minutes of startsByWeekday[weekdayIndexOfDay(day)]!) {
      const startMs =
        fixed !== null ? day * DAY_MS + minutes * MINUTE_MS - fixed * MINUTE_MS : p.zone.localToUtc(day, minutes);
      if (startMs === null || startMs < fromMs || startMs >= toMs) continue;
      if (p.classify(day, minutes, startMs, input.durationMinutes) === null) {
        out.push(p.slotRef(day, minutes, startMs, input.durationMinutes));
      }
    }
  }
  return out;
}

import { IANAZone } from 'luxon';
import { WEEKDAYS, type Weekday } from './types.js';
import { SchedulingError } from './errors.js';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/*
 * Local dates are handled as integer "day numbers" (days since 1970-01-01 on the local calendar)
 * and local times as minutes since local midnight, so that walking weeks and comparing slots is
 * plain integer arithmetic. Only the step "local wall clock -> UTC instant" needs the zone.
 */

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `HH:mm` (00:00–23:59) to minutes, or null. */
export function parseTime(time: unknown): number | null {
  if (typeof time !== 'string') return null;
  const m = TIME_RE.exec(time);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Like parseTime but also accepts `24:00`, which only makes sense as an exclusive end. */
export function parseEndTime(time: unknown): number | null {
  return time === '24:00' ? 1440 : parseTime(time);
}

export function formatTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
}

/** `YYYY-MM-DD` to a day number, or null when it is not a real calendar date. */
export function parseDate(date: unknown): number | null {
  if (typeof date !== 'string') return null;
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  // Date.UTC happily rolls 2026-02-30 over into March; reject instead.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

export function formatDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 1970-01-01 was a Thursday; WEEKDAYS is Sunday-first. */
export function weekdayIndexOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function weekdayOfDay(day: number): Weekday {
  return WEEKDAYS[weekdayIndexOfDay(day)]!;
}

export function weekdayIndex(weekday: unknown): number {
  return WEEKDAYS.indexOf(weekday as Weekday);
}

export function parseInstant(iso: string, what = 'instant'): number {
  const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms))
    throw new SchedulingError('invalid_time', `Invalid ${what}: ${String(iso)}`, { [what]: iso });
  return ms;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isValidTimeZone(zone: string): boolean {
  return typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone);
}

/*
 * Zone offsets.
 *
 * luxon's IANAZone.offset() costs a few microseconds (it formats a date with Intl), which is too
 * slow to call per slot occurrence when a grid looks at ~1000 occurrences. Time zone rules are
 * immutable data, so each zone keeps a memo: the offset at a fixed daily sample instant, and for
 * each 24 h sample interval whose ends differ, the exact transition instant (found once by
 * bisection). Assumes at most one transition per 24 h, which holds for every IANA zone in use
 * (Pacific/Apia's skipped day in 2011 is a single transition). The memo never changes an answer,
 * so the functions using it stay pure.
 */
const SAMPLE_SHIFT_MS = 14 * HOUR_MS; // sample k sits at k*DAY - 14h, before any local midnight of day k
const MAX_MEMO = 50_000;

export class ZoneOffsets {
  private readonly zone: IANAZone;
  private readonly samples = new Map<number, number>();
  private readonly transitions = new Map<number, number>();

  constructor(readonly name: string) {
    this.zone = IANAZone.create(name);
  }

  private sample(k: number): number {
    let o = this.samples.get(k);
    if (o === undefined) {
      if (this.samples.size > MAX_MEMO) this.samples.clear();
      o = this.zone.offset(k * DAY_MS - SAMPLE_SHIFT_MS);
      this.samples.set(k, o);
    }
    return o;
  }

  /** Offset in minutes (local = utc + offset) in effect at `ms`. */
  offsetAt(ms: number): number {
    const k = Math.floor((ms + SAMPLE_SHIFT_MS) / DAY_MS);
    const a = this.sample(k);
    const b = this.sample(k + 1);
    if (a === b) return a;
    return ms < this.transition(k, b) ? a : b;
  }

  private transition(k: number, after: number): number {
    let t = this.transitions.get(k);
    if (t === undefined) {
      // Bisect on whole seconds: the first second of the interval whose offset is the new one.
      let lo = (k * DAY_MS - SAMPLE_SHIFT_MS) / 1000;
      let hi = lo + DAY_MS / 1000;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (this.zone.offset(mid * 1000) === after) hi = mid;
        else lo = mid;
      }
      t = hi * 1000;
      if (this.transitions.size > MAX_MEMO) this.transitions.clear();
      this.transitions.set(k, t);
    }
    return t;
  }

  /**
   * The offset shared by every instant of local day `day`, or null when a transition falls near
   * that day (then callers take the exact, slower path through `localToUtc`).
   */
  fixedOffsetOfDay(day: number): number | null {
    // Local day `day` spans UTC [day*DAY - 14h, day*DAY + 36h] for any offset in [-12h, +14h],
    // i.e. sample intervals day..day+2.
    const o = this.sample(day);
    if (this.sample(day + 1) !== o || this.sample(day + 2) !== o || this.sample(day + 3) !== o) return null;
    return o;
  }

  /**
   * UTC instant of a local wall-clock time, or null when that time does not exist (spring-forward
   * gap). An ambiguous time (fall back) resolves to the EARLIER instant, i.e. the first time the
   * wall clock shows it. (luxon's DateTime.fromObject would pick the later one, and shifts gap
   * times forward instead of rejecting them; neither suits booking.)
   */
  localToUtc(day: number, minutes: number): number | null {
    const local = day * DAY_MS + minutes * MINUTE_MS;
    const fixed = this.fixedOffsetOfDay(day);
    if (fixed !== null) return local - fixed * MINUTE_MS;
    // The instant lies within [local - 14h, local + 12h]; only offsets in effect there can apply.
    const o1 = this.offsetAt(local - SAMPLE_SHIFT_MS);
    const o2 = this.offsetAt(local + 12 * HOUR_MS);
    let best: number | null = null;
    for (const o of o1 === o2 ? [o1] : [o1, o2]) {
      const utc = local - o * MINUTE_MS;
      if (this.offsetAt(utc) === o && (best === null || utc < best)) best = utc;
    }
    return best;
  }

  /** Local day number and minutes-of-day of an instant. */
  utcToLocal(ms: number): { day: number; minutes: number } {
    const local = ms + this.offsetAt(ms) * MINUTE_MS;
    const day = Math.floor(local / DAY_MS);
    return { day, minutes: Math.floor((local - day * DAY_MS) / MINUTE_MS) };
  }
}

const zoneMemo = new Map<string, ZoneOffsets>();

/** Throws SchedulingError('invalid_timezone') for names luxon does not know. */
export function zoneOffsets(name: string): ZoneOffsets {
  let z = zoneMemo.get(name);
  if (!z) {
    if (!isValidTimeZone(name)) {
      throw new SchedulingError('invalid_timezone', `Unknown time zone: ${String(name)}`, { timezone: name });
    }
    z = new ZoneOffsets(name);
    if (zoneMemo.size > 1000) zoneMemo.clear();
    zoneMemo.set(name, z);
  }
  return z;
}

/** The local calendar date `days` after (or before) `date`, both `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const day = parseDate(date);
  if (day === null) throw new SchedulingError('invalid_time', `Invalid date: ${date}`, { date });
  return formatDate(day + days);
}

/** Calendar days from `from` to `to` (`YYYY-MM-DD`): 0 for the same day, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = parseDate(from);
  const b = parseDate(to);
  if (a === null || b === null)
    throw new SchedulingError('invalid_time', `Invalid date range: ${from}..${to}`, { from, to });
  return b - a;
}

/** Adds whole days of 24 h to an instant; used for grace periods, where wall-clock days don't matter. */
export function addDaysUtc(iso: string, days: number): string {
  return toIso(parseInstant(iso) + days * DAY_MS);
}

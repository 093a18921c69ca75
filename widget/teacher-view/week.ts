/**
 * The teacher's week as the editor holds it: per weekday, sorted, disjoint ranges in minutes of the teacher's
 * day (0–1440, end exclusive). Pure functions only; the editor's gestures all end in one of them.
 *
 * Ranges keep the minutes they came with, so a rule of 16:15–17:00 that the school entered by hand is saved
 * back as 16:15–17:00 unless the teacher touches it; the editor's own gestures work in 30-minute steps.
 */
import type { AvailabilityRule } from '../../api/contract/wire.js';
import type { Weekday } from '../../api/contract/wire.js';
import { WEEKDAYS } from '../format.js';

/** The editor's step: one row of the grid. */
export const STEP = 30;
/** The first row shown when no rule starts earlier. */
export const DAY_START = 6 * 60;
export const DAY_END = 24 * 60;

export interface Range {
  start: number;
  end: number;
}

export type Week = Readonly<Record<Weekday, readonly Range[]>>;

export const minutesOf = (time: string): number => {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
};

export const timeOf = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Sorted, with overlapping and touching ranges joined: one block on screen is one rule. */
export function normalize(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export function emptyWeek(): Week {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as unknown as Week;
}

export function weekFromRules(rules: readonly AvailabilityRule[]): Week {
  const range = (r: AvailabilityRule): Range => ({ start: minutesOf(r.startTime), end: minutesOf(r.endTime) });
  return Object.fromEntries(
    WEEKDAYS.map((d) => [d, normalize(rules.filter((r) => r.weekday === d).map(range))]),
  ) as unknown as Week;
}

/** The rules a PUT sends: one per range, Sunday first, each day in time order (the core's `AvailabilityRule`). */
export function rulesOf(week: Week): AvailabilityRule[] {
  return WEEKDAYS.flatMap((weekday) =>
    week[weekday].map((r) => ({ weekday, startTime: timeOf(r.start), endTime: timeOf(r.end) })),
  );
}

export const sameWeek = (a: Week, b: Week): boolean => JSON.stringify(rulesOf(a)) === JSON.stringify(rulesOf(b));

export const withDay = (week: Week, day: Weekday, ranges: readonly Range[]): Week => ({
  ...week,
  [day]: normalize(ranges),
});

/** The range that covers any minute of the step starting at `step`, if one does. */
export const rangeAt = (ranges: readonly Range[], step: number): Range | undefined =>
  ranges.find((r) => r.start < step + STEP && r.end > step);

/** `ranges` with [start, end) added (joined with what it touches). */
export const add = (ranges: readonly Range[], start: number, end: number): Range[] =>
  normalize([...ranges, { start, end }]);

/** `ranges` with [start, end) cut out (a range may split in two). */
export function cut(ranges: readonly Range[], start: number, end: number): Range[] {
  return ranges.flatMap((r) => {
    if (r.end <= start || r.start >= end) return [r];
    const parts: Range[] = [];
    if (r.start < start) parts.push({ start: r.start, end: start });
    if (r.end > end) parts.push({ start: end, end: r.end });
    return parts;
  });
}

/** Space/Enter and a click: the step leaves its range (splitting it), or joins the week (merging). */
export const toggle = (ranges: readonly Range[], step: number): Range[] =>
  rangeAt(ranges, step) ? cut(ranges, step, step + STEP) : add(ranges, step, step + STEP);

/** Delete: the whole range under the step goes. */
export function removeAt(ranges: readonly Range[], step: number): Range[] {
  const hit = rangeAt(ranges, step);
  return hit ? ranges.filter((r) => r !== hit) : [...ranges];
}

/**
 * A range's edge dragged to the step under the pointer: the start to that step's start, the end to that
 * step's end. The range never goes below one step, and swallows the ranges it is dragged over.
 */
export function resize(ranges: readonly Range[], range: Range, edge: 'start' | 'end', step: number): Range[] {
  const others = ranges.filter((r) => r.start !== range.start || r.end !== range.end);
  const next =
    edge === 'start'
      ? { start: Math.min(step, range.end - STEP), end: range.end }
      : { start: range.start, end: Math.max(step + STEP, range.start + STEP) };
  return add(others, next.start, next.end);
}

/** The rows the grid shows: 06:00 to 24:00, from earlier when a rule starts earlier. */
export function steps(week: Week): number[] {
  const earliest = Math.min(DAY_START, ...WEEKDAYS.flatMap((d) => week[d].map((r) => r.start)));
  const first = Math.floor(earliest / STEP) * STEP;
  const out: number[] = [];
  for (let m = first; m < DAY_END; m += STEP) out.push(m);
  return out;
}

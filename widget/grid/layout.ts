/**
 * The weekly grid as rows and columns: which weekdays are columns (in the locale's week order), which
 * times are rows, and which slot sits in each cell. Also the keyboard model over that layout.
 */
import type { GridSlot, Weekday, WeeklyGrid } from '../../api/contract/wire.js';
import {
  addDays,
  dayDiff,
  instantIn,
  weekdayIndex,
  weekdayOfDate,
  weekdaysInLocaleOrder,
  zonedToUtc,
} from '../format.js';
import type { BookingController } from './booking-controller.js';
import type { GridModel } from './keyboard-controller.js';

export interface GridLayout {
  days: Weekday[];
  times: string[];
  /** `cells[row][col]`: the slot at `times[row]` on `days[col]`, undefined where the teacher offers nothing. */
  cells: (GridSlot | undefined)[][];
}

// Asked for on every render (and by the keyboard model); rebuilt only for a new grid or locale.
const layouts = new WeakMap<WeeklyGrid, { locale: string; layout: GridLayout }>();

export function gridLayout(grid: WeeklyGrid, locale: string): GridLayout {
  const cached = layouts.get(grid);
  if (cached?.locale === locale) return cached.layout;
  const byDay = new Map(grid.availability.map((d) => [d.weekday, d.slots]));
  // Days without any slot are dropped: a column of blanks only costs width on a phone.
  const days = weekdaysInLocaleOrder(locale).filter((w) => (byDay.get(w)?.length ?? 0) > 0);
  const times = [...new Set(grid.availability.flatMap((d) => d.slots.map((s) => s.time)))].sort();
  const cells = times.map((t) => days.map((d) => byDay.get(d)?.find((s) => s.time === t)));
  const layout = { days, times, cells };
  layouts.set(grid, { locale, layout });
  return layout;
}

// A grid's window start as a teacher-local date, and its viewer clocks: asked for by every cell and row
// header on every render, the same for a grid and its zones.
const starts = new WeakMap<WeeklyGrid, Map<string, string>>();
const clocks = new WeakMap<WeeklyGrid, Map<string, { weekday: Weekday; time: string; shift: number }>>();

function memo<V>(map: WeakMap<WeeklyGrid, Map<string, V>>, grid: WeeklyGrid, key: string, make: () => V): V {
  let known = map.get(grid);
  if (!known) map.set(grid, (known = new Map()));
  let value = known.get(key);
  if (value === undefined) known.set(key, (value = make()));
  return value;
}

/** The teacher-local date of the first `weekday` in the grid's window. */
export function firstDate(grid: WeeklyGrid, teacherZone: string, weekday: Weekday): string {
  const start = memo(starts, grid, teacherZone, () => instantIn(Date.parse(grid.windowStart), teacherZone).date);
  return addDays(start, (weekdayIndex(weekday) - weekdayIndex(weekdayOfDate(start)) + 7) % 7);
}

/**
 * The viewer's wall-clock for a teacher-local weekday + time, on its first occurrence in the window, and
 * `shift`: how many days the viewer's date is from the teacher's (+1: already tomorrow for the viewer).
 */
export function viewerClock(
  grid: WeeklyGrid,
  zones: { teacher: string; viewer: string },
  weekday: Weekday,
  time: string,
): { weekday: Weekday; time: string; shift: number } {
  return memo(clocks, grid, `${zones.teacher} ${zones.viewer} ${weekday} ${time}`, () => {
    const date = firstDate(grid, zones.teacher, weekday);
    const v = instantIn(zonedToUtc(date, time, zones.teacher), zones.viewer);
    return { weekday: v.weekday, time: v.time, shift: dayDiff(date, v.date) };
  });
}

/** What the keyboard controller needs: offered cells are navigable; the tab stop starts on a selection. */
export function keyboardModel(l: GridLayout, rtl: boolean, booking: BookingController): GridModel {
  return {
    rows: l.times.length,
    cols: l.days.length,
    rtl,
    navigable: (r, c) => !!l.cells[r]?.[c],
    preferred: () => {
      for (let r = 0; r < l.times.length; r++)
        for (let c = 0; c < l.days.length; c++) if (booking.isSelected(l.days[c]!, l.times[r]!)) return [r, c];
      for (let r = 0; r < l.times.length; r++)
        for (let c = 0; c < l.days.length; c++) if (l.cells[r]![c]?.available) return [r, c];
      return undefined;
    },
    activate: (r, c) => booking.toggle(l.days[c]!, l.cells[r]![c]!),
  };
}

/**
 * The weekly availability editor's behaviour as a reactive controller: the draft week against the saved one,
 * the pointer gestures and the keyboard (the booking grid's APG grid controller, plus Shift+↑/↓ and Delete).
 * It renders nothing; render-week.ts draws what it holds.
 *
 * Pointer: a press on an empty time starts adding (dragging extends what is added), a press on a time that is
 * in a range starts removing, a press on a block's top or bottom edge resizes that block. Every move re-derives
 * the day from what it was at the press, so dragging back undoes what the drag did. A cancelled pointer (a
 * touch that became a scroll) puts the day back.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Weekday } from '../../api/contract/wire.js';
import { GridKeyboardController, type GridModel } from '../grid/keyboard-controller.js';
import {
  add,
  cut,
  emptyWeek,
  rangeAt,
  removeAt,
  resize,
  rulesOf,
  sameWeek,
  steps,
  STEP,
  toggle,
  withDay,
  type Range,
  type Week,
} from './week.js';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

interface Drag {
  kind: 'add' | 'erase' | 'start' | 'end';
  day: Weekday;
  anchor: number;
  /** The day's ranges at the press. */
  base: readonly Range[];
  /** The block whose edge is dragged. */
  range?: Range;
  pointerId: number;
}

export class WeekEditor implements ReactiveController {
  /** What the server holds. */
  saved: Week = emptyWeek();
  /** What the teacher sees and would save. */
  week: Week = emptyWeek();
  /** The grid's rows (minutes), fixed per saved week so the tab stop does not move under a gesture. */
  rows: number[] = steps(this.saved);
  readonly keyboard: GridKeyboardController;
  private drag: Drag | null = null;

  constructor(
    private readonly host: Host,
    /** The weekday columns now shown (seven, or the one day of the phone view). */
    private readonly columns: () => Weekday[],
    private readonly rtl: () => boolean,
  ) {
    host.addController(this);
    this.keyboard = new GridKeyboardController(host, () => this.model());
  }

  hostUpdate(): void {}

  load(week: Week): void {
    this.saved = this.week = week;
    this.rows = steps(week);
    // The tab stop starts again on the first block of the week as loaded.
    this.keyboard.row = this.keyboard.col = -1;
    this.host.requestUpdate();
  }

  get dirty(): boolean {
    return !sameWeek(this.week, this.saved);
  }

  /** The rules a save sends: exactly the blocks on screen. */
  rules() {
    return rulesOf(this.week);
  }

  undo(): void {
    this.week = this.saved;
    this.host.requestUpdate();
  }

  set(day: Weekday, ranges: readonly Range[]): void {
    this.week = withDay(this.week, day, ranges);
    this.host.requestUpdate();
  }

  remove(day: Weekday, range: Range): void {
    this.set(
      day,
      this.week[day].filter((r) => r !== range),
    );
  }

  covered(day: Weekday, step: number): Range | undefined {
    return rangeAt(this.week[day], step);
  }

  private model(): GridModel {
    const days = this.columns();
    return {
      rows: this.rows.length,
      cols: days.length,
      rtl: this.rtl(),
      navigable: () => true,
      preferred: () => {
        for (let c = 0; c < days.length; c++) {
          const first = this.week[days[c]!][0];
          const r = first ? this.rows.findIndex((s) => s + STEP > first.start) : -1;
          if (r >= 0) return [r, c];
        }
        return this.rows.length && days.length ? [0, 0] : undefined;
      },
      activate: (r, c) => this.set(days[c]!, toggle(this.week[days[c]!], this.rows[r]!)),
    };
  }

  // ---------------------------------------------------------------- keyboard

  readonly onKeydown = (e: KeyboardEvent): void => {
    const cell = (e.target as HTMLElement).closest?.<HTMLElement>('[data-r]');
    if (!cell || e.altKey || e.metaKey || e.ctrlKey) return this.keyboard.onKeydown(e);
    const r = Number(cell.dataset.r);
    const day = this.columns()[Number(cell.dataset.c)]!;
    const step = this.rows[r]!;
    if (e.shiftKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const to = r + (e.key === 'ArrowDown' ? 1 : -1);
      if (to < 0 || to >= this.rows.length) return;
      const other = this.rows[to]!;
      this.set(day, add(this.week[day], Math.min(step, other), Math.max(step, other) + STEP));
      void this.keyboard.focus(to, Number(cell.dataset.c));
      return;
    }
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      this.set(day, removeAt(this.week[day], step));
      return;
    }
    this.keyboard.onKeydown(e);
  };

  // ---------------------------------------------------------------- pointer

  private cellAt(e: PointerEvent): HTMLElement | null {
    const root = this.host.renderRoot as ShadowRoot;
    const hit = root.elementFromPoint?.(e.clientX, e.clientY) ?? (e.target as Element | null);
    return hit?.closest<HTMLElement>('[data-r]') ?? null;
  }

  readonly onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0 || this.drag) return;
    const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-r]');
    if (!cell) return;
    const day = cell.dataset.weekday as Weekday;
    const step = this.rows[Number(cell.dataset.r)]!;
    const edge = (e.target as HTMLElement).closest<HTMLElement>('[data-edge]')?.dataset.edge as
      'start' | 'end' | undefined;
    const range = this.covered(day, step);
    const kind = edge && range ? edge : range ? 'erase' : 'add';
    this.drag = { kind, day, anchor: step, base: this.week[day], range, pointerId: e.pointerId };
    // Keeps the moves coming when the pointer leaves the grid mid-drag.
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    this.keyboard.setActive(Number(cell.dataset.r), Number(cell.dataset.c));
    this.apply(step);
  };

  readonly onPointerMove = (e: PointerEvent): void => {
    if (!this.drag || e.pointerId !== this.drag.pointerId) return;
    const cell = this.cellAt(e);
    if (cell) this.apply(this.rows[Number(cell.dataset.r)]!);
  };

  readonly onPointerUp = (e: PointerEvent): void => {
    if (!this.drag || e.pointerId !== this.drag.pointerId) return;
    this.drag = null;
  };

  readonly onPointerCancel = (e: PointerEvent): void => {
    const drag = this.drag;
    if (!drag || e.pointerId !== drag.pointerId) return;
    this.drag = null;
    this.set(drag.day, drag.base);
  };

  private apply(step: number): void {
    const d = this.drag!;
    const lo = Math.min(d.anchor, step);
    const hi = Math.max(d.anchor, step) + STEP;
    const next =
      d.kind === 'add'
        ? add(d.base, lo, hi)
        : d.kind === 'erase'
          ? cut(d.base, lo, hi)
          : resize(d.base, d.range!, d.kind, step);
    this.set(d.day, next);
  }
}

/**
 * The day view of `<smart-pack-grid>`, shown instead of the weekly grid when the element is 480 px wide or
 * less (a phone): a strip of the seven days (a WAI-ARIA tablist: weekday, date, free count), then the chosen
 * day's times (a multi-select listbox). Same selection (`booking.toggle`), same events, same parts for the
 * slot states as the grid.
 *
 * Keyboard (APG tabs, automatic activation): ←/→ move between days (mirrored in RTL, so the arrow points
 * where the focus goes), Home/End to the first/last day, Tab into the list. The list (APG listbox,
 * multi-select): ↑/↓ move, Home/End, Space/Enter toggle; a taken time says why instead.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { GridSlot, Weekday, WeeklyGrid } from '../../api/contract/wire.js';
import { formatClock, formatDayMonth, weekdayName, weekdaysInLocaleOrder } from '../format.js';
import type { GridContext } from './context.js';
import { firstDate } from './layout.js';
import { renderViewer, slotLook } from './render-grid.js';

type Host = ReactiveControllerHost & { renderRoot: HTMLElement | DocumentFragment };

const slotsOf = (grid: WeeklyGrid, day: Weekday): GridSlot[] =>
  grid.availability.find((d) => d.weekday === day)?.slots ?? [];

export class DayViewController implements ReactiveController {
  /** The day shown ('' until the first render picks one: a selected day, else the first with a free time). */
  day: Weekday | '' = '';
  /** The time holding the list's tab stop. */
  time = '';

  constructor(private readonly host: Host) {
    host.addController(this);
  }

  hostUpdate(): void {}

  /** The days in the locale's week order, and the day to show (kept if still offered). */
  days(c: GridContext, grid: WeeklyGrid): Weekday[] {
    const days = weekdaysInLocaleOrder(c.locale);
    if (!this.day) {
      const picked = days.find((d) => slotsOf(grid, d).some((s) => c.booking.isSelected(d, s.time)));
      this.day = picked ?? days.find((d) => slotsOf(grid, d).some((s) => s.available)) ?? days[0]!;
    }
    return days;
  }

  private async focus(selector: string): Promise<void> {
    this.host.requestUpdate();
    await this.host.updateComplete;
    (this.host.renderRoot as ParentNode).querySelector<HTMLElement>(selector)?.focus();
  }

  choose(day: Weekday): void {
    this.day = day;
    this.time = '';
    void this.focus(`#day-${day}`);
  }

  readonly onTabKey = (e: KeyboardEvent, days: Weekday[], rtl: boolean): void => {
    const i = days.indexOf(this.day as Weekday);
    const ahead = rtl ? -1 : 1;
    const next: Record<string, number> = {
      ArrowRight: i + ahead,
      ArrowLeft: i - ahead,
      Home: 0,
      End: days.length - 1,
    };
    const to = next[e.key];
    if (to === undefined || e.altKey || e.metaKey) return;
    e.preventDefault();
    this.choose(days[(to + days.length) % days.length]!);
  };

  readonly onListKey = (e: KeyboardEvent, slots: GridSlot[], toggle: (slot: GridSlot) => void): void => {
    const i = Math.max(
      0,
      slots.findIndex((s) => s.time === (e.target as HTMLElement).dataset.time),
    );
    const next: Record<string, number> = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: slots.length - 1 };
    if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      this.time = slots[i]!.time;
      toggle(slots[i]!);
      return;
    }
    const to = next[e.key];
    if (to === undefined || to < 0 || to >= slots.length) return;
    e.preventDefault();
    this.time = slots[to]!.time;
    void this.focus(`[role=option][data-time="${this.time}"]`);
  };
}

/** The strip of days and the chosen day's times. */
export function renderDays(c: GridContext, grid: WeeklyGrid, view: DayViewController, rtl: boolean): TemplateResult {
  const { t, locale: L, booking } = c;
  const days = view.days(c, grid);
  const day = view.day as Weekday;
  const slots = slotsOf(grid, day);
  const stop =
    slots.find((s) => s.time === view.time) ?? slots.find((s) => booking.isSelected(day, s.time)) ?? slots[0];
  const toggle = (slot: GridSlot) => booking.toggle(day, slot);
  return html`<div class="dayview">
    <div part="days" class="days" role="tablist" aria-label=${t.daysLabel} @keydown=${(e: KeyboardEvent) => view.onTabKey(e, days, rtl)}>
      ${days.map((d) => {
        const daySlots = slotsOf(grid, d);
        const free = daySlots.filter((s) => s.available).length;
        const chosen = daySlots.filter((s) => booking.isSelected(d, s.time)).length;
        const current = d === day;
        return html`<button
          type="button"
          role="tab"
          id="day-${d}"
          part=${current ? 'day-chip day-chip-selected' : 'day-chip'}
          class="chip${current ? ' current' : ''}${free ? '' : ' none'}"
          aria-selected=${current ? 'true' : 'false'}
          aria-controls="day-panel"
          tabindex=${current ? 0 : -1}
          @click=${() => view.choose(d)}
        >
          <span class="wd">${weekdayName(L, d, 'short')}</span>
          <span class="dt">${formatDayMonth(L, firstDate(grid, c.zones.teacher, d))}</span>
          <span class="cnt">${chosen ? html`<span aria-hidden="true">● </span>` : nothing}${t.freeCount(free)}</span>
        </button>`;
      })}
    </div>
    <div
      role="tabpanel"
      id="day-panel"
      class="daypanel"
      aria-labelledby="day-${day}"
      tabindex=${slots.length ? nothing : 0}
    >
      ${
        slots.length
          ? html`<div
              part="day-slots"
              class="dayslots"
              role="listbox"
              aria-multiselectable="true"
              aria-label=${t.daySlots(weekdayName(L, day))}
              aria-describedby="legend"
              @keydown=${(e: KeyboardEvent) => view.onListKey(e, slots, toggle)}
            >
              ${slots.map((slot) => renderOption(c, grid, day, slot, slot === stop, view))}
            </div>`
          : html`<p class="hint">${t.legendEmpty}</p>`
      }
    </div>
  </div>`;
}

function renderOption(
  c: GridContext,
  grid: WeeklyGrid,
  day: Weekday,
  slot: GridSlot,
  stop: boolean,
  view: DayViewController,
): TemplateResult {
  const { locale: L, booking } = c;
  const { selected, state, freeText, icon, viewer: v, parts } = slotLook(c, grid, day, slot);
  // Keys are handled once on the listbox (roving tabindex, APG listbox), not per option.
  // eslint-disable-next-line lit-a11y/click-events-have-key-events
  return html`<div
    role="option"
    part=${parts}
    class="opt ${state}${selected ? ' selected' : ''}"
    data-weekday=${day}
    data-time=${slot.time}
    tabindex=${stop ? 0 : -1}
    aria-selected=${selected ? 'true' : 'false'}
    aria-disabled=${slot.available ? 'false' : 'true'}
    @click=${() => {
      view.time = slot.time;
      booking.toggle(day, slot);
    }}
  >
    <span aria-hidden="true" class="icon icon-${icon}"></span>
    <strong class="clock">${formatClock(L, slot.time)}</strong>${renderViewer(c, v)}
    <span class="state">${freeText}</span>
  </div>`;
}

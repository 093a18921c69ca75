import { html, nothing, type TemplateResult } from 'lit';
import type { GridSlot, Weekday, WeeklyGrid } from '../../api/contract/wire.js';
import { formatClock, formatNumber, weekdayName, zoneLabel } from '../format.js';
import type { GridContext } from './context.js';
import type { GridKeyboardController } from './keyboard-controller.js';
import { viewerClock, type GridLayout } from './layout.js';

/** The time-zone legend: the teacher's zone, and the viewer's when its clock differs, by name and UTC offset. */
export function renderZones(c: GridContext): TemplateResult {
  const { t, zones, locale: L, at } = c;
  return html`<p part="timezone" class="tz">
    ${t.tzTeacher(zoneLabel(L, zones.teacher, at))}${c.showViewer ? html` · <i>${t.tzViewer(zoneLabel(L, zones.viewer, at))}</i>` : nothing}
  </p>`;
}

/** "+1 day" / "−1 day" after a viewer time whose date is not the teacher's; nothing on the same date. */
export function renderShift(c: GridContext, shift: number): TemplateResult | typeof nothing {
  return shift ? html` <span part="day-shift" class="shift">${c.t.dayShift(shift)}</span>` : nothing;
}

/** The viewer's own time for a teacher slot, in italics, with its day mark (screen readers hear "your time"). */
export function renderViewer(c: GridContext, v: { time: string; shift: number } | undefined) {
  return v
    ? html`<i class="viewer"><span class="sr-only">, ${c.t.yourTime} </span>${formatClock(c.locale, v.time)}${renderShift(c, v.shift)}</i>`
    : nothing;
}

/** The WAI-ARIA grid: weekday columns × time rows, one tab stop, keyboard handled by `keyboard`. */
export function renderGrid(
  c: GridContext,
  grid: WeeklyGrid,
  l: GridLayout,
  keyboard: GridKeyboardController,
): TemplateResult {
  const { t, locale: L } = c;
  return html`<div class="scroller">
    <div
      part="grid"
      class="grid"
      role="grid"
      aria-labelledby="grid-title"
      aria-describedby="legend"
      aria-multiselectable="true"
      style="--cols:${l.days.length}"
      @keydown=${keyboard.onKeydown}
      @click=${keyboard.onClick}
    >
      <div role="row" class="row">
        <div role="columnheader" part="column-header" class="corner">${t.time}</div>
        ${l.days.map(
          (d) => html`<div role="columnheader" part="column-header">
            <abbr title=${weekdayName(L, d)}>${weekdayName(L, d, 'short')}</abbr>
          </div>`,
        )}
      </div>
      ${l.times.map((time, r) => {
        const first = l.cells[r]!.findIndex(Boolean);
        const v = c.showViewer && first >= 0 ? viewerClock(grid, c.zones, l.days[first]!, time) : undefined;
        return html`<div role="row" class="row">
          <div role="rowheader" part="row-header" class="rowhead">
            ${formatClock(L, time)}${renderViewer(c, v)}
          </div>
          ${l.days.map((day, col) => renderCell(c, grid, keyboard, day, l.cells[r]![col], r, col))}
        </div>`;
      })}
    </div>
  </div>`;
}

/**
 * How one weekly time looks, the same in the grid's cells and the day view's options: its state, the words
 * for it, its icon, the viewer's clock when it differs, and its parts (slot-free, slot-partial,
 * slot-unavailable, slot-selected).
 */
export function slotLook(c: GridContext, grid: WeeklyGrid, day: Weekday, slot: GridSlot) {
  const { t, booking } = c;
  const selected = booking.isSelected(day, slot.time);
  const state = !slot.available ? 'unavailable' : slot.status === 'partial' ? 'partial' : 'free';
  const freeText =
    state === 'free'
      ? t.freeAll
      : state === 'partial'
        ? t.freeSome(slot.freeWeeks, slot.weeks)
        : `${t.taken}${slot.reason ? ` (${t.reason[slot.reason]})` : ''}`;
  // The symbol's class (○ free, ◐ partial, ● chosen, ✕ taken): drawn by the styles, not written as a
  // character, since no text font has all four and each glyph sent the first layout looking for a fallback.
  const icon = selected ? 'selected' : state;
  const viewer = c.showViewer ? viewerClock(grid, c.zones, day, slot.time) : undefined;
  const parts = `slot slot-${state}${selected ? ' slot-selected' : ''}`;
  return { selected, state, freeText, icon, viewer, parts };
}

/**
 * The cell's accessible name: weekday, time, the viewer's own time when it differs, the state, and what the
 * cell shows ("6/8"), so the name holds its visible text (WCAG 2.5.3). An attribute rather than visually
 * hidden text, so the first layout does not shape words no one sees in 56 cells.
 */
function cellLabel(
  c: GridContext,
  day: Weekday,
  time: string,
  look: ReturnType<typeof slotLook>,
  shown: string,
): string {
  const { t, locale: L } = c;
  const v = look.viewer;
  const yours = v
    ? ` (${t.yourTime}: ${weekdayName(L, v.weekday)} ${formatClock(L, v.time)}${v.shift ? ` ${t.dayShift(v.shift)}` : ''})`
    : '';
  return `${weekdayName(L, day)} ${formatClock(L, time)}${yours}, ${look.freeText}${shown ? `, ${shown}` : ''}`;
}

function renderCell(
  c: GridContext,
  grid: WeeklyGrid,
  keyboard: GridKeyboardController,
  day: Weekday,
  slot: GridSlot | undefined,
  r: number,
  col: number,
): TemplateResult {
  if (!slot) return html`<div role="gridcell" part="cell-empty" class="cell empty"></div>`;
  const { locale: L } = c;
  const look = slotLook(c, grid, day, slot);
  const { selected, state, freeText, icon, parts } = look;
  const frac = state === 'partial' ? `${formatNumber(L, slot.freeWeeks)}/${formatNumber(L, slot.weeks)}` : '';
  // Keys and clicks are handled once on the role="grid" container (roving tabindex, APG grid), not per cell.
  return html`<div
    role="gridcell"
    part=${parts}
    class="cell ${state}${selected ? ' selected' : ''}"
    data-r=${r}
    data-c=${col}
    data-weekday=${day}
    data-time=${slot.time}
    tabindex=${keyboard.tabIndex(r, col)}
    aria-selected=${selected ? 'true' : 'false'}
    aria-disabled=${slot.available ? 'false' : 'true'}
    title=${freeText}
    aria-label=${cellLabel(c, day, slot.time, look, frac)}
  >
    <span aria-hidden="true" class="icon icon-${icon}"></span>
    ${frac ? html`<span aria-hidden="true" class="frac">${frac}</span>` : nothing}
  </div>`;
}

/** What each symbol means; `weeks` is how many weeks the grid summarises. */
export function renderLegend(c: GridContext, weeks: number): TemplateResult {
  const { t } = c;
  return html`<p part="legend" class="legend" id="legend">
    <span><span aria-hidden="true" class="icon icon-free"></span> ${t.legendFree}</span>
    <span><span aria-hidden="true" class="icon icon-partial"></span> ${t.legendPartial(weeks)}</span>
    <span><span aria-hidden="true" class="icon icon-selected"></span> ${t.legendSelected}</span>
    <span><span aria-hidden="true" class="icon icon-unavailable"></span> ${t.legendUnavailable}</span>
    <span>${t.legendEmpty}</span>
  </p>`;
}

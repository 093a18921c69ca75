/**
 * The weekly availability editor: a WAI-ARIA grid of weekday columns × 30-minute rows in the teacher's zone
 * (the booking grid's geometry), the teacher's ranges as selected blocks with draggable edges, and the list
 * of ranges with a remove button each. On a phone (element ≤ 480 px) a strip of day chips (APG tabs, like
 * the booking day view) comes first and the grid shows that day's column only.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Weekday } from '../../api/contract/wire.js';
import { formatClock, weekdayName, weekdaysInLocaleOrder } from '../format.js';
import type { DayViewController } from '../grid/render-days.js';
import type { Strings } from './i18n.js';
import type { WeekEditor } from './week-editor.js';
import { STEP, timeOf, type Range } from './week.js';

export interface WeekContext {
  t: Strings;
  locale: string;
  rtl: boolean;
  editor: WeekEditor;
  /** The phone layout: the day strip, then one column. */
  narrow: boolean;
  view: DayViewController;
  busy: boolean;
}

const clock = (locale: string, minutes: number) => formatClock(locale, timeOf(minutes));

export const rangeText = (c: WeekContext, day: Weekday, r: Range): string =>
  c.t.range(weekdayName(c.locale, day), clock(c.locale, r.start), clock(c.locale, r.end));

/** The weekday columns shown: the locale's week, or the phone view's one day. */
export function columns(c: Pick<WeekContext, 'locale' | 'narrow' | 'view'>): Weekday[] {
  const days = weekdaysInLocaleOrder(c.locale);
  if (!c.narrow) return days;
  if (!c.view.day) c.view.day = days[0]!;
  return [c.view.day];
}

export function renderWeek(c: WeekContext): TemplateResult {
  const { t, locale: L, editor } = c;
  const days = columns(c);
  return html`${c.narrow ? renderStrip(c) : nothing}
    <div class="scroller" id=${c.narrow ? 'week-panel' : nothing} role=${c.narrow ? 'tabpanel' : nothing}
      aria-labelledby=${c.narrow ? `day-${c.view.day}` : nothing}>
      <div
        part="editor"
        class="grid"
        role="grid"
        aria-labelledby="week-title"
        aria-describedby="week-help"
        aria-multiselectable="true"
        style="--cols:${days.length}"
        @keydown=${editor.onKeydown}
        @pointerdown=${editor.onPointerDown}
        @pointermove=${editor.onPointerMove}
        @pointerup=${editor.onPointerUp}
        @pointercancel=${editor.onPointerCancel}
      >
        <div role="row" class="row">
          <div role="columnheader" part="column-header" class="corner">${t.time}</div>
          ${days.map(
            (d) => html`<div role="columnheader" part="column-header">
              <abbr title=${weekdayName(L, d)}>${weekdayName(L, d, 'short')}</abbr>
            </div>`,
          )}
        </div>
        ${editor.rows.map(
          (step, r) => html`<div role="row" class="row${step % 60 ? ' half' : ''}">
            <div role="rowheader" part="row-header" class="rowhead">${clock(L, step)}</div>
            ${days.map((day, col) => renderCell(c, day, step, r, col))}
          </div>`,
        )}
      </div>
    </div>`;
}

function renderCell(c: WeekContext, day: Weekday, step: number, r: number, col: number): TemplateResult {
  const { t, locale: L, editor } = c;
  const range = editor.covered(day, step);
  const first = !!range && range.start >= step;
  const last = !!range && range.end <= step + STEP;
  const parts = `step${range ? ' step-on' : ''}${first ? ' block-start' : ''}${last ? ' block-end' : ''}`;
  // Keys are handled once on the role="grid" container (roving tabindex, APG grid), pointers too.
  return html`<div
    role="gridcell"
    part=${parts}
    class="cell${range ? ' on' : ''}${first ? ' first' : ''}${last ? ' last' : ''}"
    data-r=${r}
    data-c=${col}
    data-weekday=${day}
    data-time=${timeOf(step)}
    tabindex=${editor.keyboard.tabIndex(r, col)}
    aria-selected=${range ? 'true' : 'false'}
  >
    ${first ? html`<span class="edge start" data-edge="start" part="edge-start" aria-hidden="true"></span>` : nothing}
    ${first ? html`<span class="label" aria-hidden="true">${clock(L, range.start)}–${clock(L, range.end)}</span>` : nothing}
    ${last ? html`<span class="edge end" data-edge="end" part="edge-end" aria-hidden="true"></span>` : nothing}
    <span class="sr-only">${weekdayName(L, day)} ${clock(L, step)}, ${range ? t.available : t.notAvailable}</span>
  </div>`;
}

/** The phone view's strip of days: each with its hours, the chosen one's column below. */
function renderStrip(c: WeekContext): TemplateResult {
  const { t, locale: L, editor, view } = c;
  const days = weekdaysInLocaleOrder(L);
  return html`<div part="days" class="days" role="tablist" aria-label=${t.daysLabel}
    @keydown=${(e: KeyboardEvent) => view.onTabKey(e, days, c.rtl)}>
    ${days.map((d) => {
      const current = d === view.day;
      const minutes = editor.week[d].reduce((sum, r) => sum + r.end - r.start, 0);
      return html`<button
        type="button"
        role="tab"
        id="day-${d}"
        part=${current ? 'day-chip day-chip-selected' : 'day-chip'}
        class="chip${current ? ' current' : ''}"
        aria-selected=${current ? 'true' : 'false'}
        aria-controls="week-panel"
        tabindex=${current ? 0 : -1}
        @click=${() => view.choose(d)}
      >
        <span class="wd">${weekdayName(L, d, 'short')}</span>
        <span class="cnt">${minutes ? html`<span aria-hidden="true">● </span>` : nothing}${t.weeklyTotal(minutes / 60)}</span>
      </button>`;
    })}
  </div>`;
}

/** The ranges as a list (each with its remove button), the week's total, and the save row. */
export function renderRanges(c: WeekContext): TemplateResult {
  const { t, locale: L, editor } = c;
  const days = c.narrow ? columns(c) : weekdaysInLocaleOrder(L);
  const ranges = days.flatMap((day) => editor.week[day].map((r) => ({ day, r })));
  const total = weekdaysInLocaleOrder(L).reduce(
    (sum, d) => sum + editor.week[d].reduce((s, r) => s + r.end - r.start, 0),
    0,
  );
  return html`<div class="hours">
    <h3 id="hours-title">${c.narrow ? t.dayHours(weekdayName(L, c.view.day as Weekday)) : t.hoursTitle}</h3>
    ${
      ranges.length
        ? html`<ul part="ranges" class="ranges" aria-labelledby="hours-title">
          ${ranges.map(
            ({ day, r }) => html`<li part="range" data-weekday=${day} data-start=${timeOf(r.start)}>
              <span>${rangeText(c, day, r)}</span>
              <button type="button" part="remove-button" aria-label=${t.removeRange(rangeText(c, day, r))}
                ?disabled=${c.busy} @click=${() => editor.remove(day, r)}>${t.remove}</button>
            </li>`,
          )}
        </ul>`
        : html`<p class="muted">${t.noHours}</p>`
    }
    <p part="total" class="muted">${t.weeklyTotal(total / 60)}</p>
  </div>`;
}

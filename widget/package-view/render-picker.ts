import { html, nothing, type TemplateResult } from 'lit';
import type { SlotRef } from '../../api/contract/wire.js';
import { formatClock, formatDate } from '../format.js';
import { when, type PackageContext, type SlotsView } from './context.js';
import { renderConfirm } from './render-confirm.js';

/**
 * The teacher's free times by day; choosing one asks first ("Move session 3 to Tue 8 Dec 16:00?"), in
 * place of the times, then books it for `sessionId` (or as a floating session).
 */
export function renderPicker(
  c: PackageContext,
  title: string,
  sessionId: string | undefined,
  v: SlotsView,
  sessionName = '',
): TemplateResult {
  const { t, locale: L, actions } = c;
  const asked = c.confirming;
  const confirming =
    asked &&
    asked.from.startsWith('slot-') &&
    ((asked.kind === 'move' && asked.sessionId === sessionId) || (asked.kind === 'book' && !sessionId))
      ? asked
      : null;
  const byDate = new Map<string, SlotRef[]>();
  for (const slot of v.slots) byDate.set(slot.date, [...(byDate.get(slot.date) ?? []), slot]);
  let content: TemplateResult;
  if (confirming) {
    const at = when(L, confirming.slot.date, confirming.slot.time);
    content =
      confirming.kind === 'move'
        ? renderConfirm(c, t.confirmMove(sessionName, at), t.move, t.keep)
        : renderConfirm(c, t.confirmBook(at), t.book, t.keep);
  } else if (v.failed) {
    content = html`<p class="error" role="alert">${t.loadError}
      <button type="button" @click=${() => actions.retrySlots()}>${t.retry}</button></p>`;
  } else if (v.loading && v.slots.length === 0) {
    content = html`<p class="muted">${t.loadingSlots}</p>`;
  } else if (v.slots.length === 0) {
    content = html`<p class="muted">${t.noSlots}</p>`;
  } else {
    content = html`<div class="days">
      ${[...byDate].map(
        ([date, slots]) => html`<div role="group" aria-labelledby="day-${date}">
          <h4 id="day-${date}">${formatDate(L, date)}</h4>
          <div class="times">
            ${slots.map(
              (slot) => html`<button part="slot" type="button" data-start=${slot.startUtc}
                data-focus-key=${`slot-${slot.startUtc}`} ?disabled=${c.busy}
                aria-label=${when(L, slot.date, slot.time)}
                @click=${() => actions.choose(slot, sessionId, `slot-${slot.startUtc}`)}>
                ${formatClock(L, slot.time)}
              </button>`,
            )}
          </div>
        </div>`,
      )}
    </div>`;
  }
  return html`<div part="picker" class="picker" role="region" aria-label=${title}>
    <h3>${title}</h3>
    ${content}
    ${
      confirming
        ? nothing
        : html`<div class="actions">
      ${
        v.hasMore
          ? html`<button part="more-slots" type="button" ?disabled=${v.loading} @click=${() => actions.moreSlots()}>${t.later}</button>`
          : nothing
      }
      <button type="button" @click=${() => actions.closePicker()}>${t.close}</button>
    </div>`
    }
  </div>`;
}

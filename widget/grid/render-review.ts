import { html, nothing, type TemplateResult } from 'lit';
import type { Conflict, MultiSlotAvailability } from '../../api/contract/wire.js';
import type { Tier } from '../api-client.js';
import { formatMoney } from '../format.js';
import { slotLabel, tierName, type GridContext } from './context.js';
import { renderSessions } from './render-sessions.js';

/** The busy weeks of a checked selection, each with the choice the parent made for it. */
export const busyWeeks = (av: MultiSlotAvailability): Conflict[] => av.patterns.flatMap((p) => p.conflicts);

export interface ReviewView {
  tier: Tier;
  result: MultiSlotAvailability;
  /** Who the pack is for, by name ('' when the token names nobody we know). */
  child: string;
}

/**
 * The review before paying: who, which pack, the price, every dated session, and each busy week with its
 * choice (skipped, moved, floating), which the parent confirms one by one: nothing is decided silently.
 */
export function renderReview(c: GridContext, view: ReviewView): TemplateResult {
  const { t, locale: L, booking } = c;
  const { tier, result } = view;
  const weeks = busyWeeks(result);
  const open = weeks.filter((w) => !booking.isConfirmed(w)).length;
  const p = booking.purchase;
  const busy = p.status === 'pending';
  const price = formatMoney(L, tier.priceMinor, tier.currency);
  return html`<section part="review" class="review" aria-labelledby="review-title">
    <h2 id="review-title" tabindex="-1">${t.reviewTitle}</h2>
    ${view.child ? html`<p part="review-child">${t.reviewFor(view.child)}</p>` : nothing}
    <p part="review-price">${tierName(L, tier)} · <strong>${price}</strong></p>
    ${renderSessions(c, result)}
    ${weeks.length ? renderWeeks(c, weeks) : nothing}
    ${p.status === 'failed' ? html`<p part="purchase-error" class="problem" role="alert"><span aria-hidden="true">⚠ </span>${p.message}</p>` : nothing}
    ${open ? html`<p class="hint" id="review-open">${t.weeksToConfirm}</p>` : nothing}
    <div class="actions">
      <button type="button" part="back-button" ?disabled=${busy} @click=${() => booking.back()}>${t.back}</button>
      <button
        part="purchase-button"
        class="buy"
        type="button"
        ?disabled=${busy || open > 0}
        aria-busy=${busy ? 'true' : 'false'}
        aria-describedby=${open ? 'review-open' : nothing}
        @click=${() => booking.buy()}
      >
        ${busy ? t.buying : p.status === 'failed' && p.retryable ? t.tryAgain : t.pay(price)}
      </button>
    </div>
  </section>`;
}

function renderWeeks(c: GridContext, weeks: Conflict[]): TemplateResult {
  const { t, locale: L, booking } = c;
  return html`<fieldset part="review-weeks" class="children">
    <legend>${t.conflictsTitle}</legend>
    ${weeks.map((w) => {
      const r = booking.resolutionOf(w);
      const choice =
        r?.action === 'alternative'
          ? `${t.altBadge}: ${slotLabel(L, r.alternative)}`
          : r?.action === 'float'
            ? t.choiceFloat
            : t.choiceExtend;
      return html`<div part="review-week" class="review-week">
        <p><strong>${slotLabel(L, w)}</strong> — ${t.reason[w.reason]}. ${choice}</p>
        <label part="week-confirm">
          <input
            type="checkbox"
            .checked=${booking.isConfirmed(w)}
            @change=${(e: Event) => booking.confirmWeek(w, (e.target as HTMLInputElement).checked)}
          />
          ${t.confirmWeek}<span class="sr-only">: ${slotLabel(L, w)}</span>
        </label>
      </div>`;
    })}
  </fieldset>`;
}

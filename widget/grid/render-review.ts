import { html, nothing, type TemplateResult } from 'lit';
import type { Conflict, MultiSlotAvailability } from '../../api/contract/wire.js';
import type { Tier } from '../api-client.js';
import { formatMoney, formatNumber } from '../format.js';
import { slotLabel, type GridContext } from './context.js';

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
    <dl class="facts">
      ${view.child ? html`<div><dt>${t.reviewFor}</dt><dd part="review-child">${view.child}</dd></div>` : nothing}
      <div><dt>${t.reviewPack}</dt><dd>${tier.name} · ${t.packSplit(formatNumber(L, tier.sessionCount), formatNumber(L, tier.recurringCount), formatNumber(L, tier.floatingCount))}</dd></div>
      <div><dt>${t.reviewPrice}</dt><dd part="review-price"><strong>${price}</strong></dd></div>
    </dl>
    <h3 id="review-sessions">${t.sessionsTitle(formatNumber(L, result.scheduledSessions.length))}</h3>
    <ol part="review-sessions" class="review-sessions" aria-labelledby="review-sessions">
      ${result.scheduledSessions.map(
        (s) => html`<li part="session" class="session">
          <span class="num">${t.session(formatNumber(L, s.sessionNumber))}</span> <span>${slotLabel(L, s)}</span>
          ${s.patternIndex === null ? html`<span class="badge">↔ ${t.altBadge}</span>` : nothing}
        </li>`,
      )}
    </ol>
    ${weeks.length ? renderWeeks(c, weeks) : nothing}
    ${p.status === 'failed' ? html`<p part="purchase-error" class="problem" role="alert"><span aria-hidden="true">⚠ </span>${p.message}</p>` : nothing}
    ${open ? html`<p class="hint" id="review-open">${t.weeksToConfirm(open)}</p>` : nothing}
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
        ${busy ? t.paying : p.status === 'failed' && p.retryable ? t.tryAgain : t.pay(price)}
      </button>
    </div>
  </section>`;
}

function renderWeeks(c: GridContext, weeks: Conflict[]): TemplateResult {
  const { t, locale: L, booking } = c;
  return html`<fieldset part="review-weeks" class="review-weeks">
    <legend>${t.reviewWeeksTitle}</legend>
    ${weeks.map((w) => {
      const r = booking.resolutionOf(w);
      const choice =
        r?.action === 'alternative'
          ? t.choiceAlternative(slotLabel(L, r.alternative))
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

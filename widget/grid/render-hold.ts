import { html, nothing, type TemplateResult } from 'lit';
import { formatCountdown } from '../format.js';
import type { GridContext } from './context.js';

/**
 * The hold while the school collects the payment: the time left (a visible countdown that screen readers
 * hear only at minute boundaries, through a polite live region) and "Cancel reservation"; the pack and its
 * price stay shown above it.
 */
export function renderHold(c: GridContext, deadline: number, now = Date.now()): TemplateResult {
  const { t, locale: L, booking } = c;
  const p = booking.purchase;
  const cancelling = p.status === 'held' && !!p.cancelling;
  const error = p.status === 'held' ? p.error : '';
  const left = Math.max(0, deadline - now);
  return html`<section part="hold" class="hold" aria-labelledby="hold-title">
    <h2 id="hold-title" tabindex="-1"><span aria-hidden="true">⏳ </span>${t.holdTitle}</h2>
    <p part="countdown" class="countdown" role="timer">
      ${t.timeLeft} <strong dir="ltr">${formatCountdown(L, left)}</strong>
    </p>
    <p class="sr-only" aria-live="polite" aria-atomic="true">${booking.hold.announcement}</p>
    ${error ? html`<p part="purchase-error" class="problem" role="alert"><span aria-hidden="true">⚠ </span>${error}</p>` : nothing}
    <div class="actions">
      <button
        type="button"
        part="cancel-hold"
        ?disabled=${cancelling}
        @click=${() => booking.cancelHold()}
      >
        ${t.cancelHold}
      </button>
    </div>
  </section>`;
}

/** The hold lapsed or was cancelled: say so plainly, and offer to choose times again. */
export function renderEnded(c: GridContext, reason: 'hold_expired' | 'cancelled'): TemplateResult {
  const { t, booking } = c;
  return html`<section part="hold-ended" class="hold ended" aria-labelledby="ended-title">
    <h2 id="ended-title" tabindex="-1">${reason === 'cancelled' ? t.holdCancelled : t.holdExpired}</h2>
    <div class="actions">
      <button type="button" part="choose-again" class="buy" @click=${() => booking.startOver(true)}>
        ${t.chooseAgain}
      </button>
    </div>
  </section>`;
}

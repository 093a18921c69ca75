import { html, nothing, type TemplateResult } from 'lit';
import type { MultiSlotAvailability, RecurringPattern } from '../../api/contract/wire.js';
import type { Tier } from '../api-client.js';
import { formatClock, weekdayName, weekdaysInLocaleOrder } from '../format.js';
import type { GridContext } from './context.js';

export interface CheckView {
  pending: boolean;
  /** The latest answer of the availability check, if it has one. */
  result: MultiSlotAvailability | undefined;
  /** Why the check failed ('' = it did not); `retry` runs it again. */
  error: string;
  retry: () => void;
}

/** "Monday 16:00 + Thursday 16:00 (2×/week) · 8 sessions ÷ 2/week = 4 weeks", and the check's state. */
export function renderSummary(
  c: GridContext,
  tier: Tier,
  patterns: RecurringPattern[],
  check: CheckView,
): TemplateResult {
  const { t, locale: L } = c;
  const order = weekdaysInLocaleOrder(L);
  const sorted = patterns
    .slice()
    .sort((a, b) => order.indexOf(a.weekday) - order.indexOf(b.weekday) || a.time.localeCompare(b.time));
  const n = sorted.length;
  const weeks = Math.ceil(tier.recurringCount / n);
  const extra = check.result ? check.result.totalWeeksNeeded - weeks : 0;
  const slotTaken = c.booking.slotTaken;
  return html`<div part="summary" class="summary">
    <p>
      <strong>${sorted.map((p) => `${weekdayName(L, p.weekday)} ${formatClock(L, p.time)}`).join(' + ')}</strong>
      (${t.perWeek(n)}) · ${t.division(tier.recurringCount, n, weeks)}
      ${extra > 0 ? html`<span class="extra">(${t.extraWeeks(extra)})</span>` : nothing}
    </p>
    ${check.pending ? html`<p class="checking"><span class="spinner" aria-hidden="true"></span>${t.checking}</p>` : nothing}
    ${
      check.error
        ? html`<p class="problem" part="error"><span aria-hidden="true">⚠ </span>${check.error}
          <button type="button" part="retry-button" @click=${check.retry}>${t.retry}</button></p>`
        : nothing
    }
    ${slotTaken ? html`<p class="problem" part="notice" role="alert"><span aria-hidden="true">⚠ </span>${slotTaken}</p>` : nothing}
  </div>`;
}

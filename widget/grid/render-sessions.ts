import { html, nothing, type TemplateResult } from 'lit';
import type { MultiSlotAvailability } from '../../api/contract/wire.js';
import type { Tier } from '../api-client.js';
import { dayDiff, formatClock, formatDate, instantIn } from '../format.js';
import { slotLabel, type GridContext } from './context.js';
import { renderShift } from './render-grid.js';

/** The numbered, dated sessions the check scheduled, with the viewer's time when it differs. */
export function renderSessions(c: GridContext, av: MultiSlotAvailability): TemplateResult | typeof nothing {
  if (!av.scheduledSessions.length) return nothing;
  const { t, locale: L } = c;
  return html`<section part="sessions" class="sessions" aria-labelledby="sessions-title">
    <h3 id="sessions-title">${t.sessionsTitle(av.scheduledSessions.length)}</h3>
    <ol>
      ${av.scheduledSessions.map((s) => {
        const v = c.showViewer ? instantIn(Date.parse(s.startUtc), c.zones.viewer) : undefined;
        return html`<li part="session" class="session">
          <span class="num">${t.session(s.sessionNumber)}</span>
          <span>${formatDate(L, s.date)} · ${formatClock(L, s.time)}</span>
          ${v ? html`<i class="viewer">${t.yourTime}: ${slotLabel(L, v)}${renderShift(c, dayDiff(s.date, v.date))}</i>` : nothing}
          ${s.patternIndex === null ? html`<span class="badge">↔ ${t.altBadge}</span>` : nothing}
        </li>`;
      })}
    </ol>
  </section>`;
}

/** The floating sessions (the tier's plus the weeks made floating) and until when they can be booked. */
export function renderFloating(c: GridContext, tier: Tier, av: MultiSlotAvailability): TemplateResult | typeof nothing {
  const count = tier.floatingCount + (av.floated ?? 0);
  if (!count) return nothing;
  const { t, locale: L } = c;
  const end = av.packageEndDate ? instantIn(Date.parse(av.packageEndDate), c.zones.teacher).date : undefined;
  return html`<section part="floating" class="floating">
    <h3>${t.floatingTitle(count)}</h3>
    <p>${end ? t.floatingBy(formatDate(L, end, true)) : t.floatingAfter(tier.gracePeriodDays)}</p>
  </section>`;
}

import { html, nothing, type TemplateResult } from 'lit';
import type { Conflict, MultiSlotAvailability, RecurringPattern, Resolution } from '../../api/contract/wire.js';
import { formatClock, weekdayName } from '../format.js';
import { patternKey } from './booking-controller.js';
import { slotLabel, type GridContext } from './context.js';

/** The weeks that need a choice, per weekly time, with the replacements offered for that time. */
export function renderConflicts(
  c: GridContext,
  av: MultiSlotAvailability,
  patterns: RecurringPattern[],
): TemplateResult | typeof nothing {
  const { t, locale: L, booking } = c;
  const withConflicts = av.patterns
    .map((p) => ({ p, index: patterns.findIndex((x) => x.weekday === p.weekday && x.time === p.time) }))
    .filter(({ p }) => p.conflicts.length);
  if (!withConflicts.length) return nothing;
  return html`<section part="conflicts" class="conflicts" aria-labelledby="conflicts-title">
    <h3 id="conflicts-title"><span aria-hidden="true">⚠ </span>${t.conflictsTitle}</h3>
    ${withConflicts.map(({ p, index }) => {
      const replacements = [
        ...new Map(
          p.conflicts
            .flatMap((x) => x.alternatives)
            .filter((a) => !booking.isSelected(a.weekday, a.time))
            .map((a) => [patternKey(a), a]),
        ).values(),
      ];
      return html`<div class="pattern-conflicts">
        <h4>${weekdayName(L, p.weekday)} ${formatClock(L, p.time)}</h4>
        <ul>
          ${p.conflicts.map((x) => renderConflict(c, x))}
        </ul>
        ${
          replacements.length && index >= 0
            ? html`<p class="choices">
              ${t.replaceSlot}
              ${replacements.map(
                (
                  a,
                ) => html`<button type="button" part="alternative" class="alt" @click=${() => booking.replacePattern(index, a)}>
                  ${weekdayName(L, a.weekday)} ${formatClock(L, a.time)}
                </button>`,
              )}
            </p>`
            : nothing
        }
      </div>`;
    })}
  </section>`;
}

/** One conflicting week: its reason and the choices (another slot this week, skip, make it floating). */
function renderConflict(c: GridContext, conflict: Conflict): TemplateResult {
  const { t, locale: L, booking } = c;
  const chosen = booking.resolutionOf(conflict);
  const action = chosen?.action ?? 'extend';
  const label = slotLabel(L, conflict);
  const btn = (text: string, pressed: boolean, res: Resolution) =>
    html`<button
      type="button"
      part=${pressed ? 'alternative alternative-selected' : 'alternative'}
      class="alt"
      aria-pressed=${pressed ? 'true' : 'false'}
      @click=${() => booking.resolve(conflict, res)}
    >
      ${pressed ? html`<span aria-hidden="true">✓ </span>` : nothing}${text}
    </button>`;
  const { date, time } = conflict;
  return html`<li part="conflict" class="conflict">
    <p><span aria-hidden="true">✕ </span><strong>${label}</strong> — ${t.reason[conflict.reason]}</p>
    <div class="choices" role="group" aria-label=${label}>
      ${conflict.alternatives.length ? html`<span>${t.insteadThisWeek}</span>` : nothing}
      ${conflict.alternatives.map((a) =>
        btn(
          slotLabel(L, a),
          chosen?.action === 'alternative' && chosen.alternative.date === a.date && chosen.alternative.time === a.time,
          { date, time, action: 'alternative', alternative: { date: a.date, time: a.time } },
        ),
      )}
      ${btn(t.skipWeek, action === 'extend', { date, time, action: 'extend' })}
      ${btn(t.makeFloating, action === 'float', { date, time, action: 'float' })}
    </div>
  </li>`;
}

import { html, nothing, type TemplateResult } from 'lit';
import type { PackageSessionView } from '../../api/contract/wire.js';
import { when, type PackageContext, type SlotsView } from './context.js';
import { renderPicker } from './render-picker.js';

/**
 * One session: its time and badges; for a session the teacher's time off hit, the same-week
 * alternatives; the reschedule / float actions it still allows; and its picker when open.
 */
export function renderSession(c: PackageContext, s: PackageSessionView, slots: SlotsView): TemplateResult {
  const { t, locale: L, actions } = c;
  const flagged = s.status === 'scheduled' && s.flaggedReason !== null;
  const name = t.session(s.sessionNumber);
  const open = c.picker?.kind === 'reschedule' && c.picker.sessionId === s.id;
  return html`<li part="session" class="session ${flagged ? 'flagged' : ''} ${s.status}" data-session-id=${s.id}>
    <p>
      <span class="when">${name} · ${when(L, s.date, s.time)}</span>
      ${s.kind === 'floating' ? html`<span class="badge">${t.floating}</span>` : nothing}
      ${s.status === 'completed' ? html`<span class="badge">${t.completed}</span>` : nothing}
      ${s.status === 'cancelled' ? html`<span class="badge">${t.cancelled}</span>` : nothing}
    </p>
    ${
      flagged
        ? html`<p class="flag">${t.flagged}</p>
          ${
            s.alternatives.length && s.canReschedule
              ? html`<div class="actions">
                ${s.alternatives.map(
                  (
                    a,
                  ) => html`<button part="alternative" type="button" ?disabled=${c.busy} @click=${() => actions.choose(a, s.id)}>
                    ${t.moveTo(when(L, a.date, a.time))}
                  </button>`,
                )}
              </div>`
              : nothing
          }`
        : nothing
    }
    ${
      s.status === 'scheduled'
        ? html`<div class="actions">
          ${
            s.canReschedule
              ? html`<button part="reschedule-button" type="button" ?disabled=${c.busy} aria-expanded=${open ? 'true' : 'false'}
                aria-label=${`${t.reschedule(s.reschedulesLeft)}: ${name}`}
                @click=${() => actions.togglePicker({ kind: 'reschedule', sessionId: s.id })}>
                ${t.reschedule(s.reschedulesLeft)}
              </button>`
              : s.canFloat && s.reschedulesLeft === 0
                ? html`<span class="muted">${t.noReschedulesLeft}</span>`
                : nothing
          }
          ${
            s.canFloat
              ? html`<button part="float-button" type="button" ?disabled=${c.busy} aria-label=${`${t.float}: ${name}`}
                @click=${() => actions.float(s)}>${t.float}</button>`
              : nothing
          }
        </div>`
        : nothing
    }
    ${open ? renderPicker(c, t.pickerReschedule(name), s.id, slots) : nothing}
  </li>`;
}

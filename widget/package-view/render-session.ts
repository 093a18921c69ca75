import { html, nothing, type TemplateResult } from 'lit';
import type { PackageSessionView } from '../../api/contract/wire.js';
import { when, type PackageContext, type SlotsView } from './context.js';
import { renderConfirm } from './render-confirm.js';
import { renderPicker } from './render-picker.js';

/**
 * One session: its time and badges; for a session the teacher's time off hit, the same-week
 * alternatives; the reschedule / float actions it still allows (a floating session is one already,
 * so it offers no float); each asks first, in place; and its picker when open.
 */
export function renderSession(c: PackageContext, s: PackageSessionView, slots: SlotsView): TemplateResult {
  const { t, locale: L, actions } = c;
  const flagged = s.status === 'scheduled' && s.flaggedReason !== null;
  const name = t.session(s.sessionNumber);
  const open = c.picker?.kind === 'reschedule' && c.picker.sessionId === s.id;
  const asked = c.confirming;
  const movingHere = asked?.kind === 'move' && asked.sessionId === s.id && asked.from.startsWith('alt-') ? asked : null;
  const floatingHere = asked?.kind === 'float' && asked.sessionId === s.id;
  const canFloat = s.canFloat && s.kind !== 'floating';
  const cancelledBadge =
    s.cancelReason === 'floated'
      ? t.cancelled
      : s.cancelReason === 'teacher_no_show' || s.cancelReason === 'student_no_show'
        ? t.noShowCredited[s.cancelReason]
        : t.packCancelledBadge;
  return html`<li part="session" class="session ${flagged ? 'flagged' : ''} ${s.status} ${s.kind}" data-session-id=${s.id}>
    <p>
      <span class="when">${name} · ${when(L, s.date, s.time)}</span>
      ${s.kind === 'floating' ? html`<span class="badge">${t.floating}</span>` : nothing}
      ${s.status === 'completed' ? html`<span class="badge">${t.completed}</span>` : nothing}
      ${s.status === 'cancelled' ? html`<span class="badge">${cancelledBadge}</span>` : nothing}
    </p>
    ${
      flagged
        ? html`<p class="flag">${t.flagged}</p>
          ${
            movingHere
              ? renderConfirm(
                  c,
                  t.confirmMove(name, when(L, movingHere.slot.date, movingHere.slot.time)),
                  t.move,
                  t.keep,
                )
              : s.alternatives.length && s.canReschedule
                ? html`<div class="actions">
                ${s.alternatives.map((a) => {
                  const key = `alt-${s.id}-${a.startUtc}`;
                  return html`<button part="alternative" type="button" data-focus-key=${key} ?disabled=${c.busy}
                    @click=${() => actions.choose(a, s.id, key)}>
                    ${t.moveTo(when(L, a.date, a.time))}
                  </button>`;
                })}
              </div>`
                : nothing
          }`
        : nothing
    }
    ${
      s.status !== 'scheduled'
        ? nothing
        : floatingHere
          ? renderConfirm(c, t.confirmFloat(name, c.end), t.floatYes, t.keepTime)
          : html`<div class="actions">
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
            canFloat
              ? html`<button part="float-button" type="button" data-focus-key=${`float-${s.id}`} ?disabled=${c.busy}
                aria-label=${`${t.float}: ${name}`} @click=${() => actions.float(s)}>${t.float}</button>`
              : nothing
          }
        </div>`
    }
    ${open ? renderPicker(c, t.pickerReschedule(name), s.id, slots, name) : nothing}
  </li>`;
}

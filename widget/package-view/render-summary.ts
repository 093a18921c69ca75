import { html, nothing, type TemplateResult } from 'lit';
import type { PackageView } from '../../api/contract/wire.js';
import { formatDate } from '../format.js';
import type { PackageContext } from './context.js';

/** State, progress, floating credits and their deadline, the change policy, and the pack's actions. */
export function renderSummary(
  c: PackageContext,
  pkg: PackageView,
  lastDate: string | null,
  calendarUrl: string,
): TemplateResult {
  const { t, actions } = c;
  const taught = pkg.sessions.filter((s) => s.status === 'completed').length;
  const end = lastDate ? formatDate(c.locale, lastDate, true) : '';
  const canBook = pkg.state === 'active' && pkg.floatingSessionsLeft > 0;
  const booking = c.picker?.kind === 'book';
  return html`<section part="summary" class="summary" aria-labelledby="pack-title">
    <h2 id="pack-title">${t.title(pkg.sessionCount)}</h2>
    <p part="state" class="state">${t.state[pkg.state]}</p>
    <p>${t.progress(taught, pkg.sessionCount)}</p>
    ${
      pkg.floatingSessionsExpired > 0
        ? html`<p class="floating-expired">${t.floatingExpired(pkg.floatingSessionsExpired, end)}</p>`
        : pkg.floatingSessionsLeft > 0
          ? html`<p class="floating-left">${t.floatingLeft(pkg.floatingSessionsLeft, end)}</p>`
          : nothing
    }
    <p class="muted">${t.notice(pkg.changeNoticeHours)} ${t.tz(pkg.timezone)}</p>
    <div class="actions">
      ${
        canBook
          ? html`<button part="book-floating" class="primary" type="button" ?disabled=${c.busy}
            aria-expanded=${booking ? 'true' : 'false'}
            @click=${() => actions.togglePicker({ kind: 'book' })}>
            ${t.bookFloating(pkg.floatingSessionsLeft)}
          </button>`
          : nothing
      }
      <a part="calendar-link" href=${calendarUrl}>${t.addToCalendar}</a>
    </div>
  </section>`;
}

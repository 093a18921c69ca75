import { html, nothing, type TemplateResult } from 'lit';
import type { PackageView } from '../../api/contract/wire.js';
import { browserTimeZone, formatClock, formatMoney, formatZone, instantIn, language } from '../format.js';
import type { PackageContext } from './context.js';
import { renderConfirm } from './render-confirm.js';

/** The feed in the page's language: the API writes the titles in Arabic for `lang=ar`. */
export function withLang(url: string, locale: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}lang=${language(locale)}`;
}

/** What was paid and where the escrow stands, in words; before payment, the price and the deadline. */
function money(c: PackageContext, pkg: PackageView): string | null {
  const { t, locale: L } = c;
  const m = (minor: number) => formatMoney(L, minor, pkg.currency);
  if (pkg.state === 'hold_expired') return t.holdExpired;
  if (pkg.state === 'pending_payment') return t.price(m(pkg.priceMinor));
  const e = pkg.escrow;
  const held = e.remainingMinor - e.refundDueMinor;
  return t.paid({
    price: m(e.heldMinor || pkg.priceMinor),
    released: e.releasedMinor > 0 ? m(e.releasedMinor) : null,
    refunded: e.refundedMinor > 0 ? m(e.refundedMinor) : null,
    refundDue: e.refundDueMinor > 0 ? m(e.refundDueMinor) : null,
    held: held > 0 ? m(held) : null,
  });
}

/**
 * Teacher and subject, state (or the payment deadline), what was paid and where it is, progress,
 * floating credits and their deadline, the change policy, and the pack's actions (cancelling asks first).
 */
export function renderSummary(c: PackageContext, pkg: PackageView, calendarUrl: string): TemplateResult {
  const { t, locale: L, actions } = c;
  const ar = language(L) === 'ar';
  const taught = pkg.sessions.filter((s) => s.status === 'completed').length;
  const canBook = pkg.state === 'active' && pkg.floatingSessionsLeft > 0;
  const booking = c.picker?.kind === 'book';
  const pending = pkg.state === 'pending_payment';
  const canCancel = pkg.state === 'active' || pending;
  const stateLine =
    pending && pkg.holdExpiresAt
      ? t.pendingUntil(formatClock(L, instantIn(Date.parse(pkg.holdExpiresAt), browserTimeZone()).time))
      : t.state[pkg.state];
  const subject = (ar && pkg.subjectNameAr) || pkg.subjectName;
  const teacher = (ar && pkg.teacherNameAr) || pkg.teacherName;
  const words = money(c, pkg);
  return html`<section part="summary" class="summary" aria-labelledby="pack-title">
    <h2 id="pack-title">${t.title(pkg.sessionCount)}</h2>
    <p part="teacher" class="teacher">${t.withTeacher(subject, teacher)}</p>
    <p part="state" class="state">${stateLine}</p>
    ${words ? html`<p part="paid">${words}</p>` : nothing}
    <p>${t.progress(taught, pkg.sessionCount)}</p>
    ${
      pkg.floatingSessionsExpired > 0
        ? html`<p class="floating-expired">${t.floatingExpired(pkg.floatingSessionsExpired, c.end)}</p>`
        : pkg.floatingSessionsLeft > 0 && pkg.state === 'active'
          ? html`<p class="floating-left">${t.floatingLeft(pkg.floatingSessionsLeft, c.end)}</p>`
          : nothing
    }
    <p class="muted">${t.notice(pkg.changeNoticeHours)} ${t.tz(formatZone(L, pkg.timezone))}</p>
    ${
      c.confirming?.kind === 'cancel'
        ? renderConfirm(
            c,
            pending ? t.confirmCancelPending : t.confirmCancel(pkg.changeNoticeHours),
            pending ? t.cancelPurchase : t.cancelYes,
            t.keepPack,
          )
        : html`<div class="actions">
      ${
        canBook
          ? html`<button part="book-floating" class="primary" type="button" ?disabled=${c.busy}
            aria-expanded=${booking ? 'true' : 'false'}
            @click=${() => actions.togglePicker({ kind: 'book' })}>
            ${t.bookFloating(pkg.floatingSessionsLeft)}
          </button>`
          : nothing
      }
      <a part="calendar-link" href=${withLang(calendarUrl, L)}>${t.addToCalendar}</a>
      ${
        canCancel
          ? html`<button part="cancel-button" class="danger" type="button" data-focus-key="cancel" ?disabled=${c.busy}
            @click=${() => actions.cancel()}>${pending ? t.cancelPurchase : t.cancelPack}</button>`
          : nothing
      }
    </div>`
    }
  </section>`;
}

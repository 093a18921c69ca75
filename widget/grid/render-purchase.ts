import { html, nothing, type TemplateResult } from 'lit';
import type { PackageView, Tier } from '../api-client.js';
import { formatDate, instantIn } from '../format.js';
import { localName, slotLabel, type GridContext } from './context.js';

/** The children a parent token names, and the one chosen, for the chooser above the buy button. */
export interface ChildChoice {
  children: ReadonlyArray<{ id: string; name: string; nameAr: string | null }>;
  chosen: string;
  choose(id: string): void;
}

/** A radio group (native inputs: keyboard and screen readers for free), shown for two or more children. */
function renderChooser(c: GridContext, choice: ChildChoice): TemplateResult {
  return html`<fieldset part="child-chooser" class="children">
    <legend>${c.t.childLegend}</legend>
    ${choice.children.map(
      (child) => html`<label part="child">
        <input
          type="radio"
          name="child"
          .value=${child.id}
          .checked=${child.id === choice.chosen}
          @change=${() => choice.choose(child.id)}
        />
        ${localName(c.locale, child)}
      </label>`,
    )}
  </fieldset>`;
}

/**
 * "Continue" to the review, with the child chooser. `ready`: the current selection was checked and is
 * available; without a student (none given, or not yet chosen among the token's children) the button
 * stays off and says why.
 */
export function renderPurchase(
  c: GridContext,
  _tier: Tier,
  ready: boolean,
  studentId: string,
  choice?: ChildChoice,
): TemplateResult {
  const { t, booking } = c;
  const disabled = !ready || !studentId;
  const choosing = !!choice && choice.children.length > 1;
  return html`<div class="purchase">
    ${choosing ? renderChooser(c, choice) : nothing}
    <button part="continue-button" class="buy" type="button" ?disabled=${disabled} @click=${() => booking.review()}>
      ${t.continue}
    </button>
    ${studentId ? nothing : html`<p class="hint">${choosing ? t.chooseChild : t.needStudent}</p>`}
  </div>`;
}

/** Where the confirmation's links go: the manage page and the calendar feed, resolved against the API base. */
export interface ConfirmationLinks {
  manage: string;
  calendar: string;
}

/** The bought package: what was scheduled, the floating sessions left and the reference. */
export function renderConfirmation(c: GridContext, pkg: PackageView, links: ConfirmationLinks): TemplateResult {
  const { t, locale: L } = c;
  const first = pkg.sessions[0];
  const by = pkg.gracePeriodEnds ? instantIn(Date.parse(pkg.gracePeriodEnds), pkg.timezone).date : undefined;
  return html`<section part="confirmation" class="confirmation" aria-labelledby="done-title">
    <h2 id="done-title" tabindex="-1"><span aria-hidden="true">✓ </span>${t.purchased}</h2>
    <p>
      ${t.purchasedDetail(
        pkg.recurringSessionCount,
        first ? slotLabel(L, first) : '—',
        pkg.floatingSessionsLeft,
        by ? formatDate(L, by, true) : '—',
      )}
    </p>
    <ol>
      ${pkg.sessions.map(
        (s) => html`<li part="session" class="session">
          ${s.sessionNumber === null ? nothing : html`<span class="num">${t.session(s.sessionNumber)}</span>`}
          ${slotLabel(L, s)}
        </li>`,
      )}
    </ol>
    <p class="hint">${t.reference(pkg.id)}</p>
    <div class="actions">
      ${links.manage ? html`<a part="manage-link" href=${links.manage}>${t.manage}</a>` : nothing}
      <a part="calendar-link" href=${links.calendar}>${t.addToCalendar}</a>
      <button type="button" part="book-another" @click=${() => c.booking.startOver(false)}>${t.bookAnother}</button>
    </div>
  </section>`;
}

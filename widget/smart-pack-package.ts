import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { initialState, Task, TaskStatus } from '@lit/task';
import type { PackageSessionView, PackageView, SessionOutcome, SlotRef } from '../api/contract/wire.js';
import { ApiError, refusalMessage } from './api-client.js';
import { SmartPackElement } from './base-element.js';
import {
  SmartPackPackageChangeEvent,
  type SmartPackPackageChangeDetail,
} from './events/smart-pack-package-change-event.js';
import { addDays, instantIn, isRtl } from './format.js';
import { when, type PackageActions, type PackageContext, type Picker, type SlotsView } from './package-view/context.js';
import { strings } from './package-view/i18n.js';
import { createPackageClient, type PackageClient, type SlotChoice } from './package-view/package-client.js';
import { renderPicker } from './package-view/render-picker.js';
import { renderSession } from './package-view/render-session.js';
import { renderSummary } from './package-view/render-summary.js';
import { styles } from './smart-pack-package.styles.js';

export type { DatedSlots, PackageSessionView, PackageView, SessionOutcome } from '../api/contract/wire.js';
export { createPackageClient, type PackageClient, type SlotChoice } from './package-view/package-client.js';

/** How many days of free slots one page of the picker shows. */
export const SLOT_PAGE_DAYS = 14;

/** Today in the teacher's zone: the picker starts there. */
const today = (pkg: PackageView): string => instantIn(Date.now(), pkg.timezone).date;

/** Last teacher-local date a session may start on: the package's end. */
const lastDate = (pkg: PackageView): string | null =>
  pkg.gracePeriodEnds ? instantIn(Date.parse(pkg.gracePeriodEnds), pkg.timezone).date : null;

/**
 * `<smart-pack-package>` — a parent's view of a purchased Smart Pack: the sessions, rescheduling
 * within the limit, booking floating sessions from the teacher's free times, moving sessions the
 * teacher's time off affected, and an "add to calendar" link to the package's iCalendar feed.
 * Registered by `package.ts`; this module only defines the class.
 *
 * @tagname smart-pack-package
 * @summary A purchased Smart Pack after purchase: sessions, reschedule, floating sessions, calendar.
 *
 * @attr lang - `ar` or `en` (any BCP 47 tag). Defaults to the nearest `lang` on the page, then the browser.
 *
 * @fires {SmartPackPackageChangeEvent} smart-pack-package-change - A session was rescheduled, booked or floated. Detail: `{ action, session, package }`.
 *
 * @csspart base - The outer wrapper.
 * @csspart summary - State, progress, floating sessions, actions.
 * @csspart state - The package state (active, ended, completed).
 * @csspart book-floating - The "book a floating session" button.
 * @csspart calendar-link - The link to the iCalendar feed.
 * @csspart message - The outcome of the last action.
 * @csspart attention - How many sessions need the parent's attention.
 * @csspart sessions - The session list.
 * @csspart session - One session.
 * @csspart alternative - A suggested time for a flagged session.
 * @csspart reschedule-button - Opens the time picker for a session.
 * @csspart float-button - Turns a session into a floating credit.
 * @csspart picker - The free-times picker.
 * @csspart slot - A free time in the picker.
 * @csspart more-slots - Loads later dates in the picker.
 *
 * @cssprop [--spg-accent=#0b5cad] - Accent (buttons, links); shared with `<smart-pack-grid>`.
 */
export class SmartPackPackage extends SmartPackElement<PackageClient> implements PackageActions {
  static override styles = styles;

  /** The purchased package to show (required). */
  @property({ attribute: 'package-id' }) packageId = '';
  /** The parent token, or the package's manage token (the `t` of a `/pack/:id?t=…` link); sent as the bearer. */
  @property() token = '';

  // The package as last answered, by the load or by an action (whose answer carries the whole package).
  @state() private _pkg?: PackageView;
  @state() private _picker: Picker | null = null;
  @state() private _slots: SlotRef[] = [];
  /** Last date of the free times loaded so far ('' = none yet). */
  @state() private _slotsUntil = '';
  @state() private _busy = false;
  @state() private _message: { kind: 'ok' | 'error'; text: string } | null = null;
  @state() private _announce = '';

  private readonly _packageTask = new Task(this, {
    task: async ([api, packageId]: readonly [PackageClient, string, string], { signal }) => {
      if (!packageId) return initialState;
      const pkg = await api.getPackage(packageId, signal);
      // An injected client may not honour the signal; a detached element still must not take its answer.
      signal.throwIfAborted();
      return pkg;
    },
    args: () => [this.api(), this.packageId, this.token] as const,
    onComplete: (pkg) => (this._pkg = pkg),
  });

  // Started by the parent (opening the picker, "later dates"), never by a property change.
  private readonly _slotsTask = new Task(this, {
    autoRun: false,
    task: async ([pkg, from, to, append]: readonly [PackageView, string, string, boolean], { signal }) => {
      const answer = await this.api().slots(pkg.teacherId, { from, to, duration: pkg.sessionMinutes }, signal);
      signal.throwIfAborted();
      const usable = answer.slots.filter((s) => !pkg.gracePeriodEnds || s.startUtc < pkg.gracePeriodEnds);
      return { slots: append ? [...this._slots, ...usable] : usable, until: to };
    },
    onComplete: ({ slots, until }) => {
      this._slots = slots;
      this._slotsUntil = until;
    },
  });

  protected override createClient(apiBase: string): PackageClient {
    return createPackageClient(
      apiBase,
      undefined,
      () => this.token,
      () => this.publishableKey,
    );
  }

  protected override apiTasks() {
    return [this._packageTask, this._slotsTask];
  }

  /** Reloads the package from the API (e.g. after the host page changed something). */
  async reload(): Promise<void> {
    await this._packageTask.run();
    await this.updateComplete;
  }

  // ---------------------------------------------------------------- picker

  togglePicker(picker: Picker): void {
    const open = this._picker;
    const same =
      open?.kind === picker.kind &&
      (open.kind === 'book' || (picker.kind === 'reschedule' && open.sessionId === picker.sessionId));
    if (same) return this.closePicker();
    const pkg = this._pkg;
    if (!pkg) return;
    this._picker = picker;
    this._message = null;
    this._slots = [];
    this._slotsUntil = '';
    this._loadSlots(pkg, today(pkg), false);
  }

  closePicker(): void {
    this._slotsTask.abort();
    this._picker = null;
  }

  retrySlots(): void {
    if (this._pkg) this._loadSlots(this._pkg, today(this._pkg), false);
  }

  moreSlots(): void {
    if (this._pkg) this._loadSlots(this._pkg, addDays(this._slotsUntil, 1), true);
  }

  private _loadSlots(pkg: PackageView, from: string, append: boolean): void {
    const last = lastDate(pkg);
    if (last && from > last) return;
    const to = addDays(from, SLOT_PAGE_DAYS - 1);
    void this._slotsTask.run([pkg, from, last && to > last ? last : to, append]);
  }

  // ---------------------------------------------------------------- actions

  choose(slot: SlotChoice, sessionId?: string): void {
    const choice = { date: slot.date, time: slot.time };
    const at = when(this.locale, slot.date, slot.time);
    if (sessionId) {
      void this._act(
        'reschedule',
        (api, pkg) => api.reschedule(pkg.id, sessionId, choice),
        (o) => strings(this.locale).moved(strings(this.locale).session(o.session.sessionNumber), at),
      );
    } else {
      void this._act(
        'book-floating',
        (api, pkg) => api.bookFloating(pkg.id, choice),
        () => strings(this.locale).booked(at),
      );
    }
  }

  float(session: PackageSessionView): void {
    void this._act(
      'float',
      (api, pkg) => api.floatSession(pkg.id, session.id),
      (o) => strings(this.locale).floated(strings(this.locale).session(o.session.sessionNumber)),
    );
  }

  private async _act(
    action: SmartPackPackageChangeDetail['action'],
    run: (api: PackageClient, pkg: PackageView) => Promise<SessionOutcome>,
    success: (outcome: SessionOutcome) => string,
  ): Promise<void> {
    const pkg = this._pkg;
    if (!pkg || this._busy) return;
    this._busy = true;
    this._message = null;
    try {
      const outcome = await run(this.api(), pkg);
      this._pkg = outcome.package;
      this._picker = null;
      const text = success(outcome);
      this._message = { kind: 'ok', text };
      this._announce = text;
      this.emit(new SmartPackPackageChangeEvent({ action, session: outcome.session, package: outcome.package }));
    } catch (error) {
      const text =
        error instanceof ApiError ? refusalMessage(error, strings(this.locale).errors) : strings(this.locale).network;
      this._message = { kind: 'error', text };
      this._announce = text;
      // The picture changed under the parent: show what is true now.
      if (error instanceof ApiError && error.code === 'slot_taken' && this._picker)
        this._loadSlots(pkg, today(pkg), false);
      else if (error instanceof ApiError) void this._packageTask.run();
    } finally {
      this._busy = false;
    }
  }

  // ---------------------------------------------------------------- rendering

  override render(): TemplateResult {
    const locale = this.locale;
    const t = strings(locale);
    const status = this._packageTask.status;
    let body: TemplateResult;
    if (this._pkg) body = this._renderPackage(this._pkg);
    else if (status === TaskStatus.ERROR) {
      body = html`<div class="error" role="alert">
        <p>${t.loadError}</p>
        <button type="button" @click=${() => void this._packageTask.run()}>${t.retry}</button>
      </div>`;
    } else body = html`<p class="muted">${t.loading}</p>`;
    const busy = status === TaskStatus.PENDING || this._busy;
    return html`<div part="base" class="base" dir=${isRtl(locale) ? 'rtl' : 'ltr'} lang=${locale} aria-busy=${busy ? 'true' : 'false'}>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this._announce}</div>
      ${body}
    </div>`;
  }

  private _renderPackage(pkg: PackageView): TemplateResult {
    const c: PackageContext = {
      t: strings(this.locale),
      locale: this.locale,
      busy: this._busy,
      picker: this._picker,
      actions: this,
    };
    const { t } = c;
    const last = lastDate(pkg);
    const slots: SlotsView = {
      slots: this._slots,
      loading: this._slotsTask.status === TaskStatus.PENDING,
      failed: this._slotsTask.status === TaskStatus.ERROR,
      hasMore: !!this._slotsUntil && !!last && this._slotsUntil < last,
    };
    const message = this._message;
    return html`
      ${renderSummary(c, pkg, last, this.api().calendarUrl(pkg.id, pkg.calendarPath))}
      ${
        message
          ? html`<p part="message" class="message ${message.kind}" role=${message.kind === 'error' ? 'alert' : 'status'}>${message.text}</p>`
          : nothing
      }
      ${pkg.flaggedSessionCount > 0 ? html`<p part="attention" class="flag">${t.attention(pkg.flaggedSessionCount)}</p>` : nothing}
      ${this._picker?.kind === 'book' ? renderPicker(c, t.pickerBook, undefined, slots) : nothing}
      <section aria-labelledby="sessions-title">
        <h3 id="sessions-title">${t.sessionsTitle}</h3>
        <ol part="sessions" class="sessions">
          ${pkg.sessions.map((s) => renderSession(c, s, slots))}
        </ol>
      </section>
    `;
  }
}

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
import { addDays, formatDate, formatMoney, instantIn, isRtl } from './format.js';
import {
  focusKey,
  when,
  type Confirm,
  type PackageActions,
  type PackageContext,
  type Picker,
  type SlotsView,
} from './package-view/context.js';
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
 * @fires {SmartPackPackageChangeEvent} smart-pack-package-change - A session was rescheduled, booked or floated (after the parent confirmed). Detail: `{ action, session, package }`.
 *
 * @csspart base - The outer wrapper.
 * @csspart summary - State, progress, floating sessions, actions.
 * @csspart teacher - The subject and the teacher ("Mathematics with Amna Hassan").
 * @csspart state - The package state (active, ended, completed), or the payment deadline.
 * @csspart paid - What was paid and where the escrow stands, in words.
 * @csspart cancel-button - "Cancel pack" (or "Cancel purchase" before payment); asks first.
 * @csspart confirm - The confirmation step of an irreversible action (move, book, float, cancel).
 * @csspart confirm-yes - Its yes ("Move", "Book", "Make it floating", "Cancel the pack").
 * @csspart confirm-no - Its no ("Keep"): nothing happens, the focus goes back.
 * @csspart load-error - The pack could not be loaded (with a Retry only when one can help).
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
  /** The outcome of the last action; `offline`: the connection failed (any later answer clears it). */
  @state() private _message: { kind: 'ok' | 'error'; text: string; offline?: boolean } | null = null;
  @state() private _announce = '';
  /** The irreversible action waiting for the parent's yes. */
  @state() private _confirm: Confirm | null = null;
  /** Where the focus goes after the next render (a `data-focus-key`, or `confirm` for the yes button). */
  private _focusNext: string | null = null;

  private readonly _packageTask = new Task(this, {
    task: async ([api, packageId]: readonly [PackageClient, string, string], { signal }) => {
      if (!packageId) return initialState;
      const pkg = await api.getPackage(packageId, signal);
      // An injected client may not honour the signal; a detached element still must not take its answer.
      signal.throwIfAborted();
      return pkg;
    },
    args: () => [this.api(), this.packageId, this.token] as const,
    onComplete: (pkg) => {
      this._pkg = pkg;
      this._backOnline();
    },
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
      this._backOnline();
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

  /** The API answered again: a "the connection failed" message is no longer true. */
  private _backOnline(): void {
    if (this._message?.offline) this._message = null;
  }

  /** The load's Retry: once the pack is back, the errors it covered go too. */
  private async _retryLoad(): Promise<void> {
    await this._packageTask.run();
    if (this._packageTask.status === TaskStatus.COMPLETE && this._message?.kind === 'error') this._message = null;
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    const key = this._focusNext;
    if (key === null) return;
    this._focusNext = null;
    const target = this.renderRoot.querySelector<HTMLElement>(
      key === 'confirm' ? '[part~=confirm-yes]' : focusKey(key),
    );
    target?.focus();
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
    this._confirm = null;
    this._picker = picker;
    this._message = null;
    this._slots = [];
    this._slotsUntil = '';
    this._loadSlots(pkg, today(pkg), false);
  }

  closePicker(): void {
    this._slotsTask.abort();
    this._picker = null;
    this._confirm = null;
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

  // ---------------------------------------------------------------- confirmation

  choose(slot: SlotChoice, sessionId?: string, from = ''): void {
    const choice = { date: slot.date, time: slot.time };
    this._ask(sessionId ? { kind: 'move', sessionId, slot: choice, from } : { kind: 'book', slot: choice, from });
  }

  float(session: PackageSessionView): void {
    this._ask({ kind: 'float', sessionId: session.id, from: `float-${session.id}` });
  }

  cancel(): void {
    this._ask({ kind: 'cancel', from: 'cancel' });
  }

  keep(): void {
    const asked = this._confirm;
    if (!asked || this._busy) return;
    this._confirm = null;
    this._announce = '';
    this._focusNext = asked.from;
  }

  confirm(): void {
    const asked = this._confirm;
    if (!asked || this._busy) return;
    if (asked.kind === 'move') this._move(asked.slot, asked.sessionId);
    else if (asked.kind === 'book') this._move(asked.slot);
    else if (asked.kind === 'float') this._float(asked.sessionId);
    else void this._cancel();
  }

  private _ask(confirm: Confirm): void {
    if (this._busy || !this._pkg) return;
    this._message = null;
    this._confirm = confirm;
    this._focusNext = 'confirm';
  }

  // ---------------------------------------------------------------- actions

  private _move(slot: SlotChoice, sessionId?: string): void {
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

  private _float(sessionId: string): void {
    void this._act(
      'float',
      (api, pkg) => api.floatSession(pkg.id, sessionId),
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
      this._confirm = null;
      const text = success(outcome);
      this._message = { kind: 'ok', text };
      this._announce = text;
      // The confirmation the focus was on is gone: the focus goes to what came of it.
      this._focusNext = 'message';
      this.emit(new SmartPackPackageChangeEvent({ action, session: outcome.session, package: outcome.package }));
    } catch (error) {
      this._confirm = null;
      const text =
        error instanceof ApiError ? refusalMessage(error, strings(this.locale).errors) : strings(this.locale).network;
      this._message = { kind: 'error', text, offline: !(error instanceof ApiError) };
      this._announce = text;
      // The confirmation the focus was on is gone: the focus goes to what came of it.
      this._focusNext = 'message';
      // The picture changed under the parent: show what is true now.
      if (error instanceof ApiError && error.code === 'slot_taken' && this._picker)
        this._loadSlots(pkg, today(pkg), false);
      else if (error instanceof ApiError) void this._packageTask.run();
    } finally {
      this._busy = false;
    }
  }

  private async _cancel(): Promise<void> {
    const pkg = this._pkg;
    if (!pkg || this._busy) return;
    const t = strings(this.locale);
    this._busy = true;
    try {
      const after = await this.api().cancelPackage(pkg.id);
      this._pkg = after;
      this._picker = null;
      const refunded = formatMoney(this.locale, after.escrow.refundedMinor, after.currency);
      const text = pkg.state === 'pending_payment' ? t.purchaseCancelled : t.packCancelled(refunded);
      this._message = { kind: 'ok', text };
      this._announce = text;
      // The confirmation the focus was on is gone: the focus goes to what came of it.
      this._focusNext = 'message';
    } catch (error) {
      const text = error instanceof ApiError ? refusalMessage(error, t.errors) : t.network;
      this._message = { kind: 'error', text, offline: !(error instanceof ApiError) };
      this._announce = text;
      // The confirmation the focus was on is gone: the focus goes to what came of it.
      this._focusNext = 'message';
      if (error instanceof ApiError) void this._packageTask.run();
    } finally {
      this._confirm = null;
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
      // An unknown or another family's id, or a refused link: a Retry cannot help, so none is offered.
      const error: unknown = this._packageTask.error;
      const status = error instanceof ApiError ? error.status : 0;
      const final = status === 404 ? t.notFound : status === 401 || status === 403 ? t.linkRefused : null;
      body = final
        ? html`<div part="load-error" class="error" role="alert"><p>${final}</p></div>`
        : html`<div part="load-error" class="error" role="alert">
        <p>${t.loadError}</p>
        <button type="button" @click=${() => void this._retryLoad()}>${t.retry}</button>
      </div>`;
    } else body = html`<p class="muted">${t.loading}</p>`;
    const busy = status === TaskStatus.PENDING || this._busy;
    return html`<div part="base" class="base" dir=${isRtl(locale) ? 'rtl' : 'ltr'} lang=${locale} aria-busy=${busy ? 'true' : 'false'}>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this._announce}</div>
      ${body}
    </div>`;
  }

  private _renderPackage(pkg: PackageView): TemplateResult {
    const last = lastDate(pkg);
    const c: PackageContext = {
      t: strings(this.locale),
      locale: this.locale,
      busy: this._busy,
      picker: this._picker,
      end: last ? formatDate(this.locale, last, true) : '',
      confirming: this._confirm,
      actions: this,
    };
    const { t } = c;
    // Date order, whatever the kind: a floating session sits at its own date, marked as floating.
    const sessions = [...pkg.sessions].sort(
      (a, b) => a.startUtc.localeCompare(b.startUtc) || (a.sessionNumber ?? 0) - (b.sessionNumber ?? 0),
    );
    const slots: SlotsView = {
      slots: this._slots,
      loading: this._slotsTask.status === TaskStatus.PENDING,
      failed: this._slotsTask.status === TaskStatus.ERROR,
      hasMore: !!this._slotsUntil && !!last && this._slotsUntil < last,
    };
    const message = this._message;
    return html`
      ${renderSummary(c, pkg, this.api().calendarUrl(pkg.id, pkg.calendarPath))}
      ${
        message
          ? html`<p part="message" class="message ${message.kind}" tabindex="-1" data-focus-key="message"
            role=${message.kind === 'error' ? 'alert' : 'status'}>${message.text}</p>`
          : nothing
      }
      ${pkg.flaggedSessionCount > 0 ? html`<p part="attention" class="flag">${t.attention(pkg.flaggedSessionCount)}</p>` : nothing}
      ${this._picker?.kind === 'book' ? renderPicker(c, t.pickerBook, undefined, slots) : nothing}
      <section aria-labelledby="sessions-title">
        <h3 id="sessions-title">${t.sessionsTitle}</h3>
        <ol part="sessions" class="sessions">
          ${sessions.map((s) => renderSession(c, s, slots))}
        </ol>
      </section>
    `;
  }
}

import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ErrorBody, SlotRef } from '../api/contract/wire.js';
// Wire shapes from their one definition on the server; type-only, so no server code is bundled.
import type { DatedSlots, SessionOutcome } from '../api/contract/wire.js';
import type { PackageSessionView, PackageView } from '../api/contract/wire.js';
import { ApiError, readJson, typedClient } from './api-client.js';
import { addDays, formatClock, formatDate, instantIn, isRtl, language } from './format.js';
import { styles } from './smart-pack-package.styles.js';

export type { DatedSlots, SessionOutcome, PackageSessionView, PackageView };

/** How many days of free slots one page of the picker shows. */
export const SLOT_PAGE_DAYS = 14;

export type SlotChoice = { date: string; time: string };

/** The calls the package view makes; swap it (e.g. for a `hono/client` adapter) via the `client` property. */
export interface PackageClient {
  getPackage(packageId: string, signal?: AbortSignal): Promise<PackageView>;
  slots(teacherId: string, query: { from: string; to: string; duration: number }, signal?: AbortSignal): Promise<DatedSlots>;
  reschedule(packageId: string, sessionId: string, slot: SlotChoice): Promise<SessionOutcome>;
  bookFloating(packageId: string, slot: SlotChoice): Promise<SessionOutcome>;
  floatSession(packageId: string, sessionId: string): Promise<SessionOutcome>;
  calendarUrl(packageId: string): string;
}

export function createPackageClient(apiBase: string, fetchImpl?: typeof fetch): PackageClient {
  const api = typedClient(apiBase, fetchImpl);
  // hono/client pastes path params verbatim; ids come from attributes, so encode them here.
  const e = encodeURIComponent;
  const get = (signal?: AbortSignal) => ({ init: { signal: signal ?? null }, headers: { accept: 'application/json' } });
  const pack = api.packages[':id'];
  const session = (id: string, sessionId: string) => ({ param: { id: e(id), sessionId: e(sessionId) } });
  return {
    getPackage: (id, signal) => readJson(pack.$get({ param: { id: e(id) } }, get(signal))),
    slots: (teacherId, q, signal) =>
      readJson(
        api.marketplace.teachers[':teacherId'].slots.$get(
          { param: { teacherId: e(teacherId) }, query: { from: q.from, to: q.to, duration: String(q.duration) } },
          get(signal),
        ),
      ),
    reschedule: (id, sessionId, slot) =>
      readJson(pack.sessions[':sessionId'].reschedule.$post({ ...session(id, sessionId), json: slot })),
    bookFloating: (id, slot) => readJson(pack['floating-sessions'].$post({ param: { id: e(id) }, json: slot })),
    floatSession: (id, sessionId) => readJson(pack.sessions[':sessionId'].float.$post(session(id, sessionId))),
    calendarUrl: (id) => `${apiBase.replace(/\/+$/, '')}/packages/${e(id)}/calendar.ics`,
  };
}

interface Strings {
  loading: string;
  loadError: string;
  retry: string;
  title: (n: number) => string;
  state: Record<PackageView['state'], string>;
  progress: (done: number, total: number) => string;
  floatingLeft: (n: number, by: string) => string;
  floatingExpired: (n: number, on: string) => string;
  notice: (hours: number) => string;
  tz: (tz: string) => string;
  bookFloating: (n: number) => string;
  addToCalendar: string;
  attention: (n: number) => string;
  sessionsTitle: string;
  session: (n: number | null) => string;
  floating: string;
  completed: string;
  cancelled: string;
  flagged: string;
  moveTo: (when: string) => string;
  reschedule: (left: number) => string;
  noReschedulesLeft: string;
  float: string;
  pickerReschedule: (session: string) => string;
  pickerBook: string;
  loadingSlots: string;
  noSlots: string;
  later: string;
  close: string;
  moved: (session: string, when: string) => string;
  booked: (when: string) => string;
  floated: (session: string) => string;
  network: string;
  errors: Partial<Record<string, string>>;
}

const sessions = (n: number) => (n === 1 ? 'session' : 'sessions');

const en: Strings = {
  loading: 'Loading your pack…',
  loadError: 'We could not load this pack.',
  retry: 'Retry',
  title: (n) => `Your Smart Pack · ${n} sessions`,
  state: { active: 'Active', expired: 'Ended', completed: 'Completed', cancelled: 'Cancelled' },
  progress: (d, t) => `${d} of ${t} sessions taught`,
  floatingLeft: (n, by) => `${n} floating ${sessions(n)} left to book before ${by}`,
  floatingExpired: (n, on) => `${n} floating ${sessions(n)} expired unused on ${on}`,
  notice: (h) => `You can reschedule or cancel a session up to ${h} hours before it starts.`,
  tz: (tz) => `Times in the teacher’s time zone (${tz})`,
  bookFloating: (n) => `Book a floating session (${n} left)`,
  addToCalendar: 'Add to calendar',
  attention: (n) => `${n} ${sessions(n)} need${n === 1 ? 's' : ''} your attention`,
  sessionsTitle: 'Your sessions',
  session: (n) => (n === null ? 'Session' : `Session ${n}`),
  floating: 'floating',
  completed: 'completed',
  cancelled: 'turned into a floating credit',
  flagged: 'The teacher is not available at this time. Move it, or keep it as a floating session.',
  moveTo: (w) => `Move to ${w}`,
  reschedule: (left) => `Reschedule (${left} left)`,
  noReschedulesLeft: 'No reschedules left for this session',
  float: 'Make it a floating session',
  pickerReschedule: (s) => `Choose a new time for ${s}`,
  pickerBook: 'Choose a time for your floating session',
  loadingSlots: 'Loading free times…',
  noSlots: 'No free times in these days.',
  later: 'Later dates',
  close: 'Close',
  moved: (s, w) => `${s} moved to ${w}.`,
  booked: (w) => `Floating session booked for ${w}.`,
  floated: (s) => `${s} is now a floating session you can book later.`,
  network: 'The connection failed. Nothing was changed; please try again.',
  // Other refusals are shown with the API's own (English) message.
  errors: { slot_taken: 'Someone just took that time. Here are the times still free.' },
};

const ar: Strings = {
  loading: 'جارٍ تحميل باقتك…',
  loadError: 'تعذّر تحميل هذه الباقة.',
  retry: 'إعادة المحاولة',
  title: (n) => `باقتك الذكية · ${n} حصص`,
  state: { active: 'سارية', expired: 'منتهية', completed: 'مكتملة', cancelled: 'ملغاة' },
  progress: (d, t) => `تمت ${d} من ${t} حصص`,
  floatingLeft: (n, by) => `متبقٍ ${n} من الحصص المرنة تُحجز قبل ${by}`,
  floatingExpired: (n, on) => `انتهت صلاحية ${n} من الحصص المرنة دون استخدام في ${on}`,
  notice: (h) => `يمكنك تغيير موعد الحصة أو إلغاؤها حتى ${h} ساعة قبل بدايتها.`,
  tz: (tz) => `الأوقات بتوقيت المعلم (${tz})`,
  bookFloating: (n) => `احجز حصة مرنة (متبقٍ ${n})`,
  addToCalendar: 'أضف إلى التقويم',
  attention: (n) => `${n} من الحصص تحتاج إلى انتباهك`,
  sessionsTitle: 'حصصك',
  session: (n) => (n === null ? 'حصة' : `الحصة ${n}`),
  floating: 'مرنة',
  completed: 'مكتملة',
  cancelled: 'تحولت إلى حصة مرنة',
  flagged: 'المعلم غير متاح في هذا الوقت. انقلها إلى موعد آخر أو احتفظ بها كحصة مرنة.',
  moveTo: (w) => `انقلها إلى ${w}`,
  reschedule: (left) => `غيّر الموعد (متبقٍ ${left})`,
  noReschedulesLeft: 'لا يمكن تغيير موعد هذه الحصة مجدداً',
  float: 'اجعلها حصة مرنة',
  pickerReschedule: (s) => `اختر موعداً جديداً لـ${s}`,
  pickerBook: 'اختر موعداً لحصتك المرنة',
  loadingSlots: 'جارٍ تحميل الأوقات المتاحة…',
  noSlots: 'لا توجد أوقات متاحة في هذه الأيام.',
  later: 'تواريخ لاحقة',
  close: 'إغلاق',
  moved: (s, w) => `نُقلت ${s} إلى ${w}.`,
  booked: (w) => `حُجزت الحصة المرنة في ${w}.`,
  floated: (s) => `أصبحت ${s} حصة مرنة يمكنك حجزها لاحقاً.`,
  network: 'انقطع الاتصال. لم يتغير شيء؛ يرجى المحاولة مجدداً.',
  errors: {
    slot_taken: 'حجز شخص آخر هذا الوقت للتو. هذه هي الأوقات التي ما زالت متاحة.',
    reschedule_limit_reached: 'لا يمكن تغيير موعد هذه الحصة مجدداً.',
    change_window_passed: 'فات وقت تغيير هذه الحصة.',
    no_floating_sessions_left: 'حُجزت كل الحصص المرنة في هذه الباقة.',
    package_expired: 'انتهت هذه الباقة.',
    after_package_end: 'هذا الوقت بعد نهاية باقتك.',
  },
};

type Picker = { kind: 'reschedule'; sessionId: string } | { kind: 'book' };
type Message = { kind: 'ok' | 'error'; text: string };

/** Detail of `smart-pack-package-change`: what the parent did and the package afterwards. */
export interface PackageChangeDetail {
  action: 'reschedule' | 'book-floating' | 'float';
  session: PackageSessionView;
  package: PackageView;
}

/**
 * `<smart-pack-package>` — a parent's view of a purchased Smart Pack: the sessions, rescheduling
 * within the limit, booking floating sessions from the teacher's free times, moving sessions the
 * teacher's time off affected, and an "add to calendar" link to the package's iCalendar feed.
 *
 * @summary A purchased Smart Pack after purchase: sessions, reschedule, floating sessions, calendar.
 *
 * @attr lang - `ar` or `en` (any BCP 47 tag). Defaults to the nearest `lang` on the page, then the browser.
 *
 * @fires {CustomEvent<PackageChangeDetail>} smart-pack-package-change - A session was rescheduled, booked or floated.
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
export class SmartPackPackage extends LitElement {
  static override styles = styles;

  /** Origin and prefix of the API; "" = same origin as the page. */
  @property({ attribute: 'api-base' }) apiBase = '';
  /** The purchased package to show (required). */
  @property({ attribute: 'package-id' }) packageId = '';
  /** Replace the HTTP client. Defaults to fetch against `api-base`. */
  @property({ attribute: false }) client?: PackageClient;

  @state() private _pkg?: PackageView;
  @state() private _loading = false;
  @state() private _loadFailed = false;
  @state() private _picker: Picker | null = null;
  @state() private _slots: SlotRef[] = [];
  @state() private _slotsLoading = false;
  @state() private _slotsFailed = false;
  @state() private _slotsUntil = '';
  @state() private _busy = false;
  @state() private _message: Message | null = null;
  @state() private _announce = '';

  private _fetchClient?: { base: string; client: PackageClient };
  private _loadAbort?: AbortController;
  private _slotsAbort?: AbortController;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('packageId') || changed.has('apiBase') || changed.has('client')) void this._load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A detached element must not let late answers land.
    this._loadAbort?.abort();
    this._slotsAbort?.abort();
  }

  /** Locale from the `lang` attribute, then the page, then the browser. */
  get locale(): string {
    const own = this.getAttribute('lang');
    const page = (this.parentElement?.closest('[lang]') as HTMLElement | null)?.lang || document.documentElement.lang;
    try {
      return Intl.getCanonicalLocales(own || page || navigator.language || 'en')[0] ?? 'en';
    } catch {
      return 'en';
    }
  }

  private _t(): Strings {
    return language(this.locale) === 'ar' ? ar : en;
  }

  private _api(): PackageClient {
    if (this.client) return this.client;
    if (this._fetchClient?.base !== this.apiBase) this._fetchClient = { base: this.apiBase, client: createPackageClient(this.apiBase) };
    return this._fetchClient.client;
  }

  /** Reloads the package from the API (e.g. after the host page changed something). */
  async reload(): Promise<void> {
    await this._load();
  }

  private async _load(): Promise<void> {
    this._loadAbort?.abort();
    if (!this.packageId) return;
    const abort = (this._loadAbort = new AbortController());
    this._loading = true;
    this._loadFailed = false;
    try {
      const pkg = await this._api().getPackage(this.packageId, abort.signal);
      if (abort.signal.aborted) return;
      this._pkg = pkg;
    } catch {
      if (!abort.signal.aborted) this._loadFailed = true;
    } finally {
      if (!abort.signal.aborted) this._loading = false;
    }
  }

  // ---------------------------------------------------------------- dates

  private _today(pkg: PackageView): string {
    return instantIn(Date.now(), pkg.timezone).date;
  }

  /** Last teacher-local date a session may start on: the package's end. */
  private _lastDate(pkg: PackageView): string | null {
    return pkg.gracePeriodEnds ? instantIn(Date.parse(pkg.gracePeriodEnds), pkg.timezone).date : null;
  }

  private _when(date: string, time: string): string {
    return `${formatDate(this.locale, date)} · ${formatClock(this.locale, time)}`;
  }

  private _sessionName(s: PackageSessionView): string {
    return this._t().session(s.sessionNumber);
  }

  // ---------------------------------------------------------------- picker

  private _openPicker(picker: Picker): void {
    const pkg = this._pkg;
    if (!pkg) return;
    this._picker = picker;
    this._message = null;
    this._slots = [];
    this._slotsUntil = '';
    void this._loadSlots(this._today(pkg), false);
  }

  private _closePicker(): void {
    this._slotsAbort?.abort();
    this._picker = null;
  }

  private async _loadSlots(from: string, append: boolean): Promise<void> {
    const pkg = this._pkg;
    if (!pkg) return;
    const last = this._lastDate(pkg);
    let to = addDays(from, SLOT_PAGE_DAYS - 1);
    if (last && to > last) to = last;
    if (last && from > last) return;
    this._slotsAbort?.abort();
    const abort = (this._slotsAbort = new AbortController());
    this._slotsLoading = true;
    this._slotsFailed = false;
    try {
      const answer = await this._api().slots(pkg.teacherId, { from, to, duration: pkg.sessionMinutes }, abort.signal);
      if (abort.signal.aborted) return;
      const usable = answer.slots.filter((s) => !pkg.gracePeriodEnds || s.startUtc < pkg.gracePeriodEnds);
      this._slots = append ? [...this._slots, ...usable] : usable;
      this._slotsUntil = to;
    } catch {
      if (!abort.signal.aborted) this._slotsFailed = true;
    } finally {
      if (!abort.signal.aborted) this._slotsLoading = false;
    }
  }

  private _hasLaterSlots(): boolean {
    const pkg = this._pkg;
    const last = pkg && this._lastDate(pkg);
    return !!this._slotsUntil && !!last && this._slotsUntil < last;
  }

  // ---------------------------------------------------------------- actions

  private async _act(
    action: PackageChangeDetail['action'],
    run: (api: PackageClient, pkg: PackageView) => Promise<SessionOutcome>,
    success: (outcome: SessionOutcome) => string,
  ): Promise<void> {
    const pkg = this._pkg;
    if (!pkg || this._busy) return;
    this._busy = true;
    this._message = null;
    try {
      const outcome = await run(this._api(), pkg);
      this._pkg = outcome.package;
      this._picker = null;
      const text = success(outcome);
      this._message = { kind: 'ok', text };
      this._announce = text;
      this.dispatchEvent(
        new CustomEvent<PackageChangeDetail>('smart-pack-package-change', {
          detail: { action, session: outcome.session, package: outcome.package },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      const t = this._t();
      const text =
        error instanceof ApiError ? (t.errors[error.code] ?? error.message) : t.network;
      this._message = { kind: 'error', text };
      this._announce = text;
      // The picture changed under the parent: show what is true now.
      if (error instanceof ApiError && error.code === 'slot_taken' && this._picker) void this._loadSlots(this._today(pkg), false);
      else if (error instanceof ApiError) void this._load();
    } finally {
      this._busy = false;
    }
  }

  private _choose(slot: SlotRef | SlotChoice, sessionId?: string): void {
    const choice = { date: slot.date, time: slot.time };
    const when = this._when(slot.date, slot.time);
    if (sessionId) {
      void this._act(
        'reschedule',
        (api, pkg) => api.reschedule(pkg.id, sessionId, choice),
        (o) => this._t().moved(this._sessionName(o.session), when),
      );
    } else {
      void this._act('book-floating', (api, pkg) => api.bookFloating(pkg.id, choice), () => this._t().booked(when));
    }
  }

  private _float(session: PackageSessionView): void {
    void this._act(
      'float',
      (api, pkg) => api.floatSession(pkg.id, session.id),
      (o) => this._t().floated(this._sessionName(o.session)),
    );
  }

  // ---------------------------------------------------------------- rendering

  override render(): TemplateResult {
    const locale = this.locale;
    const t = this._t();
    let body: TemplateResult;
    if (this._pkg) body = this._renderPackage(this._pkg);
    else if (this._loadFailed) {
      body = html`<div class="error" role="alert">
        <p>${t.loadError}</p>
        <button type="button" @click=${() => void this._load()}>${t.retry}</button>
      </div>`;
    } else body = html`<p class="muted">${t.loading}</p>`;
    return html`<div part="base" class="base" dir=${isRtl(locale) ? 'rtl' : 'ltr'} lang=${locale} aria-busy=${this._loading || this._busy ? 'true' : 'false'}>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this._announce}</div>
      ${body}
    </div>`;
  }

  private _renderPackage(pkg: PackageView): TemplateResult {
    const t = this._t();
    const taught = pkg.sessions.filter((s) => s.status === 'completed').length;
    const endDate = this._lastDate(pkg);
    const end = endDate ? formatDate(this.locale, endDate, true) : '';
    const canBook = pkg.state === 'active' && pkg.floatingSessionsLeft > 0;
    return html`
      <section part="summary" class="summary" aria-labelledby="pack-title">
        <h2 id="pack-title">${t.title(pkg.sessionCount)}</h2>
        <p part="state" class="state">${t.state[pkg.state]}</p>
        <p>${t.progress(taught, pkg.sessionCount)}</p>
        ${pkg.floatingSessionsExpired > 0
          ? html`<p class="floating-expired">${t.floatingExpired(pkg.floatingSessionsExpired, end)}</p>`
          : pkg.floatingSessionsLeft > 0
            ? html`<p class="floating-left">${t.floatingLeft(pkg.floatingSessionsLeft, end)}</p>`
            : nothing}
        <p class="muted">${t.notice(pkg.changeNoticeHours)} ${t.tz(pkg.timezone)}</p>
        <div class="actions">
          ${canBook
            ? html`<button part="book-floating" class="primary" type="button" ?disabled=${this._busy}
                aria-expanded=${this._picker?.kind === 'book' ? 'true' : 'false'}
                @click=${() => (this._picker?.kind === 'book' ? this._closePicker() : this._openPicker({ kind: 'book' }))}>
                ${t.bookFloating(pkg.floatingSessionsLeft)}
              </button>`
            : nothing}
          <a part="calendar-link" href=${this._api().calendarUrl(pkg.id)}>${t.addToCalendar}</a>
        </div>
      </section>
      ${this._message
        ? html`<p part="message" class="message ${this._message.kind}" role=${this._message.kind === 'error' ? 'alert' : 'status'}>${this._message.text}</p>`
        : nothing}
      ${pkg.flaggedSessionCount > 0 ? html`<p part="attention" class="flag">${t.attention(pkg.flaggedSessionCount)}</p>` : nothing}
      ${this._picker?.kind === 'book' ? this._renderPicker(t.pickerBook, undefined) : nothing}
      <section aria-labelledby="sessions-title">
        <h3 id="sessions-title">${t.sessionsTitle}</h3>
        <ol part="sessions" class="sessions">
          ${pkg.sessions.map((s) => this._renderSession(s))}
        </ol>
      </section>
    `;
  }

  private _renderSession(s: PackageSessionView): TemplateResult {
    const t = this._t();
    const flagged = s.status === 'scheduled' && s.flaggedReason !== null;
    const name = this._sessionName(s);
    const open = this._picker?.kind === 'reschedule' && this._picker.sessionId === s.id;
    return html`<li part="session" class="session ${flagged ? 'flagged' : ''} ${s.status}" data-session-id=${s.id}>
      <p>
        <span class="when">${name} · ${this._when(s.date, s.time)}</span>
        ${s.kind === 'floating' ? html`<span class="badge">${t.floating}</span>` : nothing}
        ${s.status === 'completed' ? html`<span class="badge">${t.completed}</span>` : nothing}
        ${s.status === 'cancelled' ? html`<span class="badge">${t.cancelled}</span>` : nothing}
      </p>
      ${flagged
        ? html`<p class="flag">${t.flagged}</p>
            ${s.alternatives.length && s.canReschedule
              ? html`<div class="actions">
                  ${s.alternatives.map(
                    (a) => html`<button part="alternative" type="button" ?disabled=${this._busy} @click=${() => this._choose(a, s.id)}>
                      ${t.moveTo(this._when(a.date, a.time))}
                    </button>`,
                  )}
                </div>`
              : nothing}`
        : nothing}
      ${s.status === 'scheduled'
        ? html`<div class="actions">
            ${s.canReschedule
              ? html`<button part="reschedule-button" type="button" ?disabled=${this._busy} aria-expanded=${open ? 'true' : 'false'}
                  aria-label=${`${t.reschedule(s.reschedulesLeft)}: ${name}`}
                  @click=${() => (open ? this._closePicker() : this._openPicker({ kind: 'reschedule', sessionId: s.id }))}>
                  ${t.reschedule(s.reschedulesLeft)}
                </button>`
              : s.canFloat && s.reschedulesLeft === 0
                ? html`<span class="muted">${t.noReschedulesLeft}</span>`
                : nothing}
            ${s.canFloat
              ? html`<button part="float-button" type="button" ?disabled=${this._busy} aria-label=${`${t.float}: ${name}`}
                  @click=${() => this._float(s)}>${t.float}</button>`
              : nothing}
          </div>`
        : nothing}
      ${open ? this._renderPicker(t.pickerReschedule(name), s.id) : nothing}
    </li>`;
  }

  private _renderPicker(title: string, sessionId: string | undefined): TemplateResult {
    const t = this._t();
    const byDate = new Map<string, SlotRef[]>();
    for (const slot of this._slots) byDate.set(slot.date, [...(byDate.get(slot.date) ?? []), slot]);
    let content: TemplateResult;
    if (this._slotsFailed) {
      content = html`<p class="error" role="alert">${t.loadError}
        <button type="button" @click=${() => void this._loadSlots(this._today(this._pkg!), false)}>${t.retry}</button></p>`;
    } else if (this._slotsLoading && this._slots.length === 0) {
      content = html`<p class="muted">${t.loadingSlots}</p>`;
    } else if (this._slots.length === 0) {
      content = html`<p class="muted">${t.noSlots}</p>`;
    } else {
      content = html`<div class="days">
        ${[...byDate].map(
          ([date, slots]) => html`<div role="group" aria-labelledby="day-${date}">
            <h4 id="day-${date}">${formatDate(this.locale, date)}</h4>
            <div class="times">
              ${slots.map(
                (slot) => html`<button part="slot" type="button" data-start=${slot.startUtc} ?disabled=${this._busy}
                  aria-label=${this._when(slot.date, slot.time)} @click=${() => this._choose(slot, sessionId)}>
                  ${formatClock(this.locale, slot.time)}
                </button>`,
              )}
            </div>
          </div>`,
        )}
      </div>`;
    }
    return html`<div part="picker" class="picker" role="region" aria-label=${title}>
      <h3>${title}</h3>
      ${content}
      <div class="actions">
        ${this._hasLaterSlots()
          ? html`<button part="more-slots" type="button" ?disabled=${this._slotsLoading}
              @click=${() => void this._loadSlots(addDays(this._slotsUntil, 1), true)}>${t.later}</button>`
          : nothing}
        <button type="button" @click=${() => this._closePicker()}>${t.close}</button>
      </div>
    </div>`;
  }
}

// Guarded so that a page including both the module and the IIFE build does not throw.
if (!customElements.get('smart-pack-package')) customElements.define('smart-pack-package', SmartPackPackage);

declare global {
  interface HTMLElementTagNameMap {
    'smart-pack-package': SmartPackPackage;
  }
}

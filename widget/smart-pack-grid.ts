import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import type {
  Conflict,
  GridSlot,
  MultiSlotAvailability,
  RecurringPattern,
  Resolution,
  SlotRef,
  Weekday,
  WeeklyGrid,
} from '../api/contract/wire.js';
import {
  ApiError,
  createFetchClient,
  type PackageView,
  type SlotTakenDetails,
  type SmartPackClient,
  type Tier,
  type TiersResponse,
} from './api-client.js';
import { SmartPackChangeEvent } from './events/smart-pack-change-event.js';
import { SmartPackPurchasedEvent } from './events/smart-pack-purchased-event.js';
import {
  addDays,
  browserTimeZone,
  formatClock,
  formatDate,
  formatMoney,
  formatNumber,
  formatPercent,
  instantIn,
  isRtl,
  safeTimeZone,
  weekdayIndex,
  weekdayName,
  weekdayOfDate,
  weekdaysInLocaleOrder,
  zonedToUtc,
  zonesDiffer,
} from './format.js';
import { GridKeyboardController, type GridModel } from './grid-keyboard-controller.js';
import { strings, type Strings } from './i18n.js';
import { styles } from './smart-pack-grid.styles.js';

/** A parent may choose at most this many weekly times (product rule from the spec). */
export const MAX_SLOTS = 4;
/** Quiet period after the last change before the availability check is sent. */
export const CHECK_DEBOUNCE_MS = 150;

interface GridLayout {
  days: Weekday[];
  times: string[];
  cells: (GridSlot | undefined)[][];
}

type PurchaseState =
  | { status: 'idle' }
  | { status: 'pending' }
  | { status: 'failed'; retryable: boolean; message: string }
  | { status: 'done'; pkg: PackageView };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const id = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(id);
      reject(signal.reason);
    });
  });

const key = (p: { weekday: Weekday; time: string }) => `${p.weekday} ${p.time}`;

// crypto.randomUUID only exists in secure contexts; a partner page on plain http still needs a key.
function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * `<smart-pack-grid>` — choose a Smart Pack and its weekly times, see every dated session and
 * resolve conflicts before buying.
 *
 * @summary Multi-slot weekly booking grid for Smart Packs.
 *
 * @attr lang - `ar` or `en` (any BCP 47 tag). Defaults to the nearest `lang` on the page, then the browser.
 *
 * @fires {SmartPackChangeEvent} smart-pack-change - The parent changed the selection and it was checked. Detail: `{ patterns, sessions, validation }`. Not fired for changes made from code.
 * @fires {SmartPackPurchasedEvent} smart-pack-purchased - The purchase was confirmed. Detail: `{ package }`.
 *
 * @csspart base - The outer wrapper.
 * @csspart pack - The pack summary (sessions, price, savings).
 * @csspart tier - A pack option in the chooser; `tier-selected` is added to the chosen one.
 * @csspart tier-selected - The chosen pack option.
 * @csspart savings - The saving of a pack option against single sessions.
 * @csspart skeleton - The loading placeholder.
 * @csspart error - The error message with its retry button.
 * @csspart retry-button - The retry button of the error state.
 * @csspart empty - The "no free weekly slots" message.
 * @csspart timezone - The time-zone legend.
 * @csspart grid - The weekly grid (role=grid).
 * @csspart column-header - A weekday heading.
 * @csspart row-header - A time heading.
 * @csspart slot - Any offered cell; combined with one of the parts below.
 * @csspart slot-free - A time free every week.
 * @csspart slot-partial - A time free only some weeks.
 * @csspart slot-selected - A chosen time.
 * @csspart slot-unavailable - An offered time that is taken every week.
 * @csspart cell-empty - A time the teacher does not offer that day.
 * @csspart legend - The symbol legend.
 * @csspart notice - A refusal message (e.g. the fifth slot).
 * @csspart summary - The "Monday 16:00 + … = 4 weeks" line.
 * @csspart sessions - The numbered session list.
 * @csspart session - One dated session.
 * @csspart conflicts - The list of weeks that need a choice.
 * @csspart conflict - One conflicting week.
 * @csspart alternative - A button offering another slot; `alternative-selected` when chosen.
 * @csspart alternative-selected - The chosen alternative or resolution.
 * @csspart floating - The floating-sessions box.
 * @csspart purchase-button - The buy button.
 * @csspart purchase-error - The purchase failure message.
 * @csspart confirmation - The purchase confirmation.
 *
 * @cssprop [--spg-font=system-ui, sans-serif] - Font family.
 * @cssprop [--spg-fg=#1f2328] - Text colour.
 * @cssprop [--spg-bg=#ffffff] - Background colour.
 * @cssprop [--spg-muted=#57606a] - Secondary text colour.
 * @cssprop [--spg-border=#d0d7de] - Border colour.
 * @cssprop [--spg-accent=#0b5cad] - Accent (free and selected slots, buttons).
 * @cssprop [--spg-accent-fg=#ffffff] - Text on the accent colour.
 * @cssprop [--spg-partial=#7a4d00] - Colour of slots free only some weeks.
 * @cssprop [--spg-partial-bg=#fff4d6] - Background of slots free only some weeks.
 * @cssprop [--spg-danger=#b3261e] - Conflicts and errors.
 * @cssprop [--spg-focus=#c2410c] - Focus ring.
 * @cssprop [--spg-radius=8px] - Corner radius.
 * @cssprop [--spg-cell=2.75rem] - Minimum slot width and height (44 px touch target).
 */
export class SmartPackGrid extends LitElement {
  static override styles = styles;

  /** Origin and prefix of the API; "" = same origin as the page. */
  @property({ attribute: 'api-base' }) apiBase = '';
  /** The teacher whose weekly grid and tiers are shown (required). */
  @property({ attribute: 'teacher-id' }) teacherId = '';
  /** The subject being booked; passed to the grid and tiers and stored on the package. */
  @property({ attribute: 'subject-id' }) subjectId = '';
  /** Needed to buy; without it the grid still works and the buy button explains why it is off. */
  @property({ attribute: 'student-id' }) studentId = '';
  /** Fixes the pack; without it the parent chooses among the teacher's tiers. */
  @property({ attribute: 'tier-id' }) tierId = '';
  /** IANA zone of the viewer; defaults to the browser's. Times are also shown in it when it differs from the teacher's. */
  @property({ attribute: 'viewer-time-zone' }) viewerTimeZone = '';
  /** How many weeks ahead the grid summarises. */
  @property({ type: Number }) weeks = 8;
  /** The selected weekly times. Setting it from code re-checks but fires no event. */
  @property({ attribute: false }) patterns: RecurringPattern[] = [];
  /** Replace the HTTP client. Defaults to `hono/client` (typed by the API's `AppType`) against `api-base`. */
  @property({ attribute: false }) client?: SmartPackClient;

  @state() private _chosenTierId = '';
  @state() private _resolutions: Resolution[] = [];
  @state() private _notice = '';
  @state() private _announce = '';
  @state() private _slotTaken = '';
  @state() private _purchase: PurchaseState = { status: 'idle' };

  // Set by every user gesture, consumed when the resulting check completes: this is what keeps
  // `smart-pack-change` silent for property changes made by the host page.
  private _userChange = false;
  private _idempotencyKey = '';
  private _idempotencySig = '';
  private _layoutCache?: { grid: WeeklyGrid; locale: string; layout: GridLayout };
  private _fetchClient?: { base: string; client: SmartPackClient };

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  private _abortedOnDisconnect = false;

  // A detached widget must not keep talking to the API (nor let a late answer land): abort
  // everything in flight, and pick the interrupted work up again if it is re-attached.
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const task of this._tasks()) task.abort();
    this._abortedOnDisconnect = true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this._abortedOnDisconnect) return;
    this._abortedOnDisconnect = false;
    for (const task of this._tasks()) if (task.status === TaskStatus.ERROR) void task.run();
  }

  private _tasks() {
    return [this._tiersTask, this._gridTask, this._checkTask] as const;
  }

  private readonly _keyboard = new GridKeyboardController(this, () => this._gridModel());

  private readonly _tiersTask = new Task(this, {
    task: async ([api, teacherId, subjectId]: readonly [SmartPackClient, string, string], { signal }) => {
      if (!teacherId) throw new Error('teacher-id is required');
      return api.tiers(teacherId, subjectId || undefined, signal);
    },
    args: () => [this._api(), this.teacherId, this.subjectId] as const,
  });

  private readonly _gridTask = new Task(this, {
    task: async (
      [api, teacherId, subjectId, weeks, tierId]: readonly [SmartPackClient, string, string, number, string],
      { signal },
    ) => {
      if (!teacherId) throw new Error('teacher-id is required');
      return api.weeklyGrid(teacherId, { subjectId: subjectId || undefined, weeks, tierId: tierId || undefined }, signal);
    },
    // The default tier is not passed, so grid and tiers load in parallel; an explicit choice
    // re-fetches because another tier may have another session length.
    args: () => [this._api(), this.teacherId, this.subjectId, this.weeks, this.tierId || this._chosenTierId] as const,
  });

  private readonly _checkTask = new Task(this, {
    task: async (
      [api, teacherId, tierId, patterns, resolutions]: readonly [
        SmartPackClient,
        string,
        string | undefined,
        RecurringPattern[],
        Resolution[],
      ],
      { signal },
    ): Promise<MultiSlotAvailability | null> => {
      if (!patterns.length || !tierId) return null;
      await sleep(CHECK_DEBOUNCE_MS, signal);
      return api.check(
        { teacherId, tierId, patterns, ...(resolutions.length ? { resolutions } : {}) },
        signal,
      );
    },
    args: () => [this._api(), this.teacherId, this._tier()?.id, this.patterns, this._resolutions] as const,
    onComplete: (result) => this._checked(result),
    onError: (err) => {
      this._userChange = false;
      if ((err as Error)?.name !== 'AbortError') this._announce = this._t().checkFailed;
    },
  });

  // ---------------------------------------------------------------- derived state

  private _api(): SmartPackClient {
    if (this.client) return this.client;
    if (this._fetchClient?.base !== this.apiBase) {
      this._fetchClient = { base: this.apiBase, client: createFetchClient(this.apiBase) };
    }
    return this._fetchClient.client;
  }

  /** Locale from the `lang` attribute, then the page, then the browser. */
  get locale(): string {
    const own = this.getAttribute('lang');
    const page = (this.parentElement?.closest('[lang]') as HTMLElement | null)?.lang || document.documentElement.lang;
    const candidate = own || page || navigator.language || 'en';
    try {
      return Intl.getCanonicalLocales(candidate)[0] ?? 'en';
    } catch {
      return 'en';
    }
  }

  private _t(): Strings {
    return strings(this.locale);
  }

  private _tiers(): Tier[] {
    return this._tiersTask.value?.tiers ?? [];
  }

  private _tier(): Tier | undefined {
    const tiers = this._tiers();
    const wanted = this.tierId || this._chosenTierId;
    return tiers.find((t) => t.id === wanted) ?? (this.tierId ? undefined : tiers[0]);
  }

  private _teacherZone(): string {
    return this._gridTask.value?.timezone ?? this._tiersTask.value?.timezone ?? 'UTC';
  }

  private _viewerZone(): string {
    return safeTimeZone(this.viewerTimeZone) ?? browserTimeZone();
  }

  private _showViewer(): boolean {
    const grid = this._gridTask.value;
    const at = grid ? Date.parse(grid.windowStart) : Date.now();
    return zonesDiffer(this._teacherZone(), this._viewerZone(), at);
  }

  private _layout(): GridLayout | undefined {
    const grid = this._gridTask.value;
    if (!grid) return undefined;
    const locale = this.locale;
    const c = this._layoutCache;
    if (c && c.grid === grid && c.locale === locale) return c.layout;
    const byDay = new Map(grid.availability.map((d) => [d.weekday, d.slots]));
    // Days without any slot are dropped: a column of blanks only costs width on a phone.
    const days = weekdaysInLocaleOrder(locale).filter((w) => (byDay.get(w)?.length ?? 0) > 0);
    const times = [...new Set(grid.availability.flatMap((d) => d.slots.map((s) => s.time)))].sort();
    const cells = times.map((t) => days.map((d) => byDay.get(d)?.find((s) => s.time === t)));
    const layout = { days, times, cells };
    this._layoutCache = { grid, locale, layout };
    return layout;
  }

  private _isSelected(weekday: Weekday, time: string): boolean {
    return this.patterns.some((p) => p.weekday === weekday && p.time === time);
  }

  private _gridModel(): GridModel | undefined {
    const l = this._layout();
    if (!l) return undefined;
    return {
      rows: l.times.length,
      cols: l.days.length,
      rtl: isRtl(this.locale),
      navigable: (r, c) => !!l.cells[r]?.[c],
      preferred: () => {
        for (let r = 0; r < l.times.length; r++)
          for (let c = 0; c < l.days.length; c++) if (this._isSelected(l.days[c]!, l.times[r]!)) return [r, c];
        for (let r = 0; r < l.times.length; r++)
          for (let c = 0; c < l.days.length; c++) if (l.cells[r]![c]?.available) return [r, c];
        return undefined;
      },
      activate: (r, c) => this._toggle(l.days[c]!, l.cells[r]![c]!),
    };
  }

  // ---------------------------------------------------------------- user actions

  private _toggle(weekday: Weekday, slot: GridSlot): void {
    const t = this._t();
    if (this._isSelected(weekday, slot.time)) {
      this._notice = '';
      this._setPatterns(this.patterns.filter((p) => !(p.weekday === weekday && p.time === slot.time)));
      return;
    }
    if (!slot.available) return;
    if (this.patterns.length >= MAX_SLOTS) {
      this._notice = t.maxSlots(formatNumber(this.locale, MAX_SLOTS));
      return;
    }
    this._notice = '';
    this._setPatterns([...this.patterns, { weekday, time: slot.time }]);
  }

  private _setPatterns(next: RecurringPattern[]): void {
    this._userChange = true;
    this._slotTaken = '';
    this.patterns = next;
    // A resolution names one occurrence of a pattern; drop those whose pattern is gone.
    const kept = this._resolutions.filter((r) => this._isSelected(weekdayOfDate(r.date), r.time));
    if (kept.length !== this._resolutions.length) this._resolutions = kept;
    if (this._purchase.status === 'failed') this._purchase = { status: 'idle' };
  }

  private _resolve(conflict: Conflict, resolution: Resolution): void {
    this._userChange = true;
    this._slotTaken = '';
    this._resolutions = [
      ...this._resolutions.filter((r) => !(r.date === conflict.date && r.time === conflict.time)),
      ...(resolution.action === 'extend' ? [] : [resolution]),
    ];
  }

  private _replacePattern(index: number, alt: SlotRef): void {
    const next = this.patterns.slice();
    next[index] = { weekday: alt.weekday, time: alt.time };
    this._setPatterns(next);
  }

  private _chooseTier(id: string): void {
    if (id === this._tier()?.id) return;
    this._userChange = this.patterns.length > 0;
    this._chosenTierId = id;
    this._purchase = { status: 'idle' };
  }

  private _retryLoad(): void {
    void this._tiersTask.run();
    void this._gridTask.run();
  }

  private _checked(result: MultiSlotAvailability | null): void {
    const t = this._t();
    if (result) {
      const conflicts = result.patterns.reduce((n, p) => n + p.conflicts.length, 0);
      const n = formatNumber(this.locale, result.scheduledSessions.length);
      const w = formatNumber(this.locale, result.totalWeeksNeeded);
      this._announce = t.announceOk(n, w) + (conflicts ? ' ' + t.announceConflicts(formatNumber(this.locale, conflicts)) : '');
    } else {
      this._announce = '';
    }
    if (!this._userChange) return;
    this._userChange = false;
    this._emit(
      new SmartPackChangeEvent({
        patterns: this.patterns,
        sessions: result?.scheduledSessions ?? [],
        validation: result,
      }),
    );
  }

  // Events are documented by the class's @fires tags; dispatching through one helper keeps the
  // manifest analyzer from inventing unnamed entries out of the constructor arguments.
  private _emit(event: Event): void {
    this.dispatchEvent(event);
  }

  private async _buy(): Promise<void> {
    const tier = this._tier();
    if (!tier || !this.studentId || this._purchase.status === 'pending') return;
    const t = this._t();
    const body = {
      studentId: this.studentId,
      teacherId: this.teacherId,
      subjectId: this.subjectId,
      tierId: tier.id,
      recurringPatterns: this.patterns,
      ...(this._resolutions.length ? { resolutions: this._resolutions } : {}),
    };
    // The key belongs to the selection, not to the click: retrying the same selection after a
    // lost response replays the first purchase instead of buying again.
    const sig = JSON.stringify({ ...body, recurringPatterns: this.patterns.map(key).sort() });
    if (sig !== this._idempotencySig) {
      this._idempotencySig = sig;
      this._idempotencyKey = uuid();
    }
    this._purchase = { status: 'pending' };
    try {
      const pkg = await this._api().purchase({ ...body, idempotencyKey: this._idempotencyKey });
      this._purchase = { status: 'done', pkg };
      this._announce = t.purchased;
      this._emit(new SmartPackPurchasedEvent(pkg));
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) {
        // The server refused: nothing was bought, so the next attempt is a new purchase.
        this._idempotencySig = '';
        if (err.code === 'slot_taken') {
          const details = err.details as SlotTakenDetails | undefined;
          const taken = (details?.conflicts ?? [])
            .map((c) => `${weekdayName(this.locale, c.weekday ?? weekdayOfDate(c.date))} ${formatDate(this.locale, c.date)} ${formatClock(this.locale, c.time)}`)
            .join(', ');
          this._slotTaken = t.slotTaken(taken);
          this._purchase = { status: 'idle' };
          this._announce = this._slotTaken;
          this._userChange = true;
          void this._checkTask.run();
          return;
        }
        this._purchase = { status: 'failed', retryable: false, message: err.message };
      } else {
        this._purchase = { status: 'failed', retryable: true, message: t.networkError };
      }
      this._announce = this._purchase.message;
    }
  }

  // ---------------------------------------------------------------- rendering

  override render(): TemplateResult {
    const locale = this.locale;
    const rtl = isRtl(locale);
    const tiersFailed = this._tiersTask.status === TaskStatus.ERROR;
    const gridFailed = this._gridTask.status === TaskStatus.ERROR;
    const loading = !tiersFailed && !gridFailed && (!this._tiersTask.value || !this._gridTask.value);
    let body: unknown;
    if (tiersFailed || gridFailed) body = this._renderError();
    else if (loading) body = this._renderSkeleton();
    else if (this._purchase.status === 'done') body = this._renderConfirmation(this._purchase.pkg);
    else body = this._renderBooking();
    return html`<div part="base" class="base" dir=${rtl ? 'rtl' : 'ltr'} lang=${locale} aria-busy=${loading ? 'true' : 'false'}>
      ${body}
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this._announce}</div>
    </div>`;
  }

  private _renderSkeleton(): TemplateResult {
    return html`<div part="skeleton" class="skeleton">
      <p class="sr-only">${this._t().loading}</p>
      <div class="bone wide" aria-hidden="true"></div>
      <div class="bone" aria-hidden="true"></div>
      <div class="bones" aria-hidden="true">${Array.from({ length: 24 }, () => html`<div class="bone cell"></div>`)}</div>
    </div>`;
  }

  private _renderError(): TemplateResult {
    const t = this._t();
    return html`<div part="error" class="error" role="alert">
      <p><span aria-hidden="true">⚠ </span>${t.loadError}</p>
      <button part="retry-button" type="button" @click=${this._retryLoad}>${t.retry}</button>
    </div>`;
  }

  private _renderPack(): TemplateResult | typeof nothing {
    const tier = this._tier();
    if (!tier) return nothing;
    const t = this._t();
    const L = this.locale;
    const n = (x: number) => formatNumber(L, x);
    const tiers = this._tiers();
    const chooser =
      !this.tierId && tiers.length > 1
        ? html`<fieldset class="tiers">
            <legend>${t.choosePack}</legend>
            ${tiers.map(
              (x) => html`<label part=${x.id === tier.id ? 'tier tier-selected' : 'tier'} class="tier">
                <input type="radio" name="tier" .checked=${x.id === tier.id} @change=${() => this._chooseTier(x.id)} />
                <span class="tier-name">${x.name}</span>
                <span>${t.packSplit(n(x.sessionCount), n(x.recurringCount), n(x.floatingCount))}</span>
                <strong>${formatMoney(L, x.priceMinor, x.currency)}</strong>
              </label>`,
            )}
          </fieldset>`
        : nothing;
    return html`<section part="pack" class="pack" aria-labelledby="pack-title">
      <h2 id="pack-title">${t.pack(n(tier.sessionCount))}</h2>
      <p>${t.packSplit(n(tier.sessionCount), n(tier.recurringCount), n(tier.floatingCount))}</p>
      <p class="price">
        <strong>${formatMoney(L, tier.priceMinor, tier.currency)}</strong>
        ${tier.savingsMinor > 0
          ? html`<s><span class="sr-only">${t.listPrice} </span>${formatMoney(L, tier.listPriceMinor, tier.currency)}</s>
              <span part="savings" class="savings"
                >${t.save(formatMoney(L, tier.savingsMinor, tier.currency), formatPercent(L, tier.discountPercent))}</span
              >`
          : nothing}
      </p>
      ${chooser}
    </section>`;
  }

  private _renderBooking(): TemplateResult {
    const t = this._t();
    const layout = this._layout()!;
    const hasFree = layout.cells.some((row) => row.some((s) => s?.available));
    const tier = this._tier();
    return html`${this._renderPack()}
    ${hasFree
      ? html`<section class="pick" aria-labelledby="grid-title">
          <h2 id="grid-title">
            ${t.gridTitle(formatNumber(this.locale, tier?.recurringCount ?? 0))}
          </h2>
          ${this._renderZones()} ${this._renderGrid(layout)} ${this._renderLegend()}
          ${this._notice ? html`<p part="notice" class="notice" role="alert">${this._notice}</p>` : nothing}
          ${this._renderResult()}
        </section>`
      : html`<p part="empty" class="empty-state">${t.empty}</p>`}`;
  }

  private _renderZones(): TemplateResult {
    const t = this._t();
    return html`<p part="timezone" class="tz">
      ${t.tzTeacher(this._teacherZone())}${this._showViewer()
        ? html` · <i>${t.tzViewer(this._viewerZone())}</i>`
        : nothing}
    </p>`;
  }

  /** The viewer's wall-clock for a teacher-local weekday + time, on its first occurrence in the window. */
  private _viewerClock(weekday: Weekday, time: string): { weekday: Weekday; time: string } {
    const grid = this._gridTask.value!;
    const tz = this._teacherZone();
    const start = instantIn(Date.parse(grid.windowStart), tz).date;
    const date = addDays(start, (weekdayIndex(weekday) - weekdayIndex(weekdayOfDate(start)) + 7) % 7);
    return instantIn(zonedToUtc(date, time, tz), this._viewerZone());
  }

  private _renderGrid(l: GridLayout): TemplateResult {
    const t = this._t();
    const L = this.locale;
    const viewer = this._showViewer();
    return html`<div class="scroller">
      <div
        part="grid"
        class="grid"
        role="grid"
        aria-labelledby="grid-title"
        aria-describedby="legend"
        aria-multiselectable="true"
        style="--cols:${l.days.length}"
        @keydown=${this._keyboard.onKeydown}
      >
        <div role="row" class="row">
          <div role="columnheader" part="column-header" class="corner">${t.time}</div>
          ${l.days.map(
            (d) => html`<div role="columnheader" part="column-header">
              <abbr title=${weekdayName(L, d)}>${weekdayName(L, d, 'short')}</abbr>
            </div>`,
          )}
        </div>
        ${l.times.map((time, r) => {
          const first = l.cells[r]!.findIndex(Boolean);
          const v = viewer && first >= 0 ? this._viewerClock(l.days[first]!, time) : undefined;
          return html`<div role="row" class="row">
            <div role="rowheader" part="row-header" class="rowhead">
              ${formatClock(L, time)}${v ? html`<i class="viewer"><span class="sr-only">, ${t.yourTime} </span>${formatClock(L, v.time)}</i>` : nothing}
            </div>
            ${l.days.map((day, c) => this._renderCell(day, l.cells[r]![c], r, c, viewer))}
          </div>`;
        })}
      </div>
    </div>`;
  }

  private _renderCell(day: Weekday, slot: GridSlot | undefined, r: number, c: number, viewer: boolean): TemplateResult {
    if (!slot) return html`<div role="gridcell" part="cell-empty" class="cell empty"></div>`;
    const t = this._t();
    const L = this.locale;
    const selected = this._isSelected(day, slot.time);
    const state = !slot.available ? 'unavailable' : slot.status === 'partial' ? 'partial' : 'free';
    const freeText =
      state === 'free'
        ? t.freeAll
        : state === 'partial'
          ? t.freeSome(formatNumber(L, slot.freeWeeks), formatNumber(L, slot.weeks))
          : `${t.taken}${slot.reason ? ` (${t.reason[slot.reason]})` : ''}`;
    const icon = selected ? '●' : state === 'free' ? '○' : state === 'partial' ? '◐' : '✕';
    const v = viewer ? this._viewerClock(day, slot.time) : undefined;
    const parts = `slot slot-${state}${selected ? ' slot-selected' : ''}`;
    return html`<div
      role="gridcell"
      part=${parts}
      class="cell ${state}${selected ? ' selected' : ''}"
      data-r=${r}
      data-c=${c}
      data-weekday=${day}
      data-time=${slot.time}
      tabindex=${this._keyboard.tabIndex(r, c)}
      aria-selected=${selected ? 'true' : 'false'}
      aria-disabled=${slot.available ? 'false' : 'true'}
      title=${freeText}
      @click=${() => {
        this._keyboard.setActive(r, c);
        this._toggle(day, slot);
      }}
    >
      <span aria-hidden="true" class="icon">${icon}</span>
      ${state === 'partial'
        ? html`<span aria-hidden="true" class="frac">${formatNumber(L, slot.freeWeeks)}/${formatNumber(L, slot.weeks)}</span>`
        : nothing}
      <span class="sr-only"
        >${weekdayName(L, day)} ${formatClock(L, slot.time)}${v
          ? ` (${t.yourTime}: ${weekdayName(L, v.weekday)} ${formatClock(L, v.time)})`
          : ''}, ${freeText}</span
      >
    </div>`;
  }

  private _renderLegend(): TemplateResult {
    const t = this._t();
    return html`<p part="legend" class="legend" id="legend">
      <span><span aria-hidden="true" class="icon">○</span> ${t.legendFree}</span>
      <span><span aria-hidden="true" class="icon">◐</span> ${t.legendPartial(formatNumber(this.locale, this._gridTask.value?.weeks ?? this.weeks))}</span>
      <span><span aria-hidden="true" class="icon">●</span> ${t.legendSelected}</span>
      <span><span aria-hidden="true" class="icon">✕</span> ${t.legendUnavailable}</span>
      <span>${t.legendEmpty}</span>
    </p>`;
  }

  private _renderResult(): TemplateResult {
    const t = this._t();
    const L = this.locale;
    const tier = this._tier();
    if (!this.patterns.length || !tier) return html`<p class="hint">${t.pickHint}</p>`;
    const order = weekdaysInLocaleOrder(L);
    const sorted = this.patterns
      .slice()
      .sort((a, b) => order.indexOf(a.weekday) - order.indexOf(b.weekday) || a.time.localeCompare(b.time));
    const n = sorted.length;
    const weeks = Math.ceil(tier.recurringCount / n);
    const pending = this._checkTask.status === TaskStatus.PENDING;
    const failed = this._checkTask.status === TaskStatus.ERROR;
    const av = this._checkTask.value ?? undefined;
    const extra = av ? av.totalWeeksNeeded - weeks : 0;
    return html`<div part="summary" class="summary">
        <p>
          <strong>${sorted.map((p) => `${weekdayName(L, p.weekday)} ${formatClock(L, p.time)}`).join(' + ')}</strong>
          (${t.perWeek(formatNumber(L, n))}) ·
          ${t.division(formatNumber(L, tier.recurringCount), formatNumber(L, n), formatNumber(L, weeks))}
          ${extra > 0 ? html`<span class="extra">(${t.extraWeeks(formatNumber(L, extra))})</span>` : nothing}
        </p>
        ${pending ? html`<p class="checking"><span class="spinner" aria-hidden="true"></span>${t.checking}</p>` : nothing}
        ${failed
          ? html`<p class="problem" part="error"><span aria-hidden="true">⚠ </span>${this._checkError()}
              <button type="button" part="retry-button" @click=${() => this._checkTask.run()}>${t.retry}</button></p>`
          : nothing}
        ${this._slotTaken ? html`<p class="problem" part="notice" role="alert"><span aria-hidden="true">⚠ </span>${this._slotTaken}</p>` : nothing}
      </div>
      ${av ? html`${this._renderConflicts(av)}${this._renderSessions(av)}${this._renderFloating(tier, av)}` : nothing}
      ${this._renderPurchase(tier, av, pending)}`;
  }

  private _checkError(): string {
    const e = this._checkTask.error;
    return e instanceof ApiError && e.status < 500 ? e.message : this._t().checkFailed;
  }

  private _slotLabel(s: { date: string; time: string }): string {
    return `${formatDate(this.locale, s.date)} ${formatClock(this.locale, s.time)}`;
  }

  private _renderConflicts(av: MultiSlotAvailability): TemplateResult | typeof nothing {
    const t = this._t();
    const L = this.locale;
    const withConflicts = av.patterns
      .map((p) => ({ p, index: this.patterns.findIndex((x) => x.weekday === p.weekday && x.time === p.time) }))
      .filter(({ p }) => p.conflicts.length);
    if (!withConflicts.length) return nothing;
    return html`<section part="conflicts" class="conflicts" aria-labelledby="conflicts-title">
      <h3 id="conflicts-title"><span aria-hidden="true">⚠ </span>${t.conflictsTitle}</h3>
      ${withConflicts.map(({ p, index }) => {
        const replacements = [
          ...new Map(
            p.conflicts
              .flatMap((c) => c.alternatives)
              .filter((a) => !this._isSelected(a.weekday, a.time))
              .map((a) => [key(a), a]),
          ).values(),
        ];
        return html`<div class="pattern-conflicts">
          <h4>${weekdayName(L, p.weekday)} ${formatClock(L, p.time)}</h4>
          <ul>
            ${p.conflicts.map((c) => this._renderConflict(c))}
          </ul>
          ${replacements.length && index >= 0
            ? html`<p class="choices">
                ${t.replaceSlot}
                ${replacements.map(
                  (a) => html`<button type="button" part="alternative" class="alt" @click=${() => this._replacePattern(index, a)}>
                    ${weekdayName(L, a.weekday)} ${formatClock(L, a.time)}
                  </button>`,
                )}
              </p>`
            : nothing}
        </div>`;
      })}
    </section>`;
  }

  private _renderConflict(c: Conflict): TemplateResult {
    const t = this._t();
    const chosen = this._resolutions.find((r) => r.date === c.date && r.time === c.time);
    const action = chosen?.action ?? 'extend';
    const btn = (label: string, pressed: boolean, res: Resolution) =>
      html`<button
        type="button"
        part=${pressed ? 'alternative alternative-selected' : 'alternative'}
        class="alt"
        aria-pressed=${pressed ? 'true' : 'false'}
        @click=${() => this._resolve(c, res)}
      >
        ${pressed ? html`<span aria-hidden="true">✓ </span>` : nothing}${label}
      </button>`;
    return html`<li part="conflict" class="conflict">
      <p><span aria-hidden="true">✕ </span><strong>${this._slotLabel(c)}</strong> — ${t.reason[c.reason]}</p>
      <div class="choices" role="group" aria-label=${this._slotLabel(c)}>
        ${c.alternatives.length ? html`<span>${t.insteadThisWeek}</span>` : nothing}
        ${c.alternatives.map((a) =>
          btn(
            this._slotLabel(a),
            chosen?.action === 'alternative' && chosen.alternative.date === a.date && chosen.alternative.time === a.time,
            { date: c.date, time: c.time, action: 'alternative', alternative: { date: a.date, time: a.time } },
          ),
        )}
        ${btn(t.skipWeek, action === 'extend', { date: c.date, time: c.time, action: 'extend' })}
        ${btn(t.makeFloating, action === 'float', { date: c.date, time: c.time, action: 'float' })}
      </div>
    </li>`;
  }

  private _renderSessions(av: MultiSlotAvailability): TemplateResult | typeof nothing {
    if (!av.scheduledSessions.length) return nothing;
    const t = this._t();
    const L = this.locale;
    const viewer = this._showViewer();
    const vz = this._viewerZone();
    return html`<section part="sessions" class="sessions" aria-labelledby="sessions-title">
      <h3 id="sessions-title">${t.sessionsTitle(formatNumber(L, av.scheduledSessions.length))}</h3>
      <ol>
        ${av.scheduledSessions.map((s) => {
          const v = viewer ? instantIn(Date.parse(s.startUtc), vz) : undefined;
          return html`<li part="session" class="session">
            <span class="num">${t.session(formatNumber(L, s.sessionNumber))}</span>
            <span>${formatDate(L, s.date)} · ${formatClock(L, s.time)}</span>
            ${v ? html`<i class="viewer">${t.yourTime}: ${this._slotLabel(v)}</i>` : nothing}
            ${s.patternIndex === null ? html`<span class="badge">↔ ${t.altBadge}</span>` : nothing}
          </li>`;
        })}
      </ol>
    </section>`;
  }

  private _renderFloating(tier: Tier, av: MultiSlotAvailability): TemplateResult | typeof nothing {
    const count = tier.floatingCount + (av.floated ?? 0);
    if (!count) return nothing;
    const t = this._t();
    const L = this.locale;
    const end = av.packageEndDate ? instantIn(Date.parse(av.packageEndDate), this._teacherZone()).date : undefined;
    return html`<section part="floating" class="floating">
      <h3>${t.floatingTitle(formatNumber(L, count))}</h3>
      <p>${end ? t.floatingBy(formatDate(L, end, true)) : t.floatingAfter(formatNumber(L, tier.gracePeriodDays))}</p>
    </section>`;
  }

  private _renderPurchase(tier: Tier, av: MultiSlotAvailability | undefined, pending: boolean): TemplateResult {
    const t = this._t();
    const p = this._purchase;
    const busy = p.status === 'pending';
    const disabled = busy || pending || !av?.available || !this.studentId;
    return html`<div class="purchase">
      ${p.status === 'failed'
        ? html`<p part="purchase-error" class="problem" role="alert"><span aria-hidden="true">⚠ </span>${p.message}</p>`
        : nothing}
      <button part="purchase-button" class="buy" type="button" ?disabled=${disabled} aria-busy=${busy ? 'true' : 'false'} @click=${this._buy}>
        ${busy ? t.buying : p.status === 'failed' && p.retryable ? t.tryAgain : t.buy(formatMoney(this.locale, tier.priceMinor, tier.currency))}
      </button>
      ${this.studentId ? nothing : html`<p class="hint">${t.needStudent}</p>`}
    </div>`;
  }

  private _renderConfirmation(pkg: PackageView): TemplateResult {
    const t = this._t();
    const L = this.locale;
    const first = pkg.sessions[0];
    const by = pkg.gracePeriodEnds ? instantIn(Date.parse(pkg.gracePeriodEnds), pkg.timezone).date : undefined;
    return html`${this._renderPack()}
      <section part="confirmation" class="confirmation" aria-labelledby="done-title">
        <h2 id="done-title"><span aria-hidden="true">✓ </span>${t.purchased}</h2>
        <p>
          ${t.purchasedDetail(
            formatNumber(L, pkg.recurringSessionCount),
            first ? this._slotLabel(first) : '—',
            formatNumber(L, pkg.floatingSessionsLeft),
            by ? formatDate(L, by, true) : '—',
          )}
        </p>
        <ol>
          ${pkg.sessions.map(
            (s) => html`<li part="session" class="session">
              ${s.sessionNumber === null ? nothing : html`<span class="num">${t.session(formatNumber(L, s.sessionNumber))}</span>`}
              ${this._slotLabel(s)}
            </li>`,
          )}
        </ol>
        <p class="hint">${t.reference(pkg.id)}</p>
      </section>`;
  }
}

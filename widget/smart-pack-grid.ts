import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import type { MultiSlotAvailability, RecurringPattern, Resolution, WeeklyGrid } from '../api/contract/wire.js';
import {
  ApiError,
  createFetchClient,
  type PackageView,
  type SmartPackClient,
  type Tier,
  type TiersResponse,
} from './api-client.js';
import { SmartPackElement } from './base-element.js';
import { browserTimeZone, isRtl, knowZoneLabels, safeTimeZone, zonesDiffer } from './format.js';
import { BookingController } from './grid/booking-controller.js';
import { localName, type GridContext } from './grid/context.js';
import { strings } from './grid/i18n.js';
import { GridKeyboardController } from './grid/keyboard-controller.js';
import { gridLayout, keyboardModel } from './grid/layout.js';
import { renderConflicts } from './grid/render-conflicts.js';
import { DayViewController, renderDays } from './grid/render-days.js';
import { renderGrid, renderLegend, renderZones } from './grid/render-grid.js';
import { renderPack } from './grid/render-pack.js';
import { renderEnded, renderHold } from './grid/render-hold.js';
import { renderConfirmation, renderPurchase } from './grid/render-purchase.js';
import { renderReview } from './grid/render-review.js';
import { renderFloating, renderSessions } from './grid/render-sessions.js';
import { renderLoadError, renderSkeleton } from './grid/render-status.js';
import { renderSummary } from './grid/render-summary.js';
import { styles } from './smart-pack-grid.styles.js';

export { MAX_SLOTS } from './grid/booking-controller.js';
/** Quiet period after the last change before the availability check is sent. */
export const CHECK_DEBOUNCE_MS = 150;
/** At this element width (CSS px) and below, the day view replaces the weekly grid (the styles' container query agrees). */
export const NARROW_PX = 480;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const id = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(id);
      reject(signal.reason);
    });
  });

/**
 * `<smart-pack-grid>` — choose a Smart Pack and its weekly times, see every dated session and
 * resolve conflicts before buying. Registered by `index.ts`; this module only defines the class.
 *
 * @tagname smart-pack-grid
 * @summary Multi-slot weekly booking grid for Smart Packs.
 *
 * @attr lang - `ar` or `en` (any BCP 47 tag). Defaults to the nearest `lang` on the page, then the browser.
 *
 * Layout: at an element width of 480 px or less (its own width, not the viewport's) a day view replaces
 * the weekly grid: a strip of the seven days, then the chosen day's times, with the same selection and events.
 *
 * @fires {SmartPackChangeEvent} smart-pack-change - The parent changed the selection and it was checked. Detail: `{ patterns, sessions, validation }`. Not fired for changes made from code.
 * @fires {SmartPackHoldEvent} smart-pack-hold - The purchase holds the slots until the school's checkout is paid (or a reload resumed such a hold): open the checkout. Detail: `{ package, holdExpiresAt, resumed }`.
 * @fires {SmartPackPurchasedEvent} smart-pack-purchased - The API says the package is active (at once when the school needs no payment, else once its server confirmed the payment). Detail: `{ package }`.
 *
 * @csspart base - The outer wrapper.
 * @csspart pack - The pack summary (sessions, price, savings).
 * @csspart savings - The saving against single sessions, in the pack summary and on each pack option.
 * @csspart tier - A pack option in the chooser; `tier-selected` is added to the chosen one.
 * @csspart tier-selected - The chosen pack option.
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
 * @csspart day-shift - The "+1 day" / "−1 day" mark after a viewer time whose date is not the teacher's.
 * @csspart days - The day view's strip of days (role=tablist), when the element is 480 px wide or less.
 * @csspart day-chip - A day in the strip (weekday, date, free count); `day-chip-selected` on the day shown.
 * @csspart day-chip-selected - The day whose times are shown.
 * @csspart day-slots - The day view's list of that day's times (role=listbox); each time is a `slot`.
 * @csspart tier-select - The pack chooser as one select, in the day view.
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
 * @csspart child-chooser - The "who is this pack for?" radio group, when the parent token names several children.
 * @csspart child - One child in the chooser.
 * @csspart continue-button - "Continue": from the grid to the review.
 * @csspart review - The review before paying: child, pack, price, sessions, busy weeks.
 * @csspart review-child - The child's name in the review.
 * @csspart review-price - The price in the review.
 * @csspart review-weeks - The busy weeks to confirm, in the review.
 * @csspart review-week - One busy week and the choice made for it.
 * @csspart week-confirm - The checkbox confirming one busy week's choice.
 * @csspart back-button - "Back" from the review to the grid.
 * @csspart purchase-button - "Reserve and pay", in the review.
 * @csspart purchase-error - The purchase (or cancel) failure message.
 * @csspart hold - The "waiting for your payment" panel.
 * @csspart countdown - The time left on the hold.
 * @csspart cancel-hold - "Cancel reservation".
 * @csspart hold-ended - The message when the hold lapsed or was cancelled.
 * @csspart choose-again - "Choose times again", after a lapsed or cancelled hold.
 * @csspart confirmation - The purchase confirmation.
 * @csspart manage-link - "Manage my pack", in the confirmation.
 * @csspart calendar-link - "Add to calendar", in the confirmation.
 * @csspart book-another - "Book another pack", in the confirmation.
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
export class SmartPackGrid extends SmartPackElement<SmartPackClient> {
  static override styles = styles;

  /** The teacher whose weekly grid and tiers are shown (required). */
  @property({ attribute: 'teacher-id' }) teacherId = '';
  /** The subject being booked; passed to the grid and tiers and stored on the package. */
  @property({ attribute: 'subject-id' }) subjectId = '';
  /**
   * The parent token the school's server minted (`POST /auth/parent-tokens`): sent as the bearer to buy.
   * When it names several children, the parent chooses one above the buy button.
   */
  @property({ attribute: 'parent-token' }) parentToken = '';
  /** Preselects the child; with a `parent-token` it must be one of the token's children (else ignored). */
  @property({ attribute: 'student-id' }) studentId = '';
  /** Fixes the pack; without it the parent chooses among the teacher's tiers. */
  @property({ attribute: 'tier-id' }) tierId = '';
  /** IANA zone of the viewer; defaults to the browser's. Times are also shown in it when it differs from the teacher's. */
  @property({ attribute: 'viewer-time-zone' }) viewerTimeZone = '';
  /** How many weeks ahead the grid summarises. */
  @property({ type: Number }) weeks = 8;
  /** The selected weekly times. Setting it from code re-checks but fires no event. */
  @property({ attribute: false }) patterns: RecurringPattern[] = [];

  /** The child the parent picked in the chooser. */
  @state() private _child = '';
  /** The element is a phone's width (≤ `NARROW_PX`): the day view replaces the weekly grid. */
  @state() private _narrow = false;
  /** `_narrow` has been read for this connection (by `_measure` or the observer). */
  private _measured = false;
  private _resize?: ResizeObserver;
  private readonly _days = new DayViewController(this);

  private readonly _booking = new BookingController(this, {
    tier: () => this._tier(),
    client: () => this.api(),
    recheck: () => void this._checkTask.run(),
  });

  private readonly _keyboard = new GridKeyboardController(this, () => {
    const grid = this._grid;
    return grid && keyboardModel(gridLayout(grid, this.locale), isRtl(this.locale), this._booking);
  });

  // The last answers: a Task forgets its value when a later run fails, but a failed re-load (another tier
  // chosen while the server is down) must keep the widget and say so inline. Cleared with the teacher.
  private _tiers?: TiersResponse;
  private _grid?: WeeklyGrid;

  // The first screen is one request: the grid's answer carries the tiers and the zones' names in the page's
  // language, so nothing waits on a second answer and no locale data is loaded to name a zone. A client
  // whose answer has no tiers (an injected one, an older API) gets them asked for after; names then come
  // from the browser's Intl. An explicit tier re-fetches: another tier may have another session length.
  private readonly _gridTask = new Task(this, {
    task: async (
      [api, teacherId, subjectId, weeks, tierId]: readonly [SmartPackClient, string, string, number, string],
      { signal },
    ) => {
      if (!teacherId) throw new Error('teacher-id is required');
      const locale = this.locale;
      const query = { subjectId: subjectId || undefined, weeks, tierId: tierId || undefined };
      const hints = { include: 'tiers', lang: locale, viewerTimeZone: this._viewerZone() } as const;
      // The hints are the browser's: a language tag or zone the API does not know must not cost the grid.
      const grid = await api.weeklyGrid(teacherId, { ...query, ...hints }, signal).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'validation_error') return api.weeklyGrid(teacherId, query, signal);
        throw err;
      });
      const tiers = grid.tiers ?? (await api.tiers(teacherId, subjectId || undefined, signal));
      if (grid.zoneLabels) knowZoneLabels(locale, Date.parse(grid.windowStart), grid.zoneLabels);
      return { grid, tiers };
    },
    args: () =>
      [this.api(), this.teacherId, this.subjectId, this.weeks, this.tierId || this._booking.chosenTierId] as const,
    onComplete: ({ grid, tiers }) => {
      this._grid = grid;
      this._tiers = tiers;
    },
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
      return api.check({ teacherId, tierId, patterns, ...(resolutions.length ? { resolutions } : {}) }, signal);
    },
    args: () => [this.api(), this.teacherId, this._tier()?.id, this.patterns, this._booking.resolutions] as const,
    onComplete: (result) => this._booking.checked(result),
    onError: (err) => this._booking.checkFailed(err),
  });

  // Who the token names; the grid does not wait for it (only the buy button needs it).
  private readonly _parentTask = new Task(this, {
    task: async ([api, token]: readonly [SmartPackClient, string], { signal }) =>
      token && api.parent ? api.parent(signal) : null,
    args: () => [this.api(), this.parentToken] as const,
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another teacher, subject or school: what was kept belongs to the old one.
    const keys: ReadonlyMap<PropertyKey, unknown> = changed;
    if (['teacherId', 'subjectId', 'apiBase', 'publishableKey', 'client'].some((k) => keys.has(k)))
      this._tiers = this._grid = undefined;
    if (this._grid && !this._measured) this._measure();
  }

  // The element's own width, not the viewport's: a narrow column of a wide page is a phone layout too. The
  // observer watches a zero-height probe as wide as the element, not the element itself: re-rendering
  // changes the element's height, which the observer would report again (a "loop"), but never the probe's
  // size, so the switch can happen at once, in the same frame, with no flash of the other layout.
  private _observe(): void {
    const probe = this.renderRoot.querySelector('.probe');
    if (!probe) return;
    this._resize ??= new ResizeObserver(([entry]) => {
      const width = entry?.contentRect.width ?? 0;
      this._narrow = width > 0 && width <= NARROW_PX;
      this._measured = true;
    });
    this._resize.observe(probe);
  }

  protected override firstUpdated(): void {
    this._observe();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._measured = false;
    if (this.hasUpdated) this._observe();
  }

  /**
   * The element's width, read before the first render that depends on it (the grid's, not the loading
   * placeholder's): the observer reports only with the page's next frame, which a background tab does not
   * paint. Read then, not on connecting, where it would force the whole page's style and layout while the
   * requests are not even sent; by the time an answer is here the layout is usually clean and the read free.
   */
  private _measure(): void {
    const style = getComputedStyle(this);
    const width = this.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    this._narrow = width > 0 && width <= NARROW_PX;
    this._measured = true;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._resize?.disconnect();
  }

  protected override createClient(apiBase: string): SmartPackClient {
    return createFetchClient(
      apiBase,
      undefined,
      () => this.parentToken,
      () => this.publishableKey,
    );
  }

  protected override apiTasks() {
    return [this._gridTask, this._checkTask, this._parentTask];
  }

  /** Who the pack is for: without a token `student-id`; with one, a child it names (chosen, preselected or the only one). */
  get buyerId(): string {
    if (!this.parentToken) return this.studentId;
    const children = this._parentTask.value?.students ?? [];
    const wanted = this._child || this.studentId;
    if (children.some((child) => child.id === wanted)) return wanted;
    return children.length === 1 ? children[0]!.id : '';
  }

  /** The sessionStorage key of this element's hold: one per API, school (publishable key) and teacher. */
  get holdKey(): string {
    return this.teacherId ? `spg-hold:${this.apiBase}|${this.publishableKey}|${this.teacherId}` : '';
  }

  // ---------------------------------------------------------------- derived state

  /** The API base without its trailing slash, for the links the API answers as paths. */
  private _onApi(path: string): string {
    return path ? `${this.apiBase.replace(/\/+$/, '')}${path}` : '';
  }

  private _links(pkg: PackageView, manageUrl: string) {
    const lang = encodeURIComponent(this.locale);
    return {
      manage: manageUrl && this._onApi(`${manageUrl}${manageUrl.includes('?') ? '&' : '?'}lang=${lang}`),
      calendar: this._onApi(pkg.calendarPath),
    };
  }

  private _tier(): Tier | undefined {
    const tiers = this._tiers?.tiers ?? [];
    const wanted = this.tierId || this._booking.chosenTierId;
    return tiers.find((t) => t.id === wanted) ?? (this.tierId ? undefined : tiers[0]);
  }

  private _viewerZone(): string {
    return safeTimeZone(this.viewerTimeZone) ?? browserTimeZone();
  }

  private _context(): GridContext {
    const locale = this.locale;
    const grid = this._grid;
    const teacher = grid?.timezone ?? this._tiers?.timezone ?? 'UTC';
    const viewer = this._viewerZone();
    const at = grid ? Date.parse(grid.windowStart) : Date.now();
    return {
      t: strings(locale),
      locale,
      booking: this._booking,
      zones: { teacher, viewer },
      showViewer: zonesDiffer(teacher, viewer, at),
      at,
    };
  }

  private _checkError(): string {
    const e = this._checkTask.error;
    return e instanceof ApiError && e.status < 500 ? e.message : strings(this.locale).checkFailed;
  }

  // ---------------------------------------------------------------- rendering

  override render(): TemplateResult {
    const c = this._context();
    const { t, locale } = c;
    // A load that failed with nothing to show yet replaces the widget; one that failed after a first answer
    // (the tier changed while the server is down) keeps it and says so inline.
    const failed = this._gridTask.status === TaskStatus.ERROR && !this._grid;
    const loading = !failed && (!this._tiers || !this._grid);
    const purchase = this._booking.purchase;
    const pack = () => renderPack(c, this._tier(), this._tiers?.tiers ?? [], !this.tierId, this._narrow);
    let body: unknown;
    if (failed) {
      const err = this._gridTask.error;
      // 404: the teacher (or the fixed tier) does not exist for this school. No retry can fix that.
      const missing = err instanceof ApiError && err.status === 404;
      body = missing
        ? renderLoadError(t, err.code === 'tier_not_found' ? t.tierNotBookable : t.notBookable)
        : renderLoadError(t, t.loadError, this._retry);
    } else if (loading) body = renderSkeleton(t);
    else if (purchase.status === 'done')
      body = html`${pack()} ${renderConfirmation(c, purchase.pkg, this._links(purchase.pkg, purchase.kept.manageUrl))}`;
    else if (purchase.status === 'held') body = html`${pack()} ${renderHold(c, purchase.kept.deadline)}`;
    else if (purchase.status === 'ended') body = html`${pack()} ${renderEnded(c, purchase.reason)}`;
    // A reload asks the API about the hold it kept: the loading placeholder meanwhile.
    else if (purchase.status === 'resuming') body = renderSkeleton(t);
    else if (this._booking.step === 'review' && this._reviewable()) body = html`${pack()} ${this._renderReview(c)}`;
    else body = html`${pack()} ${this._renderBooking(c)}`;
    return html`<div class="probe"></div>
      <div part="base" class="base" dir=${isRtl(locale) ? 'rtl' : 'ltr'} lang=${locale} aria-busy=${loading ? 'true' : 'false'}>
      ${body}
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this._booking.announcement}</div>
    </div>`;
  }

  /**
   * One Retry for everything the outage broke: every task that failed runs again (tiers, grid, the check),
   * so no second Retry is needed for "We could not check these times" once the grid is back.
   */
  private readonly _retry = (): void => {
    for (const task of [this._gridTask, this._checkTask, this._parentTask])
      if (task.status === TaskStatus.ERROR) void task.run();
  };

  // The review needs a checked, available selection; anything else goes back to the grid.
  private _reviewable(): boolean {
    return !!this._tier() && !!this.patterns.length && !!this._checkTask.value?.available;
  }

  private _renderReview(c: GridContext): TemplateResult {
    const found = (this._parentTask.value?.students ?? []).find((s) => s.id === this.buyerId);
    const child = found ? localName(this.locale, found) : '';
    return renderReview(c, { tier: this._tier()!, result: this._checkTask.value!, child });
  }

  // Moves the focus to the heading of a new step (review, hold, confirmation…), once.
  protected override updated(): void {
    const id = this._booking.focus;
    if (!id) return;
    const target = this.renderRoot.querySelector<HTMLElement>(`#${id}`);
    if (!target) return;
    this._booking.focus = '';
    target.focus();
  }

  private _renderBooking(c: GridContext): TemplateResult {
    const { t } = c;
    const grid = this._grid!;
    const layout = gridLayout(grid, c.locale);
    if (!layout.cells.some((row) => row.some((s) => s?.available)))
      return html`<p part="empty" class="empty-state">${t.empty}</p>`;
    const tier = this._tier();
    const notice = this._booking.notice;
    const stale = this._gridTask.status === TaskStatus.ERROR;
    return html`<section class="pick" aria-labelledby="grid-title">
      <h2 id="grid-title" tabindex="-1">${t.gridTitle(tier?.recurringCount ?? 0)}</h2>
      ${
        stale
          ? html`<p part="error" class="problem" role="alert"><span aria-hidden="true">⚠ </span>${t.tierFailed}
            <button type="button" part="retry-button" @click=${this._retry}>${t.retry}</button></p>`
          : nothing
      }
      ${renderZones(c)}
      ${this._narrow ? renderDays(c, grid, this._days, isRtl(c.locale)) : renderGrid(c, grid, layout, this._keyboard)}
      ${renderLegend(c, grid.weeks)}
      ${notice ? html`<p part="notice" class="notice" role="alert">${notice}</p>` : nothing}
      ${this._renderResult(c, tier)}
    </section>`;
  }

  /** Everything below the grid once weekly times are chosen: summary, conflicts, sessions, purchase. */
  private _renderResult(c: GridContext, tier: Tier | undefined): TemplateResult {
    if (!this.patterns.length || !tier) return html`<p class="hint">${c.t.pickHint}</p>`;
    const pending = this._checkTask.status === TaskStatus.PENDING;
    const result = this._checkTask.value ?? undefined;
    const error = this._checkTask.status === TaskStatus.ERROR ? this._checkError() : '';
    return html`${renderSummary(c, tier, this.patterns, { pending, result, error, retry: this._retry })}
      ${result ? html`${renderConflicts(c, result, this.patterns)}${renderSessions(c, result)}${renderFloating(c, tier, result)}` : nothing}
      ${renderPurchase(c, tier, !pending && !!result?.available, this.buyerId, {
        children: this._parentTask.value?.students ?? [],
        chosen: this.buyerId,
        choose: (id) => (this._child = id),
      })}`;
  }
}

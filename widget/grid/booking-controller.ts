/**
 * What the parent is booking, as a reactive controller: the weekly times (the host's `patterns`), the
 * chosen tier, the conflict resolutions, the purchase and its idempotency key.
 *
 * Events come only from here and only after a user gesture: a gesture marks the change, and the check
 * it causes reports back through `checked()`, which fires `smart-pack-change` once. Changes the host
 * page makes from code (setting `patterns`) are checked too but fire nothing.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type {
  Conflict,
  GridSlot,
  MultiSlotAvailability,
  RecurringPattern,
  Resolution,
  Weekday,
} from '../../api/contract/wire.js';
import { ApiError, type PackageView, type SlotTakenDetails, type SmartPackClient, type Tier } from '../api-client.js';
import { SmartPackChangeEvent } from '../events/smart-pack-change-event.js';
import { SmartPackHoldEvent } from '../events/smart-pack-hold-event.js';
import { SmartPackPurchasedEvent } from '../events/smart-pack-purchased-event.js';
import { formatClock, formatDate, weekdayName, weekdayOfDate } from '../format.js';
import { HoldController, localDeadline, readKept, type KeptHold } from './hold-controller.js';
import { strings } from './i18n.js';

/** A parent may choose at most this many weekly times (product rule from the spec). */
export const MAX_SLOTS = 4;

/**
 * idle/pending/failed: choosing and buying (`step` says whether the grid or the review shows). held: the
 * school collects the payment (the slots are held until the hold lapses). done: the API says active.
 * ended: the hold lapsed or was cancelled. resuming: a reload found a kept hold and asks the API about it.
 */
export type PurchaseState =
  | { status: 'idle' }
  | { status: 'pending' }
  | { status: 'failed'; retryable: boolean; message: string }
  | { status: 'resuming' }
  | { status: 'held'; pkg: PackageView; kept: KeptHold; cancelling?: boolean; error?: string }
  | { status: 'done'; pkg: PackageView; kept: KeptHold }
  | { status: 'ended'; pkg: PackageView; reason: 'hold_expired' | 'cancelled' };

/** The element the controller books for. */
export interface BookingHost extends ReactiveControllerHost, EventTarget {
  patterns: RecurringPattern[];
  readonly teacherId: string;
  readonly subjectId: string;
  /** Who the pack is for: the chosen child of the parent token, or `student-id`; '' while none. */
  readonly buyerId: string;
  readonly locale: string;
  /** Where this element keeps a hold for the tab (sessionStorage key); '' while it cannot say (no teacher yet). */
  readonly holdKey: string;
}

/** What the controller asks of the host's tasks. */
export interface BookingSource {
  /** The pack being booked: the fixed or chosen tier (else the teacher's first). */
  tier(): Tier | undefined;
  client(): SmartPackClient;
  /** Checks the current selection again (after a 409 slot_taken, the weeks taken must be shown). */
  recheck(): void;
}

export const patternKey = (p: { weekday: Weekday; time: string }) => `${p.weekday} ${p.time}`;

// crypto.randomUUID only exists in secure contexts; a partner page on plain http still needs a key.
function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class BookingController implements ReactiveController {
  /** The tier the parent picked in the chooser ('' = the host's `tier-id`, else the first). */
  chosenTierId = '';
  /** The parent's choice for conflicting weeks; a week without one is skipped (extend). */
  resolutions: Resolution[] = [];
  /** Why the last gesture was refused (e.g. a fifth slot). */
  notice = '';
  /** What a 409 slot_taken took, until the next change. */
  slotTaken = '';
  /** The text of the polite live region. */
  announcement = '';
  purchase: PurchaseState = { status: 'idle' };
  /** Which step shows while nothing is bought: the grid, or the review before paying. */
  step: 'pick' | 'review' = 'pick';
  /** The busy weeks the parent confirmed in the review (`date time`). */
  confirmed = new Set<string>();
  /** The id of a heading to move the focus to after the next render ('' = none). */
  focus = '';
  readonly hold: HoldController;
  private _resumeTried = false;

  // Set by every user gesture, consumed when the resulting check completes.
  private _userChange = false;
  private _idempotencyKey = '';
  private _idempotencySig = '';

  constructor(
    private readonly host: BookingHost,
    private readonly source: BookingSource,
  ) {
    host.addController(this);
    this.hold = new HoldController(
      host,
      {
        client: () => source.client(),
        settled: (pkg) => this._settled(pkg),
        lost: () => {
          this.hold.end();
          this._setPurchase({ status: 'idle' });
        },
      },
      () => strings(host.locale),
    );
  }

  /** Buying, held, bought or ended: the grid and tier cards are inert until "Book another pack" / "Choose times again". */
  get locked(): boolean {
    const { status } = this.purchase;
    return status !== 'idle' && status !== 'failed';
  }

  // Runs before the host's tasks read their arguments, so the check never sees a stale resolution.
  hostUpdate(): void {
    if (!this._resumeTried && this.host.holdKey) {
      this._resumeTried = true;
      const kept = readKept(this.host.holdKey);
      if (kept) void this._resume(kept);
    }
    // A resolution names one occurrence of a pattern; drop those whose pattern is gone, whether the
    // parent unselected it or the host page replaced `patterns` from code.
    const kept = this.resolutions.filter((r) => this.isSelected(weekdayOfDate(r.date), r.time));
    if (kept.length !== this.resolutions.length) this.resolutions = kept;
  }

  isSelected(weekday: Weekday, time: string): boolean {
    return this.host.patterns.some((p) => p.weekday === weekday && p.time === time);
  }

  /** The parent's resolution of a conflicting week, if any. */
  resolutionOf(conflict: Conflict): Resolution | undefined {
    return this.resolutions.find((r) => r.date === conflict.date && r.time === conflict.time);
  }

  // ---------------------------------------------------------------- gestures

  toggle(weekday: Weekday, slot: GridSlot): void {
    if (this.locked) return;
    const { patterns, locale } = this.host;
    if (this.isSelected(weekday, slot.time)) {
      this.notice = '';
      this._setPatterns(patterns.filter((p) => !(p.weekday === weekday && p.time === slot.time)));
    } else if (!slot.available) {
      // Taken: nothing to select, but the parent pressed it and must hear why (the polite live region).
      const t = strings(locale);
      const said = t.takenSlot(
        `${weekdayName(locale, weekday)} ${formatClock(locale, slot.time)}`,
        slot.reason ? t.reason[slot.reason] : '',
      );
      // The same words twice would not be read again: a trailing no-break space makes them new.
      this.announcement = this.announcement === said ? `${said}\u00a0` : said;
    } else if (patterns.length >= MAX_SLOTS) {
      this.notice = strings(locale).maxSlots(MAX_SLOTS);
    } else {
      this.notice = '';
      this._setPatterns([...patterns, { weekday, time: slot.time }]);
    }
    this.host.requestUpdate();
  }

  /** Replaces a whole weekly time (one offered as an alternative to a conflicting one). */
  replacePattern(index: number, alt: { weekday: Weekday; time: string }): void {
    const next = this.host.patterns.slice();
    next[index] = { weekday: alt.weekday, time: alt.time };
    this._setPatterns(next);
  }

  resolve(conflict: Conflict, resolution: Resolution): void {
    if (this.locked) return;
    this._userChange = true;
    this.slotTaken = '';
    this.resolutions = [
      ...this.resolutions.filter((r) => !(r.date === conflict.date && r.time === conflict.time)),
      ...(resolution.action === 'extend' ? [] : [resolution]),
    ];
    this.host.requestUpdate();
  }

  chooseTier(id: string): void {
    // After a purchase the tier cards change nothing: "Book another pack" is the way to a second one.
    if (this.locked || id === this.source.tier()?.id) return;
    this._userChange = this.host.patterns.length > 0;
    this.chosenTierId = id;
    this.purchase = { status: 'idle' };
    this.host.requestUpdate();
  }

  private _setPatterns(next: RecurringPattern[]): void {
    if (this.locked) return;
    this._userChange = true;
    this.slotTaken = '';
    this.host.patterns = next;
    if (this.purchase.status === 'failed') this.purchase = { status: 'idle' };
    this.host.requestUpdate();
  }

  // ---------------------------------------------------------------- check results

  /** The availability check of the current selection answered (null: nothing to check). */
  checked(result: MultiSlotAvailability | null): void {
    const { locale } = this.host;
    const t = strings(locale);
    if (result) {
      const conflicts = result.patterns.reduce((n, p) => n + p.conflicts.length, 0);
      this.announcement =
        t.announceOk(result.scheduledSessions.length, result.totalWeeksNeeded) +
        (conflicts ? ' ' + t.announceConflicts(conflicts) : '');
    } else {
      this.announcement = '';
    }
    this.host.requestUpdate();
    if (!this._userChange) return;
    this._userChange = false;
    this.host.dispatchEvent(
      new SmartPackChangeEvent({
        patterns: this.host.patterns,
        sessions: result?.scheduledSessions ?? [],
        validation: result,
      }),
    );
  }

  checkFailed(error: unknown): void {
    this._userChange = false;
    if ((error as Error)?.name !== 'AbortError') this.announcement = strings(this.host.locale).checkFailed;
    this.host.requestUpdate();
  }

  // ---------------------------------------------------------------- purchase

  async buy(): Promise<void> {
    const host = this.host;
    const tier = this.source.tier();
    if (!tier || !host.buyerId || this.locked) return;
    const t = strings(host.locale);
    const body = {
      studentId: host.buyerId,
      teacherId: host.teacherId,
      subjectId: host.subjectId,
      tierId: tier.id,
      recurringPatterns: host.patterns,
      ...(this.resolutions.length ? { resolutions: this.resolutions } : {}),
    };
    // The key belongs to the selection, not to the click: retrying the same selection after a
    // lost response replays the first purchase instead of buying again.
    const sig = JSON.stringify({ ...body, recurringPatterns: host.patterns.map(patternKey).sort() });
    if (sig !== this._idempotencySig) {
      this._idempotencySig = sig;
      this._idempotencyKey = uuid();
    }
    this._setPurchase({ status: 'pending' });
    try {
      const pkg = await this.source.client().purchase({ ...body, idempotencyKey: this._idempotencyKey });
      const kept: KeptHold = {
        id: pkg.id,
        token: pkg.manage?.token ?? '',
        manageUrl: pkg.manage?.url ?? '',
        deadline: localDeadline(pkg),
      };
      if (pkg.state === 'pending_payment') {
        this.announcement = t.holdTitle;
        this.focus = 'hold-title';
        this._setPurchase({ status: 'held', pkg, kept });
        this.hold.start(pkg, kept, host.holdKey);
        host.dispatchEvent(new SmartPackHoldEvent(pkg));
      } else {
        this._settled(pkg, kept);
      }
    } catch (err) {
      const refused = err instanceof ApiError && err.status < 500;
      if (refused) {
        // The server refused: nothing was bought, so the next attempt is a new purchase.
        this._idempotencySig = '';
        if (err.code === 'slot_taken') return this._slotWasTaken(err);
      }
      const message = refused ? err.message : t.networkError;
      this.announcement = message;
      this._setPurchase({ status: 'failed', retryable: !refused, message });
    }
  }

  /** Someone booked a chosen week first: say which, and check again so the new conflicts show. */
  private _slotWasTaken(err: ApiError): void {
    const L = this.host.locale;
    const details = err.details as SlotTakenDetails | undefined;
    const taken = (details?.conflicts ?? [])
      .map(
        (c) =>
          `${weekdayName(L, c.weekday ?? weekdayOfDate(c.date))} ${formatDate(L, c.date)} ${formatClock(L, c.time)}`,
      )
      .join(', ');
    this.slotTaken = this.announcement = strings(L).slotTaken(taken);
    this._userChange = true;
    this.step = 'pick';
    this._setPurchase({ status: 'idle' });
    this.source.recheck();
  }

  // ---------------------------------------------------------------- review, hold and after

  /** "Continue": shows the review of what will be bought; every busy week must be confirmed there. */
  review(): void {
    if (this.locked) return;
    this.step = 'review';
    this.confirmed = new Set();
    this.focus = 'review-title';
    this._setPurchase({ status: 'idle' });
  }

  /** "Back": the grid again, with the selection as it was. */
  back(): void {
    if (this.locked) return;
    this.step = 'pick';
    this.focus = 'grid-title';
    this._setPurchase({ status: 'idle' });
  }

  confirmWeek(conflict: Conflict, yes: boolean): void {
    const key = `${conflict.date} ${conflict.time}`;
    const next = new Set(this.confirmed);
    if (yes) next.add(key);
    else next.delete(key);
    this.confirmed = next;
    this.host.requestUpdate();
  }

  isConfirmed(conflict: Conflict): boolean {
    return this.confirmed.has(`${conflict.date} ${conflict.time}`);
  }

  /** "Cancel reservation" while the payment is awaited: the API frees the held slots. */
  async cancelHold(): Promise<void> {
    const p = this.purchase;
    if (p.status !== 'held' || p.cancelling) return;
    const cancel = this.source.client().cancelPackage;
    if (!cancel) return;
    this._setPurchase({ ...p, cancelling: true, error: '' });
    try {
      this._settled(await cancel(p.kept.id, p.kept.token || undefined));
    } catch (err) {
      // Refused (e.g. paid or lapsed meanwhile) or lost: the API's state decides, so ask it now.
      this.hold.checkNow();
      const error = err instanceof ApiError && err.status < 500 ? err.message : strings(this.host.locale).networkError;
      if (this.purchase.status === 'held') this._setPurchase({ ...this.purchase, cancelling: false, error });
    }
  }

  /** "Book another pack" (after a purchase) or "Choose times again" (after a lapsed or cancelled hold). */
  startOver(keepSelection: boolean): void {
    this.hold.end();
    this._idempotencySig = '';
    this.step = 'pick';
    this.confirmed = new Set();
    this.slotTaken = '';
    this.notice = '';
    this.announcement = '';
    this.purchase = { status: 'idle' };
    this.focus = 'grid-title';
    if (!keepSelection) {
      this.resolutions = [];
      this.host.patterns = [];
    }
    this.host.requestUpdate();
    // The slots may have changed while the pack was held or bought.
    this.source.recheck();
  }

  /** The API says the package left `pending_payment` (or never was in it). */
  private _settled(pkg: PackageView, fresh?: KeptHold): void {
    const t = strings(this.host.locale);
    const p = this.purchase;
    const kept = fresh ?? (p.status === 'held' ? p.kept : undefined) ?? this.hold.hold?.kept;
    this.hold.end();
    if (pkg.state === 'hold_expired' || pkg.state === 'cancelled') {
      this.announcement = pkg.state === 'cancelled' ? t.holdCancelled : t.holdExpired;
      this.focus = 'ended-title';
      this._setPurchase({ status: 'ended', pkg, reason: pkg.state });
      return;
    }
    // The purchase's answer had the manage link; a later read of the package does not.
    const withManage = p.status === 'held' ? { ...p.pkg, ...pkg } : pkg;
    this.announcement = t.purchased;
    this.focus = 'done-title';
    this._setPurchase({
      status: 'done',
      pkg: withManage,
      kept: kept ?? { id: pkg.id, token: '', manageUrl: '', deadline: 0 },
    });
    this.host.dispatchEvent(new SmartPackPurchasedEvent(withManage));
  }

  /** A reload found a kept hold: ask the API where it stands (with the manage token) and show that. */
  private async _resume(kept: KeptHold): Promise<void> {
    if (this.purchase.status !== 'idle') return;
    this._setPurchase({ status: 'resuming' });
    try {
      const pkg = await this.source.client().getPackage(kept.id, undefined, kept.token || undefined);
      if (this._status() !== 'resuming') return;
      if (pkg.state !== 'pending_payment') {
        // Paid (or lapsed) while the page was away: say so, as if the polling had seen it.
        this.hold.end(this.host.holdKey);
        return this._settled(pkg, kept);
      }
      this.focus = 'hold-title';
      this._setPurchase({ status: 'held', pkg, kept });
      this.hold.start(pkg, kept, this.host.holdKey);
      this.host.dispatchEvent(new SmartPackHoldEvent(pkg, true));
    } catch (err) {
      if (this._status() !== 'resuming') return;
      // Unknown to the API for this token: forget it. A network failure keeps it for the next load.
      if (err instanceof ApiError && err.status < 500) this.hold.end(this.host.holdKey);
      this._setPurchase({ status: 'idle' });
    }
  }

  // Read afresh after an await (TypeScript would keep the narrowing from before it).
  private _status(): PurchaseState['status'] {
    return this.purchase.status;
  }

  private _setPurchase(state: PurchaseState): void {
    this.purchase = state;
    this.host.requestUpdate();
  }
}

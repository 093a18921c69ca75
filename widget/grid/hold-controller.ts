/**
 * A purchase waiting for its payment, as a reactive controller: the countdown to the end of the hold, the
 * polling of `GET /packages/:id` until the API says the package is active, lapsed or cancelled, and this
 * tab's memory of the hold (sessionStorage) so that a reload in the middle of paying picks it up again.
 *
 * The confirmation comes from the API only: the host's checkout closing proves nothing.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ApiError, type PackageView, type SmartPackClient } from '../api-client.js';

/**
 * How often the package is asked for while its payment is awaited: first after `firstMs`, then each wait
 * `factor` times longer up to `maxMs`; back to `firstMs` when the page becomes visible again.
 * @internal Tests shorten it; not part of the published API.
 */
export const holdPolling = { firstMs: 3000, maxMs: 15_000, factor: 1.5 };

/** What the tab keeps of a hold: enough to fetch it again without the parent token, and its local deadline. */
export interface KeptHold {
  id: string;
  /** The purchase's manage token ('' when the answer had none: the parent token is used). */
  token: string;
  /** The purchase's manage link path (`/pack/:id?t=…`), '' when unknown. */
  manageUrl: string;
  /** When the hold lapses, on this browser's clock (ms): the server's hold length counted from its answer. */
  deadline: number;
}

/** The local deadline of a fresh hold: how long the server holds (`holdExpiresAt - createdAt`), from now. */
export function localDeadline(pkg: PackageView): number {
  return Date.now() + (Date.parse(pkg.holdExpiresAt!) - Date.parse(pkg.createdAt) || 0);
}

export interface HoldSource {
  client(): SmartPackClient;
  /** The API answered another state than `pending_payment` (active, hold_expired, cancelled…). */
  settled(pkg: PackageView): void;
  /** The API no longer knows the package for this token (401/404): forget it. */
  lost(): void;
}

const storage = (): Storage | undefined => {
  try {
    return window.sessionStorage;
  } catch {
    // A sandboxed frame without storage: the hold simply does not survive a reload.
    return undefined;
  }
};

/** The hold kept under `key`, if any and well-formed. */
export function readKept(key: string): KeptHold | undefined {
  try {
    const kept = JSON.parse(storage()?.getItem(key) ?? 'null') as KeptHold | null;
    if (typeof kept?.id === 'string' && typeof kept.deadline === 'number') return kept;
  } catch {
    // Not ours or not JSON: ignored.
  }
  return undefined;
}

export class HoldController implements ReactiveController {
  /** The package being paid for, as last read, and what the tab keeps of it. */
  hold?: { pkg: PackageView; kept: KeptHold };
  /** For the polite live region: changes at minute boundaries only, not every second. */
  announcement = '';
  private _key = '';
  private _tick?: ReturnType<typeof setInterval>;
  private _poll?: ReturnType<typeof setTimeout>;
  private _delay = holdPolling.firstMs;
  private _abort?: AbortController;
  private _minutes = -3;
  private _connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: HoldSource,
    private readonly t: () => { minutesLeft: (n: number) => string; timeUp: string },
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this._connected = true;
    document.addEventListener('visibilitychange', this._onVisibility);
    if (this.hold) this._run();
  }

  hostDisconnected(): void {
    this._connected = false;
    document.removeEventListener('visibilitychange', this._onVisibility);
    this._halt();
  }

  /** Starts following a hold (after the purchase, or when a reload resumes it) and keeps it under `key`. */
  start(pkg: PackageView, kept: KeptHold, key: string): void {
    this.hold = { pkg, kept };
    this._key = key;
    try {
      if (key) storage()?.setItem(key, JSON.stringify(kept));
    } catch {
      // Storage full or refused: the hold still works, it just does not survive a reload.
    }
    this._delay = holdPolling.firstMs;
    this._minutes = -3;
    this._announce();
    if (this._connected) this._run();
  }

  /** Stops following the hold and forgets it (it is active, lapsed or cancelled). */
  end(key = this._key): void {
    if (key) storage()?.removeItem(key);
    this.hold = undefined;
    this.announcement = '';
    this._halt();
  }

  /** Milliseconds left on this browser's clock (0 once the hold should have lapsed). */
  remaining(): number {
    return this.hold ? Math.max(0, this.hold.kept.deadline - Date.now()) : 0;
  }

  /** Asks the API at once (e.g. after a refused cancel: the package may have been confirmed meanwhile). */
  checkNow(): void {
    if (!this.hold || !this._connected) return;
    clearTimeout(this._poll);
    void this._check();
  }

  private readonly _onVisibility = () => {
    if (!this.hold) return;
    if (document.hidden) {
      clearTimeout(this._poll);
      this._abort?.abort();
    } else {
      this._delay = holdPolling.firstMs;
      this.checkNow();
    }
  };

  private _run(): void {
    this._halt();
    this._tick = setInterval(() => {
      this._announce();
      this.host.requestUpdate();
    }, 1000);
    if (!document.hidden) this._schedule();
  }

  private _halt(): void {
    clearInterval(this._tick);
    clearTimeout(this._poll);
    this._abort?.abort();
    this._abort = undefined;
  }

  private _schedule(): void {
    clearTimeout(this._poll);
    this._poll = setTimeout(() => void this._check(), this._delay);
  }

  private async _check(): Promise<void> {
    const hold = this.hold;
    if (!hold) return;
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    try {
      const pkg = await this.source.client().getPackage(hold.kept.id, abort.signal, hold.kept.token || undefined);
      if (abort.signal.aborted || this.hold !== hold) return;
      if (pkg.state !== 'pending_payment') return this.source.settled(pkg);
      hold.pkg = pkg;
    } catch (err) {
      if (abort.signal.aborted || this.hold !== hold) return;
      if (err instanceof ApiError && (err.status === 401 || err.status === 404)) return this.source.lost();
      // A failed poll (network, 5xx, 429): wait longer before the next one.
    }
    this._delay = Math.min(holdPolling.maxMs, Math.round(this._delay * holdPolling.factor));
    // The countdown's tick renders every second: nothing to request here.
    if (this._connected && !document.hidden) this._schedule();
  }

  /** The minute announcement: "14 minutes left", changed only when the whole minute changes. */
  private _announce(): void {
    const left = this.remaining();
    // Whole minutes left (0: less than one); -2 once the time is up.
    const minutes = left > 0 ? Math.floor(left / 60_000) : -2;
    if (minutes === this._minutes) return;
    this._minutes = minutes;
    const t = this.t();
    this.announcement = minutes >= 0 ? t.minutesLeft(minutes) : t.timeUp;
  }
}

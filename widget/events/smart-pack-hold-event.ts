import type { PackageView } from '../../api/contract/wire.js';

export interface SmartPackHoldDetail {
  /** The package in `pending_payment`: what to charge is `priceMinor` in `currency`. */
  package: PackageView;
  /** When the hold lapses (a UTC instant): the host's checkout must be done by then. */
  holdExpiresAt: string;
  /** True when the element picked the hold up again after a reload, rather than just buying it. */
  resumed: boolean;
}

/**
 * Fired when a purchase answers `pending_payment`: the slots are held, and the host page opens its checkout
 * (its server confirms the package with the API). Fired again when the element resumes a hold after a reload.
 * The element shows the confirmation only once the API says the package is active, never on the host's word.
 */
export class SmartPackHoldEvent extends CustomEvent<SmartPackHoldDetail> {
  static readonly eventName = 'smart-pack-hold' as const;
  constructor(pkg: PackageView, resumed = false) {
    super(SmartPackHoldEvent.eventName, {
      detail: { package: pkg, holdExpiresAt: pkg.holdExpiresAt ?? '', resumed },
      bubbles: true,
      composed: true,
    });
  }
}

// GlobalEventHandlersEventMap (not only HTMLElementEventMap): the event bubbles out of the shadow root,
// so `document` and `window` listeners are typed too.
declare global {
  interface GlobalEventHandlersEventMap {
    'smart-pack-hold': SmartPackHoldEvent;
  }
}

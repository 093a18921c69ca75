import type { PackageView } from '../../api/contract/wire.js';

export interface SmartPackPurchasedDetail {
  package: PackageView;
}

/** Fired once when the parent's purchase is confirmed by the server (201, or 200 on a replayed retry). */
export class SmartPackPurchasedEvent extends CustomEvent<SmartPackPurchasedDetail> {
  static readonly eventName = 'smart-pack-purchased' as const;
  constructor(pkg: PackageView) {
    super(SmartPackPurchasedEvent.eventName, { detail: { package: pkg }, bubbles: true, composed: true });
  }
}

// GlobalEventHandlersEventMap (not only HTMLElementEventMap): the event bubbles out of the shadow root,
// so `document` and `window` listeners are typed too.
declare global {
  interface GlobalEventHandlersEventMap {
    'smart-pack-purchased': SmartPackPurchasedEvent;
  }
}

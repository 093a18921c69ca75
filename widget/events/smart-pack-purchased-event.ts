import type { PackageView } from '../api-client.js';

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

declare global {
  interface HTMLElementEventMap {
    'smart-pack-purchased': SmartPackPurchasedEvent;
  }
}

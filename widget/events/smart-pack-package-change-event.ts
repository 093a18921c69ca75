import type { PackageSessionView, PackageView } from '../../api/contract/wire.js';

export interface SmartPackPackageChangeDetail {
  /** What the parent did. */
  action: 'reschedule' | 'book-floating' | 'float';
  /** The session it was done to, as it is now. */
  session: PackageSessionView;
  /** The whole package afterwards. */
  package: PackageView;
}

/** Fired by `<smart-pack-package>` after the server accepted a reschedule, a floating booking or a float. */
export class SmartPackPackageChangeEvent extends CustomEvent<SmartPackPackageChangeDetail> {
  static readonly eventName = 'smart-pack-package-change' as const;
  constructor(detail: SmartPackPackageChangeDetail) {
    super(SmartPackPackageChangeEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

// GlobalEventHandlersEventMap (not only HTMLElementEventMap): the event bubbles out of the shadow root,
// so `document` and `window` listeners are typed too.
declare global {
  interface GlobalEventHandlersEventMap {
    'smart-pack-package-change': SmartPackPackageChangeEvent;
  }
}

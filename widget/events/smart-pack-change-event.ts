import type { MultiSlotAvailability, RecurringPattern, ScheduledSession } from '../../api/contract/wire.js';

export interface SmartPackChangeDetail {
  /** The weekly times the parent has selected, in selection order. */
  patterns: RecurringPattern[];
  /** Dated sessions from the latest check (empty when nothing is selected). */
  sessions: ScheduledSession[];
  /** The full check result, or null when nothing is selected. */
  validation: MultiSlotAvailability | null;
}

/**
 * Fired after the parent changes the selection (a slot, a tier or a conflict choice) and the
 * change has been checked. Never fired for changes made from code.
 */
export class SmartPackChangeEvent extends CustomEvent<SmartPackChangeDetail> {
  static readonly eventName = 'smart-pack-change' as const;
  constructor(detail: SmartPackChangeDetail) {
    super(SmartPackChangeEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

// GlobalEventHandlersEventMap (not only HTMLElementEventMap): the event bubbles out of the shadow root,
// so `document` and `window` listeners are typed too.
declare global {
  interface GlobalEventHandlersEventMap {
    'smart-pack-change': SmartPackChangeEvent;
  }
}

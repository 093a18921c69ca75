import type { AvailabilityRules, TimeOffOutcome } from '../../api/contract/wire.js';
import type { AttendanceOutcome } from '../../api/contract/teacher.js';

/** What the teacher did, with what the server answered. */
export type SmartPackTeacherChangeDetail =
  | { action: 'availability'; rules: AvailabilityRules }
  | { action: 'time-off-added'; timeOff: TimeOffOutcome }
  | { action: 'time-off-removed'; timeOffId: string }
  | { action: 'attendance'; outcome: AttendanceOutcome };

/** Fired by `<smart-pack-teacher>` after the server accepted the teacher's week, a time off, its deletion or an attendance. */
export class SmartPackTeacherChangeEvent extends CustomEvent<SmartPackTeacherChangeDetail> {
  static readonly eventName = 'smart-pack-teacher-change' as const;
  constructor(detail: SmartPackTeacherChangeDetail) {
    super(SmartPackTeacherChangeEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

// GlobalEventHandlersEventMap (not only HTMLElementEventMap): the event bubbles out of the shadow root,
// so `document` and `window` listeners are typed too.
declare global {
  interface GlobalEventHandlersEventMap {
    'smart-pack-teacher-change': SmartPackTeacherChangeEvent;
  }
}

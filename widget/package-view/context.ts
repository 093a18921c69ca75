import type { PackageSessionView, SlotRef } from '../../api/contract/wire.js';
import { formatClock, formatDate } from '../format.js';
import type { Strings } from './i18n.js';
import type { SlotChoice } from './package-client.js';

/** Which free-times picker is open: for rescheduling one session, or for booking a floating one. */
export type Picker = { kind: 'reschedule'; sessionId: string } | { kind: 'book' };

/** The element's answers to the parent's gestures. */
export interface PackageActions {
  togglePicker(picker: Picker): void;
  closePicker(): void;
  /** Books `slot`: as the new time of `sessionId`, or as a floating session without one. */
  choose(slot: SlotChoice, sessionId?: string): void;
  float(session: PackageSessionView): void;
  retrySlots(): void;
  moreSlots(): void;
}

/** What every render function of `<smart-pack-package>` reads: built once per render by the element. */
export interface PackageContext {
  t: Strings;
  locale: string;
  /** An action is in flight: every action button is off. */
  busy: boolean;
  picker: Picker | null;
  actions: PackageActions;
}

/** The free times the picker shows, and whether more can be loaded. */
export interface SlotsView {
  slots: SlotRef[];
  loading: boolean;
  failed: boolean;
  hasMore: boolean;
}

export const when = (locale: string, date: string, time: string): string =>
  `${formatDate(locale, date)} · ${formatClock(locale, time)}`;

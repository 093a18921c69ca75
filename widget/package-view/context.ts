import type { PackageSessionView, SlotRef } from '../../api/contract/wire.js';
import { formatClock, formatDate } from '../format.js';
import type { Strings } from './i18n.js';
import type { SlotChoice } from './package-client.js';

/** Which free-times picker is open: for rescheduling one session, or for booking a floating one. */
export type Picker = { kind: 'reschedule'; sessionId: string } | { kind: 'book' };

/**
 * An irreversible action waiting for the parent's yes: moving a session (a picked time or a suggested
 * one), booking a floating session, turning a session into a floating credit, cancelling the pack.
 * `from` says where the focus goes back to when the parent keeps things as they are.
 */
export type Confirm =
  | { kind: 'move'; sessionId: string; slot: SlotChoice; from: string }
  | { kind: 'book'; slot: SlotChoice; from: string }
  | { kind: 'float'; sessionId: string; from: string }
  | { kind: 'cancel'; from: string };

/** The element's answers to the parent's gestures. */
export interface PackageActions {
  togglePicker(picker: Picker): void;
  closePicker(): void;
  /** Asks to book `slot`: as the new time of `sessionId`, or as a floating session without one. */
  choose(slot: SlotChoice, sessionId?: string, from?: string): void;
  /** Asks to turn the session into a floating credit. */
  float(session: PackageSessionView): void;
  /** Asks to cancel the pack (or the unpaid purchase). */
  cancel(): void;
  /** The parent's yes to the open confirmation. */
  confirm(): void;
  /** The parent's no: nothing happens, the focus goes back where it was. */
  keep(): void;
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
  /** The package's last date, formatted ('' when it has none). */
  end: string;
  /** The confirmation the parent is asked, if any. */
  confirming: Confirm | null;
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

/** A CSS selector for the element that has `data-focus-key=key` (where the focus returns). */
export const focusKey = (key: string): string => `[data-focus-key="${key}"]`;

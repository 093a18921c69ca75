import type { SlotRef } from '../../api/contract/wire.js';
import { formatClock, formatDate } from '../format.js';
import type { BookingController } from './booking-controller.js';
import type { Strings } from './i18n.js';

/** What every render function of `<smart-pack-grid>` reads: built once per render by the element. */
export interface GridContext {
  t: Strings;
  locale: string;
  booking: BookingController;
  zones: { teacher: string; viewer: string };
  /** The viewer's clock differs from the teacher's, so times are shown in both. */
  showViewer: boolean;
}

export const slotLabel = (locale: string, s: Pick<SlotRef, 'date' | 'time'>): string =>
  `${formatDate(locale, s.date)} ${formatClock(locale, s.time)}`;

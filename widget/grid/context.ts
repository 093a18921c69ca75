import type { SlotRef } from '../../api/contract/wire.js';
import type { Tier } from '../api-client.js';
import { formatClock, formatDate, language } from '../format.js';
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
  /** The instant zone names and offsets are read at (the grid's window start). */
  at: number;
}

/** A tier's or a child's name in the page's language: `nameAr` on Arabic pages when the school gave one. */
export const localName = (locale: string, named: { name: string; nameAr: string | null }): string =>
  (language(locale) === 'ar' && named.nameAr) || named.name;

/** The tier's name in the page's language. */
export const tierName = (locale: string, tier: Pick<Tier, 'name' | 'nameAr'>): string => localName(locale, tier);

export const slotLabel = (locale: string, s: Pick<SlotRef, 'date' | 'time'>): string =>
  `${formatDate(locale, s.date)} ${formatClock(locale, s.time)}`;

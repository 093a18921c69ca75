import { DateTime } from 'luxon';
import { WEEKDAYS, type Weekday } from './types.js';

export interface LocalParts {
  date: string;
  time: string;
  weekday: Weekday;
}

/** Teacher-local date, time and weekday of a UTC instant. */
export function localParts(instantUtc: string, timezone: string): LocalParts {
  const local = DateTime.fromISO(instantUtc, { zone: 'utc' }).setZone(timezone);
  return {
    date: local.toFormat('yyyy-MM-dd'),
    time: local.toFormat('HH:mm'),
    // luxon numbers Monday 1 … Sunday 7; WEEKDAYS starts on Sunday.
    weekday: WEEKDAYS[local.weekday % 7] as Weekday,
  };
}

/**
 * A UTC instant as the teacher's wall clock shows it, written out for a reader of `language`
 * (`Monday, December 7, 2026 at 4:00 PM`, `الاثنين، 7 ديسمبر 2026 في 4:00 م`), for messages such as
 * reminders. The wording is the runtime's Intl data; the date, time and weekday beside it are exact.
 */
export function localStartText(instantUtc: string, timezone: string, language: 'ar' | 'en'): string {
  return DateTime.fromISO(instantUtc, { zone: 'utc' }).setZone(timezone).setLocale(language).toLocaleString({
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
}

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

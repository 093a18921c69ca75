import {
  WEEKDAYS,
  type AvailabilityRule,
  type Interval,
  type TeacherSchedule,
  type Weekday,
} from '../../api/core/index.js';

/** The same window on every day of the week. */
export function everyDay(startTime: string, endTime: string): AvailabilityRule[] {
  return WEEKDAYS.map((weekday) => ({ weekday, startTime, endTime }));
}

export function makeSchedule(overrides: Partial<TeacherSchedule> = {}): TeacherSchedule {
  return {
    timezone: 'Africa/Khartoum',
    rules: everyDay('09:00', '21:00'),
    timeOff: [],
    bookings: [],
    minNoticeMinutes: 1440,
    horizonDays: 182,
    ...overrides,
  };
}

export function hour(startUtc: string, minutes = 60): Interval {
  return { startUtc, endUtc: new Date(Date.parse(startUtc) + minutes * 60_000).toISOString() };
}

export function pattern(weekday: Weekday, time: string) {
  return { weekday, time };
}

/** Tuesday 2026-12-01 12:00 in Khartoum (UTC+2, no DST). */
export const TUESDAY_NOON_KHARTOUM = '2026-12-01T10:00:00.000Z';

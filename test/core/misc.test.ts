import { describe, expect, it } from 'vitest';
import {
  addDays,
  addDaysUtc,
  daysBetween,
  distributeSessionsChronologically,
  isValidTimeZone,
  legacyPatterns,
} from '../../api/core/index.js';

describe('isValidTimeZone', () => {
  it('accepts IANA zones and rejects anything else', () => {
    expect(isValidTimeZone('Africa/Khartoum')).toBe(true);
    expect(isValidTimeZone('Australia/Lord_Howe')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('+03:00')).toBe(false);
  });
});

describe('legacyPatterns', () => {
  it('prefers the stored JSON patterns', () => {
    const json = JSON.stringify([
      { weekday: 'TUESDAY', time: '17:00' },
      { weekday: 'THURSDAY', time: '16:00' },
    ]);
    expect(legacyPatterns('MONDAY', '09:00', json)).toEqual([
      { weekday: 'TUESDAY', time: '17:00' },
      { weekday: 'THURSDAY', time: '16:00' },
    ]);
  });

  it('turns the legacy weekday and time into one pattern', () => {
    expect(legacyPatterns('TUESDAY', '17:00', null)).toEqual([{ weekday: 'TUESDAY', time: '17:00' }]);
  });

  it('returns no patterns when nothing usable is stored', () => {
    expect(legacyPatterns(null, null, null)).toEqual([]);
    expect(legacyPatterns(null, null, '{"not":"a list"}')).toEqual([]);
  });
});

describe('addDaysUtc', () => {
  it('adds whole 24-hour days', () => {
    expect(addDaysUtc('2026-12-28T14:00:00.000Z', 14)).toBe('2027-01-11T14:00:00.000Z');
    expect(addDaysUtc('2026-03-28T12:00:00.000Z', 1)).toBe('2026-03-29T12:00:00.000Z');
  });
});

describe('addDays and daysBetween (local calendar dates)', () => {
  it('walks calendar days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-10-19', 13)).toBe('2026-11-01');
  });

  it('counts the days between two dates, negative when the second is earlier', () => {
    expect(daysBetween('2026-10-19', '2026-10-19')).toBe(0);
    expect(daysBetween('2026-01-01', '2026-04-02')).toBe(91);
    expect(daysBetween('2026-04-02', '2026-01-01')).toBe(-91);
  });

  it('refuses a date that is not on the calendar instead of rolling it over', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(/Invalid date/);
    expect(() => daysBetween('2026-01-01', '2026-13-01')).toThrow(/Invalid date range/);
  });
});

describe('distributeSessionsChronologically', () => {
  it('alternates two patterns week by week from the first occurrence after the start', () => {
    const sessions = distributeSessionsChronologically(
      [
        { weekday: 'TUESDAY', time: '17:00' },
        { weekday: 'THURSDAY', time: '16:00' },
      ],
      8,
      '2026-01-07T00:00:00.000Z', // a Wednesday
      'Africa/Khartoum',
      60,
    );
    expect(sessions.map((s) => `${s.sessionNumber} ${s.date} ${s.weekday} ${s.time}`)).toEqual([
      '1 2026-01-08 THURSDAY 16:00',
      '2 2026-01-13 TUESDAY 17:00',
      '3 2026-01-15 THURSDAY 16:00',
      '4 2026-01-20 TUESDAY 17:00',
      '5 2026-01-22 THURSDAY 16:00',
      '6 2026-01-27 TUESDAY 17:00',
      '7 2026-01-29 THURSDAY 16:00',
      '8 2026-02-03 TUESDAY 17:00',
    ]);
    expect(sessions[0]).toMatchObject({
      startUtc: '2026-01-08T14:00:00.000Z',
      endUtc: '2026-01-08T15:00:00.000Z',
      patternIndex: 1,
    });
  });

  it('includes an occurrence exactly at the start instant', () => {
    const [first] = distributeSessionsChronologically(
      [{ weekday: 'THURSDAY', time: '16:00' }],
      1,
      '2026-01-08T14:00:00.000Z',
      'Africa/Khartoum',
      60,
    );
    expect(first!.startUtc).toBe('2026-01-08T14:00:00.000Z');
  });

  it('keeps local time across DST and skips a time that does not exist', () => {
    const sessions = distributeSessionsChronologically(
      [{ weekday: 'SUNDAY', time: '02:30' }],
      3,
      '2026-02-28T12:00:00.000Z',
      'America/New_York',
      60,
    );
    expect(sessions.map((s) => s.startUtc)).toEqual([
      '2026-03-01T07:30:00.000Z',
      '2026-03-15T06:30:00.000Z',
      '2026-03-22T06:30:00.000Z',
    ]);
  });
});

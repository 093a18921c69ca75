import { describe, expect, it } from 'vitest';
import { SchedulingError, checkMultiSlot, type Resolution } from '../../api/core/index.js';
import { TUESDAY_NOON_KHARTOUM as NOW, everyDay, hour, makeSchedule, pattern } from './helpers.js';

const MON_16 = pattern('MONDAY', '16:00');
const WED_17 = pattern('WEDNESDAY', '17:00');

function check(overrides: Partial<Parameters<typeof checkMultiSlot>[0]> = {}) {
  return checkMultiSlot({
    schedule: makeSchedule(),
    patterns: [MON_16, WED_17],
    recurringSessionCount: 8,
    durationMinutes: 60,
    gracePeriodDays: 14,
    now: NOW,
    ...overrides,
  });
}

function errorOf(fn: () => unknown): SchedulingError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SchedulingError) return e;
    throw e;
  }
  throw new Error('expected a SchedulingError');
}

describe('checkMultiSlot', () => {
  it('schedules 8 sessions over 4 weeks for two weekly slots, alternating, earliest first', () => {
    const r = check();
    expect(r.available).toBe(true);
    expect(r.totalWeeksNeeded).toBe(4);
    expect(r.patterns.map((p) => p.availableWeeks)).toEqual([4, 4]);
    // now is Tuesday, so the Wednesday comes first.
    expect(
      r.scheduledSessions.map((s) => `${s.sessionNumber} ${s.date} ${s.weekday} ${s.time} ${s.patternIndex}`),
    ).toEqual([
      '1 2026-12-02 WEDNESDAY 17:00 1',
      '2 2026-12-07 MONDAY 16:00 0',
      '3 2026-12-09 WEDNESDAY 17:00 1',
      '4 2026-12-14 MONDAY 16:00 0',
      '5 2026-12-16 WEDNESDAY 17:00 1',
      '6 2026-12-21 MONDAY 16:00 0',
      '7 2026-12-23 WEDNESDAY 17:00 1',
      '8 2026-12-28 MONDAY 16:00 0',
    ]);
    expect(r.scheduledSessions[0]).toMatchObject({
      startUtc: '2026-12-02T15:00:00.000Z',
      endUtc: '2026-12-02T16:00:00.000Z',
    });
    expect(r.firstSession).toBe('2026-12-02T15:00:00.000Z');
    expect(r.lastSession).toBe('2026-12-28T14:00:00.000Z');
    expect(r.packageEndDate).toBe('2027-01-11T14:00:00.000Z');
    expect(r.recurringSessionCount).toBe(8);
    expect(r.floated).toBe(0);
    expect(r.timezone).toBe('Africa/Khartoum');
    expect(r.message).toBe('All 8 sessions can be scheduled across 4 weeks');
  });

  it('gives the first two patterns in time order 3 sessions each when 8 sessions go over 3 patterns', () => {
    const r = check({ patterns: [MON_16, WED_17, pattern('THURSDAY', '10:00')] });
    expect(r.patterns.map((p) => p.availableWeeks)).toEqual([2, 3, 3]);
    expect(r.scheduledSessions).toHaveLength(8);
    expect(r.totalWeeksNeeded).toBe(3);
  });

  it('needs 2 weeks with 4 weekly slots', () => {
    const r = check({ patterns: [MON_16, pattern('TUESDAY', '16:00'), WED_17, pattern('THURSDAY', '16:00')] });
    expect(r.totalWeeksNeeded).toBe(2);
    expect(r.patterns.map((p) => p.availableWeeks)).toEqual([2, 2, 2, 2]);
    expect(r.message).toBe('All 8 sessions can be scheduled across 2 weeks');
  });

  it('needs 8 weeks with 1 weekly slot', () => {
    const r = check({ patterns: [MON_16] });
    expect(r.totalWeeksNeeded).toBe(8);
    expect(r.scheduledSessions.every((s) => s.weekday === 'MONDAY' && s.time === '16:00')).toBe(true);
  });

  it('starts at the first occurrence after the minimum notice, not the first after now', () => {
    // Wednesday 17:00 local is 29 h away, but the teacher wants 48 h notice.
    const r = check({ schedule: makeSchedule({ minNoticeMinutes: 2880 }) });
    expect(r.scheduledSessions[0]!.date).toBe('2026-12-07');
    expect(r.patterns[1]!.conflicts).toEqual([]);
  });

  it('skips a booked week and runs one more week by default', () => {
    const r = check({ schedule: makeSchedule({ bookings: [hour('2026-12-14T14:00:00.000Z')] }) });
    expect(r.available).toBe(true);
    expect(r.scheduledSessions).toHaveLength(8);
    // The series runs to the fifth Wednesday instead of the fourth Monday.
    expect(r.patterns.map((p) => p.availableWeeks)).toEqual([3, 5]);
    expect(r.patterns[0]!.conflicts).toHaveLength(1);
    expect(r.patterns[0]!.conflicts[0]).toMatchObject({
      date: '2026-12-14',
      time: '16:00',
      weekday: 'MONDAY',
      startUtc: '2026-12-14T14:00:00.000Z',
      reason: 'booked',
      resolution: 'extend',
    });
    expect(r.lastSession).toBe('2026-12-30T15:00:00.000Z');
    expect(r.totalWeeksNeeded).toBe(5);
    expect(r.message).toBe('8 sessions across 5 weeks; 1 week skipped because of conflicts');
  });

  it('treats a booking that only partly overlaps the session as a conflict', () => {
    const r = check({ schedule: makeSchedule({ bookings: [hour('2026-12-14T14:30:00.000Z')] }) });
    expect(r.patterns[0]!.conflicts.map((c) => c.reason)).toEqual(['booked']);
  });

  it('reports time off that covers an occurrence', () => {
    const timeOff = [{ startUtc: '2026-12-15T22:00:00.000Z', endUtc: '2026-12-17T22:00:00.000Z' }];
    const r = check({ schedule: makeSchedule({ timeOff }) });
    expect(r.patterns[1]!.conflicts.map((c) => [c.date, c.reason])).toEqual([['2026-12-16', 'time_off']]);
  });

  it('reports an occurrence outside the weekly availability on every week it is checked', () => {
    const rules = everyDay('09:00', '21:00').filter((r) => r.weekday !== 'WEDNESDAY');
    const r = check({ schedule: makeSchedule({ rules }) });
    expect(r.available).toBe(true);
    expect(r.patterns[1]!.availableWeeks).toBe(0);
    expect(r.patterns[1]!.conflicts.length).toBe(8);
    expect(r.patterns[1]!.conflicts.every((c) => c.reason === 'outside_availability')).toBe(true);
    expect(r.scheduledSessions.every((s) => s.weekday === 'MONDAY')).toBe(true);
  });

  it('reports a session running past the end of the availability window as outside availability', () => {
    const rules = everyDay('09:00', '17:30');
    const r = check({ schedule: makeSchedule({ rules }), patterns: [MON_16, WED_17], recurringSessionCount: 2 });
    expect(r.patterns[1]!.conflicts[0]!.reason).toBe('outside_availability');
  });

  it('reports a local time that does not exist on a spring-forward day as a DST gap, never a shifted slot', () => {
    const schedule = makeSchedule({ timezone: 'Europe/London', rules: everyDay('00:00', '24:00') });
    const r = check({
      schedule,
      patterns: [pattern('SUNDAY', '01:30')],
      recurringSessionCount: 3,
      now: '2026-03-20T12:00:00.000Z',
    });
    expect(r.patterns[0]!.conflicts.map((c) => [c.date, c.reason])).toEqual([['2026-03-29', 'dst_gap']]);
    expect(r.scheduledSessions.map((s) => s.startUtc)).toEqual([
      '2026-03-22T01:30:00.000Z',
      '2026-04-05T00:30:00.000Z',
      '2026-04-12T00:30:00.000Z',
    ]);
  });

  it('keeps the wall-clock time across a DST change', () => {
    const schedule = makeSchedule({ timezone: 'Europe/London' });
    const r = check({ schedule, patterns: [MON_16], recurringSessionCount: 3, now: '2026-10-12T12:00:00.000Z' });
    expect(r.scheduledSessions.map((s) => [s.date, s.time, s.startUtc])).toEqual([
      ['2026-10-19', '16:00', '2026-10-19T15:00:00.000Z'],
      ['2026-10-26', '16:00', '2026-10-26T16:00:00.000Z'],
      ['2026-11-02', '16:00', '2026-11-02T16:00:00.000Z'],
    ]);
  });

  it('books an ambiguous fall-back time at its first (earlier) instant', () => {
    const schedule = makeSchedule({ timezone: 'America/New_York', rules: everyDay('00:00', '24:00') });
    const r = check({
      schedule,
      patterns: [pattern('SUNDAY', '01:30')],
      recurringSessionCount: 1,
      now: '2026-10-30T12:00:00.000Z',
    });
    // 01:30 happens twice on 2026-11-01: at -04:00 (05:30Z) and at -05:00 (06:30Z).
    expect(r.scheduledSessions[0]!.startUtc).toBe('2026-11-01T05:30:00.000Z');
  });

  it('handles the 30-minute DST shift of Lord Howe Island', () => {
    const schedule = makeSchedule({ timezone: 'Australia/Lord_Howe', rules: everyDay('00:00', '24:00') });
    const r = check({
      schedule,
      patterns: [pattern('SUNDAY', '02:15'), pattern('SUNDAY', '10:00')],
      recurringSessionCount: 4,
      now: '2026-09-30T00:00:00.000Z',
    });
    // Clocks go 02:00 -> 02:30 on 2026-10-04, so 02:15 does not exist that day.
    expect(r.patterns[0]!.conflicts.map((c) => [c.date, c.reason])).toEqual([['2026-10-04', 'dst_gap']]);
    const tenAm = r.scheduledSessions.filter((s) => s.time === '10:00').map((s) => s.startUtc);
    expect(tenAm).toEqual(['2026-10-03T23:00:00.000Z', '2026-10-10T23:00:00.000Z']);
  });

  it('says how many sessions fit when the horizon cuts the series short', () => {
    const r = check({ schedule: makeSchedule({ horizonDays: 21 }) });
    expect(r.available).toBe(false);
    expect(r.scheduledSessions).toHaveLength(6);
    expect(r.message).toBe('Only 6 of 8 sessions fit before 2026-12-22');
  });

  it('never books over a conflict in any week, not only the first', () => {
    const bookings = [hour('2026-12-21T14:00:00.000Z'), hour('2026-12-23T15:00:00.000Z')];
    const r = check({ schedule: makeSchedule({ bookings }) });
    const starts = r.scheduledSessions.map((s) => s.startUtc);
    expect(starts).not.toContain('2026-12-21T14:00:00.000Z');
    expect(starts).not.toContain('2026-12-23T15:00:00.000Z');
    expect(r.scheduledSessions).toHaveLength(8);
    expect(r.totalWeeksNeeded).toBe(5);
  });

  describe('alternatives', () => {
    it('suggests the nearest free times that day first, earlier first on a tie', () => {
      const r = check({ schedule: makeSchedule({ bookings: [hour('2026-12-14T14:00:00.000Z')] }) });
      expect(r.patterns[0]!.conflicts[0]!.alternatives.map((a) => `${a.date} ${a.time}`)).toEqual([
        '2026-12-14 15:00',
        '2026-12-14 17:00',
        '2026-12-14 14:00',
      ]);
      expect(r.patterns[0]!.conflicts[0]!.alternatives[0]).toEqual({
        date: '2026-12-14',
        time: '15:00',
        weekday: 'MONDAY',
        startUtc: '2026-12-14T13:00:00.000Z',
        endUtc: '2026-12-14T14:00:00.000Z',
      });
    });

    it('falls back to the same time on the nearest other days of that week', () => {
      const rules = [
        { weekday: 'MONDAY' as const, startTime: '16:00', endTime: '17:00' },
        { weekday: 'TUESDAY' as const, startTime: '16:00', endTime: '17:00' },
        { weekday: 'WEDNESDAY' as const, startTime: '17:00', endTime: '18:00' },
        { weekday: 'FRIDAY' as const, startTime: '16:00', endTime: '17:00' },
        { weekday: 'SATURDAY' as const, startTime: '16:00', endTime: '17:00' },
      ];
      const r = check({ schedule: makeSchedule({ rules, bookings: [hour('2026-12-14T14:00:00.000Z')] }) });
      expect(r.patterns[0]!.conflicts[0]!.alternatives.map((a) => `${a.weekday} ${a.date} ${a.time}`)).toEqual([
        'TUESDAY 2026-12-15 16:00',
        'SATURDAY 2026-12-12 16:00',
        'FRIDAY 2026-12-11 16:00',
      ]);
    });

    it('leaves out slots that overlap other sessions of the series, bookings or time off', () => {
      const bookings = [hour('2026-12-14T14:00:00.000Z'), hour('2026-12-14T13:00:00.000Z')];
      const r = check({
        schedule: makeSchedule({ bookings }),
        patterns: [MON_16, pattern('MONDAY', '17:00')],
      });
      const alts = r.patterns[0]!.conflicts[0]!.alternatives.map((a) => a.time);
      expect(alts).not.toContain('17:00');
      expect(alts).not.toContain('15:00');
      expect(alts).toEqual(['14:00', '18:00', '13:00']);
    });

    it('offers nothing too soon', () => {
      // The first Monday is booked; an hour earlier the same day is still after the notice period,
      // but Sunday is before it.
      const rules = [
        { weekday: 'SUNDAY' as const, startTime: '16:00', endTime: '17:00' },
        { weekday: 'MONDAY' as const, startTime: '16:00', endTime: '17:00' },
      ];
      const r = check({
        schedule: makeSchedule({ rules, bookings: [hour('2026-12-07T14:00:00.000Z')] }),
        patterns: [MON_16],
        recurringSessionCount: 2,
        now: '2026-12-06T12:00:00.000Z',
      });
      expect(r.patterns[0]!.conflicts[0]!.alternatives).toEqual([]);
    });
  });

  describe('resolutions', () => {
    const booked = makeSchedule({ bookings: [hour('2026-12-14T14:00:00.000Z')] });

    it('extends the series by a week when told to extend', () => {
      const r = check({ schedule: booked, resolutions: [{ date: '2026-12-14', time: '16:00', action: 'extend' }] });
      expect(r.totalWeeksNeeded).toBe(5);
      expect(r.patterns[0]!.conflicts[0]!.resolution).toBe('extend');
    });

    it('takes the chosen alternative slot that week instead', () => {
      const resolutions: Resolution[] = [
        {
          date: '2026-12-14',
          time: '16:00',
          action: 'alternative',
          alternative: { date: '2026-12-15', time: '10:00' },
        },
      ];
      const r = check({ schedule: booked, resolutions });
      expect(r.available).toBe(true);
      expect(r.totalWeeksNeeded).toBe(4);
      expect(r.scheduledSessions).toHaveLength(8);
      const alt = r.scheduledSessions.find((s) => s.patternIndex === null)!;
      expect(alt).toMatchObject({ date: '2026-12-15', time: '10:00', weekday: 'TUESDAY', sessionNumber: 4 });
      expect(r.patterns[0]!.conflicts[0]!.resolution).toBe('alternative');
      expect(r.scheduledSessions.map((s) => s.sessionNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(r.message).toBe('8 sessions across 4 weeks; 1 session moved to an alternative time');
    });

    it('turns the conflicting session into a floating one when told to float', () => {
      const r = check({ schedule: booked, resolutions: [{ date: '2026-12-14', time: '16:00', action: 'float' }] });
      expect(r.available).toBe(true);
      expect(r.floated).toBe(1);
      expect(r.recurringSessionCount).toBe(7);
      expect(r.scheduledSessions).toHaveLength(7);
      expect(r.totalWeeksNeeded).toBe(4);
      expect(r.patterns[0]!.conflicts[0]!.resolution).toBe('float');
    });

    it('rejects an alternative that overlaps another session of the series', () => {
      const e = errorOf(() =>
        check({
          schedule: booked,
          resolutions: [
            {
              date: '2026-12-14',
              time: '16:00',
              action: 'alternative',
              alternative: { date: '2026-12-16', time: '16:30' },
            },
          ],
        }),
      );
      expect(e.code).toBe('invalid_resolution');
    });

    it('rejects an alternative more than 3 days away', () => {
      const e = errorOf(() =>
        check({
          schedule: booked,
          resolutions: [
            {
              date: '2026-12-14',
              time: '16:00',
              action: 'alternative',
              alternative: { date: '2026-12-18', time: '10:00' },
            },
          ],
        }),
      );
      expect(e.code).toBe('invalid_resolution');
    });

    it('rejects an alternative that is not free', () => {
      const e = errorOf(() =>
        check({
          schedule: booked,
          resolutions: [
            {
              date: '2026-12-14',
              time: '16:00',
              action: 'alternative',
              alternative: { date: '2026-12-14', time: '22:00' },
            },
          ],
        }),
      );
      expect(e.code).toBe('invalid_resolution');
    });

    it('rejects a resolution for an occurrence that has no conflict', () => {
      const e = errorOf(() => check({ resolutions: [{ date: '2026-12-07', time: '16:00', action: 'float' }] }));
      expect(e.code).toBe('invalid_resolution');
    });

    it('rejects a resolution that names no occurrence of the chosen slots', () => {
      const e = errorOf(() => check({ resolutions: [{ date: '2026-12-08', time: '16:00', action: 'extend' }] }));
      expect(e.code).toBe('invalid_resolution');
    });

    it('accepts a suggested alternative as a resolution', () => {
      const first = check({ schedule: booked });
      const alt = first.patterns[0]!.conflicts[0]!.alternatives[0]!;
      const r = check({
        schedule: booked,
        resolutions: [
          { date: '2026-12-14', time: '16:00', action: 'alternative', alternative: { date: alt.date, time: alt.time } },
        ],
      });
      expect(r.scheduledSessions.some((s) => s.startUtc === alt.startUtc && s.patternIndex === null)).toBe(true);
    });
  });

  describe('validation', () => {
    it('rejects an unknown time zone', () => {
      expect(errorOf(() => check({ schedule: makeSchedule({ timezone: 'Mars/Olympus' }) })).code).toBe(
        'invalid_timezone',
      );
    });

    it('rejects the same slot chosen twice', () => {
      expect(errorOf(() => check({ patterns: [MON_16, { ...MON_16 }] })).code).toBe('duplicate_pattern');
    });

    it('rejects slots that overlap on the same day given the session length', () => {
      expect(errorOf(() => check({ patterns: [MON_16, pattern('MONDAY', '16:30')] })).code).toBe(
        'overlapping_patterns',
      );
      expect(check({ patterns: [MON_16, pattern('MONDAY', '17:00')] }).available).toBe(true);
    });

    it('rejects a malformed time', () => {
      expect(errorOf(() => check({ patterns: [pattern('MONDAY', '24:00')] })).code).toBe('invalid_time');
      expect(errorOf(() => check({ patterns: [pattern('MONDAY', '9:00')] })).code).toBe('invalid_time');
    });

    it('rejects no slots or more than 4', () => {
      expect(errorOf(() => check({ patterns: [] })).code).toBe('invalid_pattern');
      const five = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY'].map((d) => pattern(d as 'MONDAY', '10:00'));
      expect(errorOf(() => check({ patterns: five })).code).toBe('invalid_pattern');
    });
  });
});

import { describe, expect, it } from 'vitest';
import { WEEKDAYS, weeklyGrid } from '../../api/core/index.js';
import { TUESDAY_NOON_KHARTOUM as NOW, everyDay, hour, makeSchedule } from './helpers.js';

describe('weeklyGrid', () => {
  it('always lists 7 days, Sunday first, with slots from the rules sorted by time', () => {
    const rules = [
      { weekday: 'MONDAY' as const, startTime: '14:00', endTime: '16:00' },
      { weekday: 'MONDAY' as const, startTime: '09:00', endTime: '10:30' },
    ];
    const g = weeklyGrid({ schedule: makeSchedule({ rules }), durationMinutes: 60, weeks: 4, now: NOW });
    expect(g.availability.map((d) => d.weekday)).toEqual([...WEEKDAYS]);
    expect(g.availability[1]!.slots.map((s) => s.time)).toEqual(['09:00', '14:00', '15:00']);
    expect(g.availability.filter((d) => d.weekday !== 'MONDAY').every((d) => d.slots.length === 0)).toBe(true);
    expect(g).toMatchObject({ timezone: 'Africa/Khartoum', durationMinutes: 60, weeks: 4 });
  });

  it('steps slots by the session length and allows a window ending at 24:00', () => {
    const rules = [{ weekday: 'FRIDAY' as const, startTime: '22:00', endTime: '24:00' }];
    const g = weeklyGrid({ schedule: makeSchedule({ rules }), durationMinutes: 45, weeks: 2, now: NOW });
    expect(g.availability[5]!.slots.map((s) => s.time)).toEqual(['22:00', '22:45']);
  });

  it('marks a slot free, partial or unavailable by how many weeks are free', () => {
    const bookings = [
      hour('2026-12-07T14:00:00.000Z'), // Monday 16:00, week 1
      ...[0, 1, 2, 3].map((w) =>
        hour(new Date(Date.parse('2026-12-08T08:00:00.000Z') + w * 7 * 86_400_000).toISOString()),
      ),
    ];
    const g = weeklyGrid({ schedule: makeSchedule({ bookings }), durationMinutes: 60, weeks: 4, now: NOW });
    const monday16 = g.availability[1]!.slots.find((s) => s.time === '16:00')!;
    expect(monday16).toEqual({
      time: '16:00',
      available: true,
      status: 'partial',
      freeWeeks: 3,
      weeks: 4,
      reason: 'booked',
    });
    const tuesday10 = g.availability[2]!.slots.find((s) => s.time === '10:00')!;
    expect(tuesday10).toEqual({
      time: '10:00',
      available: false,
      status: 'unavailable',
      freeWeeks: 0,
      weeks: 4,
      reason: 'booked',
    });
    const monday17 = g.availability[1]!.slots.find((s) => s.time === '17:00')!;
    expect(monday17).toEqual({ time: '17:00', available: true, status: 'free', freeWeeks: 4, weeks: 4 });
  });

  it('starts the window at now plus the minimum notice', () => {
    const g = weeklyGrid({ schedule: makeSchedule(), durationMinutes: 60, weeks: 2, now: NOW });
    expect(g.windowStart).toBe('2026-12-02T10:00:00.000Z');
    expect(g.windowEnd).toBe('2026-12-16T10:00:00.000Z');
    // Wednesday 11:00 local (09:00Z) is before the window, so its weeks are the next two Wednesdays.
    const wed11 = weeklyGrid({
      schedule: makeSchedule({ bookings: [hour('2026-12-16T09:00:00.000Z')] }),
      durationMinutes: 60,
      weeks: 2,
      now: NOW,
    }).availability[3]!.slots.find((s) => s.time === '11:00')!;
    expect(wed11.freeWeeks).toBe(1);
  });

  it('reports the most common reason among the weeks that are not free', () => {
    const timeOff = [{ startUtc: '2026-12-07T00:00:00.000Z', endUtc: '2026-12-15T00:00:00.000Z' }];
    const bookings = [hour('2026-12-21T14:00:00.000Z')];
    const g = weeklyGrid({ schedule: makeSchedule({ timeOff, bookings }), durationMinutes: 60, weeks: 4, now: NOW });
    expect(g.availability[1]!.slots.find((s) => s.time === '16:00')).toMatchObject({
      freeWeeks: 1,
      reason: 'time_off',
    });
  });

  it('marks weeks past the booking horizon', () => {
    const g = weeklyGrid({ schedule: makeSchedule({ horizonDays: 14 }), durationMinutes: 60, weeks: 4, now: NOW });
    expect(g.availability[1]!.slots[0]).toMatchObject({ status: 'partial', freeWeeks: 2, reason: 'beyond_horizon' });
  });

  it('counts a week whose local time does not exist as a DST gap', () => {
    const schedule = makeSchedule({ timezone: 'America/New_York', rules: everyDay('00:00', '24:00') });
    const g = weeklyGrid({ schedule, durationMinutes: 60, weeks: 3, now: '2026-03-01T12:00:00.000Z' });
    const sunday2am = g.availability[0]!.slots.find((s) => s.time === '02:00')!;
    expect(sunday2am).toMatchObject({ status: 'partial', freeWeeks: 2, reason: 'dst_gap' });
  });

  it('rejects an unknown time zone', () => {
    expect(() =>
      weeklyGrid({ schedule: makeSchedule({ timezone: 'Nowhere/Land' }), durationMinutes: 60, weeks: 4, now: NOW }),
    ).toThrow(expect.objectContaining({ code: 'invalid_timezone' }));
  });
});

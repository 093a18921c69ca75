import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IntervalIndex } from '../../api/core/availability.js';
import { freeSlots, isSlotFree, slotAt } from '../../api/core/index.js';
import { TUESDAY_NOON_KHARTOUM as NOW, hour, makeSchedule } from './helpers.js';

describe('isSlotFree', () => {
  const monday16 = hour('2026-12-07T14:00:00.000Z');

  it('returns null for a bookable slot', () => {
    expect(isSlotFree(makeSchedule(), monday16, NOW)).toBeNull();
  });

  it('reports booked, time off, too soon, beyond horizon and outside availability', () => {
    expect(isSlotFree(makeSchedule({ bookings: [hour('2026-12-07T14:59:00.000Z')] }), monday16, NOW)).toBe('booked');
    expect(isSlotFree(makeSchedule({ timeOff: [hour('2026-12-07T13:30:00.000Z')] }), monday16, NOW)).toBe('time_off');
    expect(isSlotFree(makeSchedule(), hour('2026-12-02T09:00:00.000Z'), NOW)).toBe('too_soon');
    expect(isSlotFree(makeSchedule({ horizonDays: 5 }), monday16, NOW)).toBe('beyond_horizon');
    expect(isSlotFree(makeSchedule(), hour('2026-12-07T19:00:00.000Z'), NOW)).toBe('outside_availability');
  });

  it('does not count bookings that only touch the slot', () => {
    const bookings = [hour('2026-12-07T13:00:00.000Z'), hour('2026-12-07T15:00:00.000Z')];
    expect(isSlotFree(makeSchedule({ bookings }), monday16, NOW)).toBeNull();
  });

  it('applies the documented priority when several reasons apply', () => {
    const busy = makeSchedule({ bookings: [monday16], timeOff: [monday16], horizonDays: 3 });
    expect(isSlotFree(busy, monday16, NOW)).toBe('beyond_horizon');
    expect(isSlotFree(makeSchedule({ bookings: [monday16], timeOff: [monday16] }), monday16, NOW)).toBe('time_off');
    const late = hour('2026-12-02T19:00:00.000Z'); // Wednesday 21:00 local: after notice, but after hours
    expect(isSlotFree(makeSchedule({ bookings: [late] }), late, NOW)).toBe('outside_availability');
    const soonAndOutside = hour('2026-12-01T20:00:00.000Z');
    expect(isSlotFree(makeSchedule(), soonAndOutside, NOW)).toBe('outside_availability');
  });

  it('uses 24 hours of notice when the schedule has none set', () => {
    const schedule = { ...makeSchedule(), minNoticeMinutes: undefined as unknown as number };
    expect(isSlotFree(schedule, hour('2026-12-02T09:00:00.000Z'), NOW)).toBe('too_soon');
    expect(isSlotFree(schedule, hour('2026-12-02T10:00:00.000Z'), NOW)).toBeNull();
  });
});

describe('freeSlots', () => {
  it('lists the free rule-aligned slots in a range, chronologically', () => {
    const rules = [{ weekday: 'MONDAY' as const, startTime: '15:00', endTime: '18:00' }];
    const slots = freeSlots({
      schedule: makeSchedule({ rules, bookings: [hour('2026-12-07T14:00:00.000Z')] }),
      durationMinutes: 60,
      fromUtc: '2026-12-01T00:00:00.000Z',
      toUtc: '2026-12-15T00:00:00.000Z',
      now: NOW,
    });
    expect(slots.map((s) => `${s.date} ${s.time}`)).toEqual([
      '2026-12-07 15:00',
      '2026-12-07 17:00',
      '2026-12-14 15:00',
      '2026-12-14 16:00',
      '2026-12-14 17:00',
    ]);
    expect(slots[0]).toEqual({
      date: '2026-12-07',
      time: '15:00',
      weekday: 'MONDAY',
      startUtc: '2026-12-07T13:00:00.000Z',
      endUtc: '2026-12-07T14:00:00.000Z',
    });
  });

  it('leaves out slots before the notice period or after the horizon', () => {
    const slots = freeSlots({
      schedule: makeSchedule({ horizonDays: 3 }),
      durationMinutes: 60,
      fromUtc: '2026-11-01T00:00:00.000Z',
      toUtc: '2027-01-01T00:00:00.000Z',
      now: NOW,
    });
    // From exactly now + notice, up to but not including now + horizon.
    expect(slots[0]!.startUtc).toBe('2026-12-02T10:00:00.000Z');
    expect(slots[slots.length - 1]!.startUtc).toBe('2026-12-04T09:00:00.000Z');
  });
});

describe('slotAt', () => {
  it('turns a local date and time into a slot', () => {
    expect(slotAt('Europe/London', '2026-07-06', '16:00', 60)).toEqual({
      date: '2026-07-06',
      time: '16:00',
      weekday: 'MONDAY',
      startUtc: '2026-07-06T15:00:00.000Z',
      endUtc: '2026-07-06T16:00:00.000Z',
    });
  });

  it('returns null for a local time skipped by the clocks going forward', () => {
    expect(slotAt('Europe/London', '2026-03-29', '01:30', 60)).toBeNull();
    expect(slotAt('America/New_York', '2026-03-08', '02:00', 60)).toBeNull();
    expect(slotAt('Australia/Lord_Howe', '2026-10-04', '02:29', 30)).toBeNull();
    expect(slotAt('Australia/Lord_Howe', '2026-10-04', '02:30', 30)!.startUtc).toBe('2026-10-03T15:30:00.000Z');
  });

  it('returns null for every time of the day Samoa skipped', () => {
    expect(slotAt('Pacific/Apia', '2011-12-30', '12:00', 60)).toBeNull();
    expect(slotAt('Pacific/Apia', '2011-12-31', '00:00', 60)!.startUtc).toBe('2011-12-30T10:00:00.000Z');
  });

  it('picks the earlier instant for a time that happens twice', () => {
    expect(slotAt('Europe/London', '2026-10-25', '01:30', 60)!.startUtc).toBe('2026-10-25T00:30:00.000Z');
    expect(slotAt('Australia/Lord_Howe', '2026-04-05', '01:45', 60)!.startUtc).toBe('2026-04-04T14:45:00.000Z');
  });

  it('rejects bad input', () => {
    expect(() => slotAt('Nowhere/Land', '2026-07-06', '16:00', 60)).toThrow(
      expect.objectContaining({ code: 'invalid_timezone' }),
    );
    expect(() => slotAt('Europe/London', '2026-02-30', '16:00', 60)).toThrow(
      expect.objectContaining({ code: 'invalid_time' }),
    );
    expect(() => slotAt('Europe/London', '2026-02-03', '16:60', 60)).toThrow(
      expect.objectContaining({ code: 'invalid_time' }),
    );
  });
});

describe('busy time handling', () => {
  const monday16 = hour('2026-12-07T14:00:00.000Z');

  it('finds a clash among unsorted, overlapping and differently formatted bookings', () => {
    const bookings = [
      hour('2027-03-01T10:00:00.000Z'),
      { startUtc: '2026-12-07T16:30:00+02:00', endUtc: '2026-12-07T17:30:00+02:00' }, // 14:30Z, not the stored format
      hour('2026-12-01T10:00:00.000Z', 60 * 24 * 3),
      hour('2026-12-02T10:00:00.000Z'),
    ];
    expect(isSlotFree(makeSchedule({ bookings }), monday16, NOW)).toBe('booked');
    expect(isSlotFree(makeSchedule({ bookings: bookings.slice(0, 1) }), monday16, NOW)).toBeNull();
  });

  it('answers overlap queries exactly like a linear scan, for any instants', () => {
    const ms = fc.integer({ min: Date.parse('1990-01-01T00:00:00.000Z'), max: Date.parse('2100-12-31T23:59:59.999Z') });
    const iv = fc.tuple(ms, fc.integer({ min: 1, max: 3 * 86_400_000 })).map(([s, len]) => ({
      startUtc: new Date(s).toISOString(),
      endUtc: new Date(s + len).toISOString(),
    }));
    fc.assert(
      fc.property(
        fc.array(iv, { maxLength: 30 }),
        fc.array(fc.tuple(ms, fc.integer({ min: 1, max: 86_400_000 })), { maxLength: 30 }),
        (list, queries) => {
          const index = new IntervalIndex(list);
          for (const [s, len] of queries) {
            const naive = list.some((x) => Date.parse(x.startUtc) < s + len && s < Date.parse(x.endUtc));
            expect(index.overlaps(s, s + len)).toBe(naive);
          }
          for (const x of list) expect(index.overlaps(Date.parse(x.endUtc) - 1, Date.parse(x.endUtc))).toBe(true);
        },
      ),
    );
  });

  it('sees a booking appended to the same array object after an earlier check', () => {
    const bookings = [hour('2026-12-14T14:00:00.000Z')];
    const schedule = makeSchedule({ bookings });
    expect(isSlotFree(schedule, monday16, NOW)).toBeNull();
    bookings.push(monday16);
    expect(isSlotFree(schedule, monday16, NOW)).toBe('booked');
  });
});

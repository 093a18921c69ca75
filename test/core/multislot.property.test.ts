import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  WEEKDAYS,
  checkMultiSlot,
  datedFreeSlots,
  isSlotFree,
  minuteKey,
  slotAt,
  weeklyGrid,
  type AvailabilityRule,
  type Interval,
  type MultiSlotAvailability,
  type RecurringPattern,
  type Resolution,
  type TeacherSchedule,
} from '../../api/core/index.js';
import { localParts, refInstant, refOccurrences, refReason } from './reference.js';

const ZONES = [
  'Africa/Khartoum',
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Apia',
] as const;

/** Instants near DST transitions of the zones above (and Samoa's skipped day and its DST years). */
const ANCHORS = [
  '2026-03-08T07:00:00.000Z',
  '2026-03-29T01:00:00.000Z',
  '2026-04-04T15:00:00.000Z',
  '2026-10-03T15:30:00.000Z',
  '2026-10-25T01:00:00.000Z',
  '2026-11-01T06:00:00.000Z',
  '2011-12-30T10:00:00.000Z',
  '2020-04-04T14:00:00.000Z',
  '2020-09-26T14:00:00.000Z',
].map(Date.parse);

const MIN = 60_000;
const DAY = 86_400_000;

const hhmm = (m: number) =>
  m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const iso = (ms: number) => new Date(ms).toISOString();

const ruleArb: fc.Arbitrary<AvailabilityRule> = fc
  .record({
    w: fc.integer({ min: 0, max: 6 }),
    start: fc.integer({ min: 0, max: 46 }),
    len: fc.integer({ min: 2, max: 48 }),
  })
  .map(({ w, start, len }) => ({
    weekday: WEEKDAYS[w]!,
    startTime: hhmm(start * 30),
    endTime: hhmm(Math.min(48, start + len) * 30),
  }));

const scenarioArb = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    anchor: fc.constantFrom(...ANCHORS),
    shiftMinutes: fc.integer({ min: -20 * 1440, max: 10 * 1440 }),
    rules: fc.array(ruleArb, { minLength: 1, maxLength: 10 }),
    durationMinutes: fc.constantFrom(30, 45, 60, 90),
    minNoticeMinutes: fc.constantFrom(0, 60, 1440, 2880),
    horizonDays: fc.integer({ min: 7, max: 120 }),
    count: fc.integer({ min: 1, max: 16 }),
    patternSeeds: fc.array(
      fc.record({
        w: fc.integer({ min: 0, max: 6 }),
        kind: fc.constantFrom('rule', 'rule', 'random', 'night'),
        q: fc.integer({ min: 0, max: 95 }),
        ruleIdx: fc.nat(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    bookingSeeds: fc.array(
      fc.record({ at: fc.integer({ min: -2 * 96, max: 60 * 96 }), len: fc.integer({ min: 1, max: 12 }) }),
      {
        maxLength: 40,
      },
    ),
    hitSeeds: fc.array(
      fc.record({ pattern: fc.nat(), day: fc.integer({ min: 0, max: 70 }), shift: fc.integer({ min: -4, max: 4 }) }),
      { maxLength: 12 },
    ),
    timeOffSeeds: fc.array(
      fc.record({ at: fc.integer({ min: 0, max: 60 * 24 }), len: fc.integer({ min: 1, max: 7 * 24 }) }),
      {
        maxLength: 3,
      },
    ),
  })
  .map((s) => {
    const nowMs = s.anchor + s.shiftMinutes * MIN;
    const now = iso(nowMs);
    // Most patterns start where a rule starts, so that sessions are actually found; 'night' ones
    // sit in the early hours of Sunday, where DST transitions happen.
    const patterns: RecurringPattern[] = s.patternSeeds.map((p) => {
      const rule = s.rules[p.ruleIdx % s.rules.length]!;
      if (p.kind === 'rule') return { weekday: rule.weekday, time: rule.startTime };
      if (p.kind === 'night') return { weekday: 'SUNDAY', time: hhmm(60 + (p.q % 8) * 15) };
      return { weekday: WEEKDAYS[p.w]!, time: hhmm(p.q * 15) };
    });
    const bookingSeeds = [...s.bookingSeeds];
    // Bookings aimed at the patterns' occurrences (give or take an hour), so that clashes happen.
    for (const h of s.hitSeeds) {
      const p = patterns[h.pattern % patterns.length]!;
      const date = DateTime.fromMillis(nowMs, { zone: s.zone }).plus({ days: h.day }).toFormat('yyyy-MM-dd');
      const at = refInstant(s.zone, date, p.time);
      if (at !== null) bookingSeeds.push({ at: Math.round((at - nowMs) / (15 * MIN)) + h.shift, len: 4 });
    }
    const bookings: Interval[] = bookingSeeds.map((b) => ({
      startUtc: iso(nowMs + b.at * 15 * MIN),
      endUtc: iso(nowMs + (b.at + b.len) * 15 * MIN),
    }));
    const timeOff: Interval[] = s.timeOffSeeds.map((t) => ({
      startUtc: iso(nowMs + t.at * 60 * MIN),
      endUtc: iso(nowMs + (t.at + t.len) * 60 * MIN),
    }));
    const schedule: TeacherSchedule = {
      timezone: s.zone,
      rules: s.rules,
      bookings,
      timeOff,
      minNoticeMinutes: s.minNoticeMinutes,
      horizonDays: s.horizonDays,
    };
    return { schedule, patterns, now, durationMinutes: s.durationMinutes, count: s.count };
  })
  .filter(({ patterns, durationMinutes }) => patternsValid(patterns, durationMinutes));

function patternsValid(patterns: RecurringPattern[], duration: number): boolean {
  const pos = patterns.map(
    (p) => WEEKDAYS.indexOf(p.weekday) * 1440 + Number(p.time.slice(0, 2)) * 60 + Number(p.time.slice(3)),
  );
  for (let i = 0; i < pos.length; i++)
    for (let j = i + 1; j < pos.length; j++) {
      const gap = Math.abs(pos[i]! - pos[j]!);
      if (Math.min(gap, 7 * 1440 - gap) < duration) return false;
    }
  return true;
}

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario, resolutions: Resolution[] = []): MultiSlotAvailability {
  return checkMultiSlot({
    schedule: s.schedule,
    patterns: s.patterns,
    recurringSessionCount: s.count,
    durationMinutes: s.durationMinutes,
    gracePeriodDays: 14,
    resolutions,
    now: s.now,
  });
}

/** The invariants every result must satisfy, whatever the resolutions. */
function assertSound(s: Scenario, r: MultiSlotAvailability): void {
  const sessions = r.scheduledSessions;
  expect(r.recurringSessionCount).toBe(s.count - r.floated);
  if (r.available) expect(sessions).toHaveLength(s.count - r.floated);
  // Not available: sessions are missing, or every one was floated (a pack keeps one recurring).
  else if (s.count - r.floated > 0) expect(sessions.length).toBeLessThan(s.count - r.floated);
  else expect(sessions).toHaveLength(0);
  expect(sessions.map((x) => x.sessionNumber)).toEqual(sessions.map((_, i) => i + 1));
  for (let i = 0; i < sessions.length; i++) {
    const x = sessions[i]!;
    expect(Date.parse(x.endUtc) - Date.parse(x.startUtc)).toBe(s.durationMinutes * MIN);
    if (i > 0) expect(Date.parse(x.startUtc)).toBeGreaterThanOrEqual(Date.parse(sessions[i - 1]!.endUtc));
    // Free: inside the rules, not too soon, within the horizon, clear of time off and bookings.
    expect(isSlotFree(s.schedule, x, s.now)).toBeNull();
    // Stated local date/time/weekday are the instant's, in the teacher's zone.
    expect(localParts(s.schedule.timezone, Date.parse(x.startUtc))).toEqual({
      date: x.date,
      time: x.time,
      weekday: x.weekday,
    });
    if (x.patternIndex !== null) {
      const p = s.patterns[x.patternIndex]!;
      expect([x.weekday, x.time]).toEqual([p.weekday, p.time]);
    }
  }
  expect(r.firstSession).toBe(sessions[0]?.startUtc ?? null);
  expect(r.lastSession).toBe(sessions[sessions.length - 1]?.startUtc ?? null);
  r.patterns.forEach((report, i) => {
    expect([report.weekday, report.time]).toEqual([s.patterns[i]!.weekday, s.patterns[i]!.time]);
    for (const c of report.conflicts) {
      if (c.reason === 'dst_gap') expect(slotAt(s.schedule.timezone, c.date, c.time, s.durationMinutes)).toBeNull();
      else
        expect(
          isSlotFree(
            s.schedule,
            { startUtc: c.startUtc, endUtc: iso(Date.parse(c.startUtc) + s.durationMinutes * MIN) },
            s.now,
          ),
        ).toBe(c.reason);
      expect(c.alternatives.length).toBeLessThanOrEqual(3);
      for (const a of c.alternatives) {
        expect(isSlotFree(s.schedule, a, s.now)).toBeNull();
        const days = Math.abs(DateTime.fromISO(a.date).diff(DateTime.fromISO(c.date), 'days').days);
        expect(days).toBeLessThanOrEqual(3);
      }
    }
  });
}

describe('checkMultiSlot properties', () => {
  it('schedules exactly the first free occurrences in time order, each one free and on its pattern', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = run(s);
        assertSound(s, r);
        expect(r.floated).toBe(0);
        expect(r.scheduledSessions.every((x) => x.patternIndex !== null)).toBe(true);
        expect(r.patterns.reduce((n, p) => n + p.availableWeeks, 0)).toBe(r.scheduledSessions.length);

        // Oracle: the naive walk over luxon-computed occurrences.
        const occ = refOccurrences(s.schedule, s.patterns, s.durationMinutes, s.now);
        const free = occ.filter((o) => o.reason === null);
        const expected = free.slice(0, s.count);
        expect(r.available).toBe(free.length >= s.count);
        expect(r.scheduledSessions.map((x) => [x.startUtc, x.patternIndex])).toEqual(
          expected.map((o) => [iso(o.startMs), o.patternIndex]),
        );
        // Every conflicting occurrence the walk passed is reported on its pattern.
        const stop = r.available ? expected[expected.length - 1]!.startMs : Infinity;
        const expectedConflicts = occ.filter((o) => o.reason !== null && o.startMs < stop);
        const reported = r.patterns.flatMap((p, i) =>
          p.conflicts.filter((c) => c.reason !== 'dst_gap').map((c) => [Date.parse(c.startUtc), i, c.reason]),
        );
        expect(reported.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual(
          expectedConflicts.map((o) => [o.startMs, o.patternIndex, o.reason]),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('stays sound whatever the parent chooses for each conflict', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(fc.constantFrom('extend', 'float', 'alternative'), { maxLength: 30 }),
        (s, actions) => {
          // Resolve conflicts one at a time, as the widget does: re-check after each choice.
          let resolutions: Resolution[] = [];
          let r = run(s);
          for (const action of actions) {
            const open = r.patterns
              .flatMap((p) => p.conflicts)
              .filter((c) => !resolutions.some((x) => x.date === c.date && x.time === c.time))
              .sort((a, b) => a.startUtc.localeCompare(b.startUtc))[0];
            if (!open) break;
            const alt = open.alternatives[0];
            const next: Resolution =
              action === 'alternative' && alt
                ? { date: open.date, time: open.time, action, alternative: { date: alt.date, time: alt.time } }
                : { date: open.date, time: open.time, action: action === 'alternative' ? 'extend' : action };
            resolutions = [...resolutions, next];
            r = run(s, resolutions);
            assertSound(s, r);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps the wall-clock time of every pattern across DST changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...ANCHORS),
        fc.integer({ min: -30, max: 0 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 47 }),
        (zone, anchor, shiftDays, w, half) => {
          const time = hhmm(half * 30);
          const schedule: TeacherSchedule = {
            timezone: zone,
            rules: WEEKDAYS.map((weekday) => ({ weekday, startTime: '00:00', endTime: '24:00' })),
            bookings: [],
            timeOff: [],
            minNoticeMinutes: 0,
            horizonDays: 120,
          };
          const r = checkMultiSlot({
            schedule,
            patterns: [{ weekday: WEEKDAYS[w]!, time }],
            recurringSessionCount: 10,
            durationMinutes: 30,
            gracePeriodDays: 0,
            now: iso(anchor + shiftDays * DAY),
          });
          expect(r.available).toBe(true);
          for (const x of r.scheduledSessions) {
            const local = DateTime.fromISO(x.startUtc, { zone });
            expect(local.toFormat('HH:mm')).toBe(time);
            expect(WEEKDAYS[local.weekday % 7]).toBe(WEEKDAYS[w]);
          }
          // Only a nonexistent local time may make a week be skipped here.
          expect(r.patterns[0]!.conflicts.every((c) => c.reason === 'dst_gap')).toBe(true);
          for (const c of r.patterns[0]!.conflicts) expect(refInstant(zone, c.date, c.time)).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('weeklyGrid properties', () => {
  it('counts for each slot the free weeks among its next occurrences, matching a naive check', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 10 }), (s, weeks) => {
        const g = weeklyGrid({ schedule: s.schedule, durationMinutes: s.durationMinutes, weeks, now: s.now });
        expect(g.availability.map((d) => d.weekday)).toEqual([...WEEKDAYS]);
        const earliest = Date.parse(g.windowStart);
        const zone = s.schedule.timezone;
        const firstDate = DateTime.fromISO(DateTime.fromMillis(earliest, { zone }).toFormat('yyyy-MM-dd'), {
          zone: 'utc',
        });
        for (const day of g.availability) {
          const times = day.slots.map((x) => x.time);
          expect([...times].sort()).toEqual(times);
          for (const slot of day.slots) {
            expect(slot.weeks).toBe(weeks);
            expect(slot.available).toBe(slot.freeWeeks > 0);
            expect(slot.status).toBe(
              slot.freeWeeks === weeks ? 'free' : slot.freeWeeks === 0 ? 'unavailable' : 'partial',
            );
            expect(slot.reason === undefined).toBe(slot.freeWeeks === weeks);
            // Naive count, skipped when the first candidate day is a DST gap near the window start.
            let d = firstDate;
            while (WEEKDAYS[d.weekday % 7] !== day.weekday) d = d.plus({ days: 1 });
            const first = refInstant(zone, d.toFormat('yyyy-MM-dd'), slot.time);
            if (first === null) continue;
            if (first < earliest) d = d.plus({ days: 7 });
            let free = 0;
            for (let k = 0; k < weeks; k++) {
              const date = d.plus({ days: 7 * k }).toFormat('yyyy-MM-dd');
              const start = refInstant(zone, date, slot.time);
              if (
                start !== null &&
                refReason(s.schedule, s.now, day.weekday, slot.time, start, s.durationMinutes) === null
              )
                free++;
            }
            expect(slot.freeWeeks).toBe(free);
          }
        }
      }),
      { numRuns: Number(process.env.GRID_RUNS ?? 150) },
    );
  });
});

describe('the minute key of the cache', () => {
  // The API caches the check, the grid and the free slots per minute key; that is only right if
  // the core answers the same for every instant the key stands for.
  // The date range is an input, so both calls take it from the key: a local midnight falls on a minute
  // boundary, and 1 ms before it (Pacific/Apia skipping 2011-12-30 as well) is another local date.
  const answers = (s: Scenario, now: string, rangeFrom: string) => {
    const day = DateTime.fromISO(rangeFrom, { zone: s.schedule.timezone });
    return {
      check: checkMultiSlot({
        schedule: s.schedule,
        patterns: s.patterns,
        recurringSessionCount: s.count,
        durationMinutes: s.durationMinutes,
        gracePeriodDays: 14,
        now,
      }),
      grid: weeklyGrid({ schedule: s.schedule, durationMinutes: s.durationMinutes, weeks: 8, now }),
      slots: datedFreeSlots({
        schedule: s.schedule,
        durationMinutes: s.durationMinutes,
        fromDate: day.toFormat('yyyy-MM-dd'),
        toDate: day.plus({ days: 3 }).toFormat('yyyy-MM-dd'),
        now,
      }),
      // The horizon's last days, where `start < now + horizon` decides.
      lastSlots: datedFreeSlots({
        schedule: s.schedule,
        durationMinutes: s.durationMinutes,
        fromDate: day.plus({ days: s.schedule.horizonDays - 2 }).toFormat('yyyy-MM-dd'),
        toDate: day.plus({ days: s.schedule.horizonDays + 1 }).toFormat('yyyy-MM-dd'),
        now,
      }),
    };
  };

  it('answers for any instant inside a minute exactly what it answers at that minute’s key', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 59_999 }), (s, early) => {
        const inside = new Date(Date.parse(s.now) - early);
        const key = new Date(minuteKey(inside) * MIN);
        expect(key.toISOString()).toBe(s.now);
        expect(answers(s, inside.toISOString(), s.now)).toEqual(answers(s, key.toISOString(), s.now));
      }),
      { numRuns: 200 },
    );
  });

  it('answers the same half a minute before a key at both edges: notice and horizon', () => {
    // At 08:00 Khartoum a 08:00 slot 24 h later starts exactly at the notice, and 14 days later
    // exactly at the horizon; at 07:59:30 the first is half a minute past the notice, the last
    // half a minute past the horizon.
    const schedule: TeacherSchedule = {
      timezone: 'Africa/Khartoum',
      rules: WEEKDAYS.map((weekday) => ({ weekday, startTime: '08:00', endTime: '09:00' })),
      bookings: [],
      timeOff: [],
      minNoticeMinutes: 1440,
      horizonDays: 14,
    };
    const slots = (now: string) =>
      datedFreeSlots({ schedule, durationMinutes: 60, fromDate: '2026-11-30', toDate: '2026-12-20', now }).map(
        (x) => x.date,
      );
    const key = '2026-11-30T06:00:00.000Z';
    const inside = '2026-11-30T05:59:30.000Z';
    expect(new Date(minuteKey(new Date(inside)) * MIN).toISOString()).toBe(key);
    expect(slots(inside)).toEqual(slots(key));
    expect(slots(key)[0]).toBe('2026-12-01');
    expect(slots(key).at(-1)).toBe('2026-12-13');
    expect(
      isSlotFree(schedule, { startUtc: '2026-12-14T06:00:00.000Z', endUtc: '2026-12-14T07:00:00.000Z' }, key),
    ).toBe('beyond_horizon');
  });
});

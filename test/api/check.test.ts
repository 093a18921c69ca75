import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type ApiTarget } from '../support/target.js';
import { addBooking, addTimeOff, buildScenario, WEEKDAY_RULES, type Scenario } from '../support/scenario.js';

// Monday 30 Nov 2026, 08:00 in Khartoum (UTC+2): with 24 h notice the first bookable start is Tue 1 Dec 08:00.
const NOW = '2026-11-30T06:00:00.000Z';

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
});
afterAll(async () => {
  await target?.close();
});

async function check(s: Scenario, body: Record<string, unknown>) {
  return s.api.post('/packages/check-multi-slot-availability', { teacherId: s.teacherId, tierId: s.tierId, ...body });
}

describe('POST /packages/check-multi-slot-availability', () => {
  describe('single slot (5.1)', () => {
    it('schedules 8 sessions over 8 consecutive Mondays, skipping the one inside the notice period', async () => {
      const s = await buildScenario(target);
      const { status, body } = await check(s, { patterns: [{ weekday: 'MONDAY', time: '16:00' }] });
      expect(status).toBe(200);
      expect(body.available).toBe(true);
      expect(body.scheduledSessions.map((x: any) => x.date)).toEqual([
        '2026-12-07',
        '2026-12-14',
        '2026-12-21',
        '2026-12-28',
        '2027-01-04',
        '2027-01-11',
        '2027-01-18',
        '2027-01-25',
      ]);
      expect(body.scheduledSessions.map((x: any) => x.sessionNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(body.totalWeeksNeeded).toBe(8);
      expect(body.firstSession).toBe('2026-12-07T14:00:00.000Z');
      expect(body.lastSession).toBe('2027-01-25T14:00:00.000Z');
      // Grace period of the scenario's tier is 14 days.
      expect(body.packageEndDate).toBe('2027-02-08T14:00:00.000Z');
      expect(body.patterns).toEqual([{ weekday: 'MONDAY', time: '16:00', availableWeeks: 8, conflicts: [] }]);
    });
  });

  describe('multi-slot (5.2)', () => {
    it('alternates Wednesday and Monday over 4 weeks for two weekly slots, earliest first', async () => {
      const s = await buildScenario(target);
      const { body } = await check(s, {
        patterns: [
          { weekday: 'MONDAY', time: '16:00' },
          { weekday: 'WEDNESDAY', time: '17:00' },
        ],
      });
      expect(body.available).toBe(true);
      expect(body.scheduledSessions.map((x: any) => `${x.sessionNumber} ${x.weekday} ${x.date} ${x.time}`)).toEqual([
        '1 WEDNESDAY 2026-12-02 17:00',
        '2 MONDAY 2026-12-07 16:00',
        '3 WEDNESDAY 2026-12-09 17:00',
        '4 MONDAY 2026-12-14 16:00',
        '5 WEDNESDAY 2026-12-16 17:00',
        '6 MONDAY 2026-12-21 16:00',
        '7 WEDNESDAY 2026-12-23 17:00',
        '8 MONDAY 2026-12-28 16:00',
      ]);
      expect(body.totalWeeksNeeded).toBe(4);
      expect(body.patterns.map((p: any) => p.availableWeeks)).toEqual([4, 4]);
    });

    it('splits 8 sessions 3+3+2 over three slots in 3 weeks', async () => {
      const s = await buildScenario(target);
      const { body } = await check(s, {
        patterns: [
          { weekday: 'SUNDAY', time: '10:00' },
          { weekday: 'TUESDAY', time: '10:00' },
          { weekday: 'THURSDAY', time: '10:00' },
        ],
      });
      const perDay = (day: string) => body.scheduledSessions.filter((x: any) => x.weekday === day).length;
      expect([perDay('TUESDAY'), perDay('THURSDAY'), perDay('SUNDAY')]).toEqual([3, 3, 2]);
      expect(body.scheduledSessions[0].date).toBe('2026-12-01');
      expect(body.totalWeeksNeeded).toBe(3);
    });

    it('fits 8 sessions into 2 weeks with the maximum of four slots', async () => {
      const s = await buildScenario(target);
      const { body } = await check(s, {
        patterns: ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY'].map((weekday) => ({ weekday, time: '10:00' })),
      });
      expect(body.scheduledSessions).toHaveLength(8);
      expect(body.totalWeeksNeeded).toBe(2);
      expect(body.lastSession).toBe('2026-12-14T08:00:00.000Z');
    });

    it('accepts the same time on different days', async () => {
      const s = await buildScenario(target);
      const { status, body } = await check(s, {
        patterns: [
          { weekday: 'SUNDAY', time: '15:00' },
          { weekday: 'THURSDAY', time: '15:00' },
        ],
      });
      expect(status).toBe(200);
      expect(new Set(body.scheduledSessions.map((x: any) => x.time))).toEqual(new Set(['15:00']));
    });
  });

  describe('conflicts (5.3)', () => {
    it('reports the busy week with its reason and alternatives that same week, and extends by default', async () => {
      const s = await buildScenario(target);
      await addBooking(s, '2026-12-21T14:00:00.000Z'); // Monday 21 Dec 16:00 local
      const { body } = await check(s, { patterns: [{ weekday: 'MONDAY', time: '16:00' }] });
      expect(body.available).toBe(true);
      const [conflict] = body.patterns[0].conflicts;
      expect(conflict).toMatchObject({ date: '2026-12-21', time: '16:00', reason: 'booked', resolution: 'extend' });
      expect(conflict.alternatives.length).toBeGreaterThan(0);
      expect(conflict.alternatives.length).toBeLessThanOrEqual(3);
      // Nearest free times that day come first.
      expect(conflict.alternatives.slice(0, 2).map((a: any) => `${a.date} ${a.time}`)).toEqual([
        '2026-12-21 15:00',
        '2026-12-21 17:00',
      ]);
      expect(body.scheduledSessions.map((x: any) => x.date)).not.toContain('2026-12-21');
      expect(body.scheduledSessions).toHaveLength(8);
      expect(body.totalWeeksNeeded).toBe(9);
      expect(body.patterns[0].availableWeeks).toBe(8);
    });

    it('takes a suggested alternative for the busy week when asked', async () => {
      const s = await buildScenario(target);
      await addBooking(s, '2026-12-21T14:00:00.000Z');
      const { body } = await check(s, {
        patterns: [{ weekday: 'MONDAY', time: '16:00' }],
        resolutions: [
          {
            date: '2026-12-21',
            time: '16:00',
            action: 'alternative',
            alternative: { date: '2026-12-21', time: '17:00' },
          },
        ],
      });
      const third = body.scheduledSessions[2];
      expect(third).toMatchObject({ sessionNumber: 3, date: '2026-12-21', time: '17:00', patternIndex: null });
      expect(body.totalWeeksNeeded).toBe(8);
      expect(body.patterns[0].conflicts[0].resolution).toBe('alternative');
    });

    it('turns the busy week into an extra floating session when asked', async () => {
      const s = await buildScenario(target);
      await addBooking(s, '2026-12-21T14:00:00.000Z');
      const { body } = await check(s, {
        patterns: [{ weekday: 'MONDAY', time: '16:00' }],
        resolutions: [{ date: '2026-12-21', time: '16:00', action: 'float' }],
      });
      expect(body.floated).toBe(1);
      expect(body.recurringSessionCount).toBe(7);
      expect(body.scheduledSessions).toHaveLength(7);
      // The busy week becomes a floating credit, so the series still ends on the 8th Monday.
      expect(body.lastSession).toBe('2027-01-25T14:00:00.000Z');
      expect(body.scheduledSessions.map((x: any) => x.date)).not.toContain('2026-12-21');
    });

    it('refuses an alternative that is not free', async () => {
      const s = await buildScenario(target);
      await addBooking(s, '2026-12-21T14:00:00.000Z');
      await addBooking(s, '2026-12-21T15:00:00.000Z');
      const { status, body } = await check(s, {
        patterns: [{ weekday: 'MONDAY', time: '16:00' }],
        resolutions: [
          {
            date: '2026-12-21',
            time: '16:00',
            action: 'alternative',
            alternative: { date: '2026-12-21', time: '17:00' },
          },
        ],
      });
      expect(status).toBe(422);
      expect(body.error.code).toBe('invalid_resolution');
    });

    it('names time off as the reason for weeks the teacher is away', async () => {
      const s = await buildScenario(target);
      await addTimeOff(s, '2026-12-13T22:00:00.000Z', '2026-12-14T22:00:00.000Z'); // all of Mon 14 Dec local
      const { body } = await check(s, { patterns: [{ weekday: 'MONDAY', time: '16:00' }] });
      expect(body.patterns[0].conflicts.map((c: any) => [c.date, c.reason])).toEqual([['2026-12-14', 'time_off']]);
      // No alternative that day (away all day): the same time on nearby days instead.
      for (const alternative of body.patterns[0].conflicts[0].alternatives) {
        expect(alternative.date).not.toBe('2026-12-14');
        expect(alternative.time).toBe('16:00');
      }
    });

    it('reports a slot outside the teacher hours as outside_availability in every week, not available', async () => {
      const s = await buildScenario(target, { rules: WEEKDAY_RULES(['MONDAY'], '14:00', '18:00') });
      const { body } = await check(s, { patterns: [{ weekday: 'FRIDAY', time: '16:00' }] });
      expect(body.available).toBe(false);
      expect(body.scheduledSessions).toHaveLength(0);
      expect(new Set(body.patterns[0].conflicts.map((c: any) => c.reason))).toEqual(new Set(['outside_availability']));
    });

    it('is not available when the sessions do not fit in the booking horizon', async () => {
      const s = await buildScenario(target);
      await s.admin.put(`/admin/teachers/${s.teacherId}`, {
        name: 'Short horizon',
        timezone: 'Africa/Khartoum',
        hourlyRateMinor: 500_000,
        currency: 'SDG',
        horizonDays: 28,
      });
      const { body } = await check(s, { patterns: [{ weekday: 'MONDAY', time: '16:00' }] });
      expect(body.available).toBe(false);
      expect(body.scheduledSessions.length).toBeLessThan(8);
      expect(body.message).toMatch(/of 8/);
    });
  });

  describe('time zones', () => {
    it('keeps a London slot at 16:00 local across the March clock change, moving its UTC instant', async () => {
      const s = await buildScenario(target, {
        timezone: 'Europe/London',
        currency: 'GBP',
        hourlyRateMinor: 3000,
        tier: { sessionCount: 20, recurringCount: 20, floatingCount: 0 },
      });
      const { body } = await check(s, { patterns: [{ weekday: 'MONDAY', time: '16:00' }] });
      const byDate = Object.fromEntries(body.scheduledSessions.map((x: any) => [x.date, x.startUtc]));
      expect(byDate['2027-03-22']).toBe('2027-03-22T16:00:00.000Z');
      expect(byDate['2027-03-29']).toBe('2027-03-29T15:00:00.000Z');
      expect(body.scheduledSessions.every((x: any) => x.time === '16:00')).toBe(true);
    });

    it('reports a local time that does not exist on the clock-change day as dst_gap', async () => {
      const s = await buildScenario(target, {
        timezone: 'Europe/London',
        currency: 'GBP',
        hourlyRateMinor: 3000,
        rules: WEEKDAY_RULES(['SUNDAY'], '00:00', '04:00'),
        tier: { sessionCount: 20, recurringCount: 20, floatingCount: 0 },
      });
      const { body } = await check(s, { patterns: [{ weekday: 'SUNDAY', time: '01:00' }] });
      const gap = body.patterns[0].conflicts.find((c: any) => c.date === '2027-03-28');
      expect(gap?.reason).toBe('dst_gap');
      expect(body.scheduledSessions.map((x: any) => x.date)).not.toContain('2027-03-28');
    });
  });

  describe('edge cases (5.4)', () => {
    it('rejects the same slot chosen twice with 422 duplicate_pattern', async () => {
      const s = await buildScenario(target);
      const { status, body } = await check(s, {
        patterns: [
          { weekday: 'MONDAY', time: '16:00' },
          { weekday: 'MONDAY', time: '16:00' },
        ],
      });
      expect(status).toBe(422);
      expect(body.error.code).toBe('duplicate_pattern');
    });

    it('rejects two slots that overlap on the same day', async () => {
      const s = await buildScenario(target);
      const { status, body } = await check(s, {
        patterns: [
          { weekday: 'MONDAY', time: '16:00' },
          { weekday: 'MONDAY', time: '16:30' },
        ],
      });
      expect(status).toBe(422);
      expect(body.error.code).toBe('overlapping_patterns');
    });

    it('refuses a fifth slot with a clear 400', async () => {
      const s = await buildScenario(target);
      const { status, body } = await check(s, {
        patterns: ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY'].map((weekday) => ({
          weekday,
          time: '10:00',
        })),
      });
      expect(status).toBe(400);
      expect(body.error.message).toMatch(/Maximum 4/);
    });

    it('schedules the new tier count when the tier changes', async () => {
      const s = await buildScenario(target);
      const small = await s.admin.post('/admin/tiers', {
        teacherId: s.teacherId,
        name: '5',
        sessionCount: 5,
        recurringCount: 4,
        floatingCount: 1,
      });
      const patterns = [{ weekday: 'MONDAY', time: '16:00' }];
      const ten = await check(s, { patterns });
      const five = await check(s, { patterns, tierId: small.body.id });
      expect(ten.body.scheduledSessions).toHaveLength(8);
      expect(five.body.scheduledSessions).toHaveLength(4);
    });

    it('refuses a session count or duration beside tierId with 400: the tier decides, as in the purchase', async () => {
      const s = await buildScenario(target);
      const patterns = [{ weekday: 'MONDAY', time: '16:00' }];
      for (const extra of [
        { recurringSessionCount: 3 },
        { duration: 90 },
        { recurringSessionCount: 8, duration: 60 },
      ]) {
        const { status, body } = await check(s, { patterns, ...extra });
        expect(status, JSON.stringify(extra)).toBe(400);
        expect(body.error.code).toBe('validation_error');
        expect(body.error.details.issues.map((i: any) => i.path)).toEqual(Object.keys(extra));
      }
      const byTier = await check(s, { patterns });
      expect(byTier.status).toBe(200);
      expect(byTier.body.scheduledSessions).toHaveLength(8);
    });

    it('accepts an explicit session count and duration without a tier, as in the spec', async () => {
      const s = await buildScenario(target);
      const { status, body } = await s.api.post('/packages/check-multi-slot-availability', {
        teacherId: s.teacherId,
        patterns: [
          { weekday: 'TUESDAY', time: '17:00' },
          { weekday: 'THURSDAY', time: '16:00' },
        ],
        recurringSessionCount: 8,
        duration: 60,
      });
      expect(status).toBe(200);
      expect(body.scheduledSessions).toHaveLength(8);
      expect(body.totalWeeksNeeded).toBe(4);
    });
  });
});

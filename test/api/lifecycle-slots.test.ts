import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type ApiTarget } from '../support/target.js';
import { addBooking, addTimeOff, buildScenario, WEEKDAY_RULES } from '../support/scenario.js';

// Monday 08:00 in Khartoum (UTC+2); with 24 h notice the first bookable instant is Tuesday 08:00.
const NOW = '2026-11-30T06:00:00.000Z';

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
});
afterAll(async () => {
  await target?.close();
});

const slotsPath = (teacherId: string, query: string) => `/marketplace/teachers/${teacherId}/slots?${query}`;

describe('GET /marketplace/teachers/:id/slots', () => {
  it('lists every free rule-aligned slot by teacher-local date, leaving out busy, time-off and too-soon ones', async () => {
    const s = await buildScenario(target);
    const before = await s.api.get(slotsPath(s.teacherId, 'from=2026-11-30&to=2026-12-06'));
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      teacherId: s.teacherId,
      timezone: 'Africa/Khartoum',
      durationMinutes: 60,
      from: '2026-11-30',
      to: '2026-12-06',
    });
    const perDay = (body: any) =>
      body.slots.reduce(
        (acc: Record<string, number>, slot: any) => ({ ...acc, [slot.date]: (acc[slot.date] ?? 0) + 1 }),
        {},
      );
    // Monday is inside the notice period, Friday has no rules; other days 09:00-19:00 → 10 slots.
    expect(perDay(before.body)).toEqual({
      '2026-12-01': 10,
      '2026-12-02': 10,
      '2026-12-03': 10,
      '2026-12-05': 10,
      '2026-12-06': 10,
    });
    expect(before.body.slots[0]).toEqual({
      date: '2026-12-01',
      time: '09:00',
      weekday: 'TUESDAY',
      startUtc: '2026-12-01T07:00:00.000Z',
      endUtc: '2026-12-01T08:00:00.000Z',
    });

    await addBooking(s, '2026-12-02T14:00:00.000Z'); // Wednesday 16:00 local
    await addTimeOff(s, '2026-12-03T07:00:00.000Z', '2026-12-03T10:00:00.000Z'); // Thursday 09:00-12:00 local
    const after = await s.api.get(slotsPath(s.teacherId, 'from=2026-11-30&to=2026-12-06'));
    expect(perDay(after.body)).toEqual({
      '2026-12-01': 10,
      '2026-12-02': 9,
      '2026-12-03': 7,
      '2026-12-05': 10,
      '2026-12-06': 10,
    });
    const times = (date: string) => after.body.slots.filter((x: any) => x.date === date).map((x: any) => x.time);
    expect(times('2026-12-02')).not.toContain('16:00');
    expect(times('2026-12-03')).toEqual(['12:00', '13:00', '14:00', '15:00', '16:00', '17:00', '18:00']);
  });

  it('agrees with the weekly grid slot for slot (one source of availability)', async () => {
    const s = await buildScenario(target);
    await addBooking(s, '2026-12-07T14:00:00.000Z');
    await addTimeOff(s, '2026-12-02T07:00:00.000Z', '2026-12-02T12:00:00.000Z');
    const grid = await s.api.get(`/marketplace/teachers/${s.teacherId}/weekly-availability?weeks=1`);
    const list = await s.api.get(slotsPath(s.teacherId, 'from=2026-11-30&to=2026-12-08'));
    const inWindow = list.body.slots.filter(
      (x: any) => x.startUtc >= grid.body.windowStart && x.startUtc < grid.body.windowEnd,
    );
    const listed = new Set(inWindow.map((x: any) => `${x.weekday} ${x.time}`));
    const free = new Set<string>();
    for (const day of grid.body.availability)
      for (const slot of day.slots) if (slot.status === 'free') free.add(`${day.weekday} ${slot.time}`);
    expect(free.size).toBeGreaterThan(40);
    expect([...listed].sort()).toEqual([...free].sort());
  });

  it('uses the tier’s session length for slot starts and ends', async () => {
    const s = await buildScenario(target, { tier: { sessionMinutes: 90 } });
    const { body } = await s.api.get(slotsPath(s.teacherId, `from=2026-12-01&to=2026-12-01&tierId=${s.tierId}`));
    expect(body.durationMinutes).toBe(90);
    expect(body.slots.map((x: any) => x.time)).toEqual(['09:00', '10:30', '12:00', '13:30', '15:00', '16:30']);
    expect(body.slots[0].endUtc).toBe('2026-12-01T08:30:00.000Z');
  });

  it('keeps the wall-clock time across a daylight-saving change', async () => {
    const s = await buildScenario(target, {
      timezone: 'Europe/London',
      currency: 'GBP',
      rules: WEEKDAY_RULES(['FRIDAY', 'MONDAY'], '16:00', '17:00'),
    });
    const { body } = await s.api.get(slotsPath(s.teacherId, 'from=2027-03-26&to=2027-03-29'));
    expect(body.slots.map((x: any) => [x.date, x.time, x.startUtc])).toEqual([
      ['2027-03-26', '16:00', '2027-03-26T16:00:00.000Z'],
      ['2027-03-29', '16:00', '2027-03-29T15:00:00.000Z'],
    ]);
  });

  it('defaults to two weeks from the teacher’s today', async () => {
    const s = await buildScenario(target);
    const { status, body } = await s.api.get(slotsPath(s.teacherId, ''));
    expect(status).toBe(200);
    expect([body.from, body.to]).toEqual(['2026-11-30', '2026-12-13']);
  });

  it('accepts a range of up to 92 days and refuses longer, reversed or malformed ranges with 400', async () => {
    const s = await buildScenario(target);
    expect((await s.api.get(slotsPath(s.teacherId, 'from=2026-12-01&to=2027-03-02'))).status).toBe(200);
    for (const query of [
      'from=2026-12-01&to=2027-03-03',
      'from=2026-12-10&to=2026-12-01',
      'from=2026-02-30',
      'from=tomorrow',
      'duration=5',
      'week=1',
    ]) {
      const response = await s.api.get(slotsPath(s.teacherId, query));
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe('validation_error');
    }
  });

  it('answers 404 for an unknown teacher or tier', async () => {
    const s = await buildScenario(target);
    expect((await s.api.get(slotsPath('nobody', 'from=2026-12-01'))).body.error.code).toBe('teacher_not_found');
    expect((await s.api.get(slotsPath(s.teacherId, 'tierId=nope'))).body.error.code).toBe('tier_not_found');
  });
});

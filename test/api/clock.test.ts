import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type ApiTarget } from '../support/target.js';
import { buildScenario, purchaseBody } from '../support/scenario.js';

// Monday 19 Oct 2026, 14:00:30 in Khartoum (UTC+2), half a minute into the minute. With 24 h notice
// Tuesday 20 Oct 14:00 local (12:00Z) is 23 h 59 min 30 s away: too soon, for everything the API says.
const NOW = '2026-10-19T12:00:30.000Z';
const TOO_SOON = '2026-10-20T12:00:00.000Z';
const NOTICE_MS = 24 * 3_600_000;
const TUESDAY_14 = [{ weekday: 'TUESDAY', time: '14:00' }];

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
});
afterAll(async () => {
  await target?.close();
});

describe('the clock, to the second', () => {
  it('offers in the check exactly the sessions the purchase then books', async () => {
    const s = await buildScenario(target);
    const check = await s.api.post('/packages/check-multi-slot-availability', {
      teacherId: s.teacherId,
      tierId: s.tierId,
      patterns: TUESDAY_14,
    });
    expect(check.status).toBe(200);
    expect(check.body.firstSession).toBe('2026-10-27T12:00:00.000Z');
    expect(check.body.scheduledSessions.map((x: any) => x.startUtc)).not.toContain(TOO_SOON);

    const bought = await s.parent.api.post('/packages', purchaseBody(s, TUESDAY_14));
    expect(bought.status).toBe(201);
    expect(bought.body.sessions.map((x: any) => x.startUtc)).toEqual(
      check.body.scheduledSessions.map((x: any) => x.startUtc),
    );
  });

  it('shows a slot the purchase booked as booked in the grid, from the first bookable instant', async () => {
    const s = await buildScenario(target);
    const bought = await s.parent.api.post('/packages', purchaseBody(s, TUESDAY_14));
    expect(bought.status).toBe(201);
    const grid = await s.api.get(`/marketplace/teachers/${s.teacherId}/weekly-availability?weeks=8&tierId=${s.tierId}`);
    expect(grid.status).toBe(200);
    expect(Date.parse(grid.body.windowStart)).toBeGreaterThanOrEqual(Date.parse(NOW) + NOTICE_MS);
    const tuesday = grid.body.availability.find((d: any) => d.weekday === 'TUESDAY');
    expect(tuesday.slots.find((x: any) => x.time === '14:00')).toMatchObject({
      status: 'unavailable',
      freeWeeks: 0,
      reason: 'booked',
    });
  });

  it('lists only free slots that can then be booked as floating sessions', async () => {
    const s = await buildScenario(target);
    const bought = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'WEDNESDAY', time: '10:00' }]));
    expect(bought.status).toBe(201);
    const list = await s.api.get(`/marketplace/teachers/${s.teacherId}/slots?from=2026-10-20&to=2026-10-20`);
    expect(list.status).toBe(200);
    expect(list.body.slots.map((x: any) => x.time)).toEqual(['15:00', '16:00', '17:00', '18:00']);
    const first = list.body.slots[0];
    const booked = await s.parent.api.post(`/packages/${bought.body.id}/floating-sessions`, {
      date: first.date,
      time: first.time,
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.session.startUtc).toBe(first.startUtc);
  });
});

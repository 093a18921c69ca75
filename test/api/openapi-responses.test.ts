import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonResponse } from '../support/http.js';
import { fetchDocument, responseChecker } from '../support/openapi.js';
import { addBooking, addTimeOff, buildScenario, purchaseBody, type Scenario } from '../support/scenario.js';
import { startTarget, type ApiTarget } from '../support/target.js';

// A Monday; the scenario teacher is in Africa/Khartoum (UTC+2) and teaches 09:00-19:00 but Fridays.
const NOW = '2026-11-30T06:00:00.000Z';

let target: ApiTarget;
let s: Scenario;
let check: ReturnType<typeof responseChecker>;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
  check = responseChecker(await fetchDocument(target.url));
  s = await buildScenario(target);
  // Monday 2026-12-14 16:00 is taken: a conflict with alternatives for the Monday 16:00 pattern.
  await addBooking(s, '2026-12-14T14:00:00.000Z');
});
afterAll(async () => {
  await target?.close();
});

/** The response is documented for that operation and status, and its body is valid against that schema. */
function expectDocumented(method: string, path: string, response: JsonResponse, status: number) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(check(method, path, response).problems).toEqual([]);
}

const MONDAY_4PM = [{ weekday: 'MONDAY', time: '16:00' }];

describe('responses match the OpenAPI document', () => {
  it('detects a body that does not match (the check is not vacuous)', async () => {
    const response = await s.api.get(`/marketplace/teachers/${s.teacherId}/tiers`);
    expectDocumented('GET', '/marketplace/teachers/{teacherId}/tiers', response, 200);
    const { currency: _currency, ...missing } = response.body;
    expect(
      check('GET', '/marketplace/teachers/{teacherId}/tiers', { ...response, body: missing }).problems,
    ).not.toEqual([]);
    const extra = { ...response.body, tiers: [{ ...response.body.tiers[0], surprise: 1 }] };
    expect(check('GET', '/marketplace/teachers/{teacherId}/tiers', { ...response, body: extra }).problems).not.toEqual(
      [],
    );
  });

  it('marketplace: teachers, tiers, the weekly grid and the free slots', async () => {
    expectDocumented('GET', '/marketplace/teachers', await s.api.get('/marketplace/teachers'), 200);
    expectDocumented(
      'GET',
      '/marketplace/teachers/{teacherId}/tiers',
      await s.api.get(`/marketplace/teachers/${s.teacherId}/tiers`),
      200,
    );
    const grid = await s.api.get(
      `/marketplace/teachers/${s.teacherId}/weekly-availability?subjectId=${s.subjectId}&weeks=4`,
    );
    expectDocumented('GET', '/marketplace/teachers/{teacherId}/weekly-availability', grid, 200);
    // The partial Monday 16:00 carries the optional `reason`, which the schema must allow.
    const monday = grid.body.availability.find((d: any) => d.weekday === 'MONDAY');
    expect(monday.slots.find((slot: any) => slot.time === '16:00')).toMatchObject({
      status: 'partial',
      reason: 'booked',
    });
    const slots = await s.api.get(
      `/marketplace/teachers/${s.teacherId}/slots?from=2026-12-07&to=2026-12-08&tierId=${s.tierId}`,
    );
    expectDocumented('GET', '/marketplace/teachers/{teacherId}/slots', slots, 200);
    expect(slots.body.slots.length).toBeGreaterThan(0);
  });

  it('the check, with a conflict, its alternatives and a resolution', async () => {
    const response = await s.api.post('/packages/check-multi-slot-availability', {
      teacherId: s.teacherId,
      tierId: s.tierId,
      patterns: [...MONDAY_4PM, { weekday: 'WEDNESDAY', time: '10:00' }],
      resolutions: [{ date: '2026-12-14', time: '16:00', action: 'float' }],
    });
    expectDocumented('POST', '/packages/check-multi-slot-availability', response, 200);
    const conflict = response.body.patterns[0].conflicts[0];
    expect(conflict).toMatchObject({ date: '2026-12-14', reason: 'booked', resolution: 'float' });
    expect(conflict.alternatives.length).toBeGreaterThan(0);
  });

  it('a purchase (201), its replay (200) and the package read back', async () => {
    const body = purchaseBody(s, MONDAY_4PM);
    const bought = await s.api.post('/packages', body);
    expectDocumented('POST', '/packages', bought, 201);
    expectDocumented('POST', '/packages', await s.api.post('/packages', body), 200);
    expectDocumented('GET', '/packages/{id}', await s.api.get(`/packages/${bought.body.id}`), 200);
  });

  it('the lifecycle: a floating session booked, a session moved, one floated, one flagged', async () => {
    const { body: pack } = await s.api.post('/packages', purchaseBody(s, [{ weekday: 'TUESDAY', time: '11:00' }]));
    const [first, second, third] = pack.sessions;
    const floating = await s.api.post(`/packages/${pack.id}/floating-sessions`, { date: '2026-12-10', time: '12:00' });
    expectDocumented('POST', '/packages/{id}/floating-sessions', floating, 201);
    const moved = await s.api.post(`/packages/${pack.id}/sessions/${first.id}/reschedule`, {
      date: '2026-12-09',
      time: '13:00',
    });
    expectDocumented('POST', '/packages/{id}/sessions/{sessionId}/reschedule', moved, 200);
    const floated = await s.api.post(`/packages/${pack.id}/sessions/${second.id}/float`);
    expectDocumented('POST', '/packages/{id}/sessions/{sessionId}/float', floated, 200);
    // Time off over the third session flags it: the package then lists its alternatives.
    await addTimeOff(s, third.startUtc, third.endUtc);
    const read = await s.api.get(`/packages/${pack.id}`);
    expectDocumented('GET', '/packages/{id}', read, 200);
    expect(read.body.sessions.find((x: any) => x.id === third.id).alternatives.length).toBeGreaterThan(0);
    expectDocumented('GET', '/packages/{id}/calendar.ics', await s.api.get(`/packages/${pack.id}/calendar.ics`), 200);
  });

  it('refusals: 400 invalid and malformed input, 404 unknown ids, 409 a reused key or a changed session, 422 the core', async () => {
    const api = s.api;
    expectDocumented(
      'GET',
      '/marketplace/teachers/{teacherId}/weekly-availability',
      await api.get(`/marketplace/teachers/${s.teacherId}/weekly-availability?weeks=99`),
      400,
    );
    expectDocumented(
      'GET',
      '/marketplace/teachers/{teacherId}/tiers',
      await api.get('/marketplace/teachers/nobody/tiers'),
      404,
    );
    expectDocumented('GET', '/packages/{id}', await api.get('/packages/nothing-here'), 404);
    const malformed = await fetch(`${target.url}/packages/check-multi-slot-availability`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"teacherId":',
    });
    expectDocumented(
      'POST',
      '/packages/check-multi-slot-availability',
      { status: malformed.status, headers: malformed.headers, body: await malformed.json() },
      400,
    );
    const duplicate = await api.post('/packages/check-multi-slot-availability', {
      teacherId: s.teacherId,
      tierId: s.tierId,
      patterns: [...MONDAY_4PM, ...MONDAY_4PM],
    });
    expectDocumented('POST', '/packages/check-multi-slot-availability', duplicate, 422);
    const { idempotencyKey: _key, ...keyless } = purchaseBody(s, MONDAY_4PM);
    expectDocumented('POST', '/packages', await api.post('/packages', keyless), 400);
    const body = purchaseBody(s, [{ weekday: 'THURSDAY', time: '09:00' }]);
    const bought = await api.post('/packages', body);
    expectDocumented(
      'POST',
      '/packages',
      await api.post('/packages', { ...body, recurringPatterns: [{ weekday: 'THURSDAY', time: '10:00' }] }),
      409,
    );
    const session = bought.body.sessions[0];
    await api.post(`/packages/${bought.body.id}/sessions/${session.id}/float`);
    expectDocumented(
      'POST',
      '/packages/{id}/sessions/{sessionId}/float',
      await api.post(`/packages/${bought.body.id}/sessions/${session.id}/float`),
      409,
    );
    expectDocumented(
      'POST',
      '/packages/{id}/sessions/{sessionId}/reschedule',
      await api.post(`/packages/${bought.body.id}/sessions/nope/reschedule`, { date: '2026-12-09', time: '13:00' }),
      404,
    );
  });
});

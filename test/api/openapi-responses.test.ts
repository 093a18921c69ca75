import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonResponse } from '../support/http.js';
import { fetchDocument, responseChecker } from '../support/openapi.js';
import { at } from '../support/lifecycle.js';
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
    const bought = await s.parent.api.post('/packages', body);
    expectDocumented('POST', '/packages', bought, 201);
    expectDocumented('POST', '/packages', await s.parent.api.post('/packages', body), 200);
    expectDocumented('GET', '/packages/{id}', await s.parent.api.get(`/packages/${bought.body.id}`), 200);
  });

  it('the lifecycle: a floating session booked, a session moved, one floated, one flagged', async () => {
    const { body: pack } = await s.parent.api.post(
      '/packages',
      purchaseBody(s, [{ weekday: 'TUESDAY', time: '11:00' }]),
    );
    const [first, second, third] = pack.sessions;
    const floating = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, {
      date: '2026-12-10',
      time: '12:00',
    });
    expectDocumented('POST', '/packages/{id}/floating-sessions', floating, 201);
    const moved = await s.parent.api.post(`/packages/${pack.id}/sessions/${first.id}/reschedule`, {
      date: '2026-12-09',
      time: '13:00',
    });
    expectDocumented('POST', '/packages/{id}/sessions/{sessionId}/reschedule', moved, 200);
    const floated = await s.parent.api.post(`/packages/${pack.id}/sessions/${second.id}/float`);
    expectDocumented('POST', '/packages/{id}/sessions/{sessionId}/float', floated, 200);
    // Time off over the third session flags it: the package then lists its alternatives.
    await addTimeOff(s, third.startUtc, third.endUtc);
    const read = await s.parent.api.get(`/packages/${pack.id}`);
    expectDocumented('GET', '/packages/{id}', read, 200);
    expect(read.body.sessions.find((x: any) => x.id === third.id).alternatives.length).toBeGreaterThan(0);
    expectDocumented('GET', '/packages/{id}/calendar.ics', await s.api.get(read.body.calendarPath), 200);
    expectDocumented('GET', '/packages/{id}/calendar.ics', await s.api.get(`/packages/${pack.id}/calendar.ics`), 401);
    const rotated = await s.parent.api.post(`/packages/${pack.id}/calendar-token`);
    expectDocumented('POST', '/packages/{id}/calendar-token', rotated, 200);
    expectDocumented('GET', '/auth/me', await s.parent.api.get('/auth/me'), 200);
    expectDocumented('GET', '/auth/me', await s.api.get('/auth/me'), 401);
    // Cancelled last (it ends the package): the view with its refunds, then the replay's 409.
    const cancelled = await s.parent.api.post(`/packages/${pack.id}/cancel`);
    expectDocumented('POST', '/packages/{id}/cancel', cancelled, 200);
    expect(cancelled.body.state).toBe('cancelled');
    expectDocumented('POST', '/packages/{id}/cancel', await s.parent.api.post(`/packages/${pack.id}/cancel`), 409);
    expectDocumented('POST', '/packages/{id}/cancel', await s.parent.api.post('/packages/nope/cancel'), 404);
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
    expectDocumented('GET', '/packages/{id}', await s.parent.api.get('/packages/nothing-here'), 404);
    expectDocumented('GET', '/packages/{id}', await api.get('/packages/nothing-here'), 401);
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
    const parent = s.parent.api;
    const { idempotencyKey: _key, ...keyless } = purchaseBody(s, MONDAY_4PM);
    expectDocumented('POST', '/packages', await parent.post('/packages', keyless), 400);
    expectDocumented('POST', '/packages', await api.post('/packages', purchaseBody(s, MONDAY_4PM)), 401);
    expectDocumented(
      'POST',
      '/packages',
      await parent.post('/packages', { ...purchaseBody(s, MONDAY_4PM), studentId: 'someone-else' }),
      403,
    );
    const body = purchaseBody(s, [{ weekday: 'THURSDAY', time: '09:00' }]);
    const bought = await parent.post('/packages', body);
    expectDocumented(
      'POST',
      '/packages',
      await parent.post('/packages', { ...body, recurringPatterns: [{ weekday: 'THURSDAY', time: '10:00' }] }),
      409,
    );
    const session = bought.body.sessions[0];
    await parent.post(`/packages/${bought.body.id}/sessions/${session.id}/float`);
    expectDocumented(
      'POST',
      '/packages/{id}/sessions/{sessionId}/float',
      await parent.post(`/packages/${bought.body.id}/sessions/${session.id}/float`),
      409,
    );
    expectDocumented(
      'POST',
      '/packages/{id}/sessions/{sessionId}/reschedule',
      await parent.post(`/packages/${bought.body.id}/sessions/nope/reschedule`, { date: '2026-12-09', time: '13:00' }),
      404,
    );
    expectDocumented('POST', '/packages/{id}/calendar-token', await parent.post('/packages/nope/calendar-token'), 404);
    const minted = await s.admin.post('/auth/parent-tokens', {
      guardian: { externalId: unique('guardian'), name: 'P' },
      students: [{ externalId: unique('student'), name: 'S' }],
    });
    expectDocumented('POST', '/auth/parent-tokens', minted, 201);
    expectDocumented('POST', '/auth/parent-tokens', await api.post('/auth/parent-tokens', {}), 401);
    expectDocumented('POST', '/auth/parent-tokens', await s.admin.post('/auth/parent-tokens', { students: [] }), 400);
    const taken = await s.admin.post('/auth/parent-tokens', {
      guardian: { externalId: unique('guardian'), name: 'Q' },
      students: [{ externalId: minted.body.students[0].externalId, name: 'S' }],
    });
    expectDocumented('POST', '/auth/parent-tokens', taken, 409);
  });
});

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

describe('admin responses match the OpenAPI document', () => {
  // A teacher of its own, so the packages below do not meet the bookings of the tests above.
  let a: Scenario;
  beforeAll(async () => {
    a = await buildScenario(target);
  });

  it('teachers: created, read, changed and listed; their rules replaced, added and listed', async () => {
    const id = unique('teacher');
    const teacher = {
      id,
      name: 'Amna',
      nameAr: 'آمنة',
      bio: 'Maths',
      timezone: 'Africa/Khartoum',
      hourlyRateMinor: 400_000,
      currency: 'SDG',
      subjectIds: [a.subjectId],
    };
    const created = await a.admin.post('/admin/teachers', teacher);
    expectDocumented('POST', '/admin/teachers', created, 201);
    expect(created.body).toMatchObject({ id, subjectIds: [a.subjectId], minNoticeMinutes: 1440 });
    expectDocumented('GET', '/admin/teachers/{teacherId}', await a.admin.get(`/admin/teachers/${id}`), 200);
    const { id: _id, ...update } = teacher;
    const changed = await a.admin.put(`/admin/teachers/${id}`, { ...update, bio: null, subjectIds: [] });
    expectDocumented('PUT', '/admin/teachers/{teacherId}', changed, 200);
    expect(changed.body).toMatchObject({ bio: null, subjectIds: [] });
    const list = await a.admin.get('/admin/teachers');
    expectDocumented('GET', '/admin/teachers', list, 200);
    expect(list.body.teachers.map((t: any) => t.id)).toContain(id);

    const rulesPath = `/admin/teachers/${id}/availability-rules`;
    const replaced = await a.admin.put(rulesPath, {
      rules: [
        { weekday: 'SUNDAY', startTime: '09:00', endTime: '13:00' },
        { weekday: 'SATURDAY', startTime: '20:00', endTime: '24:00' },
      ],
    });
    expectDocumented('PUT', '/admin/teachers/{teacherId}/availability-rules', replaced, 200);
    expect(replaced.body.rules).toHaveLength(2);
    const added = await a.admin.post(rulesPath, { weekday: 'MONDAY', startTime: '10:00', endTime: '12:00' });
    expectDocumented('POST', '/admin/teachers/{teacherId}/availability-rules', added, 201);
    const rules = await a.admin.get(rulesPath);
    expectDocumented('GET', '/admin/teachers/{teacherId}/availability-rules', rules, 200);
    expect(rules.body.rules).toHaveLength(3);
  });

  it('time off that flags a session of a package, and the list of time off', async () => {
    const { body: pack } = await a.parent.api.post(
      '/packages',
      purchaseBody(a, [{ weekday: 'WEDNESDAY', time: '10:00' }]),
    );
    const first = pack.sessions[0];
    const timeOff = await a.admin.post(`/admin/teachers/${a.teacherId}/time-off`, {
      startUtc: first.startUtc,
      endUtc: first.endUtc,
      reason: 'conference',
    });
    expectDocumented('POST', '/admin/teachers/{teacherId}/time-off', timeOff, 201);
    expect(timeOff.body.flaggedSessions).toEqual([
      { id: first.id, packageId: pack.id, sessionNumber: 1, startUtc: first.startUtc, endUtc: first.endUtc },
    ]);
    const list = await a.admin.get(`/admin/teachers/${a.teacherId}/time-off`);
    expectDocumented('GET', '/admin/teachers/{teacherId}/time-off', list, 200);
    expect(list.body.timeOff).toContainEqual({
      id: timeOff.body.id,
      startUtc: first.startUtc,
      endUtc: first.endUtc,
      reason: 'conference',
    });
  });

  it('single bookings, with and without a student and subject', async () => {
    const path = `/admin/teachers/${a.teacherId}/bookings`;
    const bare = await a.admin.post(path, { startUtc: '2026-12-20T07:00:00.000Z', endUtc: '2026-12-20T08:00:00.000Z' });
    expectDocumented('POST', '/admin/teachers/{teacherId}/bookings', bare, 201);
    expect(bare.body).toMatchObject({ studentId: null, subjectId: null, kind: 'single', status: 'scheduled' });
    const full = await a.admin.post(path, {
      startUtc: '2026-12-20T11:00:00+02:00',
      endUtc: '2026-12-20T12:00:00+02:00',
      studentId: a.studentId,
      subjectId: a.subjectId,
    });
    expectDocumented('POST', '/admin/teachers/{teacherId}/bookings', full, 201);
    expect(full.body).toMatchObject({
      studentId: a.studentId,
      startUtc: '2026-12-20T09:00:00.000Z',
    });
  });

  it('subjects, tiers and students: created, changed and listed', async () => {
    const subjectId = unique('subject');
    expectDocumented(
      'POST',
      '/admin/subjects',
      await a.admin.post('/admin/subjects', { id: subjectId, name: 'Physics' }),
      201,
    );
    const subject = await a.admin.put(`/admin/subjects/${subjectId}`, { name: 'Physics', nameAr: 'الفيزياء' });
    expectDocumented('PUT', '/admin/subjects/{id}', subject, 200);
    expectDocumented('GET', '/admin/subjects', await a.admin.get('/admin/subjects'), 200);

    const tier = await a.admin.post('/admin/tiers', {
      teacherId: a.teacherId,
      name: 'Six',
      sessionCount: 6,
      recurringCount: 5,
      floatingCount: 1,
    });
    expectDocumented('POST', '/admin/tiers', tier, 201);
    const marketWide = await a.admin.post('/admin/tiers', {
      name: 'Four',
      sessionCount: 4,
      recurringCount: 4,
      floatingCount: 0,
    });
    expectDocumented('POST', '/admin/tiers', marketWide, 201);
    expect(marketWide.body.teacherId).toBeNull();
    const changed = await a.admin.put(`/admin/tiers/${tier.body.id}`, {
      teacherId: a.teacherId,
      name: 'Six (45 min)',
      sessionCount: 6,
      recurringCount: 6,
      floatingCount: 0,
      sessionMinutes: 45,
      active: false,
    });
    expectDocumented('PUT', '/admin/tiers/{id}', changed, 200);
    expect(changed.body.active).toBe(false);
    expectDocumented('GET', '/admin/tiers', await a.admin.get('/admin/tiers'), 200);

    const student = await a.admin.post('/admin/students', {
      name: 'Sara',
      email: 'sara@example.org',
      phone: '+249 912 345 678',
      timezone: 'Africa/Khartoum',
      locale: 'ar-SD',
    });
    expectDocumented('POST', '/admin/students', student, 201);
    const moved = await a.admin.put(`/admin/students/${student.body.id}`, { name: 'Sara', timezone: 'Africa/Cairo' });
    expectDocumented('PUT', '/admin/students/{id}', moved, 200);
    expect(moved.body).toMatchObject({ email: null, timezone: 'Africa/Cairo' });
    expectDocumented('GET', '/admin/students', await a.admin.get('/admin/students'), 200);
  });

  it('a completed session and its retry, then the package’s outbox and escrow ledger', async () => {
    const { body: pack } = await a.parent.api.post(
      '/packages',
      purchaseBody(a, [{ weekday: 'MONDAY', time: '16:00' }]),
    );
    const [first, second] = pack.sessions;
    const complete = (sessionId: string) => `/admin/packages/${pack.id}/sessions/${sessionId}/complete`;
    const path = '/admin/packages/{id}/sessions/{sessionId}/complete';
    await at(target, first.endUtc, async (later) => {
      const done = await later.admin.post(complete(first.id));
      expectDocumented('POST', path, done, 200);
      expect(done.body).toMatchObject({ released: true, releasedMinor: first.escrowMinor });
      const retry = await later.admin.post(complete(first.id));
      expectDocumented('POST', path, retry, 200);
      expect(retry.body).toMatchObject({ released: false, releasedMinor: 0 });
      expectDocumented('POST', path, await later.admin.post(complete(second.id)), 409);
    });

    const outbox = await a.admin.get(`/admin/notifications?packageId=${pack.id}`);
    expectDocumented('GET', '/admin/notifications', outbox, 200);
    expect(outbox.body.notifications.map((n: any) => n.eventType)).toEqual(
      expect.arrayContaining(['pack.purchased', 'escrow.released']),
    );
    const byEvent = await a.admin.get(`/admin/notifications?eventType=session.flagged`);
    expectDocumented('GET', '/admin/notifications', byEvent, 200);
    expect(byEvent.body.notifications.length).toBeGreaterThan(0);
    const escrow = await a.admin.get(`/admin/escrow?packageId=${pack.id}`);
    expectDocumented('GET', '/admin/escrow', escrow, 200);
    expect(escrow.body.entries.map((e: any) => [e.entryType, e.bookingId])).toEqual([
      ['hold', null],
      ['release', first.id],
    ]);
  });

  it('refusals: 401 without the key on each route, and a 4xx the route documents on each', async () => {
    const teacherBody = { name: 'X', timezone: 'Africa/Khartoum', hourlyRateMinor: 1, currency: 'SDG' };
    const tierBody = { name: 'X', sessionCount: 1, recurringCount: 1, floatingCount: 0 };
    const slot = { startUtc: '2026-12-21T07:00:00.000Z', endUtc: '2026-12-21T08:00:00.000Z' };
    const existing = unique('teacher');
    await a.admin.post('/admin/teachers', { id: existing, ...teacherBody });
    await a.admin.post(`/admin/teachers/${a.teacherId}/bookings`, slot);
    const subjectId = unique('subject');
    await a.admin.post('/admin/subjects', { id: subjectId, name: 'Chemistry' });
    const { body: pack } = await a.parent.api.post(
      '/packages',
      purchaseBody(a, [{ weekday: 'SUNDAY', time: '12:00' }]),
    );

    // [method, documented path, real path, body, expected refusal status]
    const cases: [string, string, string, unknown, number][] = [
      ['POST', '/admin/teachers', '/admin/teachers', { id: existing, ...teacherBody }, 409],
      ['POST', '/admin/teachers', '/admin/teachers', { ...teacherBody, subjectIds: ['ghost'] }, 422],
      ['GET', '/admin/teachers/{teacherId}', '/admin/teachers/ghost', undefined, 404],
      ['PUT', '/admin/teachers/{teacherId}', '/admin/teachers/ghost', teacherBody, 404],
      ['GET', '/admin/teachers', '/admin/teachers', undefined, 0],
      [
        'PUT',
        '/admin/teachers/{teacherId}/availability-rules',
        '/admin/teachers/ghost/availability-rules',
        { rules: [] },
        404,
      ],
      [
        'POST',
        '/admin/teachers/{teacherId}/time-off',
        '/admin/teachers/ghost/time-off',
        { startUtc: slot.startUtc, endUtc: slot.endUtc },
        404,
      ],
      ['POST', '/admin/teachers/{teacherId}/bookings', `/admin/teachers/${a.teacherId}/bookings`, slot, 409],
      ['POST', '/admin/subjects', '/admin/subjects', { id: subjectId, name: 'Chemistry' }, 409],
      ['PUT', '/admin/subjects/{id}', '/admin/subjects/ghost', { name: 'X' }, 404],
      ['POST', '/admin/tiers', '/admin/tiers', { ...tierBody, teacherId: 'ghost' }, 422],
      ['PUT', '/admin/tiers/{id}', '/admin/tiers/ghost', tierBody, 404],
      ['POST', '/admin/students', '/admin/students', { id: a.studentId, name: 'X' }, 409],
      ['PUT', '/admin/students/{id}', '/admin/students/ghost', { name: 'X' }, 404],
      ['GET', '/admin/notifications', '/admin/notifications?packageId=not%20an%20id', undefined, 400],
      ['GET', '/admin/escrow', '/admin/escrow', undefined, 400],
      [
        'POST',
        '/admin/packages/{id}/sessions/{sessionId}/complete',
        `/admin/packages/${pack.id}/sessions/${pack.sessions[0].id}/complete`,
        undefined,
        409,
      ],
      [
        'POST',
        '/admin/packages/{id}/sessions/{sessionId}/complete',
        '/admin/packages/ghost/sessions/ghost/complete',
        undefined,
        404,
      ],
    ];
    for (const [method, documented, real, body, status] of cases) {
      const call = method === 'GET' ? 'get' : method === 'PUT' ? 'put' : 'post';
      expectDocumented(method, documented, await a.api[call](real, body), 401);
      if (status) expectDocumented(method, documented, await a.admin[call](real, body), status);
    }
  });
});

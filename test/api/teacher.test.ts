import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../support/http.js';
import { at, query, scenarioWithPackage, type Later } from '../support/lifecycle.js';
import { fetchDocument, responseChecker } from '../support/openapi.js';
import { manageClient, parentAgain } from '../support/parents.js';
import { addBooking, addTimeOff, buildScenario, WEEKDAY_RULES, type Scenario } from '../support/scenario.js';
import { startTarget, type ApiTarget } from '../support/target.js';
import { tenantWorld } from '../support/tenants.js';

// Monday 08:00 Khartoum (UTC+2). A Monday 16:00 pack: sessions 7 Dec … 25 Jan at 14:00Z.
const NOW = '2026-11-30T06:00:00.000Z';
// Half an hour into the first session: late enough to record it, and every token minted at NOW has expired.
const LATER = '2026-12-07T14:30:00.000Z';

let target: ApiTarget;
let check: ReturnType<typeof responseChecker>;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
  check = responseChecker(await fetchDocument(target.url));
});
afterAll(async () => {
  await target?.close();
});

/** The school's server mints a teacher token (its admin client), and the teacher's page calls with it. */
async function teacherOf(
  on: { url: string; admin: Client },
  teacherId: string,
  ttlSeconds?: number,
): Promise<{ token: string; api: Client }> {
  const minted = await on.admin.post('/auth/teacher-tokens', { teacherId, ...(ttlSeconds ? { ttlSeconds } : {}) });
  if (minted.status !== 201) throw new Error(`teacher token: ${minted.status} ${JSON.stringify(minted.body)}`);
  return { token: minted.body.token, api: client(on.url, { authorization: `Bearer ${minted.body.token}` }) };
}

function documented(method: string, path: string, response: { status: number; headers: Headers; body: unknown }) {
  expect(check(method, path, response).problems).toEqual([]);
}

const attendance = (sessionId: string) => `/teacher/sessions/${sessionId}/attendance`;

describe('teacher tokens', () => {
  it('mints a token for one of the school’s teachers that opens /teacher/me', async () => {
    const s = await buildScenario(target);
    const minted = await s.admin.post('/auth/teacher-tokens', { teacherId: s.teacherId, ttlSeconds: 600 });
    expect(minted.status).toBe(201);
    documented('POST', '/auth/teacher-tokens', minted);
    expect(minted.body).toMatchObject({ teacherId: s.teacherId, expiresAt: '2026-11-30T06:10:00.000Z' });
    const me = await client(s.url, { authorization: `Bearer ${minted.body.token}` }).get('/teacher/me');
    expect(me.status).toBe(200);
    documented('GET', '/teacher/me', me);
    expect(me.body).toEqual({
      id: s.teacherId,
      name: 'Test Teacher',
      nameAr: null,
      timezone: 'Africa/Khartoum',
      durationMinutes: 60,
      subjectIds: [s.subjectId],
      studentNoShow: 'release',
    });
  });

  it('answers 401 without a token, and for a parent token, a manage token or a secret key', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const refused = [
      await client(s.url).get('/teacher/me'),
      await s.parent.api.get('/teacher/me'),
      await manageClient(s, pack).get('/teacher/me'),
      await s.admin.get('/teacher/me'),
      await client(s.url, { authorization: 'Bearer not.a.token' }).get('/teacher/sessions'),
    ];
    expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(Array(5).fill([401, 'unauthorized']));
  });

  it('answers 401 once the token has expired', async () => {
    const s = await buildScenario(target);
    const teacher = await teacherOf(s, s.teacherId, 60);
    expect((await teacher.api.get('/teacher/me')).status).toBe(200);
    await at(target, LATER, async (later) => {
      const expired = await client(later.url, { authorization: `Bearer ${teacher.token}` }).get('/teacher/me');
      expect([expired.status, expired.body.error.code]).toEqual([401, 'unauthorized']);
    });
  });

  it('answers 404 at mint for another school’s teacher or an unknown one, and 401 without a key', async () => {
    const s = await buildScenario(target);
    const w = await tenantWorld(target);
    const foreign = await w.admin.post('/auth/teacher-tokens', { teacherId: s.teacherId });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'teacher_not_found']);
    const unknown = await s.admin.post('/auth/teacher-tokens', { teacherId: 'nobody' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'teacher_not_found']);
    const keyless = await client(s.url).post('/auth/teacher-tokens', { teacherId: s.teacherId });
    expect(keyless.status).toBe(401);
    const bad = await s.admin.post('/auth/teacher-tokens', { teacherId: s.teacherId, ttlSeconds: 5 });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_error']);
  });

  it('answers 404 for another teacher’s session and time off, and lists only the teacher’s own', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const other = await buildScenario(target);
    const timeOff = await addTimeOff(s, '2026-12-20T00:00:00.000Z', '2026-12-20T12:00:00.000Z');
    const intruder = await teacherOf(other, other.teacherId);
    const record = await intruder.api.post(attendance(pack.sessions[0].id), { outcome: 'completed' });
    expect([record.status, record.body.error.code]).toEqual([404, 'session_not_found']);
    const removed = await intruder.api.delete(`/teacher/time-off/${timeOff.id}`);
    expect([removed.status, removed.body.error.code]).toEqual([404, 'time_off_not_found']);
    expect((await intruder.api.get('/teacher/sessions')).body.sessions).toEqual([]);
    expect((await intruder.api.get('/teacher/time-off')).body.timeOff).toEqual([]);
    const owner = await teacherOf(s, s.teacherId);
    expect((await owner.api.get('/teacher/time-off')).body.timeOff.map((t: { id: string }) => t.id)).toEqual([
      timeOff.id,
    ]);
  });

  it('keeps the teacher’s own external calendars, hides them from other teachers and from time off', async () => {
    const s = await buildScenario(target);
    const other = await buildScenario(target);
    const owner = await teacherOf(s, s.teacherId);
    const intruder = await teacherOf(other, other.teacherId);
    // A loopback port nothing listens on: the first sync fails, the calendar is kept as failing (201).
    const added = await owner.api.post('/teacher/calendars', { url: 'http://127.0.0.1:9/busy.ics', name: 'Preply' });
    expect([added.status, added.body.teacherId, added.body.status]).toEqual([201, s.teacherId, 'failing']);
    documented('POST', '/teacher/calendars', added);
    const mine = await owner.api.get('/teacher/calendars');
    expect(mine.body.calendars.map((x: { id: string }) => x.id)).toEqual([added.body.id]);
    // The school sees the same calendar under the teacher; another teacher sees none and cannot touch it.
    const school = await s.admin.get(`/admin/teachers/${s.teacherId}/calendars`);
    expect(school.body.calendars.map((x: { id: string }) => x.id)).toEqual([added.body.id]);
    expect((await intruder.api.get('/teacher/calendars')).body.calendars).toEqual([]);
    for (const response of [
      await intruder.api.delete(`/teacher/calendars/${added.body.id}`),
      await intruder.api.post(`/teacher/calendars/${added.body.id}/sync`, {}),
    ])
      expect([response.status, response.body.error.code]).toEqual([404, 'calendar_not_found']);
    const removed = await owner.api.delete(`/teacher/calendars/${added.body.id}`);
    expect([removed.status, removed.body.calendars]).toEqual([200, []]);
  });

  it('dies with a key rotation that ends tokens, and survives one that does not', async () => {
    const w = await tenantWorld(target);
    const teacher = await teacherOf({ url: target.url, admin: w.admin }, w.s.teacherId);
    const operator = client(target.url, { authorization: `Bearer ${target.adminKey}` });
    expect((await operator.post(`/admin/tenants/${w.tenant.id}/keys`, { kind: 'publishable' })).status).toBe(201);
    expect((await teacher.api.get('/teacher/me')).status).toBe(200);
    const ended = await operator.post(`/admin/tenants/${w.tenant.id}/keys`, { endTokens: true });
    expect([ended.status, ended.body.tokensEnded]).toEqual([201, true]);
    const refused = await teacher.api.get('/teacher/me');
    expect([refused.status, refused.body.error.code]).toEqual([401, 'unauthorized']);
    // The school's new key mints a working one again.
    const again = await teacherOf(
      { url: target.url, admin: client(target.url, { authorization: `Bearer ${ended.body.secretKey}` }) },
      w.s.teacherId,
    );
    expect((await again.api.get('/teacher/me')).status).toBe(200);
  });
});

describe('the teacher’s availability rules', () => {
  const mondayAt = async (s: Scenario, time: string) => {
    const grid = await s.api.get(`/marketplace/teachers/${s.teacherId}/weekly-availability?weeks=2`);
    const monday = grid.body.availability.find((d: { weekday: string }) => d.weekday === 'MONDAY');
    return monday?.slots.find((slot: { time: string }) => slot.time === time)?.available ?? false;
  };

  it('replaces the week, and the parent’s grid no longer offers the removed time', async () => {
    const s = await buildScenario(target);
    const teacher = await teacherOf(s, s.teacherId);
    expect(await mondayAt(s, '16:00')).toBe(true);
    const rules = [...WEEKDAY_RULES(['MONDAY'], '09:00', '16:00'), ...WEEKDAY_RULES(['TUESDAY'], '09:00', '19:00')];
    const put = await teacher.api.put('/teacher/availability-rules', { rules });
    expect(put.status).toBe(200);
    documented('PUT', '/teacher/availability-rules', put);
    expect(put.body.rules.map(({ id: _id, ...rule }: { id: string }) => rule)).toEqual(rules);
    const read = await teacher.api.get('/teacher/availability-rules');
    expect(read.body).toEqual(put.body);
    expect(await mondayAt(s, '16:00')).toBe(false);
    expect(await mondayAt(s, '10:00')).toBe(true);
  });

  it('refuses the rules the admin route refuses, changing nothing', async () => {
    const s = await buildScenario(target);
    const teacher = await teacherOf(s, s.teacherId);
    const before = (await teacher.api.get('/teacher/availability-rules')).body;
    const bad = await teacher.api.put('/teacher/availability-rules', {
      rules: [{ weekday: 'MONDAY', startTime: '16:00', endTime: '10:00' }],
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_error']);
    expect((await teacher.api.get('/teacher/availability-rules')).body).toEqual(before);
  });
});

describe('the teacher’s time off', () => {
  it('previews exactly what saving then flags, and the preview writes nothing', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const single = await addBooking(s, '2026-12-08T10:00:00.000Z');
    const teacher = await teacherOf(s, s.teacherId);
    const span = { startUtc: '2026-12-07T00:00:00.000Z', endUtc: '2026-12-15T00:00:00.000Z' };
    const countWrites = () =>
      query<{ n: number }>(
        target,
        `SELECT (SELECT count(*) FROM notifications) + (SELECT count(*) FROM time_off)
              + (SELECT count(*) FROM bookings WHERE flagged_reason IS NOT NULL) AS n`,
      )[0]!.n;
    const before = countWrites();
    const preview = await teacher.api.post('/teacher/time-off/preview', span);
    expect(preview.status).toBe(200);
    documented('POST', '/teacher/time-off/preview', preview);
    expect(preview.body.flaggedSessions.map((f: { id: string }) => f.id)).toEqual([
      pack.sessions[0].id,
      single.id,
      pack.sessions[1].id,
    ]);
    expect(countWrites()).toBe(before);

    const saved = await teacher.api.post('/teacher/time-off', { ...span, reason: 'conference' });
    expect(saved.status).toBe(201);
    documented('POST', '/teacher/time-off', saved);
    expect(saved.body.flaggedSessions).toEqual(preview.body.flaggedSessions);
    const view = await s.parent.api.get(`/packages/${pack.id}`);
    expect(view.body.sessions.slice(0, 2).map((x: { flaggedReason: string }) => x.flaggedReason)).toEqual([
      'teacher_time_off',
      'teacher_time_off',
    ]);
  });

  it('deletes the teacher’s own time off; the sessions it flagged stay flagged', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const teacher = await teacherOf(s, s.teacherId);
    const saved = await teacher.api.post('/teacher/time-off', {
      startUtc: '2026-12-14T13:00:00.000Z',
      endUtc: '2026-12-14T16:00:00.000Z',
    });
    expect(saved.body.flaggedSessions.map((f: { id: string }) => f.id)).toEqual([pack.sessions[1].id]);
    const removed = await teacher.api.delete(`/teacher/time-off/${saved.body.id}`);
    expect(removed.status).toBe(204);
    expect((await teacher.api.get('/teacher/time-off')).body).toEqual({ teacherId: s.teacherId, timeOff: [] });
    expect((await teacher.api.delete(`/teacher/time-off/${saved.body.id}`)).status).toBe(404);
    const view = await s.parent.api.get(`/packages/${pack.id}`);
    expect(view.body.sessions[1].flaggedReason).toBe('teacher_time_off');
  });
});

describe('the teacher’s sessions', () => {
  it('lists package sessions and single bookings in time order, with the student and the tier', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const single = await addBooking(s, '2026-12-08T10:00:00.000Z');
    const teacher = await teacherOf(s, s.teacherId);
    const list = await teacher.api.get('/teacher/sessions');
    expect(list.status).toBe(200);
    documented('GET', '/teacher/sessions', list);
    // Default range: a day back to four weeks ahead (the 28 December session starts after it).
    expect(list.body).toMatchObject({
      teacherId: s.teacherId,
      timezone: 'Africa/Khartoum',
      from: '2026-11-29T06:00:00.000Z',
      to: '2026-12-28T06:00:00.000Z',
    });
    expect(list.body.sessions.map((x: { id: string }) => x.id)).toEqual([
      pack.sessions[0].id,
      single.id,
      pack.sessions[1].id,
      pack.sessions[2].id,
    ]);
    expect(list.body.sessions[0]).toEqual({
      id: pack.sessions[0].id,
      packageId: pack.id,
      sessionNumber: 1,
      startUtc: '2026-12-07T14:00:00.000Z',
      endUtc: '2026-12-07T15:00:00.000Z',
      status: 'scheduled',
      attendance: null,
      studentName: 'Test Student 1',
      studentNameAr: null,
      subjectId: s.subjectId,
      tierName: '10 sessions',
      tierNameAr: null,
      flaggedReason: null,
      alternatives: [],
    });
    expect(list.body.sessions[1]).toMatchObject({
      id: single.id,
      packageId: null,
      sessionNumber: null,
      tierName: null,
    });
    const range = await teacher.api.get('/teacher/sessions?from=2027-01-18T00:00:00Z&to=2027-01-26T00:00:00Z');
    expect(range.body.sessions.map((x: { sessionNumber: number }) => x.sessionNumber)).toEqual([7, 8]);
    // The school names the child in Arabic: the teacher's Arabic schedule shows it.
    await s.admin.put(`/admin/students/${s.studentId}`, { name: 'Test Student 1', nameAr: 'طالب الاختبار' });
    const named = await teacher.api.get('/teacher/sessions');
    expect(named.body.sessions[0]).toMatchObject({ studentName: 'Test Student 1', studentNameAr: 'طالب الاختبار' });
  });

  it('gives a flagged session free start instants to move it to', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    await addTimeOff(s, '2026-12-14T13:00:00.000Z', '2026-12-14T16:00:00.000Z');
    const teacher = await teacherOf(s, s.teacherId);
    const list = await teacher.api.get('/teacher/sessions');
    const flagged = list.body.sessions.find((x: { id: string }) => x.id === pack.sessions[1].id);
    expect(flagged.flaggedReason).toBe('teacher_time_off');
    expect(flagged.alternatives.length).toBeGreaterThan(0);
    // The same slots the pack page offers the parent for that session.
    const view = await s.parent.api.get(`/packages/${pack.id}`);
    expect(flagged.alternatives).toEqual(
      view.body.sessions[1].alternatives.map((a: { startUtc: string }) => a.startUtc),
    );
  });

  it('refuses a range longer than 92 days or running backwards', async () => {
    const s = await buildScenario(target);
    const teacher = await teacherOf(s, s.teacherId);
    for (const q of [
      'from=2026-12-01T00:00:00Z&to=2027-03-05T00:00:00Z',
      'from=2026-12-10T00:00:00Z&to=2026-12-01T00:00:00Z',
      'to=2027-06-01T00:00:00Z',
      'from=yesterday',
    ]) {
      const refused = await teacher.api.get(`/teacher/sessions?${q}`);
      expect([refused.status, refused.body.error.code], q).toEqual([400, 'validation_error']);
    }
  });
});

describe('attendance', () => {
  /** At LATER: the teacher's token (minted by that server's clock), the parent's and the package as it is now. */
  async function later(fn: (l: Later & { teacher: Client; view: () => Promise<any> }) => Promise<void>) {
    const { s, pack } = await scenarioWithPackage(target);
    await at(target, LATER, async (l) => {
      const teacher = await teacherOf(l, s.teacherId);
      const parent = await parentAgain(l, s.parent);
      await fn({
        ...l,
        teacher: teacher.api,
        view: async () => ({ pack, s, now: (await parent.api.get(`/packages/${pack.id}`)).body }),
      });
    });
  }
  const events = async (l: Later, packageId: string, eventType: string) =>
    (await l.admin.get(`/admin/notifications?packageId=${packageId}&eventType=${eventType}`)).body.notifications;

  it('records completed: the share is released once and session.completed is emitted', async () => {
    await later(async (l) => {
      const { pack } = await l.view();
      const first = pack.sessions[0];
      const done = await l.teacher.post(attendance(first.id), { outcome: 'completed' });
      expect(done.status).toBe(200);
      documented('POST', '/teacher/sessions/{sessionId}/attendance', done);
      expect(done.body).toMatchObject({
        recorded: true,
        releasedMinor: first.escrowMinor,
        creditReturned: false,
        session: { id: first.id, status: 'completed', attendance: 'completed' },
      });
      const escrow = (await l.admin.get(`/admin/escrow?packageId=${pack.id}`)).body.entries;
      expect(escrow.filter((e: { entryType: string }) => e.entryType === 'release')).toMatchObject([
        { bookingId: first.id, amountMinor: first.escrowMinor },
      ]);
      const [completed] = await events(l, pack.id, 'session.completed');
      expect(completed.payload).toMatchObject({
        packageId: pack.id,
        sessionId: first.id,
        startUtc: first.startUtc,
        outcome: 'completed',
        by: 'teacher',
      });
      const { now } = await l.view();
      expect(now.sessions[0]).toMatchObject({ status: 'completed', attendance: 'completed' });
      expect(now.escrow.releasedMinor).toBe(first.escrowMinor);
    });
  });

  it('answers a replay with recorded: false and a different outcome with 409, changing nothing', async () => {
    await later(async (l) => {
      const { pack } = await l.view();
      const first = pack.sessions[0];
      expect((await l.teacher.post(attendance(first.id), { outcome: 'student_no_show' })).body.recorded).toBe(true);
      const replay = await l.teacher.post(attendance(first.id), { outcome: 'student_no_show' });
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ recorded: false, releasedMinor: 0, session: { status: 'no_show' } });
      const other = await l.teacher.post(attendance(first.id), { outcome: 'teacher_no_show' });
      expect([other.status, other.body.error.code]).toEqual([409, 'attendance_recorded']);
      const escrow = (await l.admin.get(`/admin/escrow?packageId=${pack.id}`)).body.entries;
      expect(escrow.filter((e: { entryType: string }) => e.entryType === 'release')).toHaveLength(1);
      expect(await events(l, pack.id, 'session.no_show')).toHaveLength(1);
      const { now } = await l.view();
      expect([now.floatingSessionCount, now.sessions[0].attendance]).toEqual([2, 'student_no_show']);
    });
  });

  it('records a student no-show as taught: released, status no_show, session.no_show emitted', async () => {
    await later(async (l) => {
      const { pack } = await l.view();
      const first = pack.sessions[0];
      const noShow = await l.teacher.post(attendance(first.id), { outcome: 'student_no_show' });
      expect(noShow.body).toMatchObject({
        recorded: true,
        releasedMinor: first.escrowMinor,
        creditReturned: false,
        session: { status: 'no_show', attendance: 'student_no_show' },
      });
      const [event] = await events(l, pack.id, 'session.no_show');
      expect(event.payload).toMatchObject({ sessionId: first.id, outcome: 'student_no_show', by: 'teacher' });
      expect(await events(l, pack.id, 'escrow.released')).toHaveLength(1);
      const { now } = await l.view();
      expect(now.sessions[0]).toMatchObject({ status: 'completed', attendance: 'student_no_show' });
      expect(now.escrow.releasedMinor).toBe(first.escrowMinor);
    });
  });

  /**
   * Records `outcome` on the package's first session, which must come back as a floating credit: the answer,
   * the package, the escrow (only its hold) and the events say so. The package as it was before is returned.
   */
  async function expectCredited(l: Later & { teacher: Client; view: () => Promise<any> }, outcome: string) {
    const { pack } = await l.view();
    const first = pack.sessions[0];
    const noShow = await l.teacher.post(attendance(first.id), { outcome });
    expect(noShow.body).toMatchObject({
      recorded: true,
      releasedMinor: 0,
      creditReturned: true,
      session: { status: outcome === 'student_no_show' ? 'no_show' : 'cancelled', attendance: outcome },
    });
    const { now } = await l.view();
    expect(now).toMatchObject({
      recurringSessionCount: pack.recurringSessionCount - 1,
      floatingSessionCount: pack.floatingSessionCount + 1,
      floatingSessionsLeft: pack.floatingSessionsLeft + 1,
      escrow: { releasedMinor: 0 },
    });
    expect(now.sessions[0]).toMatchObject({ status: 'cancelled', cancelReason: outcome, attendance: outcome });
    const escrow = (await l.admin.get(`/admin/escrow?packageId=${pack.id}`)).body.entries;
    expect(escrow.map((e: { entryType: string }) => e.entryType)).toEqual(['hold']);
    const [event] = await events(l, pack.id, 'session.no_show');
    expect(event.payload).toMatchObject({ sessionId: first.id, outcome, by: 'teacher' });
    expect(await events(l, pack.id, 'escrow.released')).toEqual([]);
    return pack;
  }

  it('records a teacher no-show: the session is cancelled into a floating credit and nothing is released', async () => {
    await later((l) => expectCredited(l, 'teacher_no_show'));
  });

  it('forgives a student no-show where the school says so: a floating credit, nothing released', async () => {
    await later(async (l) => {
      const rule = (studentNoShow: string) => l.admin.patch('/admin/tenants/tenant-default', { studentNoShow });
      const set = await rule('credit');
      expect([set.status, set.body.studentNoShow]).toEqual([200, 'credit']);
      try {
        const pack = await expectCredited(l, 'student_no_show');
        const first = pack.sessions[0];
        // A replay changes nothing, even after the school goes back to the default rule.
        expect((await rule('release')).body.studentNoShow).toBe('release');
        const replay = await l.teacher.post(attendance(first.id), { outcome: 'student_no_show' });
        expect(replay.body).toMatchObject({ recorded: false, releasedMinor: 0, creditReturned: false });
        expect((await l.admin.get(`/admin/escrow?packageId=${pack.id}`)).body.entries).toHaveLength(1);
      } finally {
        await rule('release');
      }
      expect([(await rule('sometimes')).status]).toEqual([400]);
    });
  });

  it('refuses a session that has not started with 409 session_not_started', async () => {
    await later(async (l) => {
      const { pack } = await l.view();
      const early = await l.teacher.post(attendance(pack.sessions[1].id), { outcome: 'completed' });
      expect([early.status, early.body.error.code]).toEqual([409, 'session_not_started']);
      const { now } = await l.view();
      expect(now.sessions[1]).toMatchObject({ status: 'scheduled', attendance: null });
    });
  });

  it('sees the school’s completion as recorded: the admin route emits session.completed too', async () => {
    await later(async (l) => {
      const { pack } = await l.view();
      const first = pack.sessions[0];
      expect((await l.admin.post(`/admin/packages/${pack.id}/sessions/${first.id}/complete`)).status).toBe(200);
      const [event] = await events(l, pack.id, 'session.completed');
      expect(event.payload).toMatchObject({ sessionId: first.id, outcome: 'completed', by: 'admin' });
      const replay = await l.teacher.post(attendance(first.id), { outcome: 'completed' });
      expect(replay.body).toMatchObject({ recorded: false, releasedMinor: 0 });
      const other = await l.teacher.post(attendance(first.id), { outcome: 'student_no_show' });
      expect([other.status, other.body.error.code]).toEqual([409, 'attendance_recorded']);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../support/http.js';
import { buildScenario } from '../support/scenario.js';
import { scenarioWithPackage } from '../support/lifecycle.js';
import { startTarget, type ApiTarget } from '../support/target.js';

const NOW = '2026-11-30T06:00:00.000Z';

let target: ApiTarget;
let admin: Client;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
  admin = client(target.url, { authorization: `Bearer ${target.adminKey}` });
});
afterAll(async () => {
  await target.close();
});

const unique = (prefix: string) => `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

describe('admin subjects, tiers and students', () => {
  it('answers a create with the row as stored and an update with the row as changed', async () => {
    const subjectId = unique('subject');
    const created = await admin.post('/admin/subjects', { id: subjectId, name: 'Physics' });
    expect([created.status, created.body]).toEqual([201, { id: subjectId, name: 'Physics', nameAr: null }]);
    const renamed = await admin.put(`/admin/subjects/${subjectId}`, { name: 'Physics', nameAr: 'الفيزياء' });
    expect([renamed.status, renamed.body]).toEqual([200, { id: subjectId, name: 'Physics', nameAr: 'الفيزياء' }]);

    const student = await admin.post('/admin/students', {
      name: 'Sara',
      nameAr: ' سارة ',
      email: 'sara@example.org',
    });
    expect(student.status).toBe(201);
    expect(student.body).toEqual({
      id: expect.any(String),
      name: 'Sara',
      nameAr: 'سارة',
      email: 'sara@example.org',
      phone: null,
      timezone: null,
      locale: null,
    });
    const moved = await admin.put(`/admin/students/${student.body.id}`, { name: 'Sara', timezone: 'Africa/Cairo' });
    // An update replaces the student: what it leaves out (here the Arabic name and the email) is cleared.
    expect(moved.body).toEqual({ ...student.body, nameAr: null, email: null, timezone: 'Africa/Cairo' });
    expect((await admin.get('/admin/students')).body.students).toContainEqual(moved.body);
  });

  it('stores a tier with its defaults and answers an update with the stored tier', async () => {
    const tier = await admin.post('/admin/tiers', {
      name: 'Six',
      sessionCount: 6,
      recurringCount: 5,
      floatingCount: 1,
    });
    expect(tier.status).toBe(201);
    expect(tier.body).toEqual({
      id: expect.any(String),
      teacherId: null,
      name: 'Six',
      nameAr: null,
      sessionCount: 6,
      recurringCount: 5,
      floatingCount: 1,
      discountPercent: 0,
      gracePeriodDays: 14,
      rescheduleLimit: 2,
      sessionMinutes: 60,
      active: true,
    });
    const changed = await admin.put(`/admin/tiers/${tier.body.id}`, {
      name: 'Six (45 min)',
      sessionCount: 6,
      recurringCount: 6,
      floatingCount: 0,
      sessionMinutes: 45,
      active: false,
    });
    expect(changed.body).toEqual({
      ...tier.body,
      name: 'Six (45 min)',
      recurringCount: 6,
      floatingCount: 0,
      sessionMinutes: 45,
      active: false,
    });
    expect((await admin.get('/admin/tiers')).body.tiers).toContainEqual(changed.body);
  });

  it('stores a tier’s Arabic name, changes it, clears it, and refuses a blank one', async () => {
    const terms = { sessionCount: 3, recurringCount: 3, floatingCount: 0 };
    const tier = await admin.post('/admin/tiers', { ...terms, name: 'Three', nameAr: '  ثلاث حصص  ' });
    expect([tier.status, tier.body.nameAr]).toEqual([201, 'ثلاث حصص']);
    const renamed = await admin.put(`/admin/tiers/${tier.body.id}`, { ...terms, name: 'Three', nameAr: 'باقة الثلاث' });
    expect(renamed.body.nameAr).toBe('باقة الثلاث');
    const cleared = await admin.put(`/admin/tiers/${tier.body.id}`, { ...terms, name: 'Three', nameAr: null });
    expect(cleared.body.nameAr).toBe(null);
    const blank = await admin.put(`/admin/tiers/${tier.body.id}`, { ...terms, name: 'Three', nameAr: '   ' });
    expect([blank.status, blank.body.error.code]).toEqual([400, 'validation_error']);
  });

  it('answers 404 with the code of the kind of row when an update finds none', async () => {
    const subject = await admin.put('/admin/subjects/ghost', { name: 'x' });
    const student = await admin.put('/admin/students/ghost', { name: 'x' });
    const tier = await admin.put('/admin/tiers/ghost', {
      name: 'x',
      sessionCount: 1,
      recurringCount: 1,
      floatingCount: 0,
    });
    const teacher = await admin.get('/admin/teachers/ghost');
    expect([subject, student, tier, teacher].map((r) => [r.status, r.body.error.code, r.body.error.details])).toEqual([
      [404, 'subject_not_found', { subjectId: 'ghost' }],
      [404, 'student_not_found', { studentId: 'ghost' }],
      [404, 'tier_not_found', { tierId: 'ghost' }],
      [404, 'teacher_not_found', { teacherId: 'ghost' }],
    ]);
  });

  it('refuses a tier of an unknown teacher with 422 and a duplicate id with 409', async () => {
    const orphan = await admin.post('/admin/tiers', {
      teacherId: 'ghost',
      name: 'x',
      sessionCount: 1,
      recurringCount: 1,
      floatingCount: 0,
    });
    expect([orphan.status, orphan.body.error.code]).toEqual([422, 'unknown_reference']);
    const subjectId = unique('subject');
    await admin.post('/admin/subjects', { id: subjectId, name: 'Chemistry' });
    const again = await admin.post('/admin/subjects', { id: subjectId, name: 'Chemistry' });
    expect([again.status, again.body.error.code]).toEqual([409, 'constraint_violation']);
  });
});

describe('admin rules, outbox and escrow reads', () => {
  it('adds one availability rule to the teacher’s others', async () => {
    const s = await buildScenario(target);
    const before = (await admin.get(`/admin/teachers/${s.teacherId}/availability-rules`)).body.rules;
    const added = await admin.post(`/admin/teachers/${s.teacherId}/availability-rules`, {
      weekday: 'FRIDAY',
      startTime: '16:00',
      endTime: '18:00',
    });
    expect(added.status).toBe(201);
    expect(added.body.rules).toHaveLength(before.length + 1);
    expect(added.body.rules).toContainEqual({
      id: expect.any(String),
      weekday: 'FRIDAY',
      startTime: '16:00',
      endTime: '18:00',
    });
  });

  it('lists a package’s outbox rows by event and its escrow entries', async () => {
    const { pack } = await scenarioWithPackage(target);
    const purchased = await admin.get(`/admin/notifications?packageId=${pack.id}&eventType=pack.purchased`);
    expect(purchased.body.notifications).toEqual([
      expect.objectContaining({
        eventType: 'pack.purchased',
        packageId: pack.id,
        deliveredAt: null,
        payload: expect.objectContaining({ packageId: pack.id }),
      }),
    ]);
    expect(
      (await admin.get(`/admin/notifications?packageId=${pack.id}&eventType=session.booked`)).body.notifications,
    ).toEqual([]);
    const escrow = await admin.get(`/admin/escrow?packageId=${pack.id}`);
    expect(escrow.body).toEqual({
      packageId: pack.id,
      entries: [
        expect.objectContaining({
          bookingId: null,
          entryType: 'hold',
          amountMinor: pack.priceMinor,
          currency: pack.currency,
        }),
      ],
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http.js';
import { startTarget, type ApiTarget } from '../support/target.js';
import { addBooking, addTimeOff, buildScenario, WEEKDAY_RULES } from '../support/scenario.js';

const NOW = '2026-11-30T06:00:00.000Z';

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW, seed: true });
});
afterAll(async () => {
  await target?.close();
});

const slotOf = (grid: any, weekday: string, time: string) =>
  grid.availability.find((d: any) => d.weekday === weekday)?.slots.find((s: any) => s.time === time);

describe('GET /marketplace/teachers', () => {
  it('lists the seeded teachers with their zone and subjects', async () => {
    const { status, body } = await client(target.url).get('/marketplace/teachers');
    expect(status).toBe(200);
    const amna = body.teachers.find((t: any) => t.id === 'teacher-amna');
    expect(amna).toMatchObject({ timezone: 'Africa/Khartoum', currency: 'SDG', nameAr: 'آمنة حسن' });
    expect(amna.subjects.map((s: any) => s.id).sort()).toEqual(['math', 'physics']);
    expect(body.teachers.find((t: any) => t.id === 'teacher-sarah').timezone).toBe('Europe/London');
  });

  it('filters by subject', async () => {
    const { body } = await client(target.url).get('/marketplace/teachers?subjectId=arabic');
    expect(body.teachers.map((t: any) => t.id)).toEqual(['teacher-omer']);
  });
});

describe('GET /marketplace/teachers/:id/tiers', () => {
  it('prices each tier from the hourly rate with its discount and stored recurring/floating split', async () => {
    const { status, body } = await client(target.url).get('/marketplace/teachers/teacher-amna/tiers');
    expect(status).toBe(200);
    const ten = body.tiers.find((t: any) => t.sessionCount === 10);
    // 10 × 8,000.00 SDG = 80,000.00 SDG, 10 % off.
    expect(ten).toMatchObject({
      recurringCount: 8,
      floatingCount: 2,
      listPriceMinor: 8_000_000,
      priceMinor: 7_200_000,
      savingsMinor: 800_000,
      currency: 'SDG',
    });
    expect(body.tiers.map((t: any) => t.sessionCount)).toEqual([5, 10, 20]);
  });

  it('names each demo tier in Arabic too (nameAr), for the widget on Arabic pages', async () => {
    const { body } = await client(target.url).get('/marketplace/teachers/teacher-amna/tiers');
    expect(body.tiers.map((t: any) => [t.name, t.nameAr])).toEqual([
      ['Starter · 5 sessions', 'البداية · 5 حصص'],
      ['Smart Pack · 10 sessions', 'الباقة الذكية · 10 حصص'],
      ['Term · 20 sessions', 'الفصل · 20 حصة'],
    ]);
  });

  it('answers 404 for an unknown teacher', async () => {
    const { status, body } = await client(target.url).get('/marketplace/teachers/nobody/tiers');
    expect(status).toBe(404);
    expect(body.error.code).toBe('teacher_not_found');
  });
});

describe('GET /marketplace/teachers/:id/weekly-availability', () => {
  it('returns only the teacher’s real slots, all seven days, in the teacher’s zone', async () => {
    const s = await buildScenario(target, { rules: WEEKDAY_RULES(['MONDAY', 'WEDNESDAY'], '16:00', '18:00') });
    const { status, body } = await s.api.get(
      `/marketplace/teachers/${s.teacherId}/weekly-availability?subjectId=${s.subjectId}`,
    );
    expect(status).toBe(200);
    expect(body.timezone).toBe('Africa/Khartoum');
    expect(body.weeks).toBe(8);
    expect(body.availability.map((d: any) => d.weekday)).toEqual([
      'SUNDAY',
      'MONDAY',
      'TUESDAY',
      'WEDNESDAY',
      'THURSDAY',
      'FRIDAY',
      'SATURDAY',
    ]);
    expect(body.availability.map((d: any) => d.slots.map((x: any) => x.time))).toEqual([
      [],
      ['16:00', '17:00'],
      [],
      ['16:00', '17:00'],
      [],
      [],
      [],
    ]);
    expect(slotOf(body, 'MONDAY', '16:00')).toEqual({
      time: '16:00',
      available: true,
      status: 'free',
      freeWeeks: 8,
      weeks: 8,
    });
  });

  it('marks a slot busy in some weeks as partial with its free-week count and reason', async () => {
    const s = await buildScenario(target, { rules: WEEKDAY_RULES(['MONDAY'], '16:00', '18:00') });
    await addBooking(s, '2026-12-14T14:00:00.000Z');
    await addTimeOff(s, '2026-12-21T14:00:00.000Z', '2026-12-21T15:00:00.000Z');
    await addTimeOff(s, '2026-12-28T14:00:00.000Z', '2026-12-28T15:00:00.000Z');
    const { body } = await s.api.get(`/marketplace/teachers/${s.teacherId}/weekly-availability`);
    expect(slotOf(body, 'MONDAY', '16:00')).toEqual({
      time: '16:00',
      available: true,
      status: 'partial',
      freeWeeks: 5,
      weeks: 8,
      reason: 'time_off',
    });
    expect(slotOf(body, 'MONDAY', '17:00').status).toBe('free');
  });

  it('marks a slot busy every week as unavailable with the reason, and reflects a new booking at once', async () => {
    const s = await buildScenario(target, { rules: WEEKDAY_RULES(['SUNDAY'], '10:00', '11:00') });
    const before = await s.api.get(`/marketplace/teachers/${s.teacherId}/weekly-availability?weeks=2`);
    expect(slotOf(before.body, 'SUNDAY', '10:00').status).toBe('free');
    await addBooking(s, '2026-12-06T08:00:00.000Z');
    await addBooking(s, '2026-12-13T08:00:00.000Z');
    const after = await s.api.get(`/marketplace/teachers/${s.teacherId}/weekly-availability?weeks=2`);
    expect(slotOf(after.body, 'SUNDAY', '10:00')).toEqual({
      time: '10:00',
      available: false,
      status: 'unavailable',
      freeWeeks: 0,
      weeks: 2,
      reason: 'booked',
    });
  });

  it('uses the tier session length for slot starts', async () => {
    const s = await buildScenario(target, {
      rules: WEEKDAY_RULES(['MONDAY'], '16:00', '19:00'),
      tier: { sessionMinutes: 90 },
    });
    const { body } = await s.api.get(`/marketplace/teachers/${s.teacherId}/weekly-availability?tierId=${s.tierId}`);
    expect(body.durationMinutes).toBe(90);
    expect(body.availability[1].slots.map((x: any) => x.time)).toEqual(['16:00', '17:30']);
  });

  it('shows the seeded demo conflicts: Amna’s Wednesday 17:00 is taken every week', async () => {
    const { body } = await client(target.url).get(
      '/marketplace/teachers/teacher-amna/weekly-availability?tierId=tier-10',
    );
    expect(slotOf(body, 'WEDNESDAY', '17:00')).toMatchObject({ status: 'unavailable', reason: 'booked' });
    expect(slotOf(body, 'MONDAY', '16:00')).toMatchObject({ status: 'partial', freeWeeks: 7 });
  });

  it('answers 404 when the teacher does not teach the subject', async () => {
    const { status, body } = await client(target.url).get(
      '/marketplace/teachers/teacher-omer/weekly-availability?subjectId=math',
    );
    expect(status).toBe(404);
    expect(body.error.code).toBe('subject_not_taught');
  });
});

describe('GET /marketplace/teachers/:id/weekly-availability for a first screen (include=tiers, lang)', () => {
  const base = '/marketplace/teachers/teacher-amna/weekly-availability?subjectId=math&weeks=8';

  it('carries the tiers exactly as GET …/tiers answers them, beside the same grid', async () => {
    const api = client(target.url);
    const [plain, first, tiers] = await Promise.all([
      api.get(base),
      api.get(`${base}&include=tiers`),
      api.get('/marketplace/teachers/teacher-amna/tiers?subjectId=math'),
    ]);
    expect(first.status).toBe(200);
    const { tiers: carried, ...grid } = first.body;
    expect(grid).toEqual(plain.body);
    expect(carried).toEqual(tiers.body);
    // Another answer, so another tag: a cached plain grid never stands in for the first screen's.
    expect(first.headers.get('etag')).not.toBe(plain.headers.get('etag'));
  });

  it('names the teacher’s zone and the viewer’s by name and UTC offset, in the language asked', async () => {
    const api = client(target.url);
    const en = await api.get(`${base}&lang=en&viewerTimeZone=Asia/Tokyo`);
    expect(en.status).toBe(200);
    expect(en.body.zoneLabels).toEqual({
      'Africa/Khartoum': 'Central Africa Time (GMT+2)',
      'Asia/Tokyo': 'Japan Standard Time (GMT+9)',
    });
    const ar = await api.get(`${base}&lang=ar&viewerTimeZone=Africa/Khartoum`);
    expect(ar.body.zoneLabels).toEqual({ 'Africa/Khartoum': 'توقيت وسط أفريقيا (غرينتش+2)' });
    expect(ar.body.tiers).toBeUndefined();
  });

  it('names a zone with summer time by its offset at the window’s start', async () => {
    // Sarah teaches from London: GMT+0 in winter (the window starts in December), whatever the viewer.
    const res = await client(target.url).get(
      '/marketplace/teachers/teacher-sarah/weekly-availability?lang=en&viewerTimeZone=America/Los_Angeles',
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.zoneLabels)).toEqual(['Europe/London', 'America/Los_Angeles']);
    // Node's ICU (and Chromium's) write a zero offset "GMT+0", workerd's "GMT".
    expect(res.body.zoneLabels['Europe/London']).toMatch(/^United Kingdom Time \(GMT(\+0)?\)$/);
    expect(res.body.zoneLabels['America/Los_Angeles']).toBe('Pacific Time (GMT-8)');
  });

  it.each([
    ['include=everything', 'include'],
    ['lang=en-a', 'lang'],
    ['lang=' + 'x'.repeat(40), 'lang'],
    ['viewerTimeZone=Mars/Olympus_Mons', 'viewerTimeZone'],
  ])('refuses %s with a 400 naming the parameter', async (param, field) => {
    const { status, body } = await client(target.url).get(`${base}&${param}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('validation_error');
    expect(JSON.stringify(body.error.details)).toContain(field);
  });
});

describe('cross-origin embedding', () => {
  it('lets a partner page preflight and post a purchase and a check', async () => {
    for (const path of ['/packages', '/packages/check-multi-slot-availability']) {
      const response = await fetch(target.url + path, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://partner.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,idempotency-key',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    }
  });

  it('does not open /admin to other origins', async () => {
    const response = await fetch(`${target.url}/admin/teachers`, {
      method: 'OPTIONS',
      headers: { origin: 'https://partner.example', 'access-control-request-method': 'GET' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

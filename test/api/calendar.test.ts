import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type ApiTarget } from '../support/target.js';
import { addTimeOff } from '../support/scenario.js';
import { scenarioWithPackage } from '../support/lifecycle.js';

const NOW = '2026-11-30T06:00:00.000Z';

let target: ApiTarget;
beforeAll(async () => {
  target = await startTarget({ now: NOW });
});
afterAll(async () => {
  await target?.close();
});

/** The feed as a calendar app subscribes to it: the package's `calendarPath`, its feed token included. */
async function feed(pack: { id: string; calendarPath: string }, lang?: string) {
  expect(pack.calendarPath).toMatch(
    new RegExp(`^/packages/${pack.id}/calendar\\.ics\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`),
  );
  const response = await fetch(`${target.url}${pack.calendarPath}${lang === undefined ? '' : `&lang=${lang}`}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  return { response, bytes, text, calendar: new ICAL.Component(ICAL.parse(text)) };
}

const events = (calendar: ICAL.Component) => calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));

describe('GET /packages/:id/calendar.ics', () => {
  it('is an iCalendar feed of the package’s sessions that a real parser reads back exactly', async () => {
    const { pack } = await scenarioWithPackage(target);
    const { response, calendar } = await feed(pack);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('prodid')).toBeTruthy();
    const list = events(calendar);
    expect(list).toHaveLength(8);
    expect(list.map((e) => e.uid)).toEqual(pack.sessions.map((s: any) => `${s.id}@smart-pack-grid`));
    expect(list.map((e) => [e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()])).toEqual(
      pack.sessions.map((s: any) => [s.startUtc, s.endUtc]),
    );
    expect(list.every((e) => e.startDate.zone?.tzid === 'UTC' && e.endDate.zone?.tzid === 'UTC')).toBe(true);
    expect(list[0]!.summary).toBe('Mathematics with Test Teacher · session 1 of 10');
    for (const vevent of calendar.getAllSubcomponents('vevent')) {
      expect((vevent.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString()).toBe(NOW);
      expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    }
  });

  it('uses CRLF line ends, folds lines at 75 octets without splitting a character, and escapes text', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const teacher = 'آمنة حسن; "Amna", maths\\physics';
    const subject = 'الرياضيات والفيزياء للمرحلة الثانوية, Mathematics & Physics for secondary school';
    await s.admin.put(`/admin/teachers/${s.teacherId}`, {
      name: teacher,
      timezone: 'Africa/Khartoum',
      hourlyRateMinor: 500_000,
      currency: 'SDG',
    });
    await s.admin.put(`/admin/subjects/${s.subjectId}`, { name: subject });
    const { bytes, text, calendar } = await feed(pack);

    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // Split the raw octets at CRLF: each line must be ≤ 75 octets and valid UTF-8 on its own.
    const strict = new TextDecoder('utf-8', { fatal: true });
    let start = 0;
    let folded = 0;
    for (let i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] !== 0x0d || bytes[i + 1] !== 0x0a) continue;
      const line = bytes.subarray(start, i);
      expect(line.length).toBeLessThanOrEqual(75);
      expect(() => strict.decode(line)).not.toThrow();
      if (line[0] === 0x20) folded++;
      start = i + 2;
    }
    expect(folded).toBeGreaterThan(8);
    expect(text).toContain('\\;');
    expect(text).toContain('\\,');
    expect(text).toContain('\\\\');
    expect(events(calendar)[0]!.summary).toBe(`${subject} with ${teacher} · session 1 of 10`);
  });

  it('follows the package: a rescheduled session keeps its UID with a higher SEQUENCE, a floated one is cancelled, a flagged one tentative', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    const [first, second, third] = pack.sessions;
    await s.parent.api.post(`/packages/${pack.id}/sessions/${first.id}/reschedule`, {
      date: '2026-12-08',
      time: '11:00',
    });
    await s.parent.api.post(`/packages/${pack.id}/sessions/${second.id}/float`);
    await addTimeOff(s, '2026-12-21T13:00:00.000Z', '2026-12-21T16:00:00.000Z');
    const booked = await s.parent.api.post(`/packages/${pack.id}/floating-sessions`, {
      date: '2026-12-02',
      time: '10:00',
    });
    const { calendar } = await feed(pack);
    const byUid = new Map(calendar.getAllSubcomponents('vevent').map((v) => [v.getFirstPropertyValue('uid'), v]));
    expect(byUid.size).toBe(9);
    const moved = byUid.get(`${first.id}@smart-pack-grid`)!;
    expect((moved.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe(
      '2026-12-08T09:00:00.000Z',
    );
    expect(moved.getFirstPropertyValue('sequence')).toBe(1);
    expect(byUid.get(`${second.id}@smart-pack-grid`)!.getFirstPropertyValue('status')).toBe('CANCELLED');
    const flagged = byUid.get(`${third.id}@smart-pack-grid`)!;
    expect(flagged.getFirstPropertyValue('status')).toBe('TENTATIVE');
    expect(String(flagged.getFirstPropertyValue('description'))).toContain('not available');
    expect(new ICAL.Event(byUid.get(`${booked.body.session.id}@smart-pack-grid`)!).summary).toBe(
      'Mathematics with Test Teacher · session 9 of 10',
    );
  });

  it('speaks the parent’s language: ?lang=ar gives Arabic titles and notes with the Arabic names', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    await s.admin.put(`/admin/teachers/${s.teacherId}`, {
      name: 'Test Teacher',
      nameAr: 'آمنة حسن',
      timezone: 'Africa/Khartoum',
      hourlyRateMinor: 500_000,
      currency: 'SDG',
    });
    await s.parent.api.post(`/packages/${pack.id}/sessions/${pack.sessions[1].id}/float`);
    const { calendar } = await feed(pack, 'ar');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('الباقة الذكية · الرياضيات مع آمنة حسن');
    const vevents = calendar.getAllSubcomponents('vevent');
    const [first, second] = vevents.map((v) => new ICAL.Event(v));
    expect(first!.summary).toBe('الرياضيات مع آمنة حسن · الحصة 1 من 10');
    expect(first!.description).toBe('حصة أسبوعية من الباقة الذكية، الحصة 1 من 10.');
    expect(second!.description).toBe(
      'حصة أسبوعية من الباقة الذكية، الحصة 2 من 10.\nأُلغيت: تحولت هذه الحصة إلى رصيد حصة مرنة.',
    );
    expect(vevents[0]!.getFirstProperty('summary')!.getParameter('language')).toBe('ar');
    // A regional tag is still Arabic; any other language (or none) is English, with the English names.
    const regional = await feed(pack, 'ar-SD');
    expect(events(regional.calendar)[0]!.summary).toBe('الرياضيات مع آمنة حسن · الحصة 1 من 10');
    for (const lang of ['en', 'fr-FR']) {
      const other = await feed(pack, lang);
      expect(events(other.calendar)[0]!.summary, lang).toBe('Mathematics with Test Teacher · session 1 of 10');
    }
  });

  it('answers 400 (not 500) for a lang that is not a language tag', async () => {
    const { pack } = await scenarioWithPackage(target);
    for (const lang of ['ar;x', 'a'.repeat(40), '']) {
      const response = await fetch(`${target.url}${pack.calendarPath}&lang=${encodeURIComponent(lang)}`);
      expect([response.status, (await response.json()).error.code], lang).toEqual([400, 'validation_error']);
    }
  });

  it('names the teacher and the subject in both languages in the package view', async () => {
    const { s, pack } = await scenarioWithPackage(target);
    expect([pack.teacherName, pack.teacherNameAr, pack.subjectName, pack.subjectNameAr]).toEqual([
      'Test Teacher',
      null,
      'Mathematics',
      'الرياضيات',
    ]);
    await s.admin.put(`/admin/teachers/${s.teacherId}`, {
      name: 'Amna Hassan',
      nameAr: 'آمنة حسن',
      timezone: 'Africa/Khartoum',
      hourlyRateMinor: 500_000,
      currency: 'SDG',
    });
    const read = await s.parent.api.get(`/packages/${pack.id}`);
    expect(read.status).toBe(200);
    expect([read.body.teacherName, read.body.teacherNameAr, read.body.subjectName, read.body.subjectNameAr]).toEqual([
      'Amna Hassan',
      'آمنة حسن',
      'Mathematics',
      'الرياضيات',
    ]);
  });

  it('answers 404 with the JSON error shape for another package id, and 401 without a feed token', async () => {
    const { pack } = await scenarioWithPackage(target);
    const token = new URL(pack.calendarPath, target.url).searchParams.get('token');
    const response = await fetch(`${target.url}/packages/nope/calendar.ics?token=${token}`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('package_not_found');
    const bare = await fetch(`${target.url}/packages/${pack.id}/calendar.ics`);
    expect([bare.status, (await bare.json()).error.code]).toEqual([401, 'unauthorized']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeStore } from '../../api/db/node.js';
import { bookFloatingBatch } from '../../api/db/repositories/lifecycle.js';
import { isBookingConflict } from '../../api/db/store.js';
import { startNodeServer } from '../../api/server/host.js';
import { ADMIN_KEY, API_TARGET, startServerAt, startTarget, type ApiTarget } from '../support/target.js';
import { buildScenario, purchaseBody, WEEKDAY_RULES, type Scenario } from '../support/scenario.js';
import { at, notifications, query, scenarioWithPackage } from '../support/lifecycle.js';
import { tenantWorld } from '../support/tenants.js';
import { fixture, startIcsServer, type IcsServer } from '../support/ics-server.js';
import { fetchDocument, responseChecker } from '../support/openapi.js';
import { client, type JsonResponse } from '../support/http.js';

// Monday 1 March 2027, 01:00 in New York (EST, UTC-5); the US moves to EDT (UTC-4) on Sunday 14 March.
const NOW = '2027-03-01T06:00:00.000Z';
const TIMEOUT_MS = 1_000;

let target: ApiTarget;
let feeds: IcsServer;
beforeAll(async () => {
  [target, feeds] = await Promise.all([
    startTarget({ now: NOW, calendarFetchTimeoutMs: TIMEOUT_MS }),
    startIcsServer(),
  ]);
});
afterAll(async () => {
  await Promise.all([target?.close(), feeds?.close()]);
});

let counter = 0;
/** A fresh feed path on the loopback server, with a query standing for the feed's secret. */
function feedPath(name: string) {
  return `/${name}-${++counter}.ics`;
}

const EVERY_DAY = WEEKDAY_RULES(
  ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'],
  '09:00',
  '20:00',
);

function newYorkTeacher(): Promise<Scenario> {
  return buildScenario(target, { timezone: 'America/New_York', rules: EVERY_DAY });
}

async function addCalendar(s: Scenario, path: string, extra: Record<string, unknown> = {}) {
  return s.admin.post(`/admin/teachers/${s.teacherId}/calendars`, { url: `${feeds.url(path)}?token=s3cret`, ...extra });
}

function busyRows(calendarId: string) {
  return query<{ id: string; start_utc: string; end_utc: string }>(
    target,
    'SELECT id, start_utc, end_utc FROM time_off WHERE calendar_id = ? ORDER BY start_utc',
    calendarId,
  );
}

async function freeStarts(s: Scenario, date: string): Promise<string[]> {
  const { status, body } = await s.api.get(`/marketplace/teachers/${s.teacherId}/slots?from=${date}&to=${date}`);
  expect(status).toBe(200);
  return body.slots.map((slot: any) => slot.time);
}

describe('external calendars', () => {
  // First in the file: the schedule syncs every calendar due, and this one is the only one yet.
  describe('on a schedule', () => {
    it('syncs a calendar 15 minutes after its last sync (the Node timer, the Worker cron)', async () => {
      const s = await newYorkTeacher();
      const path = feedPath('scheduled');
      feeds.serve(path, { body: fixture('tutoring.ics') });
      const added = await addCalendar(s, path);
      expect(added.body.busyCount).toBe(5);
      feeds.serve(path, { body: fixture('google.ics') });
      const later = '2027-03-01T06:16:00.000Z';
      if (API_TARGET === 'node') {
        const server = await startNodeServer({
          databasePath: target.databasePath,
          port: 0,
          adminApiKey: ADMIN_KEY,
          now: later,
          calendarSync: { intervalMs: 60_000 },
        });
        try {
          await server.calendars!.sweep();
        } finally {
          await server.close();
        }
      } else {
        const server = await startServerAt(target, later);
        try {
          expect((await fetch(`${server.url}/cdn-cgi/handler/scheduled`)).status).toBe(200);
        } finally {
          await server.close();
        }
      }
      const [row] = query<{ last_synced_at: string; busy_count: number; status: string }>(
        target,
        'SELECT last_synced_at, busy_count, status FROM teacher_calendars WHERE id = ?',
        added.body.id,
      );
      expect(row).toMatchObject({ last_synced_at: later, status: 'ok' });
      expect(row!.busy_count).toBe(busyRows(added.body.id).length);
      expect(row!.busy_count).toBeGreaterThan(5);
    });
  });

  describe('a Google Calendar feed', () => {
    it('stores its busy instants right on both sides of the DST change, with EXDATE and the moved occurrence', async () => {
      const s = await newYorkTeacher();
      const path = feedPath('google');
      feeds.serve(path, { body: fixture('google.ics') });
      const { status, body } = await addCalendar(s, path);
      expect(status).toBe(201);
      expect(body).toMatchObject({
        teacherId: s.teacherId,
        name: 'Tutoring at the academy',
        urlDisplay: `${feeds.url(path)}?…`,
        status: 'ok',
        lastSyncedAt: NOW,
        lastError: null,
      });
      expect(JSON.stringify(body)).not.toContain('s3cret');
      const rows = busyRows(body.id);
      expect(body.busyCount).toBe(rows.length);
      const starts = rows.map((r) => `${r.start_utc} ${r.end_utc}`);
      // 16:00 New York is 21:00 UTC in EST and 20:00 UTC in EDT.
      expect(starts).toContain('2027-03-01T21:00:00.000Z 2027-03-01T22:00:00.000Z');
      expect(starts).toContain('2027-03-15T20:00:00.000Z 2027-03-15T21:00:00.000Z');
      expect(starts).toContain('2027-03-29T20:00:00.000Z 2027-03-29T21:00:00.000Z');
      // The single UTC event, EXDATE 8 March gone, and 22 March moved to Tuesday 23 March 18:00 EDT.
      expect(starts).toContain('2027-03-03T15:00:00.000Z 2027-03-03T16:30:00.000Z');
      expect(rows.some((r) => r.start_utc.startsWith('2027-03-08'))).toBe(false);
      expect(rows.some((r) => r.start_utc.startsWith('2027-03-22'))).toBe(false);
      expect(starts).toContain('2027-03-23T22:00:00.000Z 2027-03-23T23:00:00.000Z');
      // Expanded over the teacher's horizon (182 days), not forever.
      expect(rows.at(-1)!.start_utc < '2027-09-01').toBe(true);
      expect(rows.at(-1)!.start_utc > '2027-08-20').toBe(true);
      // Time off entered by hand is listed on its own; the feed's busy time is not.
      expect((await s.admin.get(`/admin/teachers/${s.teacherId}/time-off`)).body.timeOff).toEqual([]);
    });

    it('stops the grid offering the times it blocks and has the check refuse them', async () => {
      const s = await newYorkTeacher();
      const path = feedPath('google');
      feeds.serve(path, { body: fixture('google.ics') });
      expect((await addCalendar(s, path)).status).toBe(201);
      expect(await freeStarts(s, '2027-03-15')).not.toContain('16:00');
      expect(await freeStarts(s, '2027-03-15')).toContain('15:00');
      expect(await freeStarts(s, '2027-03-08')).toContain('16:00');
      const grid = await s.api.get(`/marketplace/teachers/${s.teacherId}/weekly-availability?weeks=4`);
      expect(grid.status).toBe(200);
      const monday = grid.body.availability.find((d: any) => d.weekday === 'MONDAY');
      expect(monday.slots.find((slot: any) => slot.time === '16:00')).toMatchObject({ reason: 'time_off' });

      const check = await s.api.post('/packages/check-multi-slot-availability', {
        teacherId: s.teacherId,
        tierId: s.tierId,
        patterns: [{ weekday: 'MONDAY', time: '16:00' }],
      });
      expect(check.status).toBe(200);
      const conflicts = check.body.patterns[0].conflicts.map((x: any) => [x.date, x.reason]);
      expect(conflicts).toContainEqual(['2027-03-15', 'time_off']);
      expect(conflicts.map(([date]: string[]) => date)).not.toContain('2027-03-08');
      const bought = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'MONDAY', time: '16:00' }]));
      expect(bought.status).toBeGreaterThanOrEqual(400);
      expect(bought.status).toBeLessThan(500);
    });

    it('has the database refuse a booking inside its busy time that passed its check before the sync', async () => {
      const { s, pack } = await scenarioWithPackage(target, {
        timezone: 'America/New_York',
        rules: EVERY_DAY,
        patterns: [{ weekday: 'WEDNESDAY', time: '10:00' }],
      });
      const path = feedPath('google');
      feeds.serve(path, { body: fixture('google.ics') });
      expect((await addCalendar(s, path)).status).toBe(201);
      const store = openNodeStore(target.databasePath);
      try {
        const refused = await store
          .batch(
            bookFloatingBatch(store.db, {
              packageId: pack.id,
              bookingId: crypto.randomUUID(),
              token: crypto.randomUUID(),
              startUtc: '2027-03-15T20:00:00.000Z',
              endUtc: '2027-03-15T21:00:00.000Z',
              now: NOW,
            }).statements,
          )
          .then(
            () => null,
            (error: unknown) => error,
          );
        expect(String(refused)).toContain('booking_in_time_off');
        expect(isBookingConflict(refused)).toBe(true);
      } finally {
        await store.close();
      }
    });
  });

  describe('Outlook and tutoring platform feeds', () => {
    it('reads Windows zone names through their VTIMEZONE blocks, all-day events and free time', async () => {
      const s = await newYorkTeacher();
      const path = feedPath('outlook');
      feeds.serve(path, { body: fixture('outlook.ics'), contentType: 'text/calendar' });
      const { body } = await addCalendar(s, path, { name: 'School Outlook' });
      expect(body).toMatchObject({ status: 'ok', name: 'School Outlook' });
      const starts = busyRows(body.id).map((r) => `${r.start_utc} ${r.end_utc}`);
      // Thursday 18:00 London: GMT until 28 March, then BST.
      expect(starts).toContain('2027-03-25T18:00:00.000Z 2027-03-25T19:00:00.000Z');
      expect(starts).toContain('2027-04-01T17:00:00.000Z 2027-04-01T18:00:00.000Z');
      // 12:00 "Eastern Standard Time" on 10 March is still EST.
      expect(starts).toContain('2027-03-10T17:00:00.000Z 2027-03-10T18:00:00.000Z');
      // The all-day event is the teacher's whole local day; the FREE one blocks nothing.
      expect(starts).toContain('2027-03-05T05:00:00.000Z 2027-03-06T05:00:00.000Z');
      expect(starts.some((x) => x.startsWith('2027-03-11T17:00'))).toBe(false);
      expect(await freeStarts(s, '2027-03-05')).toEqual([]);
    });

    it('ignores cancelled and transparent lessons of a tutoring platform’s UTC export', async () => {
      const s = await newYorkTeacher();
      const path = feedPath('tutoring');
      feeds.serve(path, { body: fixture('tutoring.ics'), contentType: 'text/plain' });
      const { body } = await addCalendar(s, path);
      expect(body).toMatchObject({ status: 'ok', name: 'My lessons', busyCount: 5 });
      expect(busyRows(body.id).map((r) => r.start_utc)).toEqual([
        '2027-03-02T14:00:00.000Z',
        '2027-03-05T13:00:00.000Z',
        '2027-03-12T13:00:00.000Z',
        '2027-03-19T13:00:00.000Z',
        '2027-03-26T13:00:00.000Z',
      ]);
    });
  });

  describe('a new event over a booked session', () => {
    it('flags the session with a session.flagged notification, once however often the feed syncs', async () => {
      const { s, pack } = await scenarioWithPackage(target, {
        timezone: 'America/New_York',
        rules: EVERY_DAY,
        patterns: [{ weekday: 'WEDNESDAY', time: '10:00' }],
      });
      const path = feedPath('lesson');
      feeds.serve(path, { body: fixture('tutoring.ics') });
      const added = await addCalendar(s, path);
      expect(notifications(target, pack.id).map((n) => n.event_type)).toEqual(['pack.purchased']);
      // The other platform books Wednesday 10 March 10:00 EST, over the pack's second session.
      feeds.serve(path, {
        body: fixture('tutoring.ics').replace(
          'END:VCALENDAR',
          'BEGIN:VEVENT\r\nUID:new-lesson@lingo-tutors.example\r\nDTSTAMP:20270301T050000Z\r\n' +
            'DTSTART:20270310T150000Z\r\nDTEND:20270310T160000Z\r\nSUMMARY:New lesson\r\nEND:VEVENT\r\nEND:VCALENDAR',
        ),
      });
      const synced = await s.admin.post(`/admin/teachers/${s.teacherId}/calendars/${added.body.id}/sync`);
      expect(synced.status).toBe(200);
      expect(synced.body).toMatchObject({ status: 'ok', busyCount: 6 });
      const { body: view } = await s.parent.api.get(`/packages/${pack.id}`);
      expect(view.flaggedSessionCount).toBe(1);
      expect(view.sessions.find((x: any) => x.flaggedReason)).toMatchObject({
        id: pack.sessions[1].id,
        startUtc: '2027-03-10T15:00:00.000Z',
        flaggedReason: 'external_calendar',
      });
      await s.admin.post(`/admin/teachers/${s.teacherId}/calendars/${added.body.id}/sync`);
      const flagged = notifications(target, pack.id).filter((n) => n.event_type === 'session.flagged');
      expect(flagged).toHaveLength(1);
      expect(flagged[0]!.payload).toMatchObject({
        bookingId: pack.sessions[1].id,
        reason: 'external_calendar',
        calendarId: added.body.id,
        timeOffStartUtc: '2027-03-10T15:00:00.000Z',
      });
    });
  });

  describe('syncing', () => {
    it('sends the ETag back and keeps the stored copy on 304, as of the new sync', async () => {
      const s = await newYorkTeacher();
      const path = feedPath('etag');
      feeds.serve(path, { body: fixture('tutoring.ics'), etag: '"v1"', lastModified: 'Mon, 01 Mar 2027 05:00:00 GMT' });
      const added = await addCalendar(s, path);
      const before = busyRows(added.body.id);
      const later = '2027-03-01T06:20:00.000Z';
      await at(target, later, async (server) => {
        const synced = await server.admin.post(`/admin/teachers/${s.teacherId}/calendars/${added.body.id}/sync`);
        expect(synced.body).toMatchObject({ status: 'ok', lastSyncedAt: later, busyCount: 5 });
      });
      const sent = feeds.requests(path);
      expect(sent).toHaveLength(2);
      expect(sent[0]!['if-none-match']).toBeUndefined();
      expect(sent[1]).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': 'Mon, 01 Mar 2027 05:00:00 GMT' });
      expect(busyRows(added.body.id)).toEqual(before);
    });

    it('keeps the last good copy of a failing feed (HTTP 500, then garbage) and the grid still answers', async () => {
      const s = await newYorkTeacher();
      const path = feedPath('failing');
      feeds.serve(path, { body: fixture('google.ics') });
      const added = await addCalendar(s, path);
      const good = busyRows(added.body.id);
      const sync = () => s.admin.post(`/admin/teachers/${s.teacherId}/calendars/${added.body.id}/sync`);

      feeds.serve(path, { status: 500, body: 'Internal Server Error' });
      expect((await sync()).body).toMatchObject({
        status: 'failing',
        lastError: 'The feed answered HTTP 500.',
        busyCount: good.length,
      });
      expect(busyRows(added.body.id)).toEqual(good);
      expect(await freeStarts(s, '2027-03-15')).not.toContain('16:00');

      feeds.serve(path, { body: '<html><body>Sign in to continue</body></html>', contentType: 'text/html' });
      expect((await sync()).body).toMatchObject({
        status: 'failing',
        lastError: 'The feed is not an iCalendar (ICS) file.',
      });
      feeds.serve(path, { body: 'BEGIN:VCALENDAR\r\nthis is : not ; valid\r\n' });
      expect((await sync()).body).toMatchObject({ status: 'failing' });
      expect(busyRows(added.body.id)).toEqual(good);
      const grid = await s.api.get(`/marketplace/teachers/${s.teacherId}/weekly-availability?weeks=2`);
      expect(grid.status).toBe(200);
      const listed = await s.admin.get(`/admin/teachers/${s.teacherId}/calendars`);
      expect(listed.body.calendars).toMatchObject([{ id: added.body.id, status: 'failing', busyCount: good.length }]);

      feeds.serve(path, { body: fixture('google.ics') });
      expect((await sync()).body).toMatchObject({ status: 'ok', lastError: null });
    });

    it('gives up on a slow feed at the timeout, and still adds the calendar as failing', async () => {
      const s = await newYorkTeacher();
      const path = feedPath('slow');
      feeds.serve(path, { body: fixture('tutoring.ics'), delayMs: TIMEOUT_MS * 4 });
      const started = Date.now();
      const { status, body } = await addCalendar(s, path);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 3);
      expect(status).toBe(201);
      expect(body).toMatchObject({
        status: 'failing',
        lastError: 'The feed did not answer within 1 second.',
        busyCount: 0,
      });
    });

    it('refuses an oversized feed at the size limit without reading it all', async () => {
      const s = await newYorkTeacher();
      const path = feedPath('huge');
      const filler = `X-FILLER:${'x'.repeat(60)}\r\n`.repeat(50_000); // ~3.6 MB
      feeds.serve(path, {
        body: fixture('tutoring.ics').replace('END:VCALENDAR', `${filler}END:VCALENDAR`),
        chunked: true,
      });
      const { status, body } = await addCalendar(s, path);
      expect(status).toBe(201);
      expect(body).toMatchObject({ status: 'failing', lastError: 'The feed is larger than 2 MB.', busyCount: 0 });
    });
  });

  describe('routes', () => {
    it('removes a calendar and its busy time with DELETE, and the grid offers the times again', async () => {
      const s = await newYorkTeacher();
      const path = feedPath('google');
      feeds.serve(path, { body: fixture('google.ics') });
      const added = await addCalendar(s, path);
      expect(await freeStarts(s, '2027-03-15')).not.toContain('16:00');
      const removed = await s.admin.delete(`/admin/teachers/${s.teacherId}/calendars/${added.body.id}`);
      expect(removed.status).toBe(200);
      expect(removed.body).toEqual({ teacherId: s.teacherId, calendars: [] });
      expect(busyRows(added.body.id)).toEqual([]);
      expect(await freeStarts(s, '2027-03-15')).toContain('16:00');
      const again = await s.admin.delete(`/admin/teachers/${s.teacherId}/calendars/${added.body.id}`);
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe('calendar_not_found');
    });

    it('answers 404 for another tenant’s teacher and another teacher’s calendar', async () => {
      const s = await newYorkTeacher();
      const other = await newYorkTeacher();
      const path = feedPath('tutoring');
      feeds.serve(path, { body: fixture('tutoring.ics') });
      const added = await addCalendar(s, path);
      const world = await tenantWorld(target);
      const base = `/admin/teachers/${s.teacherId}/calendars`;
      for (const response of [
        await world.admin.get(base),
        await world.admin.post(base, { url: feeds.url(path) }),
        await world.admin.post(`${base}/${added.body.id}/sync`),
        await world.admin.delete(`${base}/${added.body.id}`),
      ]) {
        expect(response.status).toBe(404);
        expect(response.body.error.code).toBe('teacher_not_found');
      }
      const mixed = `/admin/teachers/${other.teacherId}/calendars/${added.body.id}`;
      for (const response of [await s.admin.post(`${mixed}/sync`), await s.admin.delete(mixed)]) {
        expect(response.status).toBe(404);
        expect(response.body.error.code).toBe('calendar_not_found');
      }
      expect((await s.admin.get(base)).body.calendars).toHaveLength(1);
    });

    it('refuses an eleventh calendar of one teacher with 409 too_many_calendars', async () => {
      const s = await newYorkTeacher();
      for (let i = 0; i < 10; i++) {
        const path = feedPath('many');
        feeds.serve(path, { body: fixture('tutoring.ics') });
        expect((await addCalendar(s, path)).status).toBe(201);
      }
      const path = feedPath('many');
      feeds.serve(path, { body: fixture('tutoring.ics') });
      const refused = await addCalendar(s, path);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'too_many_calendars', details: { max: 10 } });
      expect(feeds.requests(path)).toEqual([]);
    });

    it('refuses a URL that is not http(s) or malformed with 400, and the same feed twice with 409', async () => {
      const s = await newYorkTeacher();
      const base = `/admin/teachers/${s.teacherId}/calendars`;
      for (const url of ['ftp://example.com/cal.ics', 'not a url', 'file:///etc/passwd']) {
        const response = await s.admin.post(base, { url });
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('validation_error');
      }
      const path = feedPath('tutoring');
      feeds.serve(path, { body: fixture('tutoring.ics') });
      expect((await addCalendar(s, path)).status).toBe(201);
      const twice = await addCalendar(s, path);
      expect(twice.status).toBe(409);
      expect(twice.body.error.code).toBe('already_exists');
      expect((await s.admin.post(base, { url: feeds.url(path), extra: 1 })).status).toBe(400);
    });
  });

  describe('the OpenAPI document', () => {
    it('describes every answer of the calendar routes, and the 401 without a key', async () => {
      const check = responseChecker(await fetchDocument(target.url));
      const documented = (method: string, path: string, response: JsonResponse, status: number) => {
        expect(response.status, JSON.stringify(response.body)).toBe(status);
        expect(check(method, path, response).problems).toEqual([]);
      };
      const s = await newYorkTeacher();
      const anonymous = client(target.url);
      const list = '/admin/teachers/{teacherId}/calendars';
      const one = `${list}/{calendarId}`;
      const base = `/admin/teachers/${s.teacherId}/calendars`;
      const path = feedPath('tutoring');
      feeds.serve(path, { body: fixture('tutoring.ics') });
      const added = await addCalendar(s, path);
      documented('POST', list, added, 201);
      documented('POST', list, await addCalendar(s, path), 409);
      documented('POST', list, await s.admin.post(base, { url: 'nope' }), 400);
      documented('POST', list, await s.admin.post('/admin/teachers/ghost/calendars', { url: feeds.url(path) }), 404);
      documented('GET', list, await s.admin.get(base), 200);
      documented('POST', `${one}/sync`, await s.admin.post(`${base}/${added.body.id}/sync`), 200);
      documented('POST', `${one}/sync`, await s.admin.post(`${base}/ghost/sync`), 404);
      feeds.serve(path, { status: 503 });
      documented('POST', `${one}/sync`, await s.admin.post(`${base}/${added.body.id}/sync`), 200);
      documented('DELETE', one, await s.admin.delete(`${base}/${added.body.id}`), 200);
      documented('DELETE', one, await s.admin.delete(`${base}/${added.body.id}`), 404);
      documented('GET', list, await anonymous.get(base), 401);
      documented('POST', list, await anonymous.post(base, { url: feeds.url(path) }), 401);
      documented('POST', `${one}/sync`, await anonymous.post(`${base}/x/sync`), 401);
      documented('DELETE', one, await anonymous.delete(`${base}/x`), 401);
    });
  });
});

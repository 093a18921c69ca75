import { describe, expect, it } from 'vitest';
import { expandBusy, IcsParseError } from '../../api/services/ical-expand.js';
import { isPrivateHost, refusedUrl, urlDisplay } from '../../api/services/external-calendars.js';
import { fixture } from '../support/ics-server.js';

/*
 * The pure half of external calendars: ICS text in, merged UTC busy intervals out. No server: the
 * API suite (external-calendars.test.ts) runs the same fixtures through both targets.
 */

const WINDOW = { fromUtc: '2027-02-28T00:00:00.000Z', toUtc: '2027-04-20T00:00:00.000Z', maxIntervals: 2000 };
const spans = (text: string, timezone = 'America/New_York', window = WINDOW) =>
  expandBusy(text, { timezone, ...window }).intervals.map((i) => `${i.startUtc} ${i.endUtc}`);

function calendar(...events: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
}
function event(lines: string[]): string {
  return [
    'BEGIN:VEVENT',
    `UID:${lines.join('|').length}-${Math.random()}@test`,
    'DTSTAMP:20270101T000000Z',
    ...lines,
    'END:VEVENT',
  ].join('\r\n');
}

describe('expandBusy', () => {
  describe('recurring events across a DST change', () => {
    it('keeps a weekly New York event at 16:00 local: 21:00 UTC in EST, 20:00 UTC in EDT', () => {
      const busy = spans(fixture('google.ics'));
      expect(busy).toContain('2027-03-01T21:00:00.000Z 2027-03-01T22:00:00.000Z');
      expect(busy).toContain('2027-03-15T20:00:00.000Z 2027-03-15T21:00:00.000Z');
    });

    it('keeps a weekly London event at 18:00 local: 18:00 UTC in GMT, 17:00 UTC in BST (Outlook zone names)', () => {
      const busy = spans(fixture('outlook.ics'));
      expect(busy).toContain('2027-03-25T18:00:00.000Z 2027-03-25T19:00:00.000Z');
      expect(busy).toContain('2027-04-01T17:00:00.000Z 2027-04-01T18:00:00.000Z');
      // UNTIL=20270415T170000Z includes the occurrence starting at that instant, and none after.
      expect(busy.filter((x) => x.startsWith('2027-04-15'))).toEqual([
        '2027-04-15T17:00:00.000Z 2027-04-15T18:00:00.000Z',
      ]);
    });

    it('reads an IANA TZID without a VTIMEZONE block in that zone', () => {
      const text = calendar(
        event([
          'DTSTART;TZID=Europe/London:20270325T090000',
          'DTEND;TZID=Europe/London:20270325T100000',
          'RRULE:FREQ=WEEKLY;COUNT=2',
        ]),
      );
      expect(spans(text, 'Africa/Khartoum')).toEqual([
        '2027-03-25T09:00:00.000Z 2027-03-25T10:00:00.000Z',
        '2027-04-01T08:00:00.000Z 2027-04-01T09:00:00.000Z',
      ]);
    });
  });

  describe('exceptions', () => {
    it('drops an EXDATE occurrence and moves a RECURRENCE-ID override', () => {
      const busy = spans(fixture('google.ics'));
      expect(busy.some((x) => x.startsWith('2027-03-08'))).toBe(false);
      expect(busy.some((x) => x.startsWith('2027-03-22'))).toBe(false);
      expect(busy).toContain('2027-03-23T22:00:00.000Z 2027-03-23T23:00:00.000Z');
    });

    it('frees one week of a series whose override is cancelled', () => {
      const uid = 'series@test';
      const text = calendar(
        [
          'BEGIN:VEVENT',
          `UID:${uid}`,
          'DTSTAMP:20270101T000000Z',
          'DTSTART:20270302T100000Z',
          'DTEND:20270302T110000Z',
          'RRULE:FREQ=WEEKLY;COUNT=3',
          'END:VEVENT',
        ].join('\r\n'),
        [
          'BEGIN:VEVENT',
          `UID:${uid}`,
          'DTSTAMP:20270101T000000Z',
          'RECURRENCE-ID:20270309T100000Z',
          'DTSTART:20270309T100000Z',
          'DTEND:20270309T110000Z',
          'STATUS:CANCELLED',
          'END:VEVENT',
        ].join('\r\n'),
      );
      expect(spans(text)).toEqual([
        '2027-03-02T10:00:00.000Z 2027-03-02T11:00:00.000Z',
        '2027-03-16T10:00:00.000Z 2027-03-16T11:00:00.000Z',
      ]);
    });
  });

  describe('what is not busy', () => {
    it('ignores cancelled, transparent and Outlook FREE events', () => {
      expect(spans(fixture('tutoring.ics'))).toEqual([
        '2027-03-02T14:00:00.000Z 2027-03-02T14:50:00.000Z',
        '2027-03-05T13:00:00.000Z 2027-03-05T14:00:00.000Z',
        '2027-03-12T13:00:00.000Z 2027-03-12T14:00:00.000Z',
        '2027-03-19T13:00:00.000Z 2027-03-19T14:00:00.000Z',
        '2027-03-26T13:00:00.000Z 2027-03-26T14:00:00.000Z',
      ]);
      expect(spans(fixture('outlook.ics')).some((x) => x.startsWith('2027-03-11T17:00'))).toBe(false);
    });
  });

  describe('zones of their own', () => {
    it('blocks an all-day event for the whole local day in the teacher’s zone', () => {
      expect(spans(fixture('outlook.ics'))).toContain('2027-03-05T05:00:00.000Z 2027-03-06T05:00:00.000Z');
      expect(spans(fixture('outlook.ics'), 'Asia/Tokyo')).toContain(
        '2027-03-04T15:00:00.000Z 2027-03-05T15:00:00.000Z',
      );
    });

    it('reads floating times on the teacher’s wall clock, and moves one in the spring-forward gap forward', () => {
      const text = calendar(
        event(['DTSTART:20270310T090000', 'DTEND:20270310T100000']),
        event(['DTSTART:20270314T023000', 'DTEND:20270314T040000']),
      );
      expect(spans(text)).toEqual([
        '2027-03-10T14:00:00.000Z 2027-03-10T15:00:00.000Z',
        // 02:30 does not exist on 14 March in New York: read as 03:30 EDT (07:30 UTC).
        '2027-03-14T07:30:00.000Z 2027-03-14T08:00:00.000Z',
      ]);
    });
  });

  describe('the result', () => {
    it('merges overlapping and touching intervals and clips them to the window', () => {
      const text = calendar(
        event(['DTSTART:20270301T100000Z', 'DTEND:20270301T110000Z']),
        event(['DTSTART:20270301T103000Z', 'DTEND:20270301T120000Z']),
        event(['DTSTART:20270301T120000Z', 'DTEND:20270301T130000Z']),
        event(['DTSTART:20270227T200000Z', 'DTEND:20270228T020000Z']),
      );
      expect(spans(text)).toEqual([
        '2027-02-28T00:00:00.000Z 2027-02-28T02:00:00.000Z',
        '2027-03-01T10:00:00.000Z 2027-03-01T13:00:00.000Z',
      ]);
    });

    it('keeps the earliest intervals up to the cap and says it left some out', () => {
      const text = calendar(event(['DTSTART:20270301T100000Z', 'DTEND:20270301T110000Z', 'RRULE:FREQ=DAILY']));
      const result = expandBusy(text, { timezone: 'UTC', ...WINDOW, maxIntervals: 10 });
      expect(result.intervals).toHaveLength(10);
      expect(result.truncated).toBe(true);
      expect(result.intervals.at(-1)!.startUtc).toBe('2027-03-10T10:00:00.000Z');
    });

    it('ends an endless series at the window, and names the calendar from X-WR-CALNAME', () => {
      const result = expandBusy(fixture('google.ics'), { timezone: 'America/New_York', ...WINDOW });
      expect(result.truncated).toBe(false);
      expect(result.intervals.at(-1)!.startUtc < WINDOW.toUtc).toBe(true);
      expect(result.calendarName).toBe('Tutoring at the academy');
    });

    it('throws IcsParseError for text that is not iCalendar', () => {
      for (const text of [
        '',
        '<html></html>',
        'BEGIN:VCALENDAR\r\nnot : valid ; at all\r\n',
        'BEGIN:VEVENT\r\nEND:VEVENT\r\n',
      ]) {
        expect(() => expandBusy(text, { timezone: 'UTC', ...WINDOW })).toThrow(IcsParseError);
      }
    });
  });
});

describe('calendar URLs', () => {
  it('shows a URL without its query, user info or the path before its last segment', () => {
    expect(urlDisplay('https://calendar.google.com/calendar/ical/abc/basic.ics?token=secret')).toBe(
      'https://calendar.google.com/…/basic.ics?…',
    );
    // Google's and Outlook's secret addresses carry the secret in the path.
    const google =
      'https://calendar.google.com/calendar/ical/teacher%40gmail.com/private-0123456789abcdef0123456789abcdef/basic.ics';
    expect(urlDisplay(google)).toBe('https://calendar.google.com/…/basic.ics');
    const outlook = 'https://outlook.office365.com/owa/calendar/1b2c@school.sd/f00dfeed1234/calendar.ics';
    expect(urlDisplay(outlook)).toBe('https://outlook.office365.com/…/calendar.ics');
    expect(urlDisplay('https://user:pw@example.com/feed.ics')).toBe('https://example.com/feed.ics');
  });

  it('refuses http and private or loopback hosts unless the deployment allows them', () => {
    for (const url of [
      'http://calendar.example.com/a.ics',
      'https://127.0.0.1/a.ics',
      'https://localhost/a.ics',
      'https://10.1.2.3/a.ics',
      'https://172.20.0.1/a.ics',
      'https://192.168.1.1/a.ics',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/a.ics',
      'https://[::ffff:127.0.0.1]/a.ics',
      'https://[fd00::1]/a.ics',
      'https://intranet/a.ics',
      'https://printer.local/a.ics',
    ]) {
      expect(refusedUrl(url, false), url).not.toBeNull();
      expect(refusedUrl(url, true), url).toBeNull();
    }
    expect(refusedUrl('https://calendar.google.com/calendar/ical/x/basic.ics', false)).toBeNull();
    expect(refusedUrl('https://8.8.8.8/a.ics', false)).toBeNull();
    expect(isPrivateHost('outlook.office365.com')).toBe(false);
  });
});

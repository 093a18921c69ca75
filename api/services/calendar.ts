import type { PackageRecord } from '../db/repositories/packages.js';

/*
 * A package's sessions as an iCalendar feed (RFC 5545) a parent subscribes to. Events keep their
 * UID across reschedules (sessions move in place) and carry SEQUENCE = the session's revision, so
 * a calendar updates the event instead of adding a second one; sessions turned into floating
 * credits stay in the feed as STATUS:CANCELLED so subscribed calendars drop them.
 */

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/** RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and newlines are escaped. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF + one space. Counting is in
 * UTF-8 octets and a fold never splits a character (Arabic names are two octets per letter).
 */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      // Continuation lines begin with the space, which counts towards their 75 octets.
      limit = MAX_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** `2026-12-02T15:00:00.000Z` → `20261202T150000Z` (a UTC DATE-TIME, §3.3.5 form 2). */
export function icsDateTime(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export interface CalendarOptions {
  now: Date;
  /** Domain part of event UIDs, stable per deployment. */
  uidDomain?: string;
}

export function packageCalendar(record: PackageRecord, options: CalendarOptions): string {
  const domain = options.uidDomain ?? 'smart-pack-grid';
  const stamp = icsDateTime(options.now.toISOString());
  const title = `${record.subjectName} with ${record.teacherName}`;
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Smart Pack Grid//Package calendar//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(`Smart Pack · ${title}`)}`,
    `X-WR-TIMEZONE:${record.timezone}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  // Unpaid: tentative while the hold lives, cancelled once it lapsed (derived from the clock, like the view).
  const held = record.holdExpiresAt !== null && record.status !== 'cancelled';
  const lapsed = held && options.now.toISOString() >= record.holdExpiresAt!;
  for (const session of record.sessions) {
    const cancelled = session.status === 'cancelled' || (lapsed && session.status === 'scheduled');
    const ordinal = session.sessionNumber === null ? '' : ` ${session.sessionNumber} of ${record.sessionCount}`;
    const number = ordinal && ` · session${ordinal}`;
    const notes = [
      `Smart Pack ${session.kind} session${ordinal}.`,
      session.status === 'scheduled' && session.flaggedReason
        ? 'The teacher is not available at this time: please reschedule it or turn it into a floating session.'
        : null,
      held && !lapsed && session.status === 'scheduled' ? 'Held until the payment is confirmed.' : null,
      lapsed && session.status === 'scheduled' ? 'Cancelled: the hold lapsed before the payment came.' : null,
      session.status === 'cancelled'
        ? session.cancelReason === 'hold_cancelled'
          ? 'Cancelled: the purchase was cancelled before payment.'
          : session.cancelReason === 'pack_cancelled'
            ? 'Cancelled with the package: its share was refunded.'
            : 'Cancelled: this session became a floating credit.'
        : null,
      session.status === 'completed' ? 'Completed.' : null,
    ].filter((n): n is string => n !== null);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${session.id}@${domain}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${icsDateTime(session.startUtc)}`,
      `DTEND:${icsDateTime(session.endUtc)}`,
      `SUMMARY:${escapeText(`${title}${number}`)}`,
      `DESCRIPTION:${escapeText(notes.join('\n'))}`,
      `STATUS:${cancelled ? 'CANCELLED' : (session.flaggedReason || held) && session.status === 'scheduled' ? 'TENTATIVE' : 'CONFIRMED'}`,
      // A lapse writes nothing: the sequence moves on by itself so calendar apps take the change.
      `SEQUENCE:${session.revision + (lapsed && session.status === 'scheduled' ? 1 : 0)}`,
      `LAST-MODIFIED:${icsDateTime(session.updatedAt)}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
